"""The whole procedure in the browser: DNK registers a complaint and asks SOK for an explanation, SOK's head
explains, DNK drafts the response, the author and the head of DNK initial it, the supervising Deputy signs
it on /struktura/obieg/<id>/, and DNK records it as sent. Main pages checked with axe (WCAG 2.1 AA)."""

import re

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _logout(page):
    page.get_by_role("button", name="Wyloguj").click()
    page.wait_for_load_state()


def _act_on_step(page, browser_login, user, button):
    from units.models import ApprovalStep

    step = ApprovalStep.objects.get(assignee=user, status=ApprovalStep.Status.PENDING)
    browser_login(user)
    # Issue 15: the step is reached from the person's work queue on the dashboard, not by typing its address.
    page.goto("/")
    queue_link = page.locator(f'main a[href="/struktura/obieg/{step.pk}/"]')
    assert queue_link.inner_text().strip() == ("Parafuj" if button == "Parafuję" else "Podpisz")
    queue_link.click()
    page.wait_for_load_state()
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state()
    step.refresh_from_db()
    assert step.status == ApprovalStep.Status.APPROVED
    _logout(page)


def test_complaint_from_registration_to_signed_and_sent_response(chart, page, browser_login, assert_accessible):
    from complaints.models import Complaint, Status

    today = timezone.localdate().isoformat()
    browser_login(chart.dnk_pracownik)
    page.get_by_role("navigation", name="Nawigacja główna").get_by_role("link", name="Skargi i wnioski").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Rejestr skarg i wniosków"
    assert_accessible(page)

    # 1. DNK registers the complaint; a future date is refused first, with what was typed kept.
    page.get_by_role("button", name="Zarejestruj skargę lub wniosek").click()
    assert_accessible(page)
    page.get_by_label("Data wpływu").fill("2099-01-01")
    page.get_by_label("Imię i nazwisko / nazwa wnoszącego").fill("Adam Skarżący")
    page.get_by_label("Adres wnoszącego").fill("ul. Lipowa 1, 15-001 Białystok")
    page.get_by_label("Przedmiot").fill("Niegrzeczna obsługa w Sekcji Obsługi Klienta")
    page.get_by_label("Komórki, których dotyczy").select_option(label="SOK – Sekcja Obsługi Klienta")
    page.get_by_role("button", name="Zarejestruj").click()
    assert "Data wpływu nie może być późniejsza niż dzisiejsza" in page.content()
    assert page.get_by_label("Przedmiot").input_value() == "Niegrzeczna obsługa w Sekcji Obsługi Klienta"
    assert_accessible(page)
    page.get_by_label("Data wpływu").fill(today)
    page.get_by_role("button", name="Zarejestruj").click()
    page.wait_for_load_state()
    complaint = Complaint.objects.get()
    assert page.get_by_role("heading", level=1).inner_text() == f"Skarga {complaint.sign}"
    assert_accessible(page)

    # 2. DNK asks SOK's head for an explanation (C3).
    page.get_by_role("link", name="Poproś komórkę o wyjaśnienia").click()
    page.locator("#id_unit").select_option(label="SOK – Sekcja Obsługi Klienta")
    assert_accessible(page)
    page.get_by_role("button", name="Zapisz").click()
    page.wait_for_load_state()
    assert "w wyjaśnianiu" in page.content()
    _logout(page)

    # 3. SOK's head sees the entry and explains.
    browser_login(chart.sok_kierownik)
    page.goto(complaint.get_absolute_url())
    page.get_by_role("button", name="Złóż wyjaśnienia").click()
    assert_accessible(page)
    page.get_by_label("Wyjaśnienia").fill("Pracownica obsłużyła klienta zgodnie z procedurą; nagranie w załączeniu.")
    page.get_by_role("button", name="Przekaż wyjaśnienia").click()
    page.wait_for_load_state()
    assert "Wyjaśnienia przekazano" in page.content()
    _logout(page)

    # 4. DNK drafts the response and starts the approval flow (C10).
    browser_login(chart.dnk_pracownik)
    page.goto(complaint.get_absolute_url())
    page.get_by_role("link", name="Przygotuj odpowiedź do podpisu").click()
    page.get_by_label("Rozstrzygnięcie").select_option(label="bezzasadna")
    page.get_by_label("Treść odpowiedzi: jak sprawę załatwiono").fill("Skargę rozpatrzono po uzyskaniu wyjaśnień.")
    page.get_by_role("button", name="Zapisz").click()
    page.wait_for_load_state()
    assert "Podaj podstawę prawną" in page.content()  # C10: rejection needs reasons
    assert_accessible(page)
    page.get_by_label("Uzasadnienie faktyczne (gdy skarga nie jest uwzględniona w całości)").fill(
        "Z wyjaśnień i nagrania wynika, że obsługa była prawidłowa."
    )
    page.get_by_label("Podstawa prawna").fill("art. 238 § 1 KPA")
    page.get_by_role("button", name="Zapisz").click()
    page.wait_for_load_state()
    assert "odpowiedź w obiegu do podpisu" in page.content()
    _logout(page)

    # 5. Initials of the author and the head of DNK, then the signature of the supervising Deputy.
    _act_on_step(page, browser_login, chart.dnk_pracownik, "Parafuję")
    _act_on_step(page, browser_login, chart.dnk_kierownik, "Parafuję")
    from units.models import ApprovalStep

    step = ApprovalStep.objects.get(assignee=chart.zastepca2, status=ApprovalStep.Status.PENDING)
    browser_login(chart.zastepca2)
    page.goto("/")
    assert_accessible(page)  # the Deputy's work queue
    page.locator(f'main a[href="/struktura/obieg/{step.pk}/"]').click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_role("button", name="Podpisuję").click()
    page.wait_for_load_state()
    complaint.refresh_from_db()
    assert complaint.status == Status.SIGNED and complaint.signed_by == chart.zastepca2
    page.goto(complaint.get_absolute_url())
    assert "odpowiedź podpisana" in page.content()
    assert page.get_by_role("link", name=re.compile("Wyznacz nowy termin")).count() == 0  # Deputy does not work
    _logout(page)

    # 6. DNK records the response as sent.
    browser_login(chart.dnk_pracownik)
    page.goto(complaint.get_absolute_url())
    page.get_by_role("link", name="Odnotuj wysłanie odpowiedzi").click()
    page.get_by_label("Data wysłania odpowiedzi").fill(today)
    page.get_by_role("button", name="Zapisz").click()
    page.wait_for_load_state()
    complaint.refresh_from_db()
    assert complaint.status == Status.SENT and complaint.sent_on == timezone.localdate()
    assert "odpowiedź wysłana" in page.content()
    assert_accessible(page)

    page.get_by_role("link", name="Statystyki").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Godziny przyjęć").first.click()
    assert_accessible(page)

    # The whistleblower register: DNK receives a report; its pages are accessible too.
    page.get_by_role("link", name="Zgłoszenia naruszeń prawa").first.click()
    assert_accessible(page)
    page.get_by_role("button", name="Przyjmij zgłoszenie").click()
    page.get_by_label("Przedmiot naruszenia").fill("Nieprawidłowości przy rozliczaniu delegacji")
    page.get_by_label("Imię i nazwisko zgłaszającego").fill("Zofia Sygnalistka")
    assert_accessible(page)
    page.get_by_role("button", name="Zarejestruj zgłoszenie").click()
    page.wait_for_load_state()
    assert "Zofia Sygnalistka" in page.locator("main").inner_text()
    assert_accessible(page)


