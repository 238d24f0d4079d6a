"""Rules C1-C12 of the complaints register (KPA art. 221-247, the 2002 regulation on complaints and motions,
000 §34-36) with real dates across Polish holidays (K1-K3)."""

from datetime import date, datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from complaints import selectors, services
from complaints.models import Channel, Complaint, Explanation, Kind, LeaveReason, Outcome, RegisterConfig, Status
from mopr.models import Deadline, Document
from units.models import Absence, ApprovalStep
from units.services import approval_approve

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db


def _open_deadline(obj, kind):
    return Deadline.objects.for_object(obj).open().get(kind=kind)


# --- C1: one register, numbered per year, configurable sign; oral complaint -> protocol -------------------


def test_C1_case_sign_numbered_per_register_and_year(chart, register):
    first = register(received_on=date(2025, 12, 30))
    second = register(received_on=date(2026, 1, 2))
    third = register(received_on=date(2026, 1, 5), kind=Kind.MOTION)
    assert first.sign == "DNK.1510.1.2025"
    assert second.sign == "DNK.1510.1.2026"
    assert third.sign == "DNK.1510.2.2026"  # complaints and motions share one register (C1)


def test_C1_case_sign_format_is_configuration(chart, register):
    RegisterConfig.objects.update_or_create(
        institution=chart.institution, defaults={"complaint_sign_format": "{unit}-SKW/{year}/{number}"}
    )
    assert register(received_on=date(2026, 2, 2)).sign == "DNK-SKW/2026/1"


