"""R1 in the browser: the IOD registers a request for public information on the register's own pages (the form
built from the register's definition), extends its deadline with a reason and answers it; the Director reads
the register; axe on every page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from units.models import EntryStatus, RegisterEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_R1_iod_registers_extends_and_answers_a_public_information_request(
    chart, page, browser_login, assert_accessible
):
    today = timezone.localdate()
    browser_login(chart.iod)
    page.goto("/")
    page.get_by_role("link", name="Rejestry", exact=True).click()
    page.wait_for_url("**/struktura/rejestry/")
    assert_accessible(page)
    page.get_by_role("link", name="Rejestr wniosków o udostępnienie informacji publicznej").click()
    page.wait_for_url("**/struktura/rejestry/*/")
    assert_accessible(page)
    page.get_by_role("button", name="Nowy wpis").click()
    page.wait_for_url("**/nowy/")
    assert_accessible(page)
    page.get_by_label("Data wpływu wniosku").fill((today - timedelta(days=1)).isoformat())
    page.get_by_label("Wnioskodawca").fill("Stowarzyszenie Watchdog Podlasie")
    page.get_by_label("Forma wniosku").select_option(label="poczta elektroniczna")
    page.get_by_label("Przedmiot wniosku").fill("wykaz umów dotacyjnych zawartych w 2026 r.")
    page.get_by_role("button", name="Wpisz do rejestru").click()
    page.wait_for_url("**/wpis/*/")
    assert "Wpisano do rejestru" in page.content()
    assert "Odpowiedź na wniosek o informację publiczną" in page.content()
    assert_accessible(page)
    page.get_by_role("link", name="Przedłuż termin (zawiadomienie)").click()
    page.wait_for_url("**/przedluzenie/")
    assert_accessible(page)
    page.get_by_label("Nowy termin udostępnienia").fill((today + timedelta(days=40)).isoformat())
    page.get_by_label("Data zawiadomienia wnioskodawcy").fill(today.isoformat())
    page.get_by_label("Powód opóźnienia (podany w zawiadomieniu)").fill("wniosek obejmuje dokumenty z kilku działów")
    page.get_by_role("button", name="Przedłuż termin (zawiadomienie)").click()
    page.wait_for_url("**/wpis/*/")
    assert "Przedłużono termin" in page.content()
    page.get_by_role("link", name="Udostępnij informację").click()
    page.wait_for_url("**/udostepnienie/")
    page.get_by_label("Sposób udostępnienia").fill("e-mail")
    page.get_by_role("button", name="Udostępnij informację").click()
    page.wait_for_url("**/wpis/*/")
    assert "dotrzymany" in page.content()
    assert_accessible(page)
    entry = RegisterEntry.objects.get(register__code="public_info")
    assert entry.status == EntryStatus.ANSWERED and entry.values["extension_reason"]

    page.context.clear_cookies()
    browser_login(chart.dyrektor)
    page.goto(entry.get_absolute_url())
    assert entry.sign in page.content() and "Zmień wpis" not in page.content()
    assert_accessible(page)
