"""G13: the offerors as a small NGO database: KRS, NIP/REGON checksums, areas of activity (art. 4 UDPP), the
history of offers and grants, search and filters."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grants import services
from grants.models import Offeror, OfferorArea

from .factories import appoint, make_offeror, published_competition, register
from .programme_factories import decided_competition

pytestmark = pytest.mark.django_db

OFFEROR_POST = {
    "name": "Stowarzyszenie Wiosna",
    "legal_form": "association",
    "register_name": "Krajowy Rejestr Sądowy",
    "krs": "0000123456",
    "nip": "526-025-02-74",
    "regon": "",
    "street": "ul. Lipowa 1",
    "postal_code": "15-001",
    "city": "Białystok",
    "email": "biuro@example.org",
    "phone": "",
    "representatives": "Anna Prezes – prezes",
    "areas": ["social_assistance", "seniors"],
}


def test_G13_people_outside_the_grant_units_and_management_do_not_see_the_ngo_database(chart, login):
    offeror = make_offeror()
    for outsider in (chart.obcy, chart.sok_pracownik, chart.pracownik_socjalny):
        client = login(outsider)
        assert client.get(reverse("grants:offerors")).status_code == 403
        assert client.get(reverse("grants:offeror_detail", args=[offeror.pk])).status_code == 403
    # the Director reads, but does not register offerors
    assert login(chart.dyrektor).get(reverse("grants:offeror_create")).status_code == 403
    assert login(chart.dyrektor).post(reverse("grants:offeror_create"), OFFEROR_POST).status_code == 403
    assert Offeror.objects.count() == 1


def test_G13_krs_must_have_ten_digits_next_to_the_field(chart, login):
    page = (
        login(chart.dnk_pracownik)
        .post(reverse("grants:offeror_create"), {**OFFEROR_POST, "krs": "123456789"})
        .content.decode()
    )
    assert "Numer KRS składa się z 10 cyfr." in page
    assert 'value="Stowarzyszenie Wiosna"' in page  # the form keeps the input
    assert not Offeror.objects.exists()


def test_G13_areas_of_activity_saved_with_history_and_filtered(chart, login):
    client = login(chart.dnk_pracownik)
    assert client.post(reverse("grants:offeror_create"), OFFEROR_POST).status_code == 302
    offeror = Offeror.objects.get()
    assert set(offeror.areas.values_list("area", flat=True)) == {"social_assistance", "seniors"}
    other = make_offeror(name="Fundacja Sport")
    services.offeror_save(other, acting_user=chart.dnk_pracownik, areas=["sport"])
    # edit: one area removed, one added – each with its history row
    edit = {**OFFEROR_POST, "areas": ["seniors", "disability"]}
    assert client.post(reverse("grants:offeror_edit", args=[offeror.pk]), edit).status_code == 302
    assert set(offeror.areas.values_list("area", flat=True)) == {"seniors", "disability"}
    history = OfferorArea.history.filter(offeror_id=offeror.pk)
    assert set(history.filter(history_type="-").values_list("area", flat=True)) == {"social_assistance"}
    assert history.filter(history_user=chart.dnk_pracownik).count() == 4
    form = client.get(reverse("grants:offeror_edit", args=[offeror.pk])).context["form"]
    assert set(form.initial["areas"]) == {"seniors", "disability"}

    def found(params):
        response = client.get(reverse("grants:offerors"), params)
        assert response.status_code == 200
        return {o.pk for o in response.context["offerors"]}

    assert found({"area": "seniors"}) == {offeror.pk}
    assert found({"area": "sport"}) == {other.pk}
    assert found({}) == {offeror.pk, other.pk}
    assert found({"q": "5260250274"}) == {offeror.pk}  # NIP
    assert found({"q": other.krs}) == {other.pk}  # KRS
    assert found({"q": "wiosna", "area": "sport"}) == set()
    assert found({"area": "no-such-area"}) == set()


def test_G13_ngo_list_issues_the_same_number_of_queries_for_few_and_many(chart, login, django_assert_num_queries):
    client = login(chart.dnk_pracownik)
    url = reverse("grants:offerors")

    def seed(count):
        for _i in range(count):
            offeror = make_offeror()
            services.offeror_save(offeror, acting_user=chart.dnk_pracownik, areas=["charity", "seniors"])

    seed(2)
    client.get(url)  # the session and the chart's caches warmed
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, {"area": "charity"}).status_code == 200
    seed(10)
    with django_assert_num_queries(len(few)):
        response = client.get(url, {"area": "charity"})
    assert len(response.context["offerors"]) == 12


def test_G13_offeror_page_shows_offers_grants_and_partnerships(chart, login):
    ngo = make_offeror(name="Fundacja Rodzina z Wyboru")
    competition, _offers = decided_competition(chart, year=2023, grants=[(ngo, "45000.00")])
    decided_competition(chart, year=2024, grants=[(ngo, "20000.00")])
    page = login(chart.dyrektor).get(reverse("grants:offeror_detail", args=[ngo.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "45\u00a0000,00\u00a0zł" in text and "20\u00a0000,00\u00a0zł" in text
    assert page.context["grants"] == [(2024, Decimal("20000.00")), (2023, Decimal("45000.00"))]
    assert len(page.context["offers"]) == 2
    listing = login(chart.dnk_pracownik).get(reverse("grants:offerors"), {"q": "rodzina z wyboru"})
    (row,) = listing.context["offerors"]
    assert row.offer_count == 2 and row.granted_total == Decimal("65000.00")


def test_G7_G13_offeror_page_hides_offers_from_a_committee_member_without_a_declaration(chart, login):
    """G7 wins over the NGO database: the head of DNK sits on the committee and has not declared yet."""
    ngo = make_offeror(name="Stowarzyszenie Tęcza")
    competition = published_competition(chart)
    register(chart, competition, offeror=ngo)
    appoint(chart, competition, chair=chart.dnk_kierownik)
    page = login(chart.dnk_kierownik).get(reverse("grants:offeror_detail", args=[ngo.pk]))
    assert page.status_code == 200
    assert "niedostępne" in page.content.decode()
    page = login(chart.dnk_pracownik).get(reverse("grants:offeror_detail", args=[ngo.pk]))
    assert "niedostępne" not in page.content.decode()


def test_G13_G11_ngo_page_shows_the_contracts_reports_and_settlement_to_who_runs_them(chart, login):
    from grants.models import Report

    from .factories_after import signed_contract

    contract = signed_contract(chart)
    url = reverse("grants:offeror_detail", args=[contract.offeror.pk])
    body = login(chart.dnk_pracownik).get(url).content.decode()
    assert contract.number in body and "Umowy, sprawozdania i rozliczenie" in body
    for report in contract.reports.all():
        assert f"{report.get_kind_display()}: {report.get_status_display()}" in body
    assert Report.objects.filter(contract=contract).count() == 2
    assert reverse("grants:settlement_offeror", args=[contract.offeror.pk]) in body
