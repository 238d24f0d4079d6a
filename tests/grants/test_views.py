"""Pages: permissions on the server (negative first), G4 messages next to the fields, constant query count on
the offers list, public pages without login, annex PDFs through the approval flow, G10 templates, demo data."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from grants import services
from grants.models import Competition, Offer, Offeror
from mopr.models import Document
from units.models import ApprovalFlow

from .factories import (
    SEED_TITLE,
    all_yes,
    appoint,
    declare_all,
    make_competition,
    make_offeror,
    points,
    published_competition,
    register,
    sign_present,
)

pytestmark = pytest.mark.django_db


def test_U_staff_of_another_unit_gets_404_on_competition_pages(chart, login):
    competition = published_competition(chart)
    offer = register(chart, competition)
    client = login(chart.sok_pracownik)
    for url in (
        f"/konkursy/{competition.pk}/",
        f"/konkursy/{competition.pk}/oferty/",
        f"/konkursy/oferta/{offer.pk}/",
        f"/konkursy/{competition.pk}/wyniki/",
        f"/konkursy/oferta/{offer.pk}/karta-czasu-pracy.pdf",
    ):
        assert client.get(url).status_code == 404, url
    assert client.get("/konkursy/").status_code == 200
    assert SEED_TITLE not in client.get("/konkursy/").content.decode()


def test_U_oversight_views_but_cannot_register_offers(chart, login):
    competition = published_competition(chart)
    client = login(chart.zastepca2)
    assert client.get(f"/konkursy/{competition.pk}/").status_code == 200
    assert client.get(f"/konkursy/{competition.pk}/oferty/nowa/").status_code == 403


def test_G1_staff_creates_competition_through_the_form(chart, login):
    client = login(chart.dnk_pracownik)
    assert client.get("/konkursy/nowy/").status_code == 200
    data = {
        "unit": chart.unit("DNK").pk,
        "title": SEED_TITLE,
        "description": "Opis",
        "form": "support",
        "addressees": "Rodziny zastępcze",
        "place": "Białystok",
        "funds": "63000.00",
        "year": "2023",
        "task_start": "2023-01-01",
        "task_end": "2023-12-31",
        "spending_start": "2023-01-01",
        "spending_end": "2023-12-31",
        "director_order_number": "55/2022",
        "prior_year_1": "2021",
        "prior_amount_1": "70000",
        "prior_year_2": "2022",
        "prior_amount_2": "63000",
        "min_points": "70",
        "max_grantees": "1",
        "score_method": "mean",
        "attachments_text": "statut\nodpis z KRS",
    }
    response = client.post("/konkursy/nowy/", data)
    competition = Competition.objects.get()
    assert response.status_code == 302 and competition.attachments == ["statut", "odpis z KRS"]
    response = client.post(f"/konkursy/{competition.pk}/ogloszenie/", {"published_on": "2022-11-16"})
    competition.refresh_from_db()
    assert competition.status == "published"
    page = client.get(f"/konkursy/{competition.pk}/").content.decode()
    assert "07.12.2022, godz. 15:30" in page


def test_G1_sok_employee_cannot_open_the_create_form(chart, login):
    assert login(chart.sok_pracownik).get("/konkursy/nowy/").status_code == 403


def _offer_post(competition, offeror, **overrides):
    data = {
        "offeror": offeror.pk,
        "received_at": "2022-12-01T10:00",
        "checksum": "ABC123",
        "task_title": "Zadanie",
        "attachments": ["statute"],
        "requested_grant": "63000.00",
        "own_financial": "5000.00",
        "volunteer_hours": "100",
        "volunteer_rate": "20.00",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "60",
        "lines-0-category": "personnel",
        "lines-0-name": "Mentorzy",
        "lines-0-nature": "eligible",
        "lines-0-amount": "40000.00",
        "lines-0-from_grant": "40000.00",
        "lines-0-persons": "2",
        "lines-0-hours": "800",
        "lines-0-hourly_rate": "25.00",
        "lines-0-employment_form": "mandate",
        "lines-1-category": "administrative",
        "lines-1-name": "Koordynacja",
        "lines-1-nature": "eligible",
        "lines-1-amount": "9450.00",
        "lines-1-from_grant": "9450.00",
        "lines-2-category": "other",
        "lines-2-name": "Materiały",
        "lines-2-nature": "eligible",
        "lines-2-amount": "20550.00",
        "lines-2-from_grant": "13550.00",
    }
    data.update(overrides)
    return data


def test_G4_offer_form_shows_each_rule_next_to_its_field_and_keeps_input(chart, login):
    competition = published_competition(chart)
    offeror = make_offeror()
    client = login(chart.dnk_pracownik)
    response = client.post(
        f"/konkursy/{competition.pk}/oferty/nowa/",
        _offer_post(
            competition,
            offeror,
            own_financial="2977.26",
            volunteer_rate="25.01",
            **{"lines-0-hours": "", "lines-1-amount": "9450.01", "lines-1-from_grant": "9450.01"},
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200 and not Offer.objects.exists()
    assert "Dotacja stanowi 92,0% kosztów całkowitych; dopuszczalne 90%" in page
    assert "25,01 zł/godz." in page
    assert "Koszty osobowe: podaj liczbę godzin" in page
    assert "Koszty administracyjne z dotacji stanowią" in page
    assert 'value="2977.26"' in page


def test_G2_offer_registered_through_the_form(chart, login):
    competition = published_competition(chart)
    offeror = make_offeror()
    client = login(chart.dnk_pracownik)
    response = client.post(f"/konkursy/{competition.pk}/oferty/nowa/", _offer_post(competition, offeror))
    offer = Offer.objects.get()
    assert response.status_code == 302 and offer.cost_lines.count() == 3 and offer.attachments["statute"]
    late = _offer_post(competition, make_offeror(), received_at="2022-12-07T15:31")
    page = client.post(f"/konkursy/{competition.pk}/oferty/nowa/", late, follow=True).content.decode()
    assert "po terminie składania ofert" in page and Offer.objects.count() == 2  # G2: kept, flagged


def _bulk_offers(competition, count):
    start = Offeror.objects.count()
    for index in range(count):
        offeror = Offeror.objects.create(
            name=f"Organizacja {start + index}",
            legal_form="association",
            street="ul. Polna 1",
            postal_code="15-001",
            city="Białystok",
            representatives="Prezes",
        )
        Offer.objects.create(
            competition=competition,
            offeror=offeror,
            checksum="X",
            task_title="Zadanie",
            received_at=timezone.make_aware(datetime(2022, 12, 1, 10, 0)),
            requested_grant=Decimal("1000.00"),
        )


def test_offers_list_issues_the_same_number_of_queries_for_10_and_1000_offers(chart, login):
    competition = published_competition(chart)
    client = login(chart.dnk_pracownik)
    url = f"/konkursy/{competition.pk}/oferty/"
    _bulk_offers(competition, 10)
    client.get(url)  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as ten:
        response = client.get(url)
    assert response.content.decode().count("Organizacja ") == 10
    _bulk_offers(competition, 990)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count("Organizacja ") == 50  # first page of 1000
    assert len(ten.captured_queries) == len(many.captured_queries) <= 8  # at most 8 queries per list page


def test_competition_list_issues_the_same_number_of_queries_for_few_and_many(chart, login):
    client = login(chart.dnk_pracownik)
    for index in range(3):
        make_competition(chart, title=f"Konkurs {index}")
    client.get("/konkursy/")
    with CaptureQueriesContext(connection) as few:
        client.get("/konkursy/")
    for index in range(30):
        make_competition(chart, title=f"Konkurs b{index}")
    with CaptureQueriesContext(connection) as many:
        client.get("/konkursy/")
    assert len(few.captured_queries) == len(many.captured_queries) <= 8


def test_G2_public_list_shows_open_competition_and_announcement_pdf_without_login(
    chart, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        competition = published_competition(chart, published_on=timezone.localdate() - timedelta(days=2))
    draft = make_competition(chart, title="Projekt niepubliczny")
    page = client.get("/konkursy/publiczne/").content.decode()
    assert competition.title in page and draft.title not in page
    response = client.get(f"/konkursy/publiczne/{competition.pk}/ogloszenie.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert client.get(f"/konkursy/publiczne/{draft.pk}/ogloszenie.pdf").status_code == 404
    assert client.get(f"/konkursy/{competition.pk}/").status_code == 302  # staff pages need login


def _published_results(chart, capture):
    competition = published_competition(chart)
    offer = register(chart, competition)
    appoint(chart, competition)
    declare_all(competition)
    services.competition_start_evaluation(competition, acting_user=chart.dnk_pracownik)
    services.offer_formal_evaluate(offer, acting_user=chart.dnk_kierownik, answers=all_yes())
    for user in (chart.dnk_kierownik, chart.sok_pracownik, chart.pracownik_socjalny):
        services.merit_card_submit(offer, acting_user=user, points=points())
    services.results_compute(competition, acting_user=chart.dnk_pracownik)
    services.director_opinion(competition, acting_user=chart.dyrektor, opinion="Pozytywna")
    services.president_decision(
        competition, acting_user=chart.dnk_pracownik, order_number="77/22", order_date=date(2022, 12, 20)
    )
    return competition, offer


def test_G8_results_public_only_after_publication(chart, client, django_capture_on_commit_callbacks):
    competition, offer = _published_results(chart, django_capture_on_commit_callbacks)
    assert client.get(f"/konkursy/publiczne/{competition.pk}/wyniki/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        services.results_publish(competition, acting_user=chart.dnk_pracownik)
    page = client.get(f"/konkursy/publiczne/{competition.pk}/wyniki/").content.decode()
    assert offer.offeror.name in page and "63\u00a0000,00\u00a0zł" in page  # issue 15: amounts as 63 000,00 zł
    response = client.get(f"/konkursy/publiczne/{competition.pk}/wyniki.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_G6_G7_cards_and_protocol_signed_by_the_members_present_results_list_through_the_approval_flow(
    chart, login, django_capture_on_commit_callbacks
):
    competition, offer = _published_results(chart, django_capture_on_commit_callbacks)
    client = login(chart.dnk_pracownik)
    for kind in ("formal_card", "merit_card"):
        sign_present(competition, kind, offer)
    sign_present(competition, "protocol")
    for kind, extra in (
        ("grants_formal_card", {"offer": offer.pk}),
        ("grants_merit_card", {"offer": offer.pk}),
        ("grants_results", {}),
        ("grants_protocol", {}),
    ):
        client.post(f"/konkursy/{competition.pk}/dokumenty/podpis/", {"kind": kind, **extra})
    documents = Document.objects.filter(object_id=competition.pk, kind__startswith="grants_")
    assert {"grants_formal_card", "grants_merit_card", "grants_results", "grants_protocol"} <= set(
        documents.values_list("kind", flat=True)
    )
    # the committee's own documents go to no one else's signature; the results list does (U6)
    flows = ApprovalFlow.objects.filter(document__object_id=competition.pk)
    assert list(flows.values_list("document__kind", flat=True)) == ["grants_results"]
    assert flows.get().steps.get(kind="signature").assignee == chart.zastepca2
    document = documents.get(kind="grants_merit_card")
    names = [row["name"] for row in document.context["committee"]]
    assert len(names) == 3 and all(row["signed"] for row in document.context["committee"])
    response = client.get(f"/konkursy/{competition.pk}/dokumenty/{document.pk}.pdf")
    assert response.status_code == 200
    outsider = login(chart.oik_kierownik)
    assert outsider.get(f"/konkursy/{competition.pk}/dokumenty/{document.pk}.pdf").status_code == 404


def test_G10_time_sheet_and_declaration_pdfs(chart, login, django_capture_on_commit_callbacks):
    _competition, offer = _published_results(chart, django_capture_on_commit_callbacks)
    client = login(chart.dnk_pracownik)
    for url in (f"/konkursy/oferta/{offer.pk}/karta-czasu-pracy.pdf", f"/konkursy/oferta/{offer.pk}/oswiadczenie.pdf"):
        response = client.get(url)
        assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_G5_G6_committee_pages_for_a_declared_member(chart, login):
    competition = published_competition(chart)
    offer = register(chart, competition)
    appoint(chart, competition)
    declare_all(competition)
    services.competition_start_evaluation(competition, acting_user=chart.dnk_pracownik)
    client = login(chart.pracownik_socjalny)
    data = {key: "yes" for key in all_yes()}
    assert client.post(f"/konkursy/oferta/{offer.pk}/karta-formalna/", data).status_code == 302
    bad = {key: str(value) for key, value in points(i1=7).items()}
    page = client.post(f"/konkursy/oferta/{offer.pk}/karta-merytoryczna/", bad).content.decode()
    assert "field-error" in page and not offer.merit_cards.exists()
    good = {key: str(value) for key, value in points().items()}
    assert client.post(f"/konkursy/oferta/{offer.pk}/karta-merytoryczna/", good).status_code == 302
    assert offer.merit_cards.get().total == 100


def test_demo_seed_creates_the_seed_003_competition_once(chart):
    from grants import demo

    demo.seed(chart.institution, chart.people)
    demo.seed(chart.institution, chart.people)
    # seed 003's, one open for offers, last season's run to its settlement (G11, grants/demo_after.py) and
    # (G13) the previous year's decided one behind its programme report
    assert Competition.objects.count() == 4
    competition = Competition.objects.get(title=SEED_TITLE)
    # seed 003's figures; its dates follow today (issue 15), so nothing from a past year sits overdue
    assert competition.funds == Decimal("63000.00") and competition.director_order_number.startswith("55/")
    assert competition.decision_due > timezone.localdate()
    assert (competition.prior_amount_1, competition.prior_amount_2) == (Decimal("70000.00"), Decimal("63000.00"))
    assert competition.offers.count() == 2 and competition.committee.members.count() == 4
    assert competition.status == "evaluation"


def test_every_staff_page_renders(chart, login):
    competition, offer = _published_results(chart, None)
    draft = make_competition(chart, title="Projekt")
    client = login(chart.dnk_pracownik)
    for url in (
        "/konkursy/",
        "/konkursy/?status=decided",
        f"/konkursy/{competition.pk}/",
        f"/konkursy/{competition.pk}/historia/",
        f"/konkursy/{competition.pk}/oferty/",
        f"/konkursy/{competition.pk}/wyniki/",
        f"/konkursy/oferta/{offer.pk}/",
        f"/konkursy/oferta/{offer.pk}/historia/",
        "/konkursy/oferenci/",
        "/konkursy/oferenci/nowy/",
        f"/konkursy/oferenci/{offer.offeror.pk}/",
        f"/konkursy/{draft.pk}/edycja/",
        f"/konkursy/{draft.pk}/",
        "/konkursy/publiczne/",
    ):
        assert client.get(url).status_code == 200, url
    response = client.post(
        f"/konkursy/{draft.pk}/edycja/",
        {
            "title": "Projekt zmieniony",
            "description": "Opis",
            "form": "support",
            "addressees": "Rodziny",
            "place": "Białystok",
            "funds": "1000",
            "year": "2023",
            "task_start": "2023-01-01",
            "task_end": "2023-12-31",
            "spending_start": "2023-01-01",
            "spending_end": "2023-12-31",
            "director_order_number": "1/2022",
            "min_points": "70",
            "max_grantees": "1",
            "score_method": "mean",
            "attachments_text": "statut",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Projekt zmieniony"
    assert "Projekt zmieniony" in client.get(f"/konkursy/{draft.pk}/historia/").content.decode()


def test_U6_results_list_is_initialled_and_signed_to_the_end(chart, login, django_capture_on_commit_callbacks):
    from units.services import approval_approve

    competition, _offer = _published_results(chart, django_capture_on_commit_callbacks)
    document = services.annex_request(competition, acting_user=chart.dnk_pracownik, kind=services.DOC_RESULTS)
    flow = document.approval_flows.get()
    for step in flow.steps.order_by("order"):
        approval_approve(step, acting_user=step.assignee)
    flow.refresh_from_db()
    assert flow.status == "approved"
    assert [s.assignee.username for s in flow.steps.order_by("order")] == [
        "dnk_pracownik",
        "dnk_kierownik",
        "zastepca2",
    ]
    page = login(chart.dnk_pracownik).get(f"/konkursy/{competition.pk}/").content.decode()
    assert flow.get_status_display() in page
