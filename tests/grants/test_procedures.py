"""ARCHITECTURE "Procedures are tables" and "No side doors": the competition's and the offer's procedures as
tables, every state change with who and why, buttons from the table, no side door through the admin, no 500 on
a forged form."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from grants import services
from grants.models import Competition, CompetitionStatus, FormalCard, MeritCard, Offer, OfferStatus
from grants.procedures import COMPETITION, OFFER

from .factories import all_yes, appoint, declare_all, make_competition, points, published_competition, register

pytestmark = pytest.mark.django_db
C, OS = CompetitionStatus, OfferStatus


# --- the tables --------------------------------------------------------------------------------------


def test_competition_procedure_is_one_table():
    import grants.models
    import grants.services

    assert not hasattr(grants.models, "COMPETITION_TRANSITIONS")
    assert not hasattr(grants.services, "competition_transition")
    assert COMPETITION.transitions() == {
        C.DRAFT: {C.DRAFT, C.PUBLISHED, C.CANCELLED},
        C.PUBLISHED: {C.PUBLISHED, C.EVALUATION, C.CANCELLED},
        C.EVALUATION: {C.EVALUATION, C.OPINION, C.CANCELLED},
        C.OPINION: {C.DECIDED},
        C.DECIDED: {C.RESULTS_PUBLISHED},
        C.RESULTS_PUBLISHED: set(),
        C.CANCELLED: set(),
    }


def test_offer_procedure_registered_formal_scored_chosen_withdrawn():
    assert OFFER.transitions() == {
        OS.REGISTERED: {OS.REGISTERED, OS.FORMAL_PASSED, OS.FORMAL_FAILED},
        OS.FORMAL_PASSED: {OS.FORMAL_PASSED, OS.FORMAL_FAILED, OS.SCORED},
        OS.FORMAL_FAILED: {OS.FORMAL_PASSED, OS.FORMAL_FAILED},
        OS.SCORED: {OS.SCORED, OS.CHOSEN, OS.NOT_CHOSEN},
        OS.CHOSEN: {OS.CHOSEN, OS.WITHDRAWN},
        OS.NOT_CHOSEN: set(),
        OS.WITHDRAWN: set(),
    }


# --- who and why in the history ----------------------------------------------------------------------


def _decided(chart):
    competition = published_competition(chart)
    first = register(chart, competition)
    second = register(chart, competition, requested_grant=Decimal("63000.00"))
    appoint(chart, competition)
    declare_all(competition)
    services.competition_start_evaluation(competition, acting_user=chart.dnk_pracownik)
    for offer in (first, second):
        services.offer_formal_evaluate(offer, acting_user=chart.dnk_kierownik, answers=all_yes())
        for user in (chart.dnk_kierownik, chart.sok_pracownik, chart.pracownik_socjalny):
            services.merit_card_submit(offer, acting_user=user, points=points() if offer is first else points(i1=0))
    services.results_compute(competition, acting_user=chart.dnk_pracownik)
    services.director_opinion(competition, acting_user=chart.dyrektor, opinion="Pozytywna.")
    services.president_decision(
        competition, acting_user=chart.dnk_pracownik, order_number="10/23", order_date=date(2022, 12, 20)
    )
    return competition, first, second


def test_every_competition_step_records_who_and_why(chart):
    competition, _first, _second = _decided(chart)
    rows = {row.status: row for row in competition.history.all()}
    assert rows[C.PUBLISHED].history_user == chart.dnk_pracownik
    assert rows[C.PUBLISHED].history_change_reason == "Ogłoś konkurs"
    assert rows[C.EVALUATION].history_change_reason == "Zakończ nabór i rozpocznij ocenę"
    assert rows[C.OPINION].history_user == chart.dyrektor
    assert rows[C.DECIDED].history_user == chart.dnk_pracownik
    assert rows[C.DECIDED].history_change_reason == "Zarządzenie Prezydenta"


def test_G8_the_order_chooses_offers_and_the_offer_history_says_who_and_why(chart):
    _competition, first, second = _decided(chart)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (OS.CHOSEN, OS.NOT_CHOSEN)
    reasons = list(
        first.history.order_by("history_date").values_list("status", "history_change_reason", "history_user__username")
    )
    assert (OS.FORMAL_PASSED, "Karta oceny formalnej: oferta spełnia wymogi formalne", "dnk_kierownik") in reasons
    assert (OS.SCORED, "Ocena komisji obliczona", "dnk_pracownik") in reasons
    assert (OS.CHOSEN, "Zarządzenie Prezydenta nr 10/23", "dnk_pracownik") in reasons


def test_a_second_identical_publish_is_refused_in_polish_and_changes_nothing(chart):
    competition = make_competition(chart)
    stale = Competition.objects.get(pk=competition.pk)
    services.competition_publish(competition, acting_user=chart.dnk_pracownik, published_on=date(2022, 11, 16))
    rows = competition.history.count()
    with pytest.raises(ValidationError, match="została już wykonana"):
        services.competition_publish(stale, acting_user=chart.dnk_pracownik, published_on=date(2022, 11, 17))
    competition.refresh_from_db()
    assert competition.published_on == date(2022, 11, 16) and competition.history.count() == rows


def test_G5_a_replayed_formal_card_is_refused_a_deliberate_correction_is_not(chart):
    competition = published_competition(chart)
    offer = register(chart, competition)
    appoint(chart, competition)
    declare_all(competition)
    services.competition_start_evaluation(competition, acting_user=chart.dnk_pracownik)
    stale = Offer.objects.get(pk=offer.pk)
    card = services.offer_formal_evaluate(offer, acting_user=chart.dnk_kierownik, answers=all_yes())
    with pytest.raises(ValidationError, match="została już wykonana"):  # the same first card again
        services.offer_formal_evaluate(stale, acting_user=chart.sok_pracownik, answers=all_yes() | {"signed": False})
    with pytest.raises(ValidationError, match="odśwież stronę"):  # a form based on no card
        services.offer_formal_evaluate(offer, acting_user=chart.sok_pracownik, answers=all_yes(), version="")
    services.offer_formal_evaluate(
        offer,
        acting_user=chart.sok_pracownik,
        answers=all_yes() | {"signed": False},
        version=services.card_version(card),
    )
    offer.refresh_from_db()
    assert offer.status == OS.FORMAL_FAILED and FormalCard.objects.get(offer=offer).evaluated_by == chart.sok_pracownik


def test_G6_a_replayed_merit_card_form_is_refused(chart):
    competition = published_competition(chart)
    offer = register(chart, competition)
    appoint(chart, competition)
    declare_all(competition)
    services.competition_start_evaluation(competition, acting_user=chart.dnk_pracownik)
    services.offer_formal_evaluate(offer, acting_user=chart.dnk_kierownik, answers=all_yes())
    card = services.merit_card_submit(offer, acting_user=chart.sok_pracownik, points=points(), version="")
    with pytest.raises(ValidationError, match="w międzyczasie"):
        services.merit_card_submit(offer, acting_user=chart.sok_pracownik, points=points(i1=0), version="")
    services.merit_card_submit(
        offer, acting_user=chart.sok_pracownik, points=points(i1=0), version=services.card_version(card)
    )
    assert MeritCard.objects.get(offer=offer).total == 95


# --- buttons from the table --------------------------------------------------------------------------


def _buttons(response):
    return [str(action.label) for action in response.context["links"] + response.context["posts"]]


def test_competition_buttons_are_drawn_from_the_procedure_table(chart, login):
    competition = make_competition(chart)
    url = reverse("grants:detail", args=[competition.pk])
    response = login(chart.dnk_pracownik).get(url)
    assert response.context["can_publish"] and "Ogłoś konkurs" in response.content.decode()
    assert _buttons(response) == ["Edytuj warunki", "Komisja konkursowa", "Unieważnij konkurs"]
    services.competition_publish(competition, acting_user=chart.dnk_pracownik, published_on=date(2022, 11, 16))
    response = login(chart.dnk_pracownik).get(url)
    # links first (cancelling is a link to its confirmation page, issue 15), then the one-click POST buttons
    assert _buttons(response) == [
        str(a.label)
        for one_click in (False, True)
        for a in COMPETITION.available(competition, chart.dnk_pracownik)
        if a.name not in ("publish", "compute_results") and a.one_click == one_click
    ]
    assert "Zakończ nabór i rozpocznij ocenę" in _buttons(response) and not response.context["can_publish"]
    response = login(chart.zastepca2).get(url)  # oversight: views, takes no step
    assert _buttons(response) == [] and not response.context["can_publish"]


# --- no side doors: the admin ------------------------------------------------------------------------


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@mopr.test", "x")


def test_admin_cannot_add_change_delete_or_revert_procedure_records(chart, client, superuser):
    competition, first, _second = _decided(chart)
    client.force_login(superuser, backend="django.contrib.auth.backends.ModelBackend")
    before = (
        Competition.objects.get(pk=competition.pk).status,
        Offer.objects.get(pk=first.pk).status,
        FormalCard.objects.count(),
        MeritCard.objects.count(),
        competition.history.count(),
    )
    for model, obj in (
        ("competition", competition),
        ("offer", first),
        ("formalcard", first.formal_card),
        ("meritcard", first.merit_cards.first()),
    ):
        change = reverse(f"admin:grants_{model}_change", args=[obj.pk])
        assert client.get(change).status_code == 200  # readable
        assert client.get(reverse(f"admin:grants_{model}_history", args=[obj.pk])).status_code == 200
        assert (
            client.post(change, {"status": "draft", "granted_amount": "1", "passed": "", "total": "0"}).status_code
            == 403
        )
        assert client.post(reverse(f"admin:grants_{model}_delete", args=[obj.pk]), {"post": "yes"}).status_code == 403
        assert client.post(reverse(f"admin:grants_{model}_add"), {}).status_code == 403
        assert client.post(
            reverse(f"admin:grants_{model}_changelist"),
            {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
        ).status_code in (200, 302, 403)
    # simple-history's revert page: an old version (the draft) posted back must not return
    draft = competition.history.filter(status=C.DRAFT).earliest("history_date")
    revert = reverse("admin:grants_competition_simple_history", args=[competition.pk, draft.history_id])
    assert client.post(revert, {}).status_code == 403
    after = (
        Competition.objects.get(pk=competition.pk).status,
        Offer.objects.get(pk=first.pk).status,
        FormalCard.objects.count(),
        MeritCard.objects.count(),
        competition.history.count(),
    )
    assert after == before


# --- no 500 on a forged form -------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["abc", "-1", "1.5", "99999999999999999999999"])
def test_annex_request_with_a_forged_offer_id_is_a_polish_message_not_a_500(chart, login, value):
    competition = published_competition(chart)
    response = login(chart.dnk_pracownik).post(
        reverse("grants:annex", args=[competition.pk]), {"kind": services.DOC_FORMAL_CARD, "offer": value}, follow=True
    )
    assert response.status_code == 200
    assert "Nieprawidłowy identyfikator oferty" in response.content.decode()


def test_offer_form_numbers_out_of_the_columns_range_are_form_errors_not_a_500(chart, login):
    competition = published_competition(chart)
    from .factories import make_offeror

    offeror = make_offeror()
    response = login(chart.dnk_pracownik).post(
        reverse("grants:offer_create", args=[competition.pk]),
        {
            "offeror": offeror.pk,
            "received_at": "2022-12-01T10:00",
            "checksum": "A1",
            "task_title": "Zadanie",
            "recipients_count": "99999999999",
            "requested_grant": "63000.00",
            "own_financial": "5000",
            "volunteer_hours": "100",
            "volunteer_rate": "20",
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-0-category": "personnel",
            "lines-0-name": "Mentorzy",
            "lines-0-amount": "70000",
            "lines-0-from_grant": "63000",
            "lines-0-persons": "99999",
            "lines-0-hours": "800",
            "lines-0-hourly_rate": "25",
            "lines-0-employment_form": "mandate",
        },
    )
    assert response.status_code == 200 and not Offer.objects.exists()
    assert "recipients_count" in response.context["form"].errors
