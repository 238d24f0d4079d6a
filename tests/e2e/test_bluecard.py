"""A Blue Card from intake through the subteam decision and a working-group meeting with its protocol to the
closure protocol signed by the chair in the approval flow (B7-B10), with axe checks on the main pages."""

import pytest
from django.utils import timezone

from tests.bluecard.conftest import build_team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_bluecard_intake_to_signed_closure(chart, page, browser_login, assert_accessible):
    from bluecard.models import BlueCard, CardStatus
    from units.models import ApprovalStep

    zi = build_team(chart)
    today = timezone.localdate().isoformat()
    browser_login(zi.chair)

    page.goto("/niebieska-karta/")
    assert_accessible(page)
    page.get_by_role("link", name="Zarejestruj Niebieską Kartę").first.click()
    page.get_by_label("Data wpływu formularza").fill(today)
    page.get_by_label("Podmiot wszczynający procedurę").select_option("police")
    page.get_by_label("Osoba doznająca przemocy (imię i nazwisko)").fill("Anna Testowa")
    page.get_by_label("Osoby, wobec których istnieje podejrzenie stosowania przemocy").fill("Jan Testowy")
    assert_accessible(page)
    page.get_by_role("button", name="Zarejestruj").click()
    card = BlueCard.objects.get()
    assert page.url.endswith(f"/niebieska-karta/karty/{card.pk}/")
    assert "Anna" not in page.title()
    assert_accessible(page)

    page.get_by_role("button", name="Powiadom członków Zespołu").click()
    page.get_by_role("link", name="Decyzja podzespołu").click()
    page.get_by_label("Aleksandra Kaczmarek – Przewodniczący").check()
    page.get_by_label("Magdalena Jankowska – członek").check()
    page.get_by_label("Decyzja").select_option("working_group")
    page.get_by_label("Koordynator grupy").select_option(str(zi.m.social.pk))
    assert_accessible(page)
    page.get_by_role("button", name="Zapisz decyzję").click()
    assert "Zapisano decyzję podzespołu" in page.locator(".messages").inner_text()

    page.get_by_role("link", name="Zapisz spotkanie grupy").click()
    page.get_by_label("Magdalena Jankowska (MOPR Białystok)").check()
    page.get_by_label("Przebieg spotkania i ustalenia").fill("Rozmowa z rodziną, ustalono plan pomocy.")
    assert_accessible(page)
    page.get_by_role("button", name="Zapisz spotkanie i protokół").click()
    assert "protokół przekazano" in page.locator(".messages").inner_text()
    protocol = page.get_by_role("link", name="Protokół ze spotkania grupy")
    assert protocol.count() == 1

    page.get_by_role("link", name="Zakończ procedurę").click()
    page.get_by_label("rozstrzygnięcie o braku zasadności podejmowania działań").check()
    page.get_by_label("Gdzie podjęto decyzję (004 §33)").select_option("group")
    page.get_by_label("Opis podjętych działań").fill("Spotkanie grupy, diagnoza sytuacji rodziny.")
    # issue 15: the page says the procedure ends for good once signed, and asks for the reason (the history)
    assert "Tej czynności nie można cofnąć." in page.locator("main").inner_text()
    page.locator("#id_confirm-reason").fill("Brak podstaw do dalszych działań")
    assert_accessible(page)
    page.get_by_role("button", name="Zakończ procedurę").click()

    assert "/struktura/obieg/" in page.url
    assert_accessible(page)
    # The chair signs alone (004 §34): the flow has no step for anyone from the org chart.
    signature = ApprovalStep.objects.get(kind="signature", status="pending")
    assert signature.assignee == zi.chair and signature.flow.steps.count() == 1
    page.get_by_role("button", name="Podpisuję").click()
    page.wait_for_load_state()

    card.refresh_from_db()
    assert card.status == CardStatus.CLOSED
    page.goto(f"/niebieska-karta/karty/{card.pk}/")
    assert "procedura zakończona" in page.locator("main").inner_text()
    assert_accessible(page)

    # the closure goes on the next meeting's agenda (004 §35); the other main pages pass axe too
    from mopr import calendar

    page.goto("/niebieska-karta/posiedzenia/nowe/")
    page.get_by_label("Rodzaj posiedzenia").select_option("ordinary")
    page.get_by_label("Data posiedzenia").fill(calendar.add_months(timezone.localdate(), 2).isoformat())
    page.get_by_label("Godzina").fill("10:00")
    page.get_by_label("Ramowy program").fill("Sprawy bieżące")
    assert_accessible(page)
    page.get_by_role("button", name="Zwołaj i wyślij zawiadomienia").click()
    assert f"nr {card.signature}" in page.locator("main").inner_text()
    assert_accessible(page)
    for url in (
        "/niebieska-karta/karty/",
        "/niebieska-karta/statystyka/",
        "/niebieska-karta/rejestr-dostepu/",
        f"/niebieska-karta/karty/{card.pk}/historia/",
    ):
        page.goto(url)
        assert_accessible(page)
