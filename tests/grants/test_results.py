"""G6 results, G8 decision (30 days) and G9 reduced grants."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from grants import services
from grants.budget import LineData
from grants.models import Competition, CompetitionStatus, OfferStatus
from mopr.models import Deadline, OutboxEmail

from .factories import all_yes, appoint, declare_all, good_lines, points, published_competition, register

pytestmark = pytest.mark.django_db
D = Decimal
MEMBERS = ("dnk_kierownik", "sok_pracownik", "pracownik_socjalny")


def _evaluated(chart, scores, **competition_fields):
    """Offers scored by the three members: ``scores`` is a list of per-member totals-reducers per offer."""
    competition = published_competition(chart, **competition_fields)
    offers = [
        register(chart, competition, received_at=timezone.make_aware(datetime(2022, 12, 1, 9, i)))
        for i in range(len(scores))
    ]
    appoint(chart, competition)
    declare_all(competition)
    services.competition_start_evaluation(competition, acting_user=chart.dnk_pracownik)
    for offer, member_points in zip(offers, scores, strict=True):
        services.offer_formal_evaluate(offer, acting_user=chart.dnk_kierownik, answers=all_yes())
        for login, missing in zip(MEMBERS, member_points, strict=True):
            # take ``missing`` points away from the 10-point criteria, then the 5-point ones
            p = points()
            for key in [
                "ii1",
                "ii2",
                "ii3",
                "vi1",
                "vi2",
                "i1",
                "i2",
                "i3",
                "i4",
                "iii1",
                "iii2",
                "iv1",
                "iv2",
                "v1",
                "v2",
            ]:
                take = min(missing, p[key])
                p[key] -= take
                missing -= take
            services.merit_card_submit(offer, acting_user=getattr(chart, login), points=p)
    return competition, offers


def test_G6_score_is_mean_of_members_totals_and_threshold_70(chart):
    competition, (a, b) = _evaluated(chart, [(30, 31, 29), (29, 31, 31)])  # 70.00 and 69.67
    services.results_compute(competition, acting_user=chart.dnk_pracownik)
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.score == D("70.00") and a.rank == 1 and a.proposed_amount == D("63000.00")
    assert b.score == D("69.67") and b.rank == 2 and b.proposed_amount == D("0.00")


def test_G6_below_70_nobody_gets_a_proposal(chart):
    competition, (a,) = _evaluated(chart, [(31, 31, 31)])
    services.results_compute(competition, acting_user=chart.dnk_pracownik)
    a.refresh_from_db()
    assert a.score == D("69.00") and a.proposed_amount == D("0.00")


def test_G6_median_is_configurable(chart):
    competition, (a,) = _evaluated(chart, [(0, 10, 40)], score_method=Competition.ScoreMethod.MEDIAN)
    services.results_compute(competition, acting_user=chart.dnk_pracownik)
    a.refresh_from_db()
    assert a.score == D("90.00")


def test_G6_proposals_together_never_exceed_funds(chart):
    competition, (a, b) = _evaluated(chart, [(0, 0, 0), (5, 5, 5)], max_grantees=2)
    services.results_compute(competition, acting_user=chart.dnk_pracownik)
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.proposed_amount == D("63000.00") and b.proposed_amount == D("0.00")  # funds exhausted
    with pytest.raises(ValidationError) as error:
        services.results_compute(
            competition, acting_user=chart.dnk_pracownik, proposed_amounts={a.pk: D("40000"), b.pk: D("23000.01")}
        )
    assert any("przekraczają środki konkursu" in m for m in error.value.messages)
    services.results_compute(
        competition, acting_user=chart.dnk_pracownik, proposed_amounts={a.pk: D("40000"), b.pk: D("23000")}
    )
    b.refresh_from_db()
    assert b.proposed_amount == D("23000.00")


def test_G6_results_need_every_members_card(chart):
    competition = published_competition(chart)
    offer = register(chart, competition)
    appoint(chart, competition)
    declare_all(competition)
    services.competition_start_evaluation(competition, acting_user=chart.dnk_pracownik)
    services.offer_formal_evaluate(offer, acting_user=chart.dnk_kierownik, answers=all_yes())
    services.merit_card_submit(offer, acting_user=chart.dnk_kierownik, points=points())
    with pytest.raises(ValidationError):
        services.results_compute(competition, acting_user=chart.dnk_pracownik)


def _decided_ready(chart):
    competition, offers = _evaluated(chart, [(0, 0, 0)])
    services.results_compute(competition, acting_user=chart.dnk_pracownik)
    services.director_opinion(competition, acting_user=chart.dyrektor, opinion="Pozytywna.")
    competition.refresh_from_db()
    return competition, offers[0]


def test_G8_only_the_director_presents_the_opinion(chart):
    competition, _offers = _evaluated(chart, [(0, 0, 0)])
    services.results_compute(competition, acting_user=chart.dnk_pracownik)
    with pytest.raises(PermissionDenied):
        services.director_opinion(competition, acting_user=chart.dnk_kierownik, opinion="X")


def test_G8_decision_on_the_30th_day_is_on_time(chart):
    competition, _offer = _decided_ready(chart)
    assert competition.decision_due == date(2023, 1, 9)
    services.president_decision(
        competition, acting_user=chart.dnk_pracownik, order_number="10/23", order_date=date(2023, 1, 9)
    )
    competition.refresh_from_db()
    assert competition.status == CompetitionStatus.DECIDED and competition.president_order_number == "10/23"
    assert Deadline.objects.get(kind="grants_decision", object_id=competition.pk).met_at is not None
    assert not competition.decision_late


def _reduced_offer(chart):
    competition, offer = _decided_ready(chart)
    services.president_decision(
        competition,
        acting_user=chart.dnk_pracownik,
        order_number="10/23",
        order_date=date(2022, 12, 20),
        granted={offer.pk: D("45000.00")},
    )
    offer.refresh_from_db()
    assert offer.granted_amount == D("45000.00") and offer.reduction_notified_on == date(2022, 12, 20)
    assert offer.withdrawal_due == date(2023, 1, 3)  # 14 days -> 3 Jan 2023 (Tuesday)
    assert offer.original_requested_grant == D("63000.00") and offer.original_own_contribution == D("7000.00")
    assert Deadline.objects.filter(kind="grants_withdrawal", object_id=offer.pk, rule="G9").exists()
    assert OutboxEmail.objects.filter(to=offer.offeror.email).exists()
    return offer


def test_G9_reduced_grant_opens_14_day_window_and_notifies_offeror(chart):
    offer = _reduced_offer(chart)
    assert offer.status == OfferStatus.CHOSEN  # chosen with a lower grant, until it withdraws (G9)


def test_G9_withdrawal_within_14_days_is_accepted(chart):
    offer = _reduced_offer(chart)
    services.offer_withdraw(offer, acting_user=chart.dnk_pracownik, withdrawn_on=date(2023, 1, 3))
    offer.refresh_from_db()
    assert offer.status == OfferStatus.WITHDRAWN


def test_G9_withdrawal_after_14_days_is_refused(chart):
    offer = _reduced_offer(chart)
    with pytest.raises(ValidationError) as error:
        services.offer_withdraw(offer, acting_user=chart.dnk_pracownik, withdrawn_on=date(2023, 1, 4))
    assert "upłynął" in error.value.message_dict["withdrawn_on"][0]


def _reduced_budget(own_financial, volunteer_hours=None):
    volunteer_hours = D("100") if volunteer_hours is None else volunteer_hours
    grant = D("45000.00")
    own = own_financial + volunteer_hours * D("20")
    return dict(
        requested_grant=grant,
        own_financial=own_financial,
        volunteer_hours=volunteer_hours,
        volunteer_rate=D("20.00"),
        volunteer_qualified=False,
        lines=[
            LineData(
                category="personnel",
                name="Mentorzy",
                amount=D("30000"),
                from_grant=D("30000"),
                persons=2,
                hours=D("600"),
                hourly_rate=D("25"),
                employment_form="mandate",
            ),
            LineData(category="administrative", name="Koordynacja", amount=D("6750"), from_grant=D("6750")),
            LineData(
                category="other", name="Materiały", amount=grant + own - D("36750"), from_grant=grant - D("36750")
            ),
        ],
    )


def test_G9_updated_offer_keeping_the_proportion_is_accepted(chart):
    offer = _reduced_offer(chart)
    # 7000/63000 * 45000 = 5000.00 own contribution at least: 3000 financial + 2000 personal
    services.offer_update(offer, acting_user=chart.dnk_pracownik, **_reduced_budget(D("3000.00")))
    offer.refresh_from_db()
    assert offer.requested_grant == D("45000.00") and offer.own_contribution == D("5000.00")
    assert offer.updated_on is not None


def test_G9_own_contribution_falling_more_than_proportionally_refuses_the_contract(chart):
    offer = _reduced_offer(chart)
    with pytest.raises(ValidationError) as error:
        services.offer_update(offer, acting_user=chart.dnk_pracownik, **_reduced_budget(D("2999.99")))
    message = error.value.message_dict["own_financial"][0]
    assert "bardziej niż proporcjonalnie" in message and "5 000,00 zł" in message and "Umowa nie może" in message


def test_G9_updated_offer_must_ask_for_the_granted_amount(chart):
    offer = _reduced_offer(chart)
    budget = _reduced_budget(D("3000.00"))
    budget["requested_grant"] = D("45000.01")
    with pytest.raises(ValidationError):
        services.offer_update(offer, acting_user=chart.dnk_pracownik, **budget)


def test_G4_offer_cannot_be_corrected_after_the_deadline(chart):
    competition = published_competition(chart)
    offer = register(chart, competition)
    with pytest.raises(ValidationError):
        services.offer_update(
            offer,
            acting_user=chart.dnk_pracownik,
            requested_grant=D("63000"),
            own_financial=D("5000"),
            volunteer_hours=D("100"),
            volunteer_rate=D("20"),
            volunteer_qualified=False,
            lines=good_lines(),
        )
