"""Issue 14: the complaint rules as the documents say them (C5, C9, C11, C14, K6, C1 in Kraśnik)."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from complaints import permissions, selectors, services
from complaints.models import Channel, Complaint, Kind, LeaveReason, Outcome, Status, WhistleblowerChannel
from mopr.deadlines import digest_deadlines_for, met_late
from mopr.models import Deadline
from tests.complaints.conftest import krasnik_people
from units import services as units_services
from units.management.commands.load_institution import load as load_institution
from units.models import ApprovalStep, Membership, Unit, UnitKind
from units.permissions import recompute_unit_groups
from units.services import approval_approve

pytestmark = pytest.mark.django_db


def _sign(chart, complaint, capture, outcome=Outcome.UNFOUNDED):
    explanation = services.complaint_request_explanation(
        complaint, acting_user=chart.dnk_pracownik, unit=chart.unit("SOK")
    )
    services.explanation_submit(explanation, acting_user=chart.sok_kierownik, text="Wniosek rozpatrzono.")
    complaint.refresh_from_db()
    with capture(execute=True):
        flow = services.complaint_draft_response(
            complaint,
            acting_user=chart.dnk_pracownik,
            body="Skargę rozpatrzono.",
            outcome=outcome,
            reasons="Wniosek załatwiono w terminie ustawowym.",
            legal_basis="art. 26 ustawy o świadczeniach rodzinnych",
        )
    for step in flow.steps.order_by("order"):
        step.refresh_from_db()
        assert step.status == ApprovalStep.Status.PENDING
        approval_approve(step, acting_user=step.assignee)
    complaint.refresh_from_db()
    return complaint


@pytest.fixture
def councillor_sent_late(chart, register, django_capture_on_commit_callbacks):
    """A councillor's complaint received 9.11.2026: the 14-day notice is due 23.11, the response went out 29.11."""
    complaint = register(is_parliamentarian=True, received_on=date(2026, 11, 9), units_concerned=[chart.unit("SOK")])
    complaint = _sign(chart, complaint, django_capture_on_commit_callbacks)
    complaint.signed_on = date(2026, 11, 20)
    complaint.save(update_fields=["signed_on"])
    services.complaint_mark_sent(complaint, acting_user=chart.dnk_pracownik, sent_on=date(2026, 11, 29))
    complaint.refresh_from_db()
    return complaint


# --- C14: a different outcome needs a recorded reason -----------------------------------------------------


def test_C14_closing_with_a_different_outcome_than_the_signed_response_needs_a_reason(chart, signed):
    services.complaint_mark_sent(signed, acting_user=chart.dnk_pracownik, sent_on=signed.signed_on)
    with pytest.raises(ValidationError) as exc:
        services.complaint_close(signed, acting_user=chart.dnk_pracownik, outcome=Outcome.FOUNDED)
    assert "note" in exc.value.message_dict
    assert "podpisanej odpowiedzi" in exc.value.message_dict["note"][0]
    signed.refresh_from_db()
    assert signed.status == Status.SENT
    services.complaint_close(
        signed, acting_user=chart.dnk_pracownik, outcome=Outcome.FOUNDED, note="Ponowna analiza akt po wysłaniu."
    )
    signed.refresh_from_db()
    assert signed.outcome == Outcome.FOUNDED and signed.closing_note == "Ponowna analiza akt po wysłaniu."


def test_C14_closing_with_the_signed_responses_outcome_needs_no_reason(chart, signed):
    services.complaint_mark_sent(signed, acting_user=chart.dnk_pracownik, sent_on=signed.signed_on)
    services.complaint_close(signed, acting_user=chart.dnk_pracownik, outcome=Outcome.UNFOUNDED)
    signed.refresh_from_db()
    assert signed.status == Status.CLOSED


def test_C14_the_close_form_shows_the_reason_message_next_to_the_field(chart, signed, login):
    services.complaint_mark_sent(signed, acting_user=chart.dnk_pracownik, sent_on=signed.signed_on)
    client = login(chart.dnk_pracownik)
    response = client.post(
        reverse("complaints:action", args=[signed.pk, "zakoncz"]),
        {"outcome": Outcome.FOUNDED, "note": "", "confirm-reason": "Ponowna analiza akt."},
    )
    assert response.status_code == 200
    assert "podpisanej odpowiedzi" in response.content.decode()
    signed.refresh_from_db()
    assert signed.status == Status.SENT


# --- K6: a deadline met after its due date is late everywhere ---------------------------------------------


