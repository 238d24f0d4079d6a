"""Issue 14: the grant rules as seed 003 says them (G2, G5, G6, G8, G9)."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from grants import services
from grants.models import OfferStatus, PublicationPlace
from grants.services.contexts import protocol_context, results_context
from mopr.deadlines import met_late
from mopr.models import Deadline

from .factories import all_yes, appoint, declare_all, good_lines, published_competition, register
from .test_results import _evaluated, _reduced_offer

pytestmark = pytest.mark.django_db
D = Decimal


def _scored(chart, scores, **fields):
    competition, offers = _evaluated(chart, scores, **fields)
    services.results_compute(competition, acting_user=chart.dnk_pracownik)
    services.director_opinion(competition, acting_user=chart.dyrektor, opinion="Pozytywna.")
    competition.refresh_from_db()
    for offer in offers:
        offer.refresh_from_db()
    return competition, offers


def test_G6_order_refuses_an_offer_under_the_minimum_points(chart):
    competition, (a, b) = _scored(chart, [(0, 0, 0), (32, 32, 32)], max_grantees=2)  # 100 and 68 points
    assert b.score == D("68.00")
    with pytest.raises(ValidationError) as error:
        services.president_decision(
            competition,
            acting_user=chart.dnk_pracownik,
            order_number="10/23",
            order_date=date(2022, 12, 20),
            granted={a.pk: D("60000.00"), b.pk: D("3000.00")},
        )
    message = " ".join(error.value.messages)
    assert "68" in message and "70" in message
    competition.refresh_from_db()
    assert not competition.president_order_number
    b.refresh_from_db()
    assert b.status == OfferStatus.SCORED and not b.granted_amount


def test_G6_order_refuses_more_offers_than_the_competition_announced(chart):
    competition, (a, b) = _scored(chart, [(0, 0, 0), (10, 10, 10)])  # both over 70, one to be chosen
    with pytest.raises(ValidationError) as error:
        services.president_decision(
            competition,
            acting_user=chart.dnk_pracownik,
            order_number="10/23",
            order_date=date(2022, 12, 20),
            granted={a.pk: D("50000.00"), b.pk: D("10000.00")},
        )
    message = " ".join(error.value.messages)
    assert "2" in message and "1" in message and "ofert" in message
    services.president_decision(
        competition,
        acting_user=chart.dnk_pracownik,
        order_number="10/23",
        order_date=date(2022, 12, 20),
        granted={a.pk: D("63000.00"), b.pk: D("0")},
    )
    a.refresh_from_db()
    assert a.status == OfferStatus.CHOSEN


def test_G8_late_order_is_recorded_and_flagged_on_the_competition_page_and_the_results(chart, login):
    competition, (a,) = _scored(chart, [(0, 0, 0)])
    assert competition.decision_due == date(2023, 1, 9)
    services.president_decision(
        competition, acting_user=chart.dnk_pracownik, order_number="11/23", order_date=date(2023, 1, 10)
    )
    competition.refresh_from_db()
    assert competition.president_order_number == "11/23" and competition.decision_late
    deadline = Deadline.objects.get(kind="grants_decision", object_id=competition.pk)
    assert met_late(deadline)
    page = login(chart.dnk_pracownik).get(f"/konkursy/{competition.pk}/").content.decode()
    assert "Rozstrzygnięcie po terminie" in page and "09.01.2023" in page
    services.results_publish(competition, acting_user=chart.dnk_pracownik, on=date(2023, 1, 11))
    assert results_context(competition)["decision_late"]
    public = Client().get(f"/konkursy/publiczne/{competition.pk}/wyniki/").content.decode()
    assert "Rozstrzygnięcie po terminie" in public


def test_G2_G5_late_and_over_90_percent_offers_are_registered_with_warnings_and_rejected_on_the_formal_card(chart):
    competition = published_competition(chart)
    late = register(chart, competition, received_at=timezone.make_aware(datetime(2022, 12, 7, 15, 31)))
    assert late.pk and "po terminie składania ofert" in late.registration_warnings[0]
    assert "07.12.2022 15:31" in late.registration_warnings[0]
    over = register(chart, competition, own_financial=D("4000.00"), lines=good_lines(total=D("69000.00")))
    assert over.pk
    warnings = " ".join(over.registration_warnings)
    assert "dopuszczalne 90%" in warnings and "wymagane co najmniej 10%" in warnings
    assert competition.offers.count() == 2
    assert services.formal_suggestions(late)["on_time"] is False
    suggestions = services.formal_suggestions(over)
    assert suggestions["grant_max_90"] is False and suggestions["own_min_10"] is False
    appoint(chart, competition)
    declare_all(competition)
    services.competition_start_evaluation(competition, acting_user=chart.dnk_pracownik)
    for offer in (late, over):
        answers = {**all_yes(), **services.formal_suggestions(offer)}
        card = services.offer_formal_evaluate(offer, acting_user=chart.dnk_kierownik, answers=answers)
        assert not card.passed and card.reason
    late.refresh_from_db()
    assert late.status == OfferStatus.FORMAL_FAILED
    formal = protocol_context(competition)["formal"]
    assert len(formal) == 2 and all(not row["passed"] and row["reason"] for row in formal)


def test_G9_withdrawal_deadline_runs_from_the_offerors_receipt_of_the_notice(chart):
    offer = _reduced_offer(chart)  # notice sent 20.12.2022, 14 days -> 03.01.2023
    services.reduction_receipt_record(offer, acting_user=chart.dnk_pracownik, received_on=date(2022, 12, 27))
    offer.refresh_from_db()
    assert offer.reduction_received_on == date(2022, 12, 27) and offer.withdrawal_due == date(2023, 1, 10)
    assert Deadline.objects.get(kind="grants_withdrawal", object_id=offer.pk).due == date(2023, 1, 10)
    services.offer_withdraw(offer, acting_user=chart.dnk_pracownik, withdrawn_on=date(2023, 1, 10))
    offer.refresh_from_db()
    assert offer.status == OfferStatus.WITHDRAWN and not offer.late_withdrawal_reason


def test_G9_later_withdrawal_is_accepted_in_a_particularly_justified_case_with_its_reason(chart):
    offer = _reduced_offer(chart)
    with pytest.raises(ValidationError) as error:
        services.offer_withdraw(offer, acting_user=chart.dnk_pracownik, withdrawn_on=date(2023, 1, 4))
    assert "03.01.2023" in error.value.message_dict["withdrawn_on"][0]
    services.offer_withdraw(
        offer, acting_user=chart.dnk_pracownik, withdrawn_on=date(2023, 1, 4), late_reason="Pobyt w szpitalu prezesa."
    )
    offer.refresh_from_db()
    assert offer.status == OfferStatus.WITHDRAWN and offer.late_withdrawal_reason == "Pobyt w szpitalu prezesa."


def test_G9_receipt_and_late_reason_through_the_offer_page(chart, login):
    offer = _reduced_offer(chart)
    client = login(chart.dnk_pracownik)
    assert "Odnotuj doręczenie zawiadomienia" in client.get(f"/konkursy/oferta/{offer.pk}/").content.decode()
    client.post(f"/konkursy/oferta/{offer.pk}/doreczenie/", {"received_on": "2022-12-27"})
    offer.refresh_from_db()
    assert offer.withdrawal_due == date(2023, 1, 10)
    client.post(
        f"/konkursy/oferta/{offer.pk}/wycofanie/",
        {"withdrawn_on": "2023-01-11", "late_reason": "Powódź.", "confirm-reason": "Pismo oferenta."},
    )
    offer.refresh_from_db()
    assert offer.status == OfferStatus.WITHDRAWN and offer.late_withdrawal_reason == "Powódź."
    assert "Powódź." in client.get(f"/konkursy/oferta/{offer.pk}/").content.decode()


def test_G5_committee_asks_to_correct_an_obvious_clerical_error_with_a_deadline(chart, login):
    competition = published_competition(chart)
    offer = register(chart, competition)
    appoint(chart, competition)
    declare_all(competition)
    services.competition_start_evaluation(competition, acting_user=chart.dnk_pracownik)
    with pytest.raises(ValidationError):
        services.clerical_correction_request(
            offer, acting_user=chart.dnk_kierownik, scope="", due=date(2022, 12, 20), requested_on=date(2022, 12, 12)
        )
    services.clerical_correction_request(
        offer,
        acting_user=chart.dnk_kierownik,
        scope="Błędna suma w pozycji 3 kosztorysu.",
        due=date(2022, 12, 19),
        requested_on=date(2022, 12, 12),
    )
    offer.refresh_from_db()
    assert offer.correction_due == date(2022, 12, 19) and offer.correction_scope.startswith("Błędna suma")
    deadline = Deadline.objects.get(kind="grants_correction", object_id=offer.pk)
    assert deadline.due == date(2022, 12, 19) and deadline.rule == "G5"
    services.clerical_correction_answer(
        offer, acting_user=chart.dnk_kierownik, answered_on=date(2022, 12, 16), corrected="Poprawiono sumę."
    )
    offer.refresh_from_db()
    assert offer.correction_answered_on == date(2022, 12, 16)
    deadline.refresh_from_db()
    assert deadline.met_at is not None and not met_late(deadline)
    page = login(chart.dnk_pracownik).get(f"/konkursy/oferta/{offer.pk}/").content.decode()
    assert "Błędna suma w pozycji 3 kosztorysu." in page and "19.12.2022" in page


def test_G8_results_record_each_place_of_publication_with_its_date(chart, login):
    competition, (a,) = _scored(chart, [(0, 0, 0)])
    services.president_decision(
        competition, acting_user=chart.dnk_pracownik, order_number="10/23", order_date=date(2022, 12, 20)
    )
    competition.refresh_from_db()
    assert [row["place"] for row in services.results_publications(competition)] == [
        label for _value, label in PublicationPlace.choices
    ]
    assert len(PublicationPlace.choices) == 7  # 003 §5.2.7 a-g
    with pytest.raises(ValidationError):
        services.results_publication_record(
            competition, acting_user=chart.dnk_pracownik, place=PublicationPlace.CITY_BIP, on=date(2022, 12, 19)
        )
    with pytest.raises(PermissionDenied):
        services.results_publication_record(
            competition, acting_user=chart.sok_pracownik, place=PublicationPlace.CITY_BIP, on=date(2022, 12, 21)
        )
    services.results_publication_record(
        competition, acting_user=chart.dnk_pracownik, place=PublicationPlace.CITY_BIP, on=date(2022, 12, 21)
    )
    services.results_publication_record(
        competition, acting_user=chart.dnk_pracownik, place=PublicationPlace.GRANTS_PORTAL, on=date(2022, 12, 22)
    )
    rows = {row["place"]: row["published_on"] for row in services.results_publications(competition)}
    assert rows["BIP Urzędu Miejskiego"] == date(2022, 12, 21) and rows["portal Witkac.pl"] == date(2022, 12, 22)
    assert rows["BIP MOPR"] is None
    page = login(chart.dnk_pracownik).get(f"/konkursy/{competition.pk}/").content.decode()
    assert "Publikacja wyników" in page and "22.12.2022" in page
    assert len(results_context(competition)["publications"]) == 2


def test_G8_publication_place_recorded_through_the_competition_page(chart, login):
    competition, (a,) = _scored(chart, [(0, 0, 0)])
    services.president_decision(
        competition, acting_user=chart.dnk_pracownik, order_number="10/23", order_date=date(2022, 12, 20)
    )
    client = login(chart.dnk_pracownik)
    assert "Odnotuj publikację wyników" in client.get(f"/konkursy/{competition.pk}/").content.decode()
    client.post(f"/konkursy/{competition.pk}/miejsce-publikacji/", {"place": "mopr_board", "on": "2022-12-23"})
    assert competition.publications.get().published_on == date(2022, 12, 23)


def test_G5_correction_request_through_the_offer_page(chart, login):
    competition = published_competition(chart)
    offer = register(chart, competition)
    appoint(chart, competition)
    declare_all(competition)
    services.competition_start_evaluation(competition, acting_user=chart.dnk_pracownik)
    client = login(chart.dnk_kierownik)
    assert "Wezwij do poprawienia" in client.get(f"/konkursy/oferta/{offer.pk}/").content.decode()
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    client.post(f"/konkursy/oferta/{offer.pk}/wezwanie-do-poprawienia/", {"scope": "Literówka w NIP.", "due": due})
    offer.refresh_from_db()
    assert offer.correction_scope == "Literówka w NIP." and offer.correction_due.isoformat() == due


def _correction_requested(chart):
    competition = published_competition(chart)
    offer = register(chart, competition)
    appoint(chart, competition)
    declare_all(competition)
    services.competition_start_evaluation(competition, acting_user=chart.dnk_pracownik)
    services.clerical_correction_request(
        offer,
        acting_user=chart.dnk_kierownik,
        scope="Błędna suma w pozycji 3 kosztorysu.",
        due=date(2022, 12, 19),
        requested_on=date(2022, 12, 12),
    )
    offer.refresh_from_db()
    return competition, offer


def test_G5_offeror_correction_recorded_on_its_page_with_what_was_corrected_and_on_time(chart, login):
    competition, offer = _correction_requested(chart)
    client = login(chart.dnk_pracownik)  # the secretariat receives the corrected offer
    url = reverse("grants:correction_answer", args=[offer.pk])
    page = client.get(url).content.decode()
    assert "Błędna suma w pozycji 3 kosztorysu." in page and "19.12.2022" in page
    refused = client.post(url, {"answered_on": "2022-12-11", "corrected": "Suma."}).content.decode()
    assert "Odpowiedź nie może poprzedzać wezwania." in refused
    assert "wymagane" in client.post(url, {"answered_on": "2022-12-16", "corrected": ""}).content.decode()
    response = client.post(url, {"answered_on": "2022-12-16", "corrected": "Poprawiono sumę pozycji 3 na 1200 zł."})
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.correction_made == "Poprawiono sumę pozycji 3 na 1200 zł." and not offer.correction_late
    detail = client.get(reverse("grants:offer_detail", args=[offer.pk])).content.decode()
    assert "poprawiono 16.12.2022 (w terminie): Poprawiono sumę pozycji 3 na 1200 zł." in detail
    with pytest.raises(ValidationError, match="już odpowiedział"):
        services.clerical_correction_answer(
            offer, acting_user=chart.dnk_pracownik, answered_on=date(2022, 12, 17), corrected="Drugi raz."
        )


def test_G5_late_correction_is_marked_late_on_the_offer_and_in_the_protocol(chart, login):
    competition, offer = _correction_requested(chart)
    with pytest.raises(ValidationError, match="Opisz"):
        services.clerical_correction_answer(
            offer, acting_user=chart.dnk_kierownik, answered_on=date(2022, 12, 21), corrected="  "
        )
    with pytest.raises(PermissionDenied):  # the Deputy supervising DNK only views
        services.clerical_correction_answer(
            offer, acting_user=chart.zastepca2, answered_on=date(2022, 12, 21), corrected="Suma."
        )
    services.clerical_correction_answer(
        offer, acting_user=chart.dnk_kierownik, answered_on=date(2022, 12, 21), corrected="Poprawiono sumę."
    )
    offer.refresh_from_db()
    assert offer.correction_late
    deadline = Deadline.objects.get(kind="grants_correction", object_id=offer.pk)
    assert met_late(deadline)
    detail = login(chart.dnk_pracownik).get(reverse("grants:offer_detail", args=[offer.pk])).content.decode()
    assert "poprawiono 21.12.2022 (po terminie): Poprawiono sumę." in detail
    corrections = services.protocol_context(competition)["corrections"]
    assert corrections == [
        {
            "offeror": offer.offeror.name,
            "requested_on": "12.12.2022",
            "scope": "Błędna suma w pozycji 3 kosztorysu.",
            "due": "19.12.2022",
            "answered_on": "21.12.2022",
            "corrected": "Poprawiono sumę.",
            "late": True,
        }
    ]
