"""Issue 15: irreversible actions ask first. Closing an entry (C5 forwarding, C9 leaving without consideration,
closing after the response, C11 closing a report) is offered as a link to a confirmation page (plain GET, no
JavaScript) that says what will happen and asks for a required reason; the POST closes through the service and
the reason is the history's change reason; a replayed POST gets the "already done" message."""

from datetime import date

import pytest
from django.urls import reverse

from complaints import services
from complaints.models import Outcome, Status, WhistleblowerChannel, WhistleblowerStatus
from complaints.procedures import COMPLAINT, WHISTLEBLOWER

pytestmark = pytest.mark.django_db

CLOSE_NOTE = "Odpowiedź doręczona, sprawa załatwiona."
CONSEQUENCE = "Zamkniętej sprawy nie można otworzyć ponownie."


@pytest.fixture
def sent(chart, signed):
    services.complaint_mark_sent(signed, acting_user=chart.dnk_pracownik, sent_on=signed.signed_on)
    signed.refresh_from_db()
    return signed


@pytest.fixture
def report(chart):
    report = services.whistleblower_register(
        acting_user=chart.dnk_pracownik,
        received_on=date(2025, 12, 19),
        channel=WhistleblowerChannel.WRITTEN,
        subject="Nieprawidłowości przy zamówieniu publicznym",
        reporter_name="Zofia Sygnalistka",
    )
    services.whistleblower_acknowledge(report, acting_user=chart.dnk_pracownik, on=date(2025, 12, 22))
    services.whistleblower_feedback(
        report, acting_user=chart.dnk_pracownik, on=date(2026, 2, 2), text="Naruszenia nie potwierdzono."
    )
    report.refresh_from_db()
    return report


def _close_url(complaint):
    return reverse("complaints:action", args=[complaint.pk, "zakoncz"])


def test_issue15_every_closing_action_of_the_complaint_tables_asks_first():
    """What cannot be undone (the state CLOSED has no way out) is marked in the table, nothing else is."""
    closing = {a.name for a in COMPLAINT if a.target == Status.CLOSED}
    assert closing == {"przekaz", "bez-rozpoznania", "zakoncz"}
    assert {a.name for a in COMPLAINT if a.needs_confirmation} == closing
    assert {a.name for a in WHISTLEBLOWER if a.needs_confirmation} == {"zamknij"}
    assert not any(a.one_click for table in (COMPLAINT, WHISTLEBLOWER) for a in table if a.needs_confirmation)
    assert all(
        "nie można otworzyć ponownie" in str(a.consequence)
        for table in (COMPLAINT, WHISTLEBLOWER)
        for a in table
        if a.needs_confirmation
    )


def test_issue15_detail_page_links_to_the_confirmation_page_which_says_what_will_happen(chart, login, sent):
    client = login(chart.dnk_pracownik)
    detail = client.get(sent.get_absolute_url()).content.decode()
    assert f'href="{_close_url(sent)}"' in detail
    page = client.get(_close_url(sent))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Tej czynności nie można cofnąć." in body and CONSEQUENCE in body
    assert 'name="confirm-reason"' in body and 'name="outcome"' in body
    assert "<script" not in body.split("<main", 1)[1].split("</main>", 1)[0]  # the page works without JavaScript
    sent.refresh_from_db()
    assert sent.status == Status.SENT  # opening the page changes nothing


def test_issue15_closing_without_a_reason_is_refused_by_the_field(chart, login, sent):
    client = login(chart.dnk_pracownik)
    rows = sent.history.count()
    for reason in ("", "   "):
        response = client.post(_close_url(sent), {"outcome": Outcome.UNFOUNDED, "confirm-reason": reason})
        assert response.status_code == 200
        body = response.content.decode()
        assert 'id="id_confirm-reason_error">Podaj powód – tej czynności nie można cofnąć.' in body
    sent.refresh_from_db()
    assert sent.status == Status.SENT and sent.history.count() == rows


