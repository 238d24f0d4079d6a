"""Two (or five) requests for the same step at the same moment, on PostgreSQL: exactly one change, the others a
Polish message, never a 500, nothing half-written (ARCHITECTURE "Procedures are tables")."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from grants import services
from grants.models import (
    FORMAL_CRITERIA,
    MERIT_CRITERIA,
    Competition,
    CompetitionStatus,
    ConflictDeclaration,
    FormalCard,
    MeritCard,
    Offer,
    OfferStatus,
)
from mopr.models import Deadline, Document
from tests.concurrency import errors, oks, post_concurrently, race

from .factories import all_yes, appoint, declare_all, make_competition, make_offeror, points, register

# committed data (the racing threads have their own connections); ``chart`` is built by tests.conftest.build_chart()
pytestmark = pytest.mark.django_db(transaction=True)
N = 5


def _assert_one_change(results):
    assert len(oks(results)) == 1, results
    refused = errors(results)
    assert len(refused) == N - 1
    assert all(isinstance(error, ValidationError) for error in refused), refused
    assert all("odśwież" in " ".join(error.messages) or "już" in " ".join(error.messages) for error in refused)


def _published(chart):
    competition = make_competition(chart)
    services.competition_publish(competition, acting_user=chart.dnk_pracownik, published_on=date(2022, 11, 16))
    return competition


def _evaluating(chart):
    competition = _published(chart)
    offer = register(chart, competition)
    appoint(chart, competition)
    declare_all(competition)
    services.competition_start_evaluation(competition, acting_user=chart.dnk_pracownik)
    return competition, offer


def _computed(chart):
    competition, offer = _evaluating(chart)
    services.offer_formal_evaluate(offer, acting_user=chart.dnk_kierownik, answers=all_yes())
    for user in (chart.dnk_kierownik, chart.sok_pracownik, chart.pracownik_socjalny):
        services.merit_card_submit(offer, acting_user=user, points=points())
    services.results_compute(competition, acting_user=chart.dnk_pracownik)
    return competition, offer


def _fresh(competition):
    return Competition.objects.get(pk=competition.pk)


# --- the competition's steps -------------------------------------------------------------------------


def test_G2_publish_five_times_at_once_publishes_once(chart):
    competition = make_competition(chart)
    results = race(
        N,
        lambda i: services.competition_publish(
            _fresh(competition), acting_user=chart.dnk_pracownik, published_on=date(2022, 11, 16)
        ),
    )
    _assert_one_change(results)
    assert _fresh(competition).status == CompetitionStatus.PUBLISHED
    assert competition.history.filter(status=CompetitionStatus.PUBLISHED).count() == 1
    assert Deadline.objects.filter(kind="grants_decision", object_id=competition.pk).count() == 1
    assert Document.objects.filter(kind=services.DOC_ANNOUNCEMENT, object_id=competition.pk).count() == 1


def test_start_evaluation_posted_five_times_at_once_changes_once_without_a_500(chart):
    competition = _published(chart)
    codes = post_concurrently(N, chart.dnk_pracownik, reverse("grants:start_evaluation", args=[competition.pk]), {})
    assert codes == [302] * N  # each sees the page again with its message, none a 500
    assert _fresh(competition).status == CompetitionStatus.EVALUATION
    assert competition.history.filter(status=CompetitionStatus.EVALUATION).count() == 1


def test_G8_director_opinion_five_times_at_once_is_recorded_once(chart):
    competition, _offer = _computed(chart)
    results = race(
        N, lambda i: services.director_opinion(_fresh(competition), acting_user=chart.dyrektor, opinion=f"Opinia {i}")
    )
    _assert_one_change(results)
    competition.refresh_from_db()
    assert competition.status == CompetitionStatus.OPINION
    assert competition.history.filter(status=CompetitionStatus.OPINION).count() == 1
    assert competition.director_opinion == oks(results)[0].director_opinion


def test_G8_president_decision_five_times_at_once_is_recorded_once_with_its_grants(chart):
    competition, offer = _computed(chart)
    services.director_opinion(competition, acting_user=chart.dyrektor, opinion="Pozytywna.")
    results = race(
        N,
        lambda i: services.president_decision(
            _fresh(competition),
            acting_user=chart.dnk_pracownik,
            order_number=f"{10 + i}/23",
            order_date=date(2022, 12, 20),
            granted={offer.pk: Decimal("45000.00")},
        ),
    )
    _assert_one_change(results)
    competition.refresh_from_db()
    offer.refresh_from_db()
    assert competition.status == CompetitionStatus.DECIDED
    assert competition.president_order_number == oks(results)[0].president_order_number
    assert offer.status == OfferStatus.CHOSEN and offer.granted_amount == Decimal("45000.00")
    assert offer.history.filter(history_change_reason__startswith="Zarządzenie Prezydenta").count() == 1
    assert offer.history.filter(history_change_reason__startswith="Zawiadomienie o dotacji niższej").count() == 1
    assert Deadline.objects.filter(kind="grants_withdrawal", object_id=offer.pk).count() == 1


def test_G8_results_published_five_times_at_once_are_published_once(chart):
    competition, _offer = _computed(chart)
    services.director_opinion(competition, acting_user=chart.dyrektor, opinion="Pozytywna.")
    services.president_decision(
        competition, acting_user=chart.dnk_pracownik, order_number="10/23", order_date=date(2022, 12, 20)
    )
    results = race(N, lambda i: services.results_publish(_fresh(competition), acting_user=chart.dnk_pracownik))
    _assert_one_change(results)
    assert Document.objects.filter(kind=services.DOC_PUBLIC_RESULTS, object_id=competition.pk).count() == 1


# --- offers: registration (G3) and evaluation (G5, G6, G7) -------------------------------------------


def test_G3_the_same_offeror_registered_five_times_at_once_has_one_offer(chart):
    competition = _published(chart)
    offeror = make_offeror()
    results = race(N, lambda i: register(chart, _fresh(competition), offeror=offeror))
    assert len(oks(results)) == 1
    assert all(isinstance(error, ValidationError) for error in errors(results)), errors(results)
    assert Offer.objects.filter(competition=competition).count() == 1


def test_G3_a_subject_as_offeror_and_as_partner_at_once_keeps_one_offer(chart):
    competition = _published(chart)
    subject, leader = make_offeror(), make_offeror()

    def attempt(i):
        if i % 2:
            return register(chart, _fresh(competition), offeror=subject)
        return register(
            chart,
            _fresh(competition),
            offeror=leader,
            is_joint=True,
            representation="Lider",
            partners=[(subject, "Warsztaty")],
        )

    results = race(4, attempt)
    assert len(oks(results)) == 1
    assert all(isinstance(error, ValidationError) for error in errors(results)), errors(results)
    assert Offer.objects.filter(competition=competition).count() == 1


def test_G5_formal_card_posted_five_times_at_once_is_saved_once(chart):
    _competition, offer = _evaluating(chart)
    data = {key: "yes" for key, _label in FORMAL_CRITERIA} | {"remarks": "", "version": ""}
    codes = post_concurrently(N, chart.dnk_kierownik, reverse("grants:formal_card", args=[offer.pk]), data)
    assert 500 not in codes and codes.count(302) == 1 and codes.count(200) == N - 1, codes
    assert FormalCard.objects.filter(offer=offer).count() == 1
    assert offer.history.filter(status=OfferStatus.FORMAL_PASSED).count() == 1


def test_G5_formal_card_by_five_members_at_once_is_one_first_card(chart):
    _competition, offer = _evaluating(chart)
    people = [chart.dnk_kierownik, chart.sok_pracownik, chart.pracownik_socjalny] * 2
    results = race(
        N,
        lambda i: services.offer_formal_evaluate(
            Offer.objects.get(pk=offer.pk), acting_user=people[i], answers=all_yes()
        ),
    )
    _assert_one_change(results)
    assert FormalCard.objects.filter(offer=offer).count() == 1
    assert offer.history.filter(status=OfferStatus.FORMAL_PASSED).count() == 1


def test_G6_merit_card_posted_five_times_at_once_is_saved_once(chart):
    _competition, offer = _evaluating(chart)
    services.offer_formal_evaluate(offer, acting_user=chart.dnk_kierownik, answers=all_yes())
    data = {key: str(maximum) for _s, key, _l, maximum in MERIT_CRITERIA} | {"justification": "", "version": ""}
    codes = post_concurrently(N, chart.sok_pracownik, reverse("grants:merit_card", args=[offer.pk]), data)
    assert 500 not in codes and codes.count(302) == 1 and codes.count(200) == N - 1, codes
    assert MeritCard.objects.filter(offer=offer).count() == 1
    rows = offer.history.filter(history_change_reason="Karta oceny merytorycznej")
    assert rows.count() == 1 and rows.get().history_user == chart.sok_pracownik


def test_G7_declaration_posted_five_times_at_once_is_made_once(chart):
    competition = _published(chart)
    register(chart, competition)
    appoint(chart, competition)
    codes = post_concurrently(
        N,
        chart.pracownik_socjalny,
        reverse("grants:declaration", args=[competition.pk]),
        {"no_conflict": "yes", "remarks": ""},
    )
    assert 500 not in codes, codes
    assert ConflictDeclaration.objects.filter(member__user=chart.pracownik_socjalny).count() == 1
