"""The institution's configuration of competitions (ARCHITECTURE "Settings"): GrantsConfig holds the deadline
values and budget limits; changing a value changes both the rule and the message that states it."""

from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from grants import forms, services
from mopr import calendar

from .factories import all_yes, appoint, declare_all, make_competition, points, published_competition, register

pytestmark = pytest.mark.django_db
D = Decimal


def test_config_is_created_with_seed_003_values(chart):
    config = services.get_config(chart.institution)
    assert (
        config.offer_deadline_days,
        config.offer_deadline_time,
        config.decision_days,
        config.withdrawal_days,
        config.min_points,
    ) == (21, time(15, 30), 30, 14, 70)
    assert (config.grant_max_percent, config.own_min_percent, config.admin_max_percent, config.volunteer_max_rate) == (
        D("90"),
        D("10"),
        D("15"),
        D("25.00"),
    )
    assert config.unit_symbol_set == {"DNK"}
    assert services.get_config(chart.institution).pk == config.pk  # one per institution
    assert config.history.count() == 1


def test_offer_deadline_reads_the_config_and_the_form_states_it(chart):
    config = services.get_config(chart.institution)
    config.offer_deadline_days, config.offer_deadline_time = 28, time(12, 0)
    config.save()
    competition = published_competition(chart, published_on=date(2022, 11, 16))
    due = calendar.deadline_in_days(date(2022, 11, 16), 28)
    assert timezone.localtime(competition.offer_deadline) == timezone.make_aware(datetime.combine(due, time(12, 0)))
    help_text = str(forms.PublishForm(config=config).fields["published_on"].help_text)
    assert "28. dzień" in help_text and "12:00" in help_text and "21" not in help_text


def test_a_75_point_threshold_refuses_a_72_point_offer_naming_75(chart):
    config = services.get_config(chart.institution)
    config.min_points = 75
    config.save()
    competition = published_competition(chart)
    assert competition.min_points == 75  # a new competition starts from the configured threshold
    offer = register(chart, competition, received_at=timezone.make_aware(datetime(2022, 12, 1, 9, 0)))
    appoint(chart, competition)
    declare_all(competition)
    services.competition_start_evaluation(competition, acting_user=chart.dnk_pracownik)
    services.offer_formal_evaluate(offer, acting_user=chart.dnk_kierownik, answers=all_yes())
    for login in ("dnk_kierownik", "sok_pracownik", "pracownik_socjalny"):
        services.merit_card_submit(offer, acting_user=getattr(chart, login), points=points(ii1=2, ii2=2, ii3=2, v1=1))
    with pytest.raises(ValidationError) as refused:
        services.results_compute(competition, acting_user=chart.dnk_pracownik, proposed_amounts={offer.pk: D("1000")})
    assert any("72" in message and "mniej niż 75" in message for message in refused.value.messages)
    services.results_compute(competition, acting_user=chart.dnk_pracownik)
    offer.refresh_from_db()
    assert offer.score == D("72.00") and offer.proposed_amount == D("0.00")


def test_budget_limits_read_the_config_and_the_messages_name_them(chart):
    config = services.get_config(chart.institution)
    config.grant_max_percent, config.volunteer_max_rate = D("80"), D("15.00")
    config.save()
    competition = published_competition(chart)
    with pytest.raises(ValidationError) as refused:
        register(chart, competition)  # 90% grant, 20 zł/h volunteers: in order under the seed's limits
    messages = " ".join(refused.value.messages)
    assert "przekracza 15,00 zł/godz." in messages
    offer = register(chart, competition, volunteer_rate=D("15.00"), own_financial=D("5500.00"))  # G2/G5: a warning
    warnings = " ".join(offer.registration_warnings)
    assert "dopuszczalne 80%" in warnings and "90%" not in warnings.replace("90,0%", "")
    form = forms.OfferForm(limits=config.limits)
    assert "15,00 zł" in str(form.fields["volunteer_rate"].help_text)


def test_unit_symbols_are_configuration(chart):
    assert make_competition(chart).unit.symbol == "DNK"
    config = services.get_config(chart.institution)
    config.unit_symbols = "SOK"
    config.save()
    with pytest.raises(PermissionDenied):
        make_competition(chart)