def test_C1_U6_krasnik_complaint_flow_end_to_end_in_the_browser(page, browser_login, assert_accessible):
    """Kraśnik (001): the Kierownik keeps the register (§21.5), asks DPŚ for an explanation, DPŚ's head explains,
    the Kierownik drafts the response, initials and signs it (§22.1), records it as sent and closes the entry on
    the confirmation page that asks for the reason (issue 15). Kraśnik is its own institution: the session's
    Białystok chart is not touched."""
    from complaints.models import Complaint, Outcome, Status
    from tests.complaints.conftest import krasnik_people
    from units.models import ApprovalStep

    institution, people = krasnik_people()
    kierownik, dps = people["kierownik"], people["dps_kierownik"]
    today = timezone.localdate().isoformat()

    # 1. The Kierownik registers the complaint: the register is the management unit's.
    browser_login(kierownik)
    page.get_by_role("navigation", name="Nawigacja główna").get_by_role("link", name="Skargi i wnioski").click()
    page.get_by_role("button", name="Zarejestruj skargę lub wniosek").click()
    page.get_by_label("Data wpływu").fill(today)
    page.get_by_label("Imię i nazwisko / nazwa wnoszącego").fill("Anna Kowalska")
    page.get_by_label("Adres wnoszącego").fill("ul. Lubelska 1, 23-200 Kraśnik")
    page.get_by_label("Przedmiot").fill("Przewlekłość postępowania w sprawie zasiłku celowego")
    page.get_by_role("button", name="Zarejestruj").click()
    page.wait_for_load_state()
    complaint = Complaint.objects.get(unit__institution=institution)
    assert complaint.unit.symbol == "DYR" and complaint.created_by == kierownik
    assert page.get_by_role("heading", level=1).inner_text() == f"Skarga {complaint.sign}"

    # 2. C3: DPŚ is asked for an explanation.
    page.get_by_role("link", name="Poproś komórkę o wyjaśnienia").click()
    page.locator("#id_unit").select_option(label="DPŚ – Dział Pomocy Środowiskowej")
    page.get_by_role("button", name="Zapisz").click()
    page.wait_for_load_state()
    assert "w wyjaśnianiu" in page.content()
    _logout(page)

    # 3. DPŚ's head explains.
    browser_login(dps)
    page.goto(complaint.get_absolute_url())
    page.get_by_role("button", name="Złóż wyjaśnienia").click()
    page.get_by_label("Wyjaśnienia").fill("Wniosek rozpatrzono w terminie ustawowym.")
    page.get_by_role("button", name="Przekaż wyjaśnienia").click()
    page.wait_for_load_state()
    assert "Wyjaśnienia przekazano" in page.content()
    _logout(page)

    # 4. C10: the Kierownik drafts the response; it goes to the Kierownik for signature (001 §22.1).
    browser_login(kierownik)
    page.goto(complaint.get_absolute_url())
    page.get_by_role("link", name="Przygotuj odpowiedź do podpisu").click()
    page.get_by_label("Rozstrzygnięcie").select_option(label="bezzasadna")
    page.get_by_label("Treść odpowiedzi: jak sprawę załatwiono").fill("Skargę rozpatrzono po uzyskaniu wyjaśnień.")
    page.get_by_label("Uzasadnienie faktyczne (gdy skarga nie jest uwzględniona w całości)").fill(
        "Z wyjaśnień Działu Pomocy Środowiskowej wynika, że wniosek rozpatrzono w terminie."
    )
    page.get_by_label("Podstawa prawna").fill("art. 238 § 1 KPA")
    page.get_by_role("button", name="Zapisz").click()
    page.wait_for_load_state()
    assert "odpowiedź w obiegu do podpisu" in page.content()
    signature = ApprovalStep.objects.get(flow__unit__institution=institution, kind=ApprovalStep.Kind.SIGNATURE)
    assert signature.assignee == kierownik
    for step in ApprovalStep.objects.filter(flow=signature.flow).order_by("order"):
        page.goto(f"/struktura/obieg/{step.pk}/")
        page.get_by_role("button", name="Podpisuję" if step.kind == ApprovalStep.Kind.SIGNATURE else "Parafuję").click()
        page.wait_for_load_state()
    complaint.refresh_from_db()
    assert complaint.status == Status.SIGNED and complaint.signed_by == kierownik

    # 5. Sent, then closed on the confirmation page: what will happen, and a reason required.
    page.goto(complaint.get_absolute_url())
    page.get_by_role("link", name="Odnotuj wysłanie odpowiedzi").click()
    page.get_by_label("Data wysłania odpowiedzi").fill(today)
    page.get_by_role("button", name="Zapisz").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Zakończ sprawę").click()
    assert "Tej czynności nie można cofnąć." in page.content()
    assert "Zamkniętej sprawy nie można otworzyć ponownie." in page.content()
    assert_accessible(page)
    page.get_by_label("Sposób załatwienia").select_option(value=Outcome.UNFOUNDED)
    page.get_by_role("button", name="Zakończ sprawę").click()
    page.wait_for_load_state()
    assert "Podaj powód – tej czynności nie można cofnąć." in page.content()
    complaint.refresh_from_db()
    assert complaint.status == Status.SENT
    page.get_by_label("Powód").fill("Odpowiedź doręczona wnoszącej.")
    page.get_by_role("button", name="Zakończ sprawę").click()
    page.wait_for_load_state()
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED and complaint.outcome == Outcome.UNFOUNDED
    assert complaint.history.latest().history_change_reason == "Odpowiedź doręczona wnoszącej."
    assert "Odpowiedź doręczona wnoszącej." in page.locator("main").inner_text()
