"""G13 in the browser: the NGO database (an offeror with its areas, found by area), the cooperation programme
created with a task linked to a decided competition, the council's resolution, and the report whose total is the
year's grants, then submitted; the Director reads it. axe checks each page."""

from decimal import Decimal

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _logout(page):
    page.get_by_role("button", name="Wyloguj").click()
    page.wait_for_load_state()


def test_G13_programme_from_draft_to_report_and_the_ngo_database(chart, page, browser_login, assert_accessible):
    from tests.grants.factories import make_offeror
    from tests.grants.programme_factories import decided_competition

    ngo = make_offeror(name="Fundacja Rodzina z Wyboru")
    competition, _offers = decided_competition(chart, year=2023, grants=[(ngo, "45000.00")])

    browser_login(chart.dnk_pracownik)
    # the NGO database: areas of activity, then a search by area
    page.goto("/konkursy/")
    page.get_by_role("link", name="Oferenci").click()
    page.wait_for_url("**/konkursy/oferenci/")
    assert_accessible(page)
    page.goto(f"/konkursy/oferenci/{ngo.pk}/")
    page.get_by_label("wspieranie rodziny i systemu pieczy zastępczej").check()
    page.get_by_role("button", name="Zapisz oferenta").click()
    page.wait_for_url("**/konkursy/oferenci/")
    page.select_option("#id_area", "family_foster_care")
    page.get_by_role("button", name="Szukaj").click()
    page.wait_for_url("**/konkursy/oferenci/?**")
    page.get_by_role("link", name="Fundacja Rodzina z Wyboru").click()
    page.wait_for_url(f"**/konkursy/oferenci/{ngo.pk}/karta/")
    assert "45 000,00 zł" in page.inner_text("main").replace("\u00a0", " ")
    assert_accessible(page)

    # the programme for 2023 with one task carried out by the decided competition
    page.goto("/konkursy/programy/")
    assert_accessible(page)
    page.get_by_role("link", name="Nowy program").click()
    page.wait_for_url("**/programy/nowy/")
    page.fill("#id_year", "2023")
    page.fill("#id_priorities", "Wspieranie rodziny i rodzinnej pieczy zastępczej.")
    page.get_by_role("button", name="Utwórz projekt").click()
    page.wait_for_url("**/programy/*/")
    assert page.get_by_role("heading", level=1).inner_text() == "Program współpracy na rok 2023"
    page.get_by_role("link", name="Dodaj zadanie").click()
    page.wait_for_url("**/zadania/nowe/")
    page.fill("#id_name", "Wspieranie rodzinnej pieczy zastępczej")
    page.select_option("#id_area", "family_foster_care")
    page.fill("#id_planned_amount", "50000")
    page.get_by_label(competition.title).check()
    assert_accessible(page)
    page.get_by_role("button", name="Zapisz zadanie").click()
    page.wait_for_url("**/programy/*/")
    page.get_by_role("link", name="Odnotuj uchwałę Rady Miasta").click()
    page.wait_for_url("**/uchwala/")
    page.fill("#id_resolution_number", "LX/812/22")
    page.fill("#id_resolution_date", "2022-11-24")
    page.get_by_role("button", name="Odnotuj uchwałę").click()
    page.wait_for_url("**/programy/*/")
    assert "uchwalony" in page.content()
    assert_accessible(page)

    # the report: the total is the year's grants; submitted, its figures frozen
    page.get_by_role("link", name="Sprawozdanie", exact=True).click()
    page.wait_for_url("**/sprawozdanie/")
    assert page.locator("[data-total-granted]").get_attribute("data-total-granted") == str(Decimal("45000.00"))
    assert_accessible(page)
    page.goto(page.url.replace("/sprawozdanie/", "/"))
    page.get_by_role("link", name="Złóż sprawozdanie").click()
    page.wait_for_url("**/sprawozdanie/zlozenie/")
    page.fill("#id_submitted_on", "2024-05-20")
    page.get_by_role("button", name="Złóż sprawozdanie").click()
    page.wait_for_url("**/sprawozdanie/")
    assert "Dane utrwalone w dniu złożenia." in page.content()
    _logout(page)

    # the Director reads the report, without the clerk's buttons
    browser_login(chart.dyrektor)
    page.goto("/konkursy/programy/")
    page.get_by_role("link", name="Program na rok 2023").click()
    page.wait_for_url("**/programy/*/")
    assert page.get_by_role("link", name="Odnotuj publikację sprawozdania w BIP").count() == 0
    assert_accessible(page)