def test_K6_councillors_notice_sent_after_its_due_date_is_met_late(chart, councillor_sent_late):
    row = Deadline.objects.for_object(councillor_sent_late).get(kind=services.DL_PARLIAMENTARIAN)
    assert row.due == date(2026, 11, 23)
    assert row.met_at is not None and met_late(row)
    on_time = Deadline.objects.for_object(councillor_sent_late).get(kind=services.DL_RESPONSE)
    assert not met_late(on_time)


def test_K6_statistics_count_a_late_councillors_notice(chart, councillor_sent_late):
    stats = selectors.statistics(Complaint.objects.all(), 2026, today=date(2026, 11, 29))
    assert stats["late"] == 1


def test_K6_case_page_and_annual_pdf_say_po_terminie(chart, councillor_sent_late, login):
    client = login(chart.dnk_pracownik)
    page = client.get(reverse("complaints:detail", args=[councillor_sent_late.pk])).content.decode()
    assert "po terminie" in page
    stats = selectors.statistics(Complaint.objects.all(), 2026, today=date(2026, 11, 29))
    html = render_to_string(
        "pdf/complaints/annual_summary.html",
        {"stats": stats, "entries": Complaint.objects.filter(year=2026), "document": {"title": "x"}},
    )
    assert "Załatwione po terminie</th><td>1 (" in html
    assert "po terminie</td>" in html


# --- C5: the 7-day forwarding limit is a deadline of the register keeper ------------------------------------


def test_C5_forwarding_limit_is_a_deadline_opened_at_registration_for_the_register_keeper(chart, register):
    complaint = register(received_on=date(2025, 12, 19))
    row = Deadline.objects.for_object(complaint).open().get(kind=services.DL_FORWARD)
    assert row.due == date(2025, 12, 29) and row.rule == "C5"
    assert Deadline.objects.open().for_person(chart.dnk_pracownik).filter(pk=row.pk).exists()
    assert row in list(digest_deadlines_for(chart.dnk_pracownik, date(2025, 12, 23)))


def test_C5_forwarding_meets_the_forwarding_deadline(chart, register):
    complaint = register(received_on=date(2025, 12, 19))
    services.complaint_forward(
        complaint,
        acting_user=chart.dnk_pracownik,
        to_body="Prezydent Miasta Białegostoku",
        reason="Skarga dotyczy pracy Urzędu Miejskiego.",
        on=date(2025, 12, 29),
    )
    row = Deadline.objects.for_object(complaint).get(kind=services.DL_FORWARD)
    assert row.met_at is not None and not met_late(row)


def test_C5_requesting_explanations_meets_the_forwarding_deadline(chart, register):
    complaint = register(units_concerned=[chart.unit("SOK")])
    services.complaint_request_explanation(complaint, acting_user=chart.dnk_pracownik, unit=chart.unit("SOK"))
    row = Deadline.objects.for_object(complaint).get(kind=services.DL_FORWARD)
    assert row.met_at is not None


def test_C5_closing_cancels_the_forwarding_deadline(chart, register):
    complaint = register(anonymous=True, complainant_name="")
    services.complaint_leave_without_consideration(
        complaint, acting_user=chart.dnk_pracownik, reason=LeaveReason.ANONYMOUS
    )
    row = Deadline.objects.for_object(complaint).get(kind=services.DL_FORWARD)
    assert row.cancelled_at is not None and row.met_at is None


# --- C9: the 7 days run from the delivery of the completion request ------------------------------------------


def test_C9_completion_deadline_runs_from_the_delivery_of_the_request(chart, register):
    complaint = register(received_on=date(2026, 11, 2))
    services.complaint_request_completion(
        complaint,
        acting_user=chart.dnk_pracownik,
        what="Prosimy wskazać, której decyzji dotyczy skarga.",
        today=date(2026, 11, 3),
    )
    services.complaint_record_completion_delivery(
        complaint, acting_user=chart.dnk_pracownik, delivered_on=date(2026, 11, 10)
    )
    complaint.refresh_from_db()
    # 10.11 + 7 = 17.11.2026 (a Tuesday).
    assert complaint.completion_delivered_on == date(2026, 11, 10)
    assert complaint.completion_due == date(2026, 11, 17)
    assert Deadline.objects.for_object(complaint).open().get(kind=services.DL_COMPLETION).due == date(2026, 11, 17)
    assert complaint.status == Status.COMPLETION_REQUESTED