def test_issue15_the_reason_is_the_histories_change_reason_and_a_replay_gets_already_done(chart, login, sent):
    client = login(chart.dnk_pracownik)
    data = {"outcome": Outcome.UNFOUNDED, "note": CLOSE_NOTE, "confirm-reason": "Wnoszący potwierdził odbiór."}
    response = client.post(_close_url(sent), data)
    assert response.status_code == 302 and response["Location"] == sent.get_absolute_url()
    sent.refresh_from_db()
    assert (sent.status, sent.outcome, sent.closing_note) == (Status.CLOSED, Outcome.UNFOUNDED, CLOSE_NOTE)
    latest = sent.history.latest()
    assert latest.history_change_reason == "Wnoszący potwierdził odbiór."
    assert latest.history_user == chart.dnk_pracownik
    # The detail page's history shows the reason.
    assert "Wnoszący potwierdził odbiór." in client.get(sent.get_absolute_url()).content.decode()
    rows = sent.history.count()
    replay = client.post(_close_url(sent), data, follow=True)
    assert "została już wykonana" in replay.content.decode()
    assert sent.history.count() == rows


def test_issue15_a_service_refusal_keeps_the_reason_and_shows_the_services_message(chart, login, sent):
    """C14 still holds behind the confirmation: another outcome than the signed one needs a note."""
    client = login(chart.dnk_pracownik)
    response = client.post(_close_url(sent), {"outcome": Outcome.FOUNDED, "confirm-reason": "Ponowna analiza."})
    body = response.content.decode()
    assert response.status_code == 200 and "podpisanej odpowiedzi" in body and "Ponowna analiza." in body
    sent.refresh_from_db()
    assert sent.status == Status.SENT


@pytest.mark.parametrize("persona", ["zastepca2", "sok_kierownik", "dyrektor"])
def test_issue15_a_persona_who_may_not_close_gets_403_on_the_page_and_on_the_post(chart, client, login, sent, persona):
    client = login(chart.people[persona])
    assert client.get(_close_url(sent)).status_code == 403
    data = {"outcome": Outcome.UNFOUNDED, "confirm-reason": "Próba."}
    assert client.post(_close_url(sent), data).status_code == 403
    sent.refresh_from_db()
    assert sent.status == Status.SENT


def test_issue15_C9_leaving_without_consideration_asks_for_the_reason_too(chart, login, register):
    complaint = register(complainant_name="", complainant_address="", complainant_email="", anonymous=True)
    client = login(chart.dnk_pracownik)
    url = reverse("complaints:action", args=[complaint.pk, "bez-rozpoznania"])
    assert "Sprawa zostanie zamknięta bez rozpoznania" in client.get(url).content.decode()
    response = client.post(url, {"reason": "anonymous"})
    assert "Podaj powód" in response.content.decode()
    response = client.post(url, {"reason": "anonymous", "confirm-reason": "Brak danych wnoszącego."})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED
    assert complaint.history.latest().history_change_reason == "Brak danych wnoszącego."


def test_issue15_C5_forwarding_asks_for_the_reason_beside_its_own_reason_field(chart, login, register):
    complaint = register()
    client = login(chart.dnk_pracownik)
    url = reverse("complaints:action", args=[complaint.pk, "przekaz"])
    body = client.get(url).content.decode()
    assert "jako przekazana do organu właściwego" in body
    assert 'name="reason"' in body and 'name="confirm-reason"' in body
    data = {
        "to_body": "Wojewoda Podlaski",
        "reason": "Sprawa dotyczy nadzoru wojewody.",
        "on": complaint.received_on.isoformat(),
        "confirm-reason": "Właściwy jest wojewoda.",
    }
    assert client.post(url, data).status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED and complaint.closing_note == "Sprawa dotyczy nadzoru wojewody."
    assert complaint.history.latest().history_change_reason == "Właściwy jest wojewoda."


def test_issue15_C11_closing_a_report_asks_for_a_reason_and_403s_others(chart, login, report):
    url = reverse("complaints:wb_action", args=[report.pk, "zamknij"])
    # The head of DNK sees the register but does not handle the report: 403; the Director does not see it: 404.
    for persona, status in (("dnk_kierownik", 403), ("dyrektor", 404)):
        other = login(chart.people[persona])
        assert other.get(url).status_code == status
        assert other.post(url, {"confirm-reason": "Próba."}).status_code == status
    client = login(chart.dnk_pracownik)
    body = client.get(url).content.decode()
    assert "Zamkniętego zgłoszenia nie można otworzyć ponownie." in body
    assert "Podaj powód" in client.post(url, {}).content.decode()
    report.refresh_from_db()
    assert report.status == WhistleblowerStatus.FEEDBACK_GIVEN
    assert client.post(url, {"confirm-reason": "Postępowanie zakończone."}).status_code == 302
    report.refresh_from_db()
    assert report.status == WhistleblowerStatus.CLOSED
    assert report.history.latest().history_change_reason == "Postępowanie zakończone."
