import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_through_real_page_shows_home_with_name_role_and_unit(chart, page, browser_login, assert_accessible):
    page.goto("/")
    assert "/konto/logowanie/" in page.url  # every page requires login
    assert_accessible(page)
    browser_login(chart.dnk_pracownik)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Dzień dobry")
    header = page.locator("header").inner_text()
    assert "Jan Zieliński" in header and "inspektor" in header and "DNK" in header
    assert_accessible(page)


def test_org_chart_director_goes_to_dsr_and_sees_sections_with_heads(chart, page, browser_login, assert_accessible):
    browser_login(chart.dyrektor)
    page.get_by_role("link", name="Struktura", exact=True).click()
    assert_accessible(page)
    assert "Anna Kowalska" in page.locator("section.acting").inner_text()
    page.get_by_role("link", name="DSR Dział Świadczeń Rodzinnych").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text().startswith("DSR")
    sections = page.locator("section", has=page.get_by_role("heading", name="Komórki podległe")).inner_text()
    for symbol in ["SOK", "SOD", "SDD", "SWS", "SDA", "SDM", "SFS"]:
        assert symbol in sections
    page.get_by_role("link", name="SOK – Sekcja Obsługi Klienta").click()
    assert "Marek Woźniak" in page.locator("table").inner_text()
    assert_accessible(page)
