"""More pages: the forms a person uses at each step render and act; the announcement PDF carries G1-G2."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from grants import budget, services
from grants.models import Offeror
from mopr.models import Document

from .factories import all_yes, appoint, declare_all, good_lines, points, published_competition, register

pytestmark = pytest.mark.django_db


def test_G1_G2_announcement_pdf_names_task_funds_prior_years_and_deadline(chart, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        competition = published_competition(chart)
    document = Document.objects.get(kind=services.DOC_ANNOUNCEMENT, object_id=competition.pk)
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(document.file.read())).pages)
    text = " ".join(text.split())
    for expected in (
        "63 000,00 zł",
        "07.12.2022, godz. 15:30",
        "55/2022",
        "2021: 70 000,00 zł",
        "2022: 63 000,00 zł",
        "statut",
    ):
        assert expected in text, expected


def test_offeror_form_shows_polish_checksum_errors_and_saves_normalised(chart, login):
    client = login(chart.dnk_pracownik)
    data = {
        "name": "Stowarzyszenie Razem",
        "legal_form": "association",
        "register_name": "KRS",
        "krs": "0000123456",
        "nip": "123-456-32-19",
        "regon": "123456786",
        "street": "Lipowa 1",
        "postal_code": "15-001",
        "city": "Białystok",
        "representatives": "Jan Nowak – prezes",
    }
    page = client.post("/konkursy/oferenci/nowy/", data).content.decode()
    assert "Nieprawidłowa cyfra kontrolna NIP." in page and "Nieprawidłowa cyfra kontrolna REGON." in page
    data.update(nip="123-456-32-18", regon="123456785")
    assert client.post("/konkursy/oferenci/nowy/", data).status_code == 302
    assert Offeror.objects.get().nip == "1234563218"


def test_offeror_register_closed_to_other_units(chart, login):
    assert login(chart.sok_pracownik).get("/konkursy/oferenci/").status_code == 403


def test_G7_committee_form_appoints_members(chart, login):
    competition = published_competition(chart)
    client = login(chart.dnk_pracownik)
    assert client.get(f"/konkursy/{competition.pk}/komisja/").status_code == 200
    response = client.post(
        f"/konkursy/{competition.pk}/komisja/",
        {
            "order_number": "58/2022",
            "order_date": "2022-12-01",
            "chair": chart.dnk_kierownik.pk,
            "deputy_chair": chart.dnk_kierownik.pk,
            "members": [chart.iod.pk],
        },
    )
    assert "dwie różne osoby" in response.content.decode()
    response = client.post(
        f"/konkursy/{competition.pk}/komisja/",
        {
            "order_number": "58/2022",
            "order_date": "2022-12-01",
            "chair": chart.dnk_kierownik.pk,
            "deputy_chair": chart.sok_pracownik.pk,
            "members": [chart.iod.pk],
        },
    )
    assert response.status_code == 302 and competition.committee.members.count() == 3


def _decided(chart, own_financial=Decimal("5000.00")):
    competition = published_competition(chart)
    total = Decimal("63000.00") + own_financial + Decimal("2000.00")
    offer = register(chart, competition, own_financial=own_financial, lines=good_lines(total=total))
    appoint(chart, competition)
    declare_all(competition)
    services.competition_start_evaluation(competition, acting_user=chart.dnk_pracownik)
    services.offer_formal_evaluate(offer, acting_user=chart.dnk_kierownik, answers=all_yes())
    for user in (chart.dnk_kierownik, chart.sok_pracownik, chart.pracownik_socjalny):
        services.merit_card_submit(offer, acting_user=user, points=points())
    services.results_compute(competition, acting_user=chart.dnk_pracownik)
    return competition, offer


def test_G8_opinion_and_decision_pages(chart, login):
    competition, offer = _decided(chart)
    assert login(chart.dnk_kierownik).get(f"/konkursy/{competition.pk}/opinia/").status_code == 403
    client = login(chart.dyrektor)
    assert client.post(f"/konkursy/{competition.pk}/opinia/", {"opinion": "Pozytywna"}).status_code == 302
    client = login(chart.dnk_pracownik)
    page = client.post(
        f"/konkursy/{competition.pk}/rozstrzygniecie/",
        {"order_number": "1/23", "order_date": "2022-11-20", f"granted_{offer.pk}": "63000"},
    ).content.decode()
    assert "nie może poprzedzać terminu składania ofert" in page
    response = client.post(
        f"/konkursy/{competition.pk}/rozstrzygniecie/",
        {"order_number": "1/23", "order_date": "2022-12-20", f"granted_{offer.pk}": "50000"},
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.granted_amount == Decimal("50000.00") and offer.withdrawal_due == date(2023, 1, 3)


def test_G9_updated_offer_page_refuses_disproportionate_own_contribution(chart, login):
    # own contribution 9 000 at a grant of 63 000: after a cut to 45 000 at least 6 428,58 must remain,
    # stricter than G4's 10% (5 000), so the proportion rule (003 §2.19) itself is what refuses
    competition, offer = _decided(chart, own_financial=Decimal("7000.00"))
    services.director_opinion(competition, acting_user=chart.dyrektor, opinion="Pozytywna")
    services.president_decision(
        competition,
        acting_user=chart.dnk_pracownik,
        order_number="1/23",
        order_date=date(2022, 12, 20),
        granted={offer.pk: Decimal("45000")},
    )
    client = login(chart.dnk_pracownik)
    page = client.get(f"/konkursy/oferta/{offer.pk}/edycja/").content.decode()
    assert "45000,00" in page or "45000.00" in page
    data = {
        "task_title": "Zadanie",
        "requested_grant": "45000.00",
        "own_financial": "4000.00",
        "volunteer_hours": "100",
        "volunteer_rate": "20.00",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "60",
        "lines-0-category": "personnel",
        "lines-0-name": "Mentorzy",
        "lines-0-nature": "eligible",
        "lines-0-amount": "30000",
        "lines-0-from_grant": "30000",
        "lines-0-persons": "2",
        "lines-0-hours": "600",
        "lines-0-hourly_rate": "25",
        "lines-0-employment_form": "mandate",
        "lines-1-category": "administrative",
        "lines-1-name": "Koordynacja",
        "lines-1-nature": "eligible",
        "lines-1-amount": "5000",
        "lines-1-from_grant": "5000",
        "lines-2-category": "other",
        "lines-2-name": "Materiały",
        "lines-2-nature": "eligible",
        "lines-2-amount": "16000.00",
        "lines-2-from_grant": "10000",
    }
    page = client.post(f"/konkursy/oferta/{offer.pk}/edycja/", data).content.decode()
    assert "Wkład własny zmniejszono bardziej niż proporcjonalnie" in page and "6 428,58 zł" in page
    assert "Wkład własny stanowi" not in page
    data.update({"own_financial": "4428.58", "lines-2-amount": "16428.58"})
    assert client.post(f"/konkursy/oferta/{offer.pk}/edycja/", data).status_code == 302
    offer.refresh_from_db()
    assert offer.updated_on is not None and offer.own_contribution == Decimal("6428.58")


@settings(deadline=None)  # examples: the profile (tests/conftest.py)
@given(
    grant=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1000000"), places=2),
    own=st.decimals(min_value=Decimal("0"), max_value=Decimal("1000000"), places=2),
)
def test_G4_90_and_10_percent_rules_agree_with_exact_arithmetic(grant, own):
    total = grant + own
    assert (budget.check_grant_at_most_90_percent(grant, total) is None) == (grant * 10 <= total * 9)
    assert (budget.check_own_contribution_at_least_10_percent(own, total) is None) == (own * 10 >= total)
