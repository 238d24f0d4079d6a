"""G1-G3: the competition's conditions, the offer deadline (21 days, 15:30, K2-K3), late offers, one offer
per offeror, joint offers; NIP/REGON checksums."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from grants import services
from grants.models import CompetitionStatus, Offeror
from mopr.models import Deadline

from .factories import make_competition, make_offeror, published_competition, register

pytestmark = pytest.mark.django_db


def aware(*args):
    return timezone.make_aware(datetime(*args))


def test_G1_competition_outside_grant_unit_cannot_be_created(chart):
    with pytest.raises(PermissionDenied):
        make_competition(chart, user=chart.sok_pracownik)


def test_G1_competition_keeps_all_conditions_and_prior_years(chart):
    competition = make_competition(chart)
    assert competition.unit.symbol == "DNK" and competition.status == CompetitionStatus.DRAFT
    assert competition.funds == Decimal("63000.00") and competition.director_order_number == "55/2022"
    assert (competition.prior_year_1, competition.prior_amount_1) == (2021, Decimal("70000.00"))
    assert (competition.prior_year_2, competition.prior_amount_2) == (2022, Decimal("63000.00"))
    assert len(competition.attachments) == 6  # 003 §4.7


def test_G1_period_end_before_start_is_refused(chart):
    with pytest.raises(ValidationError) as error:
        make_competition(chart, task_end=date(2022, 12, 31))
    assert "task_end" in error.value.message_dict


def test_G2_offer_deadline_is_21_days_after_publication_at_1530(chart):
    competition = published_competition(chart, published_on=date(2022, 11, 16))
    local = timezone.localtime(competition.offer_deadline)
    assert (local.date(), local.hour, local.minute) == (date(2022, 12, 7), 15, 30)
    assert competition.decision_due == date(2023, 1, 9)  # 30 days -> 6 Jan (holiday) -> weekend -> Monday


def test_G2_deadline_on_24_december_2025_rolls_past_christmas(chart):
    competition = published_competition(chart, published_on=date(2025, 12, 3))
    assert timezone.localtime(competition.offer_deadline).date() == date(2025, 12, 29)


def test_G2_deadline_on_24_december_2024_stays_as_a_working_day(chart):
    competition = published_competition(chart, published_on=date(2024, 12, 3))
    assert timezone.localtime(competition.offer_deadline).date() == date(2024, 12, 24)


def test_G2_deadline_on_saturday_moves_to_monday(chart):
    # 2023-03-04 is a Saturday: published 2023-02-11 + 21 days
    competition = published_competition(chart, published_on=date(2023, 2, 11))
    assert timezone.localtime(competition.offer_deadline).date() == date(2023, 3, 6)


def test_G8_publication_opens_the_decision_deadline_for_heads(chart):
    competition = published_competition(chart)
    deadline = Deadline.objects.get(kind="grants_decision", object_id=competition.pk)
    assert deadline.due == competition.decision_due and deadline.rule == "G8"
    assert deadline.responsible_group is not None


def test_G2_offer_received_at_1530_on_deadline_day_is_accepted(chart):
    competition = published_competition(chart)
    offer = register(chart, competition, received_at=aware(2022, 12, 7, 15, 30))
    assert offer.pk


def test_G2_offer_received_at_1531_is_registered_as_late(chart):
    competition = published_competition(chart)
    offer = register(chart, competition, received_at=aware(2022, 12, 7, 15, 31))
    assert "po terminie składania ofert" in offer.registration_warnings[0]
    assert competition.offers.get() == offer


def test_G2_offers_only_in_a_published_competition(chart):
    competition = make_competition(chart)
    with pytest.raises(ValidationError):
        register(chart, competition)


def test_G2_other_unit_cannot_register_offers(chart):
    competition = published_competition(chart)
    with pytest.raises(PermissionDenied):
        services.offer_register(
            competition,
            acting_user=chart.sok_pracownik,
            offeror=make_offeror(),
            received_at=aware(2022, 12, 1, 9, 0),
            checksum="X",
            task_title="X",
            requested_grant=Decimal("1"),
        )


def test_G3_second_offer_of_the_same_offeror_is_refused(chart):
    competition = published_competition(chart)
    offeror = make_offeror()
    register(chart, competition, offeror=offeror)
    with pytest.raises(ValidationError) as error:
        register(chart, competition, offeror=offeror)
    assert "najwyżej jedną ofertę" in error.value.message_dict["offeror"][0]


def test_G3_partner_of_a_joint_offer_cannot_also_submit_its_own(chart):
    competition = published_competition(chart)
    partner = make_offeror()
    register(
        chart,
        competition,
        is_joint=True,
        representation="Lider reprezentuje obu partnerów.",
        partners=[(partner, "Prowadzi grupy wsparcia.")],
    )
    with pytest.raises(ValidationError):
        register(chart, competition, offeror=partner)


def test_G3_joint_offer_must_name_partner_actions_and_representation(chart):
    competition = published_competition(chart)
    partner = make_offeror()
    with pytest.raises(ValidationError) as error:
        register(chart, competition, is_joint=True, representation="", partners=[(partner, "")])
    assert {"is_joint", "representation"} <= set(error.value.message_dict)
    offer = register(
        chart,
        competition,
        is_joint=True,
        representation="Wspólnie, przez lidera.",
        partners=[(partner, "Superwizje indywidualne.")],
    )
    assert offer.partners.get().actions == "Superwizje indywidualne."


def test_G3_offeror_nip_and_regon_checksums_are_validated(chart):
    offeror = Offeror(
        name="Stowarzyszenie",
        legal_form="association",
        nip="1234563219",
        regon="123456786",
        street="Lipowa 1",
        postal_code="15-001",
        city="Białystok",
        representatives="Jan Nowak",
    )
    with pytest.raises(ValidationError) as error:
        offeror.full_clean()
    assert "Nieprawidłowa cyfra kontrolna NIP." in error.value.message_dict["nip"]
    assert "Nieprawidłowa cyfra kontrolna REGON." in error.value.message_dict["regon"]
    offeror.nip, offeror.regon = "1234563218", "123456785"
    offeror.full_clean()


def test_G2_conditions_cannot_change_after_publication(chart):
    competition = published_competition(chart)
    with pytest.raises(ValidationError):
        services.competition_update(competition, acting_user=chart.dnk_pracownik, funds=Decimal("1"))


def test_G2_evaluation_cannot_start_before_the_deadline(chart):
    competition = published_competition(chart, published_on=timezone.localdate())
    with pytest.raises(ValidationError):
        services.competition_start_evaluation(competition, acting_user=chart.dnk_pracownik)


def test_G2_transition_table_refuses_skipping_states(chart):
    from grants.procedures import COMPETITION
    from mopr.procedures import transition

    competition = make_competition(chart)
    with pytest.raises(ValidationError, match="nie jest możliwa"):
        with transition(competition, COMPETITION, "decide", acting_user=chart.dnk_pracownik):
            pass
    competition.refresh_from_db()
    assert competition.status == CompetitionStatus.DRAFT


def test_G8_K5_decision_deadline_enters_the_heads_digest_before_it_is_due(chart):
    from mopr.deadlines import digest_deadlines_for

    competition = published_competition(chart)
    assert not digest_deadlines_for(chart.dnk_kierownik, date(2022, 12, 20)).filter(kind="grants_decision").exists()
    assert (
        digest_deadlines_for(chart.dnk_kierownik, date(2023, 1, 4))
        .filter(kind="grants_decision", object_id=competition.pk)
        .exists()
    )
    assert not digest_deadlines_for(chart.sok_kierownik, date(2023, 1, 4)).filter(kind="grants_decision").exists()
