"""The chart's registers kept in the browser without the admin (U4, U5), and the dashboard's work queue (K5, U6);
axe on every page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from units.models import Absence, Authorization

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_U5_dka_adds_an_authorisation_ticking_the_document_kinds(chart, page, browser_login, assert_accessible):
    browser_login(chart.dka_kierownik)
    page.goto("/struktura/upowaznienia/")
    page.get_by_role("link", name="Dodaj wpis").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.locator("#id_number").fill("U/12/2026")
    page.locator("#id_kind").select_option("upowaznienie")
    page.get_by_label("Osoba upoważniona").select_option(label="Jan Zieliński")
    page.get_by_label("pismo do strony lub instytucji").check()
    page.get_by_label("odpowiedź na skargę lub wniosek").check()
    page.get_by_label("Podstawa prawna").fill("art. 268a KPA")
    page.get_by_label("Udzielający: Dyrektor").select_option(label="Anna Kowalska")
    page.get_by_label("Ważne od").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Zapisz").click()
    page.wait_for_load_state()
    assert "Wpisano do rejestru." in page.content()
    row = page.locator("tr", has_text="U/12/2026").inner_text()
    assert "Jan Zieliński" in row and "pismo do strony lub instytucji" in row and "Anna Kowalska" in row
    entry = Authorization.objects.get(number="U/12/2026")
    assert sorted(entry.scope) == ["complaint_response", "letter"]
    assert_accessible(page)


def test_U4_the_directors_office_records_an_absence(chart, page, browser_login, assert_accessible):
    browser_login(chart.dka_kierownik)
    page.goto("/struktura/")
    page.get_by_role("link", name="Nieobecności i zastępstwa").click()
    page.wait_for_load_state()
    assert_accessible(page)
    today = timezone.localdate()
    page.get_by_label("Osoba nieobecna").select_option(label="Anna Kowalska")
    page.locator("#id_date_from").fill(today.isoformat())
    page.locator("#id_date_to").fill((today + timedelta(days=2)).isoformat())
    page.get_by_label("Wyznaczony zastępca").select_option(label=chart.zastepca2.get_full_name())
    page.get_by_label("Przyczyna").fill("urlop")
    page.get_by_role("button", name="Zapisz nieobecność").click()
    page.wait_for_load_state()
    assert "Wpisano nieobecność." in page.content()
    assert f"działa dziś: {chart.zastepca2.get_full_name()}" in page.content()
    assert Absence.objects.get(user=chart.dyrektor).substitute == chart.zastepca2
    assert_accessible(page)


def test_U1_admin_unit_page_inline_fields_are_labelled_for_axe(chart, page, browser_login):
    """axe reported 4 critical "label" violations on the unit change page (the inline memberships and
    supervisions): none now, in the rows shown and in the template of a new row."""
    from axe_playwright_python.sync_playwright import Axe

    from units.permissions import chart_admin_group

    admin = chart.dka_kierownik
    admin.is_staff = True
    admin.save()
    admin.groups.add(chart_admin_group())
    browser_login(admin)
    page.goto(f"/admin/units/unit/{chart.unit('DNK').pk}/change/")
    page.wait_for_load_state()
    assert page.locator("#memberships-group").count() == 1
    for group in ("#memberships-group", "#supervisions-group"):
        results = Axe().run(page, context=group, options={"runOnly": {"type": "rule", "values": ["label"]}})
        violations = results.response["violations"]
        assert not violations, [(v["id"], [n["target"] for n in v["nodes"]][:5]) for v in violations]
    history = page.goto(f"/admin/units/unit/{chart.unit('DNK').pk}/history/")
    assert history.status == 200
    assert "Kto zmienił" in page.content() and "Powód zmiany" in page.content()