def test_C1_oral_complaint_produces_protocol_pdf(chart, register, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = register(channel=Channel.ORAL, description="Pani w okienku odmówiła przyjęcia wniosku.")
    document = Document.objects.get(object_id=complaint.pk, kind=services.DOC_PROTOCOL)
    assert document.status == Document.Status.READY
    assert document.context["complainant_name"] == "Adam Skarżący"


def test_C1_protocol_not_generated_for_a_letter(chart, register):
    complaint = register(channel=Channel.LETTER)
    assert not Document.objects.filter(object_id=complaint.pk, kind=services.DOC_PROTOCOL).exists()


# --- C2: reception hours ---------------------------------------------------------------------------------


def test_C2_easter_monday_session_moves_to_tuesday(chart):
    # Easter Monday 2026 is 6 April: on Thursday 2 April the next Monday session is on Tuesday 7 April.
    day, moved = selectors.next_session(0, *_hours("14:00", "17:00"), datetime(2026, 4, 2, 9, 0))
    assert (day, moved) == (date(2026, 4, 7), True)


def test_C2_ordinary_monday_session_is_on_monday(chart):
    day, moved = selectors.next_session(0, *_hours("14:00", "17:00"), datetime(2026, 4, 9, 9, 0))
    assert (day, moved) == (date(2026, 4, 13), False)


def test_C2_session_already_over_today_goes_to_next_week(chart):
    # Monday 13 April 2026 at 17:30: today's session is over.
    day, _moved = selectors.next_session(0, *_hours("14:00", "17:00"), datetime(2026, 4, 13, 17, 30))
    assert day == date(2026, 4, 20)


def test_C2_moved_session_still_ahead_on_the_tuesday(chart):
    # Tuesday 7 April 2026 in the morning: the moved Monday session is today.
    day, moved = selectors.next_session(0, *_hours("14:00", "17:00"), datetime(2026, 4, 7, 9, 0))
    assert (day, moved) == (date(2026, 4, 7), True)


def test_C2_schedule_names_the_holders_from_the_institution_config(chart):
    slots = selectors.reception_schedule(chart.institution, datetime(2026, 4, 2, 9, 0))
    director_monday = next(s for s in slots if s.person == "Anna Kowalska" and s.weekday == "poniedziałek")
    assert director_monday.next_day == date(2026, 4, 7) and director_monday.moved
    assert director_monday.hours == "14:00–17:00"


def test_C2_krasnik_director_on_wednesdays(db):
    from units.management.commands.load_institution import load

    institution, _ = load("krasnik")
    slots = selectors.reception_schedule(institution, datetime(2026, 12, 21, 9, 0))
    wednesday = next(s for s in slots if s.weekday == "środa" and s.hours == "11:00–13:00")
    assert wednesday.next_day == date(2026, 12, 23)


def _hours(start, end):
    return selectors._parse(start, None), selectors._parse(end, None)


# --- C3: explanations -------------------------------------------------------------------------------------


def test_C3_explanation_due_in_seven_days_rolled_over_holidays(chart, register):
    complaint = register(received_on=date(2025, 12, 15))
    explanation = services.complaint_request_explanation(
        complaint, acting_user=chart.dnk_pracownik, unit=chart.unit("SOK"), today=date(2025, 12, 19)
    )
    # 19.12.2025 + 7 = 26.12 (holiday) -> 27 Sat -> 28 Sun -> Monday 29.12.2025.
    assert explanation.due == date(2025, 12, 29)
    deadline = _open_deadline(explanation, services.DL_EXPLANATION)
    assert deadline.due == date(2025, 12, 29) and deadline.rule == "C3"
    assert deadline.responsible_group.name.endswith(":heads")


def test_C3_internal_deadline_is_configurable(chart, register):
    RegisterConfig.objects.update_or_create(institution=chart.institution, defaults={"explanation_days": 3})
    complaint = register(received_on=date(2026, 3, 2))
    explanation = services.complaint_request_explanation(
        complaint, acting_user=chart.dnk_pracownik, unit=chart.unit("SOK"), today=date(2026, 3, 2)
    )
    assert explanation.due == date(2026, 3, 5)


def test_C3_all_explanations_in_moves_entry_to_response(chart, register):
    complaint = register()
    sok = services.complaint_request_explanation(complaint, acting_user=chart.dnk_pracownik, unit=chart.unit("SOK"))
    zps = services.complaint_request_explanation(
        complaint, acting_user=chart.dnk_pracownik, unit=chart.unit("ZPS Nr 1")
    )
    services.explanation_submit(sok, acting_user=chart.sok_kierownik, text="Wyjaśniam.")
    complaint.refresh_from_db()
    assert complaint.status == Status.EXPLAINING
    services.explanation_submit(
        zps, acting_user=chart.zps1_kierownik, text="Wyjaśniam także.", files=[pdf_upload("notatka.pdf")]
    )
    complaint.refresh_from_db()
    assert complaint.status == Status.READY
    assert not Deadline.objects.for_object(zps).open().exists()
    assert zps.attachments.count() == 1


def test_C3_head_of_another_unit_cannot_submit(chart, register):
    complaint = register()
    sok = services.complaint_request_explanation(complaint, acting_user=chart.dnk_pracownik, unit=chart.unit("SOK"))
    services.complaint_request_explanation(complaint, acting_user=chart.dnk_pracownik, unit=chart.unit("ZPS Nr 1"))
    with pytest.raises(PermissionDenied):
        services.explanation_submit(sok, acting_user=chart.zps1_kierownik, text="Nie moja komórka.")
    sok.refresh_from_db()
    assert not sok.is_submitted


def test_C3_explanation_to_closed_entry_is_refused_and_nothing_saved(chart, register):
    complaint = register()
    explanation = services.complaint_request_explanation(
        complaint, acting_user=chart.dnk_pracownik, unit=chart.unit("SOK")
    )
    earlier = Complaint.objects.create(
        unit=complaint.unit,
        kind=Kind.COMPLAINT,
        year=2025,
        number=99,
        sign="DNK.1510.99.2025",
        received_on=date(2025, 5, 5),
        subject="x",
        statutory_due=date(2025, 6, 5),
        due_date=date(2025, 6, 5),
        status=Status.CLOSED,
        outcome=Outcome.UNFOUNDED,
    )
    services.complaint_close(
        complaint,
        acting_user=chart.dnk_pracownik,
        outcome=Outcome.REPEATED,
        repeated_of=earlier,
        note="Brak nowych okoliczności.",
    )
    with pytest.raises(ValidationError) as exc:
        services.explanation_submit(
            explanation, acting_user=chart.sok_kierownik, text="Spóźnione.", files=[pdf_upload()]
        )
    assert "zakończona" in exc.value.messages[0]
    explanation.refresh_from_db()
    assert explanation.text == "" and not explanation.attachments.exists()


# --- C4: one month from receipt, K2-K3 -------------------------------------------------------------------


@pytest.mark.parametrize(
    "received, due",
    [
        (date(2026, 1, 31), date(2026, 3, 2)),  # 28.02.2026 is a Saturday -> Monday 2 March
        (date(2026, 4, 3), date(2026, 5, 4)),  # 3 May (holiday, Sunday) -> Monday 4 May
        (date(2025, 11, 24), date(2025, 12, 29)),  # 24.12.2025 holiday, 25-26 holidays, weekend -> 29 Dec
        (date(2024, 11, 24), date(2024, 12, 24)),  # 24.12.2024 was a working day
        (date(2026, 3, 31), date(2026, 4, 30)),  # no 31 April -> last day of April
    ],
)
def test_C4_response_due_one_month_after_receipt(chart, register, received, due):
    complaint = register(received_on=received)
    assert complaint.statutory_due == due and complaint.due_date == due
    deadline = _open_deadline(complaint, services.DL_RESPONSE)
    assert deadline.due == due and deadline.rule == "C4"
    assert deadline.responsible_group.name.endswith(":staff")


def test_C4_same_deadline_for_motions(chart, register):
    assert register(kind=Kind.MOTION, received_on=date(2026, 1, 31)).due_date == date(2026, 3, 2)


def test_C4_sending_the_response_meets_the_deadline(chart, signed):
    services.complaint_mark_sent(signed, acting_user=chart.dnk_pracownik, sent_on=signed.signed_on)
    assert not Deadline.objects.for_object(signed).open().filter(kind=services.DL_RESPONSE).exists()


def test_C4_receipt_date_in_the_future_is_refused(chart, register):
    with pytest.raises(ValidationError) as exc:
        register(received_on=date(2099, 1, 1))
    assert "received_on" in exc.value.message_dict
    assert "późniejsza niż dzisiejsza" in exc.value.message_dict["received_on"][0]
    assert not Complaint.objects.exists()


# --- C5: forwarding within 7 days ---------------------------------------------------------------------------


def test_C5_forward_limit_seven_days_across_christmas(chart, register):
    complaint = register(received_on=date(2025, 12, 19))
    # 26.12.2025 is a holiday, then a weekend: the limit is Monday 29 December.
    assert services.forward_limit(complaint) == date(2025, 12, 29)


def test_C5_forward_within_limit_notifies_complainant(chart, register, django_capture_on_commit_callbacks):
    complaint = register(received_on=date(2025, 12, 19))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_forward(
            complaint,
            acting_user=chart.dnk_pracownik,
            to_body="Prezydent Miasta Białegostoku",
            reason="Skarga dotyczy pracy Urzędu Miejskiego.",
            on=date(2025, 12, 29),
        )
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED and complaint.outcome == Outcome.FORWARDED
    assert Document.objects.get(object_id=complaint.pk, kind=services.DOC_FORWARD).status == Document.Status.READY
    assert [m.to for m in mail.outbox] == [["adam@example.org"]]
    assert not Deadline.objects.for_object(complaint).open().exists()


def test_C5_late_forward_needs_a_reason(chart, register):
    complaint = register(received_on=date(2025, 12, 19))
    with pytest.raises(ValidationError) as exc:
        services.complaint_forward(
            complaint,
            acting_user=chart.dnk_pracownik,
            to_body="Wojewoda Podlaski",
            reason="Właściwość wojewody.",
            on=date(2025, 12, 30),
        )
    assert "29.12.2025" in exc.value.message_dict["delay_reason"][0]
    complaint.refresh_from_db()
    assert complaint.status == Status.REGISTERED
    services.complaint_forward(
        complaint,
        acting_user=chart.dnk_pracownik,
        to_body="Wojewoda Podlaski",
        reason="Właściwość wojewody.",
        on=date(2025, 12, 30),
        delay_reason="Nieobecność pracownika.",
    )
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED


# --- C6: never to the person concerned or their subordinate ---------------------------------------------


def test_C6_explanation_from_the_person_concerned_is_refused(chart, register):
    complaint = register(employee_concerned=chart.sok_kierownik)
    with pytest.raises(ValidationError) as exc:
        services.complaint_request_explanation(complaint, acting_user=chart.dnk_pracownik, unit=chart.unit("SOK"))
    assert "C6" in exc.value.message_dict["assignee"][0]
    assert not Explanation.objects.exists()


def test_C6_explanation_from_a_subordinate_of_the_person_concerned_is_refused(chart, register):
    complaint = register(employee_concerned=chart.dsr_kierownik)
    # SOK is a section of DSR: its head is the DSR head's subordinate.
    # SOK's heads group includes the heads of the units above it: the DSR head himself among them.
    with pytest.raises(ValidationError, match="Skarga dotyczy .*C6"):
        services.complaint_request_explanation(complaint, acting_user=chart.dnk_pracownik, unit=chart.unit("SOK"))
    with pytest.raises(ValidationError, match="podwładnym"):
        services.complaint_request_explanation(
            complaint, acting_user=chart.dnk_pracownik, unit=chart.unit("DSR"), assignee=chart.sok_kierownik
        )


def test_C6_explanation_from_the_superior_is_accepted(chart, register):
    complaint = register(employee_concerned=chart.sok_pracownik)
    explanation = services.complaint_request_explanation(
        complaint, acting_user=chart.dnk_pracownik, unit=chart.unit("SOK")
    )
    assert explanation.pk
    complaint_about_head = register(employee_concerned=chart.dsr_kierownik)
    named = services.complaint_request_explanation(
        complaint_about_head, acting_user=chart.dnk_pracownik, unit=chart.unit("DSR"), assignee=chart.zastepca1
    )
    assert _open_deadline(named, services.DL_EXPLANATION).responsible_user == chart.zastepca1


def test_C6_superior_relation_follows_the_chart(chart):
    assert services.is_superior(chart.dsr_kierownik, chart.sok_kierownik)
    assert services.is_superior(chart.sok_kierownik, chart.sok_pracownik)
    assert services.is_superior(chart.zastepca1, chart.sok_kierownik)  # supervises DSR and its sections
    assert services.is_superior(chart.dyrektor, chart.dnk_pracownik)
    assert not services.is_superior(chart.sok_pracownik, chart.sok_kierownik)
    assert not services.is_superior(chart.zastepca2, chart.sok_kierownik)  # supervises other units
    assert not services.is_superior(chart.dnk_kierownik, chart.sok_pracownik)


# --- C7: new date with reason and notice ------------------------------------------------------------------


def test_C7_extension_sets_new_deadline_reason_and_notice(chart, register, django_capture_on_commit_callbacks):
    complaint = register(received_on=date(2026, 3, 2))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_extend(
            complaint,
            acting_user=chart.dnk_pracownik,
            new_due=date(2026, 5, 2),
            reason="Oczekiwanie na dokumenty z sądu rodzinnego.",
        )
    complaint.refresh_from_db()
    # 2 May 2026 is a Saturday before the 3 May holiday (Sunday): rolled to Monday 4 May (K3).
    assert complaint.due_date == date(2026, 5, 4)
    assert complaint.statutory_due == date(2026, 4, 2)
    assert _open_deadline(complaint, services.DL_RESPONSE).due == date(2026, 5, 4)
    assert Document.objects.get(object_id=complaint.pk, kind=services.DOC_EXTENSION).status == Document.Status.READY
    assert "04.05.2026" in mail.outbox[0].body


def test_C7_extension_without_reason_or_to_an_earlier_date_is_refused(chart, register):
    complaint = register(received_on=date(2026, 3, 2))
    with pytest.raises(ValidationError) as exc:
        services.complaint_extend(complaint, acting_user=chart.dnk_pracownik, new_due=date(2026, 3, 20), reason="")
    assert set(exc.value.message_dict) == {"new_due", "reason"}
    complaint.refresh_from_db()
    assert complaint.due_date == date(2026, 4, 2)


# --- C8: repeated complaint -------------------------------------------------------------------------------


def test_C8_repeated_complaint_after_unfounded_closed_by_note(chart, signed, register):
    services.complaint_mark_sent(signed, acting_user=chart.dnk_pracownik, sent_on=signed.signed_on)
    services.complaint_close(signed, acting_user=chart.dnk_pracownik, outcome=Outcome.UNFOUNDED)
    again = register(received_on=date(2026, 3, 20))
    services.complaint_close(
        again,
        acting_user=chart.dnk_pracownik,
        outcome=Outcome.REPEATED,
        repeated_of=signed,
        note="Skarga powtarza zarzuty bez nowych okoliczności.",
    )
    again.refresh_from_db()
    assert again.status == Status.CLOSED and again.outcome == Outcome.REPEATED
    assert not Deadline.objects.for_object(again).open().exists()


def test_C8_not_applicable_when_earlier_complaint_was_founded(chart, signed, register):
    services.complaint_mark_sent(signed, acting_user=chart.dnk_pracownik, sent_on=signed.signed_on)
    # C14: the signed response said "unfounded"; the different outcome carries its reason.
    services.complaint_close(
        signed, acting_user=chart.dnk_pracownik, outcome=Outcome.FOUNDED, note="Ponowna ocena akt po wysłaniu."
    )
    again = register()
    with pytest.raises(ValidationError) as exc:
        services.complaint_close(
            again, acting_user=chart.dnk_pracownik, outcome=Outcome.REPEATED, repeated_of=signed, note="x"
        )
    assert "nie została uznana za bezzasadną" in exc.value.message_dict["repeated_of"][0]


# --- C9: anonymous, completion ---------------------------------------------------------------------------


def test_C9_anonymous_complaint_left_without_consideration(chart, register):
    complaint = register(anonymous=True, complainant_name="", complainant_address="")
    services.complaint_leave_without_consideration(
        complaint, acting_user=chart.dnk_pracownik, reason=LeaveReason.ANONYMOUS
    )
    complaint.refresh_from_db()
    assert complaint.outcome == Outcome.LEFT and complaint.status == Status.CLOSED


def test_C9_signed_complaint_cannot_be_left_as_anonymous(chart, register):
    complaint = register()
    with pytest.raises(ValidationError, match="podał imię i nazwisko oraz adres"):
        services.complaint_leave_without_consideration(
            complaint, acting_user=chart.dnk_pracownik, reason=LeaveReason.ANONYMOUS
        )


def test_C9_completion_requested_within_seven_days_then_left(chart, register, django_capture_on_commit_callbacks):
    complaint = register(received_on=date(2026, 4, 27))
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_request_completion(
            complaint,
            acting_user=chart.dnk_pracownik,
            what="Proszę wskazać, której decyzji dotyczy skarga.",
            today=date(2026, 4, 27),
        )
    complaint.refresh_from_db()
    # 27.04 + 7 = 4 May 2026 (Monday after the 3 May holiday falling on Sunday): a working day.
    assert complaint.completion_due == date(2026, 5, 4)
    assert _open_deadline(complaint, services.DL_COMPLETION).rule == "C9"
    assert Document.objects.get(object_id=complaint.pk, kind=services.DOC_COMPLETION).status == "ready"
    with pytest.raises(ValidationError) as exc:
        services.complaint_leave_without_consideration(
            complaint, acting_user=chart.dnk_pracownik, reason=LeaveReason.NOT_COMPLETED, today=date(2026, 5, 4)
        )
    assert "04.05.2026" in exc.value.message_dict["reason"][0]
    services.complaint_leave_without_consideration(
        complaint, acting_user=chart.dnk_pracownik, reason=LeaveReason.NOT_COMPLETED, today=date(2026, 5, 5)
    )
    complaint.refresh_from_db()
    assert complaint.outcome == Outcome.LEFT


def test_C9_completion_received_continues_the_procedure(chart, register):
    complaint = register()
    services.complaint_request_completion(complaint, acting_user=chart.dnk_pracownik, what="Podpis.")
    services.complaint_completion_received(complaint, acting_user=chart.dnk_pracownik, note="Podpisane pismo.")
    complaint.refresh_from_db()
    assert complaint.status == Status.REGISTERED
    assert not Deadline.objects.for_object(complaint).open().filter(kind=services.DL_COMPLETION).exists()


# --- C10: signature by the Director, a Deputy or whoever acts ----------------------------------------------


def test_C10_response_signed_by_supervising_deputy(chart, signed):
    assert signed.status == Status.SIGNED and signed.signed_by == chart.zastepca2
    document = Document.objects.get(object_id=signed.pk, kind=services.DOC_RESPONSE)
    step = ApprovalStep.objects.get(flow__document=document, kind="signature")
    assert step.sha256 == document.sha256
    text = _pdf_text(document)
    assert "Odpowiedź na skargę" in text and "Uzasadnienie faktyczne" in text and "bezzasadna" in text
    assert "Adam Skarżący" in text and signed.sign in text
    assert "Ewa Wiśniewska" in text  # the signatory named under the signature line


def _pdf_text(document):
    import io

    from pypdf import PdfReader

    with document.file.open("rb") as handle:
        return "".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)


