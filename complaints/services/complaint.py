"""The complaint procedure, first part: registration (C1, C4, C12), attachments, forwarding (C5), leaving
without consideration and completion (C9); and the helpers the other steps of the procedure share
(``explanations``, ``response``).

Each function is one step: it checks the permission (PermissionDenied), the rule (ValidationError with a
Polish message; the rule number is in the docstring), writes the change (history by simple-history),
opens/meets/moves deadlines, requests documents and queues e-mails, in one transaction.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mopr import calendar
from mopr.deadlines import deadline_cancel, deadline_meet, deadline_move, deadline_open
from mopr.documents import document_request
from mopr.outbox import outbox_enqueue
from mopr.procedures import transition
from mopr.uploads import validate_upload
from units.models import Unit
from units.permissions import grant_unit_perms, unit_group

from .. import permissions
from ..models import Attachment, AttachmentKind, Channel, Complaint, LeaveReason, Outcome, RegisterCounter, Status
from ..procedures import COMPLAINT
from .kinds import DL_COMPLETION, DL_FORWARD, DL_PARLIAMENTARIAN, DL_RESPONSE, DOC_COMPLETION, DOC_FORWARD, DOC_PROTOCOL
from .register import (
    EARLIEST,
    RESPONSE_MONTHS,
    format_sign,
    get_config,
    institution_of,
    next_number,
    register_unit,
    save_with_reason,
    today_or,
)

# --- helpers shared by the steps of the complaint procedure ------------------------------------------


def store_attachment(complaint, upload, *, kind, acting_user, description="", explanation=None) -> Attachment:
    return Attachment.objects.create(
        complaint=complaint,
        explanation=explanation,
        kind=kind,
        file=upload,
        original_name=Path(upload.name).name[:255],
        size=upload.size,
        description=description,
        uploaded_by=acting_user,
    )


def staff_group(complaint: Complaint):
    return unit_group(complaint.unit, "staff")


def notify_complainant(complaint: Complaint, key: str, subject: str, body: str) -> None:
    """An e-mail copy of a notice, when the complainant gave an address (the PDF goes by post otherwise)."""
    if complaint.anonymous or not complaint.complainant_email:
        return
    outbox_enqueue(
        key=f"complaint:{complaint.pk}:{key}", to=complaint.complainant_email, subject=subject, body_text=body
    )


def complaint_context(complaint: Complaint, **extra) -> dict:
    """JSON-serialisable data of a notice (stored with the document)."""
    institution = complaint.unit.institution
    data = {
        "institution": institution.name,
        "sign": complaint.sign,
        "kind": complaint.get_kind_display(),
        "received_on": complaint.received_on.strftime("%d.%m.%Y"),
        "subject": complaint.subject,
        "complainant_name": complaint.complainant_name,
        "complainant_address": complaint.complainant_address,
        "today": timezone.localdate().strftime("%d.%m.%Y"),
        "director_title": institution.director_title,
    }
    data.update(extra)
    return data


def ensure_can_work(user, complaint: Complaint) -> None:
    if not permissions.can_work_on_complaint(user, complaint):
        raise PermissionDenied(_("Nie masz uprawnień do prowadzenia tej sprawy."))


def cancel_all_deadlines(complaint: Complaint) -> None:
    deadline_cancel(complaint)
    for explanation in complaint.explanations.filter(submitted_at__isnull=True):
        deadline_cancel(explanation)


# --- complaints: registration ------------------------------------------------------------------------


@transaction.atomic
def complaint_register(
    *,
    acting_user,
    kind: str,
    received_on: date,
    channel: str,
    subject: str,
    description: str = "",
    anonymous: bool = False,
    complainant_name: str = "",
    complainant_address: str = "",
    complainant_email: str = "",
    complainant_phone: str = "",
    is_parliamentarian: bool = False,
    units_concerned=(),
    employee_concerned=None,
    files=(),
    unit: Unit | None = None,
) -> Complaint:
    """C1: register a complaint or motion in DNK's register with the next case sign of the year;
    C4: the deadline of one month from receipt (K2-K3); C12: 14 days for a member of parliament,
    senator or councillor; an oral complaint gets its protocol (C1) as a PDF to be signed on paper."""
    if not permissions.can_register_complaint(acting_user):
        raise PermissionDenied(_("Skargi i wnioski rejestruje Dział Nadzoru i Kontroli."))
    today = timezone.localdate()
    errors = {}
    if received_on is None:
        errors["received_on"] = _("Podaj datę wpływu.")
    elif received_on > today:
        errors["received_on"] = _("Data wpływu nie może być późniejsza niż dzisiejsza (%(today)s).") % {
            "today": today.strftime("%d.%m.%Y")
        }
    elif received_on < EARLIEST:
        errors["received_on"] = _("Data wpływu jest zbyt odległa – sprawdź rok.")
    if not (subject or "").strip():
        errors["subject"] = _("Podaj przedmiot skargi lub wniosku.")
    if not anonymous and not (complainant_name or "").strip():
        errors["complainant_name"] = _("Podaj imię i nazwisko (nazwę) wnoszącego albo zaznacz, że jest anonimowa.")
    if anonymous and is_parliamentarian:
        errors["is_parliamentarian"] = _("Skarga posła, senatora lub radnego nie może być anonimowa.")
    for upload in files:
        try:
            validate_upload(upload, "files")
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    unit = unit or register_unit(institution_of(acting_user))
    config = get_config(unit.institution)
    year = received_on.year
    number = next_number(unit, RegisterCounter.Register.COMPLAINTS, year)
    due = calendar.deadline_in_months(received_on, RESPONSE_MONTHS)
    complaint = Complaint(
        unit=unit,
        kind=kind,
        year=year,
        number=number,
        sign=format_sign(config.complaint_sign_format, unit=unit, number=number, year=year),
        received_on=received_on,
        channel=channel,
        anonymous=anonymous,
        complainant_name="" if anonymous else complainant_name.strip(),
        complainant_address="" if anonymous else complainant_address.strip(),
        complainant_email="" if anonymous else complainant_email.strip(),
        complainant_phone="" if anonymous else complainant_phone.strip(),
        is_parliamentarian=is_parliamentarian,
        subject=subject.strip(),
        description=description,
        employee_concerned=employee_concerned,
        statutory_due=due,
        due_date=due,
        created_by=acting_user,
    )
    save_with_reason(complaint, _("rejestracja"), acting_user)
    if units_concerned:
        complaint.units_concerned.set(units_concerned)
    grant_unit_perms(complaint)
    deadline_open(
        complaint,
        kind=DL_RESPONSE,
        rule="C4",
        due=due,
        responsible_group=staff_group(complaint),
        label=_("Załatwienie sprawy %(sign)s (%(kind)s)")
        % {"sign": complaint.sign, "kind": complaint.get_kind_display()},
    )
    # C5: the forwarding limit is a deadline of the register keeper; met when forwarded or when the case
    # proceeds as the institution's own (explanations requested, response drafted), cancelled at close.
    deadline_open(
        complaint,
        kind=DL_FORWARD,
        rule="C5",
        due=calendar.deadline_in_days(received_on, config.forward_days),
        responsible_group=staff_group(complaint),
        label=_("Ewentualne przekazanie według właściwości (KPA art. 231) – %(sign)s") % {"sign": complaint.sign},
    )
    if is_parliamentarian:
        deadline_open(
            complaint,
            kind=DL_PARLIAMENTARIAN,
            rule="C12",
            due=calendar.deadline_in_days(received_on, config.parliamentarian_days),
            responsible_group=staff_group(complaint),
            label=_("Informacja dla posła/senatora/radnego – %(sign)s") % {"sign": complaint.sign},
        )
    if channel == Channel.ORAL:
        document_request(
            complaint,
            kind=DOC_PROTOCOL,
            title=_("Protokół przyjęcia ustnej skargi – %(sign)s") % {"sign": complaint.sign},
            template_name="pdf/complaints/protocol.html",
            context=complaint_context(
                complaint,
                description=description,
                receiver=acting_user.get_full_name() or acting_user.username,
                complainant_contact=complainant_phone or complainant_email,
            ),
            acting_user=acting_user,
        )
    for upload in files:
        store_attachment(complaint, upload, kind=AttachmentKind.LETTER, acting_user=acting_user)
    return complaint


@transaction.atomic
def complaint_add_attachment(
    complaint: Complaint, *, acting_user, file, kind: str = AttachmentKind.OTHER, description: str = ""
) -> Attachment:
    """Add a document (e.g. the signed protocol's scan, C1) with type and size checked."""
    ensure_can_work(acting_user, complaint)
    if file is None:
        raise ValidationError({"file": _("Wybierz plik.")})
    validate_upload(file)
    with transition(complaint, COMPLAINT, "zalacznik", acting_user=acting_user, reason=_("dodano załącznik")) as locked:
        attachment = store_attachment(locked, file, kind=kind, acting_user=acting_user, description=description)
    return attachment


# --- complaints: forward, leave, completion (C5, C9) -------------------------------------------------


def forward_limit(complaint: Complaint) -> date:
    """C5: ``RegisterConfig.forward_days`` (7 by KPA art. 231; art. 243 for motions) from receipt, by K2-K3."""
    return calendar.deadline_in_days(complaint.received_on, get_config(complaint.unit.institution).forward_days)


@transaction.atomic
def complaint_forward(
    complaint: Complaint,
    *,
    acting_user,
    to_body: str,
    reason: str,
    to_address: str = "",
    delay_reason: str = "",
    on: date | None = None,
    change_reason: str = "",
) -> Complaint:
    """C5: a complaint (or motion, C12 art. 243) outside the institution's competence goes to the competent
    body within the configured days (7, KPA art. 231) and the complainant is told; a later forwarding needs the
    reason for the delay. ``change_reason``: the reason given on the confirmation page
    (``mopr.forms.confirm_page``), for the history."""
    ensure_can_work(acting_user, complaint)
    on = today_or(on)
    errors = {}
    if not (to_body or "").strip():
        errors["to_body"] = _("Podaj organ właściwy, do którego przekazujesz sprawę.")
    if not (reason or "").strip():
        errors["reason"] = _("Podaj, dlaczego sprawa nie należy do właściwości ośrodka.")
    if on > timezone.localdate() or on < complaint.received_on:
        errors["on"] = _("Data przekazania musi mieścić się między datą wpływu a dniem dzisiejszym.")
    limit = forward_limit(complaint)
    if on > limit and not (delay_reason or "").strip():
        days = get_config(complaint.unit.institution).forward_days
        errors["delay_reason"] = _(
            "Termin %(days)s dni na przekazanie (KPA art. 231) upłynął %(limit)s – podaj przyczynę opóźnienia."
        ) % {"days": days, "limit": limit.strftime("%d.%m.%Y")}
    if errors:
        raise ValidationError(errors)
    with transition(
        complaint,
        COMPLAINT,
        "przekaz",
        acting_user=acting_user,
        reason=change_reason or _("przekazano według właściwości"),
    ) as locked:
        locked.forwarded_to = to_body.strip()
        locked.forwarded_on = on
        locked.outcome = Outcome.FORWARDED
        locked.closed_on = on
        locked.closing_note = reason.strip() + (f"\n{delay_reason.strip()}" if delay_reason.strip() else "")
    deadline_meet(complaint, DL_FORWARD, when=on)
    cancel_all_deadlines(complaint)
    if not complaint.anonymous and (complaint.complainant_address or complaint.complainant_email):
        document_request(
            complaint,
            kind=DOC_FORWARD,
            title=_("Zawiadomienie o przekazaniu – %(sign)s") % {"sign": complaint.sign},
            template_name="pdf/complaints/forward_notice.html",
            context=complaint_context(
                complaint,
                to_body=to_body.strip(),
                to_address=to_address,
                reason=reason.strip(),
                on=on.strftime("%d.%m.%Y"),
            ),
            acting_user=acting_user,
        )
        notify_complainant(
            complaint,
            "forward",
            _("Przekazanie sprawy %(sign)s") % {"sign": complaint.sign},
            _(
                "Uprzejmie informujemy, że Pani/Pana %(kind)s z dnia %(day)s została przekazana do: "
                "%(body)s, jako organu właściwego (art. 231 KPA)."
            )
            % {
                "kind": complaint.get_kind_display(),
                "day": complaint.received_on.strftime("%d.%m.%Y"),
                "body": to_body.strip(),
            },
        )
    return complaint


@transaction.atomic
def complaint_leave_without_consideration(
    complaint: Complaint,
    *,
    acting_user,
    reason: str,
    note: str = "",
    today: date | None = None,
    change_reason: str = "",
) -> Complaint:
    """C9: an entry without the complainant's name and address, or not completed within the 7 days
    given, is left without consideration (2002 reg. §8), recorded as such. ``change_reason``: the reason given
    on the confirmation page (``mopr.forms.confirm_page``), for the history."""
    ensure_can_work(acting_user, complaint)
    today = today_or(today)
    if reason not in LeaveReason.values:
        raise ValidationError({"reason": _("Wybierz przyczynę pozostawienia bez rozpoznania.")})
    with transition(
        complaint,
        COMPLAINT,
        "bez-rozpoznania",
        acting_user=acting_user,
        reason=change_reason or _("pozostawiono bez rozpoznania"),
    ) as locked:
        if reason == LeaveReason.ANONYMOUS:
            if not locked.anonymous and locked.complainant_name and locked.complainant_address:
                raise ValidationError(
                    {
                        "reason": _(
                            "Wnoszący podał imię i nazwisko oraz adres – nie można pozostawić sprawy bez rozpoznania "
                            "z tego powodu (§8 ust. 1)."
                        )
                    }
                )
        else:
            if locked.status != Status.COMPLETION_REQUESTED or locked.completion_due is None:
                raise ValidationError({"reason": _("Wnoszącego nie wezwano do uzupełnienia (§8 ust. 2).")})
            if today <= locked.completion_due:
                raise ValidationError(
                    {
                        "reason": _(
                            "Termin na uzupełnienie upływa %(day)s – do tego dnia nie można pozostawić sprawy bez "
                            "rozpoznania."
                        )
                        % {"day": locked.completion_due.strftime("%d.%m.%Y")}
                    }
                )
        locked.leave_reason = reason
        locked.outcome = Outcome.LEFT
        locked.closed_on = today
        locked.closing_note = note
    cancel_all_deadlines(complaint)
    return complaint


@transaction.atomic
def complaint_request_completion(
    complaint: Complaint, *, acting_user, what: str, today: date | None = None
) -> Complaint:
    """C9: when the subject is unclear, the sender is asked to explain or complete it within 7 days, with
    the warning that otherwise it is left without consideration (2002 reg. §8 ust. 2)."""
    ensure_can_work(acting_user, complaint)
    today = today_or(today)
    if not (what or "").strip():
        raise ValidationError({"what": _("Opisz, co wnoszący ma wyjaśnić lub uzupełnić.")})
    if complaint.anonymous or not (complaint.complainant_address or complaint.complainant_email):
        raise ValidationError(_("Brak adresu wnoszącego – nie można wezwać do uzupełnienia."))
    config = get_config(complaint.unit.institution)
    with transition(
        complaint, COMPLAINT, "uzupelnienie", acting_user=acting_user, reason=_("wezwano do uzupełnienia")
    ) as locked:
        locked.completion_due = calendar.deadline_in_days(today, config.completion_days)
    deadline_open(
        complaint,
        kind=DL_COMPLETION,
        rule="C9",
        due=complaint.completion_due,
        responsible_group=staff_group(complaint),
        label=_("Uzupełnienie sprawy %(sign)s przez wnoszącego") % {"sign": complaint.sign},
    )
    document_request(
        complaint,
        kind=DOC_COMPLETION,
        title=_("Wezwanie do uzupełnienia – %(sign)s") % {"sign": complaint.sign},
        template_name="pdf/complaints/completion_request.html",
        context=complaint_context(
            complaint, what=what.strip(), days=config.completion_days, due=complaint.completion_due.strftime("%d.%m.%Y")
        ),
        acting_user=acting_user,
    )
    notify_complainant(
        complaint,
        f"completion:{today.isoformat()}",
        _("Wezwanie do uzupełnienia – %(sign)s") % {"sign": complaint.sign},
        _(
            "Prosimy o wyjaśnienie lub uzupełnienie: %(what)s\nw terminie %(days)s dni. Po "
            "bezskutecznym upływie terminu sprawa zostanie pozostawiona bez rozpoznania."
        )
        % {"what": what.strip(), "days": config.completion_days},
    )
    return complaint


@transaction.atomic
def complaint_record_completion_delivery(
    complaint: Complaint, *, acting_user, delivered_on: date | None = None, not_delivered: bool = False
) -> Complaint:
    """C9 (2002 reg. §8 ust. 2): the 7 days to complete run from the sender's receipt of the request. The
    delivery date is recorded and the deadline moves to it; a request that was not delivered is recorded as
    such and no completion deadline runs (the entry waits for a new delivery date)."""
    ensure_can_work(acting_user, complaint)
    if bool(delivered_on) == bool(not_delivered):
        raise ValidationError(
            {"delivered_on": _("Podaj datę doręczenia wezwania albo zaznacz, że wezwania nie doręczono.")}
        )
    if delivered_on and delivered_on > timezone.localdate():
        raise ValidationError({"delivered_on": _("Data doręczenia nie może być późniejsza niż dzisiejsza.")})
    if delivered_on and delivered_on < complaint.received_on:
        raise ValidationError({"delivered_on": _("Data doręczenia nie może być wcześniejsza niż data wpływu.")})
    config = get_config(complaint.unit.institution)
    with transition(
        complaint, COMPLAINT, "doreczenie", acting_user=acting_user, reason=_("doręczenie wezwania do uzupełnienia")
    ) as locked:
        locked.completion_delivered_on = delivered_on
        locked.completion_not_delivered = bool(not_delivered)
        locked.completion_due = (
            calendar.deadline_in_days(delivered_on, config.completion_days) if delivered_on else None
        )
    if delivered_on:
        if not deadline_move(complaint, DL_COMPLETION, complaint.completion_due):
            deadline_open(
                complaint,
                kind=DL_COMPLETION,
                rule="C9",
                due=complaint.completion_due,
                responsible_group=staff_group(complaint),
                label=_("Uzupełnienie sprawy %(sign)s przez wnoszącego") % {"sign": complaint.sign},
            )
    else:
        deadline_cancel(complaint, DL_COMPLETION)
    return complaint


@transaction.atomic
def complaint_completion_received(complaint: Complaint, *, acting_user, note: str = "", file=None) -> Complaint:
    """C9: the sender completed the entry in time; the procedure continues."""
    ensure_can_work(acting_user, complaint)
    validate_upload(file)
    with transition(complaint, COMPLAINT, "uzupelniono", acting_user=acting_user, reason=_("uzupełniono")) as locked:
        if file is not None:
            store_attachment(locked, file, kind=AttachmentKind.COMPLETION, acting_user=acting_user, description=note)
        if note:
            locked.description = (locked.description + "\n\n" + _("Uzupełnienie: ") + note).strip()
        locked.completion_due = None
    deadline_meet(complaint, DL_COMPLETION)
    return complaint
