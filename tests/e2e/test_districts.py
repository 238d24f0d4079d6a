"""Care districts (R3) in the browser: a head of a social-work team assigns a street's side to a district from a
date and appoints a worker by internal order; a social worker finds the district of an address; axe on every page."""

import pytest

from units import district_demo
from units.models import DistrictWorker, StreetSegment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_R3_head_assigns_a_street_and_a_worker_then_an_address_finds_them(
    chart, page, browser_login, assert_accessible
):
    seeded = district_demo.seed(chart.institution, chart.people, acting_user=chart.dyrektor)
    third = seeded["districts"][2]
    browser_login(chart.zps1_kierownik)
    page.goto("/struktura/")
    page.get_by_role("link", name="Rejony opiekuńcze").click()
    page.wait_for_url("**/struktura/rejony/")
    assert_accessible(page)
    page.get_by_role("link", name=str(third)).click()
    page.wait_for_url(f"**/struktura/rejony/{third.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Przypisz ulicę").click()
    page.wait_for_url(f"**/struktura/rejony/{third.pk}/ulica/")
    assert_accessible(page)
    page.get_by_label("Ulica").select_option(label="ul. Świętojańska")
    page.get_by_label("Numery").select_option("even")
    page.get_by_label("Od dnia").fill("2026-09-01")
    page.get_by_label("Podstawa").fill("zarządzenie wewnętrzne nr ZW.021.30.2026")
    page.get_by_role("button", name="Przypisz ulicę").click()
    page.wait_for_url(f"**/struktura/rejony/{third.pk}/")
    assert "Przypisano ulicę do rejonu." in page.content()
    assert StreetSegment.objects.filter(district=third, street__name_1="Świętojańska", parity="even").exists()

    page.get_by_role("link", name="Przydziel pracownika").click()
    page.wait_for_url(f"**/struktura/rejony/{third.pk}/pracownik/")
    page.get_by_label("Pracownik socjalny").select_option(label=chart.pracownik_socjalny.get_full_name())
    page.get_by_label("Od dnia").fill("2026-09-01")
    page.get_by_label("Numer zarządzenia wewnętrznego").fill("ZW.021.30.2026")
    page.get_by_label("Data zarządzenia").fill("2026-10-01")
    page.get_by_role("button", name="Przydziel pracownika").click()
    page.wait_for_load_state()
    assert "najpóźniej w dniu" in page.content()  # the order after the start: refused next to the field
    assert_accessible(page)
    page.get_by_label("Data zarządzenia").fill("2026-08-28")
    page.get_by_role("button", name="Przydziel pracownika").click()
    page.wait_for_url(f"**/struktura/rejony/{third.pk}/")
    assert DistrictWorker.objects.filter(district=third, user=chart.pracownik_socjalny).exists()

    page.goto("/struktura/rejony/")
    page.locator("#id_adres").fill("ul. Świętojańska 14/2")
    page.locator("#id_na_dzien").fill("2026-09-02")
    page.get_by_role("button", name="Szukaj").click()
    page.wait_for_url("**/struktura/rejony/?*")
    answer = page.locator(".district-answer").inner_text()
    assert str(third) in answer and chart.pracownik_socjalny.get_full_name() in answer
    assert_accessible(page)