def test_history_records_who_acted_at_each_step(chart, signed):
    records = {row.history_change_reason: row.history_user for row in signed.history.all()}
    assert records["rejestracja"] == chart.dnk_pracownik
    assert records["komplet wyjaśnień"] == chart.sok_kierownik
    assert records["odpowiedź podpisana"] == chart.zastepca2


def test_C10_signature_by_someone_not_allowed_is_refused(chart, register, django_capture_on_commit_callbacks):
    complaint = register()
    with django_capture_on_commit_callbacks(execute=True):
        flow = services.complaint_draft_response(
            complaint, acting_user=chart.dnk_pracownik, body="Uwzględniono.", outcome=Outcome.FOUNDED
        )
    for step in flow.steps.filter(kind="initial").order_by("order"):
        approval_approve(step, acting_user=step.assignee)
    signature = flow.steps.get(kind="signature")
    for intruder in (chart.dnk_kierownik, chart.zastepca1, chart.ksiegowa):
        with pytest.raises(PermissionDenied):
            approval_approve(signature, acting_user=intruder)
    complaint.refresh_from_db()
    signature.refresh_from_db()
    assert complaint.status == Status.IN_APPROVAL and signature.status == "pending"


def test_C10_when_deputy_is_absent_the_acting_director_signs(chart, register, django_capture_on_commit_callbacks):
    from django.utils import timezone

    today = timezone.localdate()
    Absence.objects.create(user=chart.zastepca2, date_from=today, date_to=today, reason="urlop")
    complaint = register()
    with django_capture_on_commit_callbacks(execute=True):
        flow = services.complaint_draft_response(
            complaint, acting_user=chart.dnk_pracownik, body="Uwzględniono.", outcome=Outcome.FOUNDED
        )
    assert flow.steps.get(kind="signature").assignee == chart.dyrektor