def test_C9_request_not_delivered_is_recorded_and_no_deadline_runs(chart, register):
    complaint = register(received_on=date(2026, 11, 2))
    services.complaint_request_completion(
        complaint,
        acting_user=chart.dnk_pracownik,
        what="Prosimy wskazać, której decyzji dotyczy skarga.",
    )
    with pytest.raises(ValidationError) as exc:
        services.complaint_record_completion_delivery(complaint, acting_user=chart.dnk_pracownik)
    assert "delivered_on" in exc.value.message_dict
    services.complaint_record_completion_delivery(complaint, acting_user=chart.dnk_pracownik, not_delivered=True)
    complaint.refresh_from_db()
    assert complaint.completion_not_delivered and complaint.completion_due is None
    assert not Deadline.objects.for_object(complaint).open().filter(kind=services.DL_COMPLETION).exists()


def test_C9_delivery_button_and_form_on_the_case_page(chart, register, login):
    complaint = register(received_on=date(2026, 11, 2))
    services.complaint_request_completion(
        complaint,
        acting_user=chart.dnk_pracownik,
        what="Prosimy wskazać, której decyzji dotyczy skarga.",
    )
    client = login(chart.dnk_pracownik)
    url = reverse("complaints:action", args=[complaint.pk, "doreczenie"])
    assert url in client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    response = client.post(url, {"delivered_on": "2026-11-10"})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.completion_due == date(2026, 11, 17)


# --- C11: the feedback deadline from receipt; no self-assignment -------------------------------------------


@pytest.fixture
def wb_report(chart):
    return services.whistleblower_register(
        acting_user=chart.dnk_pracownik,
        received_on=date(2025, 12, 19),
        channel=WhistleblowerChannel.WRITTEN,
        subject="Nieprawidłowości przy zamówieniu publicznym",
        reporter_name="Zofia Sygnalistka",
    )


def test_C11_unacknowledged_report_carries_feedback_deadline_three_months_after_the_seven_days(chart, wb_report):
    # The 7 days end on 29.12.2025; + 3 months = 29.03.2026, a Sunday -> Monday 30 March.
    assert wb_report.ack_due == date(2025, 12, 29)
    assert wb_report.feedback_due == date(2026, 3, 30)
    row = Deadline.objects.for_object(wb_report).open().get(kind=services.DL_WB_FEEDBACK)
    assert row.due == date(2026, 3, 30) and row.responsible_user == chart.dnk_pracownik


def test_C11_acknowledging_moves_the_feedback_deadline(chart, wb_report):
    services.whistleblower_acknowledge(wb_report, acting_user=chart.dnk_pracownik, on=date(2025, 12, 22))
    rows = Deadline.objects.for_object(wb_report).open().filter(kind=services.DL_WB_FEEDBACK)
    assert [row.due for row in rows] == [date(2026, 3, 23)]


def test_C11_nobody_assigns_a_report_to_themselves(chart, wb_report):
    with pytest.raises(ValidationError) as exc:
        services.whistleblower_assign(wb_report, acting_user=chart.dnk_kierownik, user=chart.dnk_kierownik)
    assert "samemu sobie" in exc.value.message_dict["user"][0]
    assert not permissions.can_see_reporter(chart.dnk_kierownik, wb_report)


def test_C11_assignment_by_another_register_keeper(chart, wb_report):
    second = get_user_model().objects.create_user("dnk_zastepca", "dnk_zastepca@mopr.test", "x")
    Membership.objects.create(
        user=second, unit=chart.unit("DNK"), position="head", title="Zastępca kierownika", valid_from=date(2020, 1, 1)
    )
    recompute_unit_groups(chart.institution)
    services.whistleblower_assign(wb_report, acting_user=second, user=chart.dnk_kierownik)
    assert permissions.can_see_reporter(chart.dnk_kierownik, wb_report)


# --- C1: Kraśnik's register is kept by the Kierownik ---------------------------------------------------------


def test_C1_krasnik_register_is_kept_by_the_kierownik(db):
    institution, _created = load_institution("krasnik")
    kierownik = get_user_model().objects.create_user("krasnik_kierownik", "k@mops.test", "x")
    root = Unit.objects.get(institution=institution, kind=UnitKind.MANAGEMENT, parent__isnull=True)
    Membership.objects.create(
        user=kierownik, unit=root, position="head", title="Kierownik", valid_from=date(2020, 1, 1)
    )
    recompute_unit_groups(institution)
    assert not Unit.objects.filter(institution=institution, symbol="DNK").exists()
    assert services.register_unit(institution) == root
    assert permissions.can_register_complaint(kierownik)
    complaint = services.complaint_register(
        acting_user=kierownik,
        kind=Kind.COMPLAINT,
        received_on=date(2026, 11, 2),
        channel=Channel.LETTER,
        subject="Przewlekłość postępowania",
        complainant_name="Anna Kowalska",
        complainant_address="ul. Lubelska 1, 23-200 Kraśnik",
    )
    assert complaint.unit == root and complaint.sign == f"{root.symbol}.1510.1.2026"
    assert Deadline.objects.for_object(complaint).open().filter(kind=services.DL_RESPONSE).exists()


