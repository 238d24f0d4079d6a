"""G12: small grants outside a competition (UDPP art. 19a): 10 000 zł and 90 days, 7 days of publication in three
places with comments, 20 000 zł a year per organisation, 20% of the year's planned grants, each figure configured
and named in the Polish message; then the same contract, report and return steps."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from grants import services
from grants.models import SmallGrantPlace, SmallGrantStatus
from mopr import calendar
from mopr.models import Deadline

from .factories import make_offeror
from .factories_after import (
    approve_all,
    contract_kwargs,
    flow_of,
    granted_small,
    published_small,
    small_kwargs,
    small_lines,
    submit,
    year_budget,
)

pytestmark = pytest.mark.django_db
D = Decimal


def test_G12_outsiders_cannot_register_or_publish(chart):
    with pytest.raises(PermissionDenied):
        services.small_grant_register(**small_kwargs(chart, acting_user=chart.obcy))
    offer = services.small_grant_register(**small_kwargs(chart))
    with pytest.raises(PermissionDenied):
        services.small_grant_publish(offer, acting_user=chart.zastepca2, place="bip", published_on=timezone.localdate())


def test_G12_offer_above_10000_refused_naming_the_limit(chart):
    with pytest.raises(ValidationError) as error:
        services.small_grant_register(
            **small_kwargs(
                chart,
                requested_grant=D("10000.01"),
                own_financial=D("1200"),
                lines=small_lines(D("10000.01"), D("11200.01")),
            )
        )
    assert "najwyżej 10 000,00 zł (art. 19a ust. 1)" in error.value.message_dict["requested_grant"][0]


def test_G12_task_longer_than_90_days_refused_naming_the_limit(chart):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        services.small_grant_register(**small_kwargs(chart, task_start=today, task_end=today + timedelta(days=90)))
    assert "najwyżej 90 dni (art. 19a ust. 1); podano 91 dni" in error.value.message_dict["task_end"][0]
    # exactly 90 days, both ends counted, passes
    services.small_grant_register(**small_kwargs(chart, task_start=today, task_end=today + timedelta(days=89)))


def test_G12_configured_figures_change_rule_and_message(chart):
    config = services.get_config(chart.institution)
    config.small_max_amount = D("8000")
    config.small_max_days = 60
    config.save()
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        services.small_grant_register(**small_kwargs(chart, task_start=today, task_end=today + timedelta(days=60)))
    messages = error.value.message_dict
    assert "najwyżej 8 000,00 zł" in messages["requested_grant"][0]
    assert "najwyżej 60 dni" in messages["task_end"][0]


def test_G12_G4_budget_rules_apply_to_the_small_offer(chart):
    with pytest.raises(ValidationError, match="Wkład własny stanowi"):
        services.small_grant_register(
            **small_kwargs(chart, own_financial=D("0"), lines=small_lines(D("9000"), D("9000")))
        )


def test_G12_publication_in_three_places_for_7_days_then_decision(chart):
    year_budget(chart)
    offer = services.small_grant_register(**small_kwargs(chart))
    published_on = timezone.localdate() - timedelta(days=3)
    for place in ("bip", "website"):
        services.small_grant_publish(offer, acting_user=chart.dnk_pracownik, place=place, published_on=published_on)
    assert services.comments_until(offer) is None  # the notice board is missing
    with pytest.raises(ValidationError, match="już odnotowano"):
        services.small_grant_publish(offer, acting_user=chart.dnk_pracownik, place="bip", published_on=published_on)
    services.small_grant_publish(
        offer, acting_user=chart.dnk_pracownik, place=SmallGrantPlace.NOTICE_BOARD, published_on=published_on
    )
    until = services.comments_until(offer)
    assert until == calendar.deadline_in_days(published_on, 7)
    deadline = Deadline.objects.for_object(offer).open().get()
    assert deadline.responsible_user == chart.dnk_pracownik and deadline.due > until
    comment = services.small_grant_comment(
        offer,
        acting_user=chart.dnk_pracownik,
        received_on=timezone.localdate(),
        author="Jan Mieszkaniec",
        content="Proszę o zajęcia także w soboty.",
    )
    assert comment.in_time
    with pytest.raises(ValidationError) as error:
        services.small_grant_decide(
            offer, acting_user=chart.dnk_pracownik, grant=True, decided_on=timezone.localdate(), reason="Uwzględniono."
        )
    assert "po upływie 7 dni publikacji" in error.value.message_dict["decided_on"][0]


def test_G12_comments_must_be_considered_in_the_decision(chart):
    year_budget(chart)
    offer = published_small(chart)
    services.small_grant_comment(
        offer,
        acting_user=chart.dnk_pracownik,
        received_on=timezone.localdate() - timedelta(days=8),
        author="A",
        content="B",
    )
    with pytest.raises(ValidationError) as error:
        services.small_grant_decide(offer, acting_user=chart.dnk_pracownik, grant=True, decided_on=timezone.localdate())
    assert "reason" in error.value.message_dict
    services.small_grant_decide(
        offer,
        acting_user=chart.dnk_pracownik,
        grant=True,
        decided_on=timezone.localdate(),
        reason="Uwagę uwzględniono.",
    )
    offer.refresh_from_db()
    assert offer.status == SmallGrantStatus.GRANTED and offer.granted_amount == D("9000.00")
    assert Deadline.objects.for_object(offer).open().count() == 0


def test_G12_one_organisation_at_most_20000_a_year_named_in_the_message(chart):
    offeror = make_offeror()
    granted_small(chart, offeror=offeror)
    granted_small(chart, offeror=offeror)  # 18 000
    third = published_small(chart, offeror=offeror)
    with pytest.raises(ValidationError) as error:
        services.small_grant_decide(third, acting_user=chart.dnk_pracownik, grant=True, decided_on=timezone.localdate())
    message = error.value.message_dict["amount"][0]
    assert "najwyżej 20 000,00 zł (art. 19a ust. 4)" in message
    assert "przyznano już 18 000,00 zł, pozostało 2 000,00 zł" in message
    services.small_grant_decide(
        third, acting_user=chart.dnk_pracownik, grant=True, decided_on=timezone.localdate(), amount=D("2000")
    )


def test_G12_mode_at_most_20_percent_of_the_years_planned_grants(chart):
    year_budget(chart, planned=D("50000"))  # 20% = 10 000
    granted_small(chart)
    second = published_small(chart)
    with pytest.raises(ValidationError) as error:
        services.small_grant_decide(
            second, acting_user=chart.dnk_pracownik, grant=True, decided_on=timezone.localdate()
        )
    message = error.value.message_dict["amount"][0]
    assert "najwyżej 20% dotacji zaplanowanych (50 000,00 zł), tj. 10 000,00 zł (art. 19a ust. 5)" in message


def test_G12_without_a_year_plan_the_20_percent_cannot_be_checked(chart):
    offer = published_small(chart)
    with pytest.raises(ValidationError, match="Brak planu dotacji"):
        services.small_grant_decide(offer, acting_user=chart.dnk_pracownik, grant=True, decided_on=timezone.localdate())


def test_G12_configured_yearly_limits_in_messages(chart):
    config = services.get_config(chart.institution)
    config.small_org_year_max = D("15000")
    config.save()
    offeror = make_offeror()
    granted_small(chart, offeror=offeror)
    second = published_small(chart, offeror=offeror)
    with pytest.raises(ValidationError, match="najwyżej 15 000,00 zł"):
        services.small_grant_decide(
            second, acting_user=chart.dnk_pracownik, grant=True, decided_on=timezone.localdate()
        )


def test_G12_refusal_recorded(chart):
    year_budget(chart)
    offer = published_small(chart)
    services.small_grant_decide(
        offer, acting_user=chart.dnk_pracownik, grant=False, decided_on=timezone.localdate(), reason="Brak środków."
    )
    offer.refresh_from_db()
    assert offer.status == SmallGrantStatus.REFUSED and offer.granted_amount is None


def test_G12_G11_small_grant_contract_report_and_return(chart):
    offer = granted_small(chart)
    contract = services.contract_draft(offer, acting_user=chart.dnk_pracownik, **contract_kwargs(offer))
    assert contract.small_offer == offer and contract.grant_amount == D("9000.00")
    services.contract_send(contract, acting_user=chart.dnk_pracownik)
    approve_all(flow_of(contract))
    contract.refresh_from_db()
    assert contract.status == "signed" and contract.countersigned_by == chart.ksiegowa
    today = timezone.localdate()
    services.payment_record(contract, acting_user=chart.dnk_pracownik, amount=D("9000"), paid_on=today)
    final = contract.reports.get(kind="final")
    # the task lies ahead in this test: the report's period is its whole length
    submit(chart, final, ratio=D("0.9"), period_start=contract.task_start, period_end=contract.task_end)
    services.report_accept(final, acting_user=chart.dnk_pracownik, accepted_on=today)
    figures = services.settlement_of(contract)
    item = services.return_record(
        contract, acting_user=chart.dnk_pracownik, reason="unused", amount=figures.paid - figures.accepted, due=today
    )
    services.return_paid(item, acting_user=chart.dnk_pracownik, paid_on=today)
    assert services.settlement_of(contract).open == 0