def test_C10_rejection_needs_factual_and_legal_reasons(chart, register):
    complaint = register()
    with pytest.raises(ValidationError) as exc:
        services.complaint_draft_response(
            complaint, acting_user=chart.dnk_pracownik, body="Nie uwzględniono.", outcome=Outcome.UNFOUNDED
        )
    assert set(exc.value.message_dict) == {"reasons", "legal_basis"}
    complaint.refresh_from_db()
    assert complaint.status == Status.REGISTERED and not Document.objects.exists()


def test_C10_returned_response_goes_back_to_drafting(chart, register, django_capture_on_commit_callbacks):
    from units.services import approval_refuse

    complaint = register()
    with django_capture_on_commit_callbacks(execute=True):
        flow = services.complaint_draft_response(
            complaint, acting_user=chart.dnk_pracownik, body="Uwzględniono.", outcome=Outcome.FOUNDED
        )
    first = flow.steps.get(order=1)
    approval_approve(first, acting_user=chart.dnk_pracownik)
    approval_refuse(flow.steps.get(order=2), acting_user=chart.dnk_kierownik, reason="Uzupełnić uzasadnienie.")
    complaint.refresh_from_db()
    assert complaint.status == Status.READY


def test_C10_response_waits_for_all_explanations(chart, register):
    complaint = register()
    services.complaint_request_explanation(complaint, acting_user=chart.dnk_pracownik, unit=chart.unit("SOK"))
    with pytest.raises(ValidationError, match="Nie wszystkie komórki złożyły wyjaśnienia"):
        services.complaint_draft_response(complaint, acting_user=chart.dnk_pracownik, body="x", outcome=Outcome.FOUNDED)


