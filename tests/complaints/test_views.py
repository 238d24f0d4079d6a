"""Pages: the register list (constant queries), bad input with Polish messages, exports, statistics,
reception hours, the approval page, and the digest naming the right people."""

import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from complaints import services
from complaints.models import (
    Attachment,
    AttachmentKind,
    Channel,
    Complaint,
    Explanation,
    Kind,
    LeaveReason,
    Outcome,
    Status,
)
from mopr import deadlines
from mopr.models import OutboxEmail
from units.models import ApprovalStep

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db

VALID = {
    "kind": Kind.COMPLAINT,
    "received_on": "2026-03-02",
    "channel": Channel.LETTER,
    "complainant_name": "Adam Skarżący",
    "complainant_address": "ul. Lipowa 1, Białystok",
    "subject": "Niegrzeczna obsługa w okienku",
}


def _bulk(chart, count, start=1):
    """Entries straight into the tables (no services: only the list's reading cost is measured here),
    concerning SOK and DSR, with SOK's heads group granted each as after a request for explanation."""
    from django.contrib.auth.models import Permission

    from complaints.models import ComplaintGroupObjectPermission
    from units.permissions import unit_group

    unit = chart.unit("DNK")
    rows = [
        Complaint(
            unit=unit,
            kind=Kind.COMPLAINT,
            year=2026,
            number=start + i,
            sign=f"DNK.1510.{start + i}.2026",
            received_on=date(2026, 3, 2),
            subject=f"Skarga {i}",
            complainant_name="X",
            statutory_due=date(2026, 4, 2),
            due_date=date(2026, 4, 2),
        )
        for i in range(count)
    ]
    created = Complaint.objects.bulk_create(rows)
    through = Complaint.units_concerned.through
    through.objects.bulk_create(
        [through(complaint_id=c.pk, unit_id=chart.unit("SOK").pk) for c in created]
        + [through(complaint_id=c.pk, unit_id=chart.unit("DSR").pk) for c in created]
    )
    view = Permission.objects.get(codename="view_complaint")
    heads = unit_group(chart.unit("SOK"), "heads")
    ComplaintGroupObjectPermission.objects.bulk_create(
        [ComplaintGroupObjectPermission(group=heads, permission=view, content_object=c, explicit=True) for c in created]
    )


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.parametrize("login_name", ["dnk_pracownik", "sok_kierownik", "zastepca2", "dyrektor"])
def test_list_issues_at_most_8_queries_the_same_for_1_and_2000_entries(chart, login, login_name):
    """Benchmark target: at most 8 queries per list page, the same for 1 and for 2 000 entries (the header,
    the module's gate and the per-row units are read once per page, not per row or per template call)."""
    client = login(getattr(chart, login_name))
    url = reverse("complaints:list") + f"?kind={Kind.COMPLAINT}"
    _bulk(chart, 1)
    client.get(url)  # warm caches (content types, session)
    few, response = _count_queries(client, url)
    assert response.context["page_obj"].paginator.count == 1
    _bulk(chart, 1999, start=2)
    many, response = _count_queries(client, url)
    paginator = response.context["page_obj"].paginator
    assert paginator.truncated and paginator.count == paginator.cap  # counted up to the cap only
    assert len(response.context["complaints"]) == 25
    assert few == many <= 8


def test_list_counts_at_most_the_cap_and_says_there_are_more(chart, login, monkeypatch):
    """A register of a million entries is not counted on every page: past the cap the page says "more than"
    and asks for filters, and the pages past the cap are not offered."""
    from mopr import pagination

    monkeypatch.setattr(pagination, "REGISTER_COUNT_CAP", 30)
    _bulk(chart, 40)
    client = login(chart.dnk_pracownik)
    response = client.get(reverse("complaints:list"))
    paginator = response.context["page_obj"].paginator
    assert paginator.truncated and paginator.count == 30 and paginator.num_pages == 2
    assert "Ponad 30 wpisów" in response.content.decode()
    response = client.get(reverse("complaints:list") + "?q=DNK.1510.1")  # 1 and 10-19: 11 entries
    paginator = response.context["page_obj"].paginator
    assert not paginator.truncated and paginator.count == 11
    assert "11 wpisów" in response.content.decode()