def _approve_all(flow):
    for step in flow.steps.order_by("order"):
        step.refresh_from_db()
        approval_approve(step, acting_user=step.assignee)


def test_C1_U6_krasnik_complaint_registered_explained_signed_by_the_kierownik_sent_and_closed(
    db, django_capture_on_commit_callbacks
):
    """C1, C3, C10 on Kraśnik's chart: the Kierownik keeps the register (the keeper comes with the structure), asks
    DPŚ for an explanation, drafts the response and signs it (001 §22.1); the Zastępca may not sign while the
    Kierownik is present, and signs only during the Kierownik's recorded absence (001 §22.3); then the response
    is sent and the entry closed with the reason in the history (issue 15)."""
    institution, people = krasnik_people()
    kierownik, zastepca, dps = people["kierownik"], people["zastepca"], people["dps_kierownik"]
    root = institution.units.get(symbol="DYR")
    assert services.register_unit(institution) == root and permissions.can_register_complaint(kierownik)
    assert not permissions.can_register_complaint(dps)
    today = timezone.localdate()
    complaint = services.complaint_register(
        acting_user=kierownik,
        kind=Kind.COMPLAINT,
        received_on=today,
        channel=Channel.LETTER,
        subject="Przewlekłość postępowania w sprawie zasiłku celowego",
        complainant_name="Anna Kowalska",
        complainant_address="ul. Lubelska 1, 23-200 Kraśnik",
    )
    assert complaint.unit == root

    # C3: DPŚ's head is asked and explains.
    explanation = services.complaint_request_explanation(
        complaint, acting_user=kierownik, unit=institution.units.get(symbol="DPŚ")
    )
    assert permissions.can_explain_complaint(dps, complaint, explanation)
    services.explanation_submit(explanation, acting_user=dps, text="Wniosek rozpatrzono w terminie ustawowym.")
    complaint.refresh_from_db()
    assert complaint.status == Status.READY

    # C10 / 001 §22.1: the response goes to the Kierownik for signature; the Zastępca, while the Kierownik is
    # present, is refused.
    with django_capture_on_commit_callbacks(execute=True):
        flow = services.complaint_draft_response(
            complaint,
            acting_user=kierownik,
            body="Skargę rozpatrzono po uzyskaniu wyjaśnień Działu Pomocy Środowiskowej.",
            outcome=Outcome.UNFOUNDED,
            reasons="Wniosek rozpatrzono w terminie.",
            legal_basis="art. 238 § 1 KPA",
        )
    signature = flow.steps.get(kind=ApprovalStep.Kind.SIGNATURE)
    assert signature.assignee == kierownik
    for step in flow.steps.exclude(kind=ApprovalStep.Kind.SIGNATURE).order_by("order"):
        approval_approve(step, acting_user=step.assignee)
    signature.refresh_from_db()
    with pytest.raises(PermissionDenied):
        approval_approve(signature, acting_user=zastepca)
    approval_approve(signature, acting_user=kierownik)
    complaint.refresh_from_db()
    assert complaint.status == Status.SIGNED and complaint.signed_by == kierownik

    services.complaint_mark_sent(complaint, acting_user=kierownik, sent_on=today)
    services.complaint_close(
        complaint, acting_user=kierownik, outcome=Outcome.UNFOUNDED, change_reason="Odpowiedź doręczona."
    )
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED and complaint.outcome == Outcome.UNFOUNDED
    assert complaint.history.latest().history_change_reason == "Odpowiedź doręczona."
    assert not Deadline.objects.for_object(complaint).open().exists()

    # 001 §22.3: during the Kierownik's recorded absence the Zastępca signs the next response.
    units_services.absence_register(user=kierownik, date_from=today, date_to=today, reason="urlop")
    second = services.complaint_register(
        acting_user=zastepca,
        kind=Kind.MOTION,
        received_on=today,
        channel=Channel.LETTER,
        subject="Wniosek o wydłużenie godzin przyjęć",
        complainant_name="Jan Nowak",
        complainant_address="ul. Lubelska 2, 23-200 Kraśnik",
    )
    with django_capture_on_commit_callbacks(execute=True):
        flow = services.complaint_draft_response(
            second, acting_user=zastepca, body="Wniosek przyjęto do realizacji.", outcome=Outcome.FOUNDED
        )
    assert flow.steps.get(kind=ApprovalStep.Kind.SIGNATURE).assignee == zastepca
    _approve_all(flow)
    second.refresh_from_db()
    assert second.status == Status.SIGNED and second.signed_by == zastepca