# --- C12: member of parliament ----------------------------------------------------------------------------


def test_C12_parliamentarian_informed_within_14_days(chart, register):
    complaint = register(is_parliamentarian=True, received_on=date(2026, 4, 20))
    # 20.04 + 14 = 4 May 2026, a working day (3 May was a Sunday).
    assert _open_deadline(complaint, services.DL_PARLIAMENTARIAN).due == date(2026, 5, 4)
    services.complaint_extend(
        complaint, acting_user=chart.dnk_pracownik, new_due=date(2026, 6, 15), reason="Kontrola w komórce."
    )
    assert not Deadline.objects.for_object(complaint).open().filter(kind=services.DL_PARLIAMENTARIAN).exists()


def test_C12_no_extra_deadline_for_ordinary_complainant(chart, register):
    complaint = register()
    assert not Deadline.objects.for_object(complaint).filter(kind=services.DL_PARLIAMENTARIAN).exists()


# --- procedure: transitions ---------------------------------------------------------------------------------


def test_closed_entry_accepts_no_further_steps(chart, register):
    complaint = register(anonymous=True, complainant_name="")
    services.complaint_leave_without_consideration(
        complaint, acting_user=chart.dnk_pracownik, reason=LeaveReason.ANONYMOUS
    )
    with pytest.raises(ValidationError, match="nie jest możliwa"):
        services.complaint_request_explanation(complaint, acting_user=chart.dnk_pracownik, unit=chart.unit("SOK"))
    with pytest.raises(ValidationError, match="nie jest możliwa"):
        services.complaint_extend(complaint, acting_user=chart.dnk_pracownik, new_due=date(2027, 1, 4), reason="x")


def test_mark_sent_before_signature_is_refused(chart, signed):
    from datetime import timedelta

    with pytest.raises(ValidationError) as exc:
        services.complaint_mark_sent(
            signed, acting_user=chart.dnk_pracownik, sent_on=signed.signed_on - timedelta(days=1)
        )
    assert "sent_on" in exc.value.message_dict