def test_list_filters_overdue_search_and_unit(chart, login, register):
    late = register(received_on=date(2025, 1, 2), subject="Stara sprawa")
    from django.utils import timezone

    fresh = register(
        subject="Świeża sprawa o zasiłek", units_concerned=[chart.unit("SOK")], received_on=timezone.localdate()
    )
    client = login(chart.dnk_pracownik)
    body = client.get(reverse("complaints:list") + "?overdue=true").content.decode()
    assert late.sign in body and fresh.sign not in body
    body = client.get(reverse("complaints:list") + "?q=zasiłek").content.decode()
    assert fresh.sign in body and late.sign not in body
    body = client.get(reverse("complaints:list") + f"?unit={chart.unit('SOK').pk}").content.decode()
    assert fresh.sign in body and late.sign not in body
    body = client.get(reverse("complaints:list") + f"?year={late.year}").content.decode()
    assert late.sign in body and fresh.sign not in body


def test_register_through_the_page(chart, login):
    response = login(chart.dnk_pracownik).post(
        reverse("complaints:register"), {**VALID, "files": [pdf_upload("skarga.pdf")]}
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response.url == complaint.get_absolute_url()
    assert complaint.attachments.get().original_name == "skarga.pdf"


def test_register_future_receipt_date_refused_with_polish_message_and_input_kept(chart, login):
    response = login(chart.dnk_pracownik).post(reverse("complaints:register"), {**VALID, "received_on": "2099-05-05"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Data wpływu nie może być późniejsza niż dzisiejsza" in body
    assert "Niegrzeczna obsługa w okienku" in body
    assert not Complaint.objects.exists()


def test_register_missing_required_fields_refused(chart, login):
    response = login(chart.dnk_pracownik).post(
        reverse("complaints:register"), {**VALID, "subject": "", "complainant_name": ""}
    )
    body = response.content.decode()
    assert "To pole jest wymagane." in body
    assert not Complaint.objects.exists()


def test_forbidden_attachment_type_refused_and_nothing_saved(chart, login):
    upload = pdf_upload("wirus.exe", content=b"MZ...")
    response = login(chart.dnk_pracownik).post(reverse("complaints:register"), {**VALID, "files": [upload]})
    body = response.content.decode()
    assert "Niedozwolony rodzaj pliku „exe”" in body
    assert not Complaint.objects.exists() and not Attachment.objects.exists()


def test_attachment_over_the_size_limit_refused(chart, login, register, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    complaint = register()
    response = login(chart.dnk_pracownik).post(
        reverse("complaints:action", args=[complaint.pk, "zalacznik"]),
        {"kind": AttachmentKind.OTHER, "file": pdf_upload("duzy.pdf", size=2048)},
    )
    assert "Plik jest za duży" in response.content.decode()
    assert not Attachment.objects.exists()


def test_explanation_to_closed_entry_refused_on_the_page(chart, login, register):
    complaint = register(anonymous=True, complainant_name="")
    explanation = services.complaint_request_explanation(
        complaint, acting_user=chart.dnk_pracownik, unit=chart.unit("SOK")
    )
    services.complaint_leave_without_consideration(
        complaint, acting_user=chart.dnk_pracownik, reason=LeaveReason.ANONYMOUS
    )
    response = login(chart.sok_kierownik).post(
        reverse("complaints:explanation_submit", args=[explanation.pk]),
        {"text": "Moje wyjaśnienia", "files": [pdf_upload()]},
    )
    body = response.content.decode()
    assert "jest zakończona – nie można już składać wyjaśnień" in body and "Moje wyjaśnienia" in body
    explanation.refresh_from_db()
    assert explanation.text == "" and not Attachment.objects.exists()


def test_explanation_submitted_on_the_page_by_the_head(chart, login, register):
    complaint = register()
    explanation = services.complaint_request_explanation(
        complaint, acting_user=chart.dnk_pracownik, unit=chart.unit("SOK")
    )
    client = login(chart.sok_kierownik)
    assert "Złóż wyjaśnienia" in client.get(complaint.get_absolute_url()).content.decode()
    response = client.post(
        reverse("complaints:explanation_submit", args=[explanation.pk]),
        {"text": "Obsługa była prawidłowa.", "files": [pdf_upload("notatka.pdf")]},
    )
    assert response.status_code == 302
    explanation = Explanation.objects.get()
    assert explanation.is_submitted and explanation.attachments.count() == 1
    complaint.refresh_from_db()
    assert complaint.status == Status.READY


def test_signature_by_someone_not_allowed_refused_on_the_approval_page(
    chart, login, register, django_capture_on_commit_callbacks
):
    complaint = register()
    with django_capture_on_commit_callbacks(execute=True):
        flow = services.complaint_draft_response(
            complaint, acting_user=chart.dnk_pracownik, body="Uwzględniono.", outcome=Outcome.FOUNDED
        )
    from units.services import approval_approve

    for step in flow.steps.filter(kind="initial").order_by("order"):
        approval_approve(step, acting_user=step.assignee)
    signature = flow.steps.get(kind="signature")
    response = login(chart.dnk_kierownik).post(
        reverse("units:approval_step", args=[signature.pk]), {"approve": "1"}, follow=True
    )
    assert "Ten dokument podpisuje inna osoba." in response.content.decode()
    signature.refresh_from_db()
    complaint.refresh_from_db()
    assert signature.status == ApprovalStep.Status.PENDING and complaint.status == Status.IN_APPROVAL


def test_action_page_shows_service_errors_next_to_fields(chart, login, register):
    complaint = register()
    response = login(chart.dnk_pracownik).post(
        reverse("complaints:action", args=[complaint.pk, "odpowiedz"]),
        {"outcome": Outcome.UNFOUNDED, "body": "Nie uwzględniono."},
    )
    body = response.content.decode()
    assert "musi zawierać uzasadnienie faktyczne" in body and "Nie uwzględniono." in body
    complaint.refresh_from_db()
    assert complaint.status == Status.REGISTERED


def test_detail_shows_timeline_documents_and_deadlines(chart, login, signed):
    body = login(chart.dnk_pracownik).get(signed.get_absolute_url()).content.decode()
    assert "Przebieg sprawy" in body and "Odpowiedź – DNK.1510.1.2026" in body
    assert "Załatwienie sprawy DNK.1510.1.2026" in body and "Odnotuj wysłanie odpowiedzi" in body


def test_xlsx_export(chart, login, register):
    complaint = register()
    response = login(chart.dnk_pracownik).get(reverse("complaints:export_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "Znak sprawy" and sheet["A2"].value == complaint.sign


def test_statistics_page_with_svg_chart_and_annual_pdf(chart, login, signed):
    client = login(chart.dnk_kierownik)
    body = client.get(reverse("complaints:statistics") + "?rok=2026").content.decode()
    assert "<svg" in body and "<rect" in body and "SOK" in body
    import re

    # SVG geometry must not be localised (a Polish decimal comma breaks the drawing).
    rects = re.findall(r'<rect x="([^"]+)" y="([^"]+)" width="([^"]+)" height="([^"]+)"', body)
    assert len(rects) == 12 and all(re.fullmatch(r"-?\d+(\.\d+)?", v) for rect in rects for v in rect)
    assert "style=" not in body.split("<main", 1)[1]
    response = client.get(reverse("complaints:annual_pdf") + "?rok=2026")
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_statistics_counts(chart, register):
    from complaints import selectors

    register(received_on=date(2025, 1, 10))
    register(received_on=date(2025, 1, 20), kind=Kind.MOTION)
    register(received_on=date(2025, 3, 5))
    stats = selectors.statistics(Complaint.objects.all(), 2025, today=date(2025, 2, 25))
    assert stats["total"] == 3
    assert [m["count"] for m in stats["months"]][:3] == [2, 0, 1]
    assert stats["late"] == 2 and stats["late_rate"] == 66.7  # the January ones were due 10 and 20 February


def test_reception_hours_page_is_public(client, chart):
    response = client.get(reverse("complaints:reception"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Anna Kowalska" in body and "Zastępca Dyrektora" in body and "Ewa Wiśniewska" in body


def test_digest_names_the_right_people(chart, register):
    complaint = register(received_on=date(2025, 11, 24), units_concerned=[chart.unit("SOK")])
    services.complaint_request_explanation(
        complaint, acting_user=chart.dnk_pracownik, unit=chart.unit("SOK"), today=date(2025, 12, 19)
    )
    today = date(2025, 12, 23)
    recipients = set(deadlines.digest_recipients(today).values_list("username", flat=True))
    # DNK for the response (C4, due 29.12.2025), SOK's heads (and DSR's head above it) for the explanation (C3).
    assert recipients == {"dnk_pracownik", "dnk_kierownik", "sok_kierownik", "dsr_kierownik"}
    deadlines.digest_enqueue_all(today)
    sok = OutboxEmail.objects.get(key=f"digest:{chart.sok_kierownik.pk}:{today.isoformat()}")
    assert "Wyjaśnienia do sprawy DNK.1510.1.2025 (SOK)" in sok.body_text
    assert "Załatwienie sprawy" not in sok.body_text
    dnk = OutboxEmail.objects.get(key=f"digest:{chart.dnk_pracownik.pk}:{today.isoformat()}")
    assert "Załatwienie sprawy DNK.1510.1.2025" in dnk.body_text
    assert "Adam Skarżący" not in dnk.body_text


def test_digest_names_the_signatory_of_a_pending_signature(chart, register, django_capture_on_commit_callbacks):
    from django.utils import timezone

    from units.services import approval_approve

    complaint = register()
    with django_capture_on_commit_callbacks(execute=True):
        flow = services.complaint_draft_response(
            complaint, acting_user=chart.dnk_pracownik, body="Uwzględniono.", outcome=Outcome.FOUNDED
        )
    for step in flow.steps.filter(kind="initial").order_by("order"):
        approval_approve(step, acting_user=step.assignee)
    recipients = set(deadlines.digest_recipients(timezone.localdate()).values_list("username", flat=True))
    assert "zastepca2" in recipients and "zastepca1" not in recipients and "dyrektor" not in recipients


def test_action_not_allowed_in_the_current_state_redirects_with_message(chart, login, register):
    complaint = register()
    response = login(chart.dnk_pracownik).post(
        reverse("complaints:action", args=[complaint.pk, "wyslano"]), {"sent_on": "2026-03-10"}, follow=True
    )
    # The refusal comes from the procedure table (complaints.procedures.COMPLAINT), in Polish.
    assert "nie jest możliwa, gdy stan to" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.sent_on is None


def test_oral_complaint_reminds_to_attach_the_signed_protocol_scan(chart, login, register):
    complaint = register(channel=Channel.ORAL)
    client = login(chart.dnk_pracownik)
    assert "podpisany protokół" in client.get(complaint.get_absolute_url()).content.decode()
    client.post(
        reverse("complaints:action", args=[complaint.pk, "zalacznik"]),
        {"kind": AttachmentKind.PROTOCOL_SCAN, "file": pdf_upload("protokol-skan.pdf")},
    )
    assert "Skarga wniesiona ustnie" not in client.get(complaint.get_absolute_url()).content.decode()


def test_list_filter_keeps_what_was_typed_and_shows_the_polish_error_next_to_the_field(chart, login):
    url = reverse("complaints:list") + f"?year=dwa&kind={Kind.MOTION}&q=zasi%C5%82ek"
    body = login(chart.dnk_pracownik).get(url).content.decode()
    assert (
        '<input aria-describedby="id_year-error" aria-invalid="true" id="id_year" name="year" step="any" '
        'type="number" value="dwa">'
    ) in body
    assert '<small class="field-error" id="id_year-error">Wpisz liczbę.</small>' in body
    assert f'<option value="{Kind.MOTION}" selected>' in body and 'value="zasiłek"' in body
    assert '<label for="id_unit">' in body and '<option value="" selected>wszystkie</option>' in body
