"""State changes of the complaints register and of the whistleblower register.

Each function is one step of the procedure: it checks the permission (PermissionDenied), the rule
(ValidationError with a Polish message; the rule number is in the docstring), writes the change (history by
simple-history), opens/meets/moves deadlines, requests documents and queues e-mails, in one transaction.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from mopr import calendar
from mopr.deadlines import deadline_cancel, deadline_meet, deadline_move, deadline_open
from mopr.documents import document_request
from mopr.models import Deadline
from mopr.outbox import outbox_enqueue
from mopr.procedures import lock, record_change, transition
from units.models import ApprovalFlow, ApprovalStep, DocumentKind, Institution, Membership, Position, Unit, active_on
from units.permissions import grant_group, grant_unit_perms, grant_user, revoke_user, unit_group
from units.selectors import POSITION_RANK

from . import permissions
from .models import (
    RESPONSE_OUTCOMES,
    Attachment,
    AttachmentKind,
    Channel,
    Complaint,
    Explanation,
    LeaveReason,
    Outcome,
    RegisterConfig,
    RegisterCounter,
    Status,
    WhistleblowerReport,
    WhistleblowerStatus,
)
from .procedures import COMPLAINT, WHISTLEBLOWER

# Deadline kinds (mopr.deadlines).
DL_RESPONSE = "complaint_response"          # C4 / C7
DL_PARLIAMENTARIAN = "complaint_c12"        # C12
DL_COMPLETION = "complaint_completion"      # C9
DL_EXPLANATION = "complaint_explanation"    # C3
DL_WB_ACK = "whistleblower_ack"             # C11
DL_WB_FEEDBACK = "whistleblower_feedback"   # C11

# Documents (mopr.Document.kind). The response uses the chart's kind so the approval flow and the
# signing rules of U6/C10 apply to it.
DOC_PROTOCOL = "complaint_protocol"
DOC_RESPONSE = DocumentKind.COMPLAINT_RESPONSE.value
DOC_FORWARD = "complaint_forward_notice"
DOC_COMPLETION = "complaint_completion_request"
DOC_EXTENSION = "complaint_extension_notice"


# --- helpers ---------------------------------------------------------------------------------------


def get_config(institution: Institution) -> RegisterConfig:
    config, _created = RegisterConfig.objects.get_or_create(institution=institution)
    return config


def register_unit(institution: Institution) -> Unit:
    symbol = get_config(institution).register_unit_symbol
    unit = Unit.objects.filter(institution=institution, symbol=symbol).first()
    if unit is None:
        raise ValidationError(_("W strukturze ośrodka brak komórki %(symbol)s prowadzącej rejestr.")
                              % {"symbol": symbol})
    return unit


def _institution_of(user) -> Institution:
    membership = Membership.objects.filter(active_on(timezone.localdate()), user=user).select_related(
        "unit__institution").first()
    if membership is None:
        raise PermissionDenied(_("Osoba nie jest zatrudniona w ośrodku."))
    return membership.unit.institution


def _next_number(unit: Unit, register: str, year: int) -> int:
    """C1: the next number in the register and year, taken under a row lock (no gaps, no doubles)."""
    RegisterCounter.objects.get_or_create(unit=unit, register=register, year=year)
    counter = RegisterCounter.objects.select_for_update().get(unit=unit, register=register, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def format_sign(template: str, *, unit: Unit, number: int, year: int) -> str:
    try:
        return template.format(unit=unit.symbol, number=number, year=year)
    except (KeyError, IndexError, ValueError):
        raise ValidationError(_("Nieprawidłowy format znaku sprawy w konfiguracji: %(f)s") % {"f": template})


def _save(obj, reason: str = "", user=None):
    """Save a new record (or one outside the procedure tables) with the reason and the acting person in the
    history. Records of a procedure change only through ``mopr.procedures.transition`` and the tables in
    ``complaints.procedures``."""
    record_change(obj, acting_user=user, reason=reason)
    obj.save()
    return obj


# Dates before this are typing errors, not entries of the register.
EARLIEST = date(2000, 1, 1)


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def validate_upload(upload, field: str = "file") -> None:
    """Attachments: only the configured types and at most the configured size."""
    if upload is None:
        return
    extension = Path(upload.name).suffix.lower().lstrip(".")
    allowed = [e.lower().lstrip(".") for e in settings.ATTACHMENT_EXTENSIONS]
    if extension not in allowed:
        raise ValidationError({field: _("Niedozwolony rodzaj pliku „%(ext)s”. Dozwolone: %(allowed)s.")
                               % {"ext": extension or _("bez rozszerzenia"), "allowed": ", ".join(allowed)}})
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError({field: _("Plik jest za duży (%(size)s). Największy dopuszczalny rozmiar to %(max)s.")
                               % {"size": filesizeformat(upload.size),
                                  "max": filesizeformat(settings.ATTACHMENT_MAX_BYTES)}})
    if upload.size == 0:
        raise ValidationError({field: _("Plik jest pusty.")})


def _store_attachment(complaint, upload, *, kind, acting_user, description="", explanation=None) -> Attachment:
    return Attachment.objects.create(
        complaint=complaint, explanation=explanation, kind=kind, file=upload,
        original_name=Path(upload.name).name[:255], size=upload.size, description=description,
        uploaded_by=acting_user,
    )


def _staff_group(complaint: Complaint):
    return unit_group(complaint.unit, "staff")


def _notify_complainant(complaint: Complaint, key: str, subject: str, body: str) -> None:
    """An e-mail copy of a notice, when the complainant gave an address (the PDF goes by post otherwise)."""
    if complaint.anonymous or not complaint.complainant_email:
        return
    outbox_enqueue(key=f"complaint:{complaint.pk}:{key}", to=complaint.complainant_email,
                   subject=subject, body_text=body)


def _complaint_context(complaint: Complaint, **extra) -> dict:
    """JSON-serialisable data of a notice (stored with the document)."""
    institution = complaint.unit.institution
    data = {
        "institution": institution.name, "sign": complaint.sign, "kind": complaint.get_kind_display(),
        "received_on": complaint.received_on.strftime("%d.%m.%Y"), "subject": complaint.subject,
        "complainant_name": complaint.complainant_name, "complainant_address": complaint.complainant_address,
        "today": timezone.localdate().strftime("%d.%m.%Y"), "director_title": institution.director_title,
    }
    data.update(extra)
    return data


def _ensure_can_work(user, complaint: Complaint) -> None:
    if not permissions.can_work_on_complaint(user, complaint):
        raise PermissionDenied(_("Nie masz uprawnień do prowadzenia tej sprawy."))


def _cancel_all_deadlines(complaint: Complaint) -> None:
    deadline_cancel(complaint)
    for explanation in complaint.explanations.filter(submitted_at__isnull=True):
        deadline_cancel(explanation)


# --- complaints: registration ------------------------------------------------------------------------


@transaction.atomic
def complaint_register(*, acting_user, kind: str, received_on: date, channel: str, subject: str,
                       description: str = "", anonymous: bool = False, complainant_name: str = "",
                       complainant_address: str = "", complainant_email: str = "", complainant_phone: str = "",
                       is_parliamentarian: bool = False, units_concerned=(), employee_concerned=None,
                       files=(), unit: Unit | None = None) -> Complaint:
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
            "today": today.strftime("%d.%m.%Y")}
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
    unit = unit or register_unit(_institution_of(acting_user))
    config = get_config(unit.institution)
    year = received_on.year
    number = _next_number(unit, RegisterCounter.Register.COMPLAINTS, year)
    due = calendar.deadline_in_months(received_on, 1)
    complaint = Complaint(
        unit=unit, kind=kind, year=year, number=number,
        sign=format_sign(config.complaint_sign_format, unit=unit, number=number, year=year),
        received_on=received_on, channel=channel, anonymous=anonymous,
        complainant_name="" if anonymous else complainant_name.strip(),
        complainant_address="" if anonymous else complainant_address.strip(),
        complainant_email="" if anonymous else complainant_email.strip(),
        complainant_phone="" if anonymous else complainant_phone.strip(),
        is_parliamentarian=is_parliamentarian, subject=subject.strip(), description=description,
        employee_concerned=employee_concerned, statutory_due=due, due_date=due, created_by=acting_user,
    )
    _save(complaint, _("rejestracja"), acting_user)
    if units_concerned:
        complaint.units_concerned.set(units_concerned)
    grant_unit_perms(complaint)
    deadline_open(complaint, kind=DL_RESPONSE, rule="C4", due=due, responsible_group=_staff_group(complaint),
                  label=_("Załatwienie sprawy %(sign)s (%(kind)s)") % {"sign": complaint.sign,
                                                                         "kind": complaint.get_kind_display()})
    if is_parliamentarian:
        deadline_open(complaint, kind=DL_PARLIAMENTARIAN, rule="C12",
                      due=calendar.deadline_in_days(received_on, config.parliamentarian_days),
                      responsible_group=_staff_group(complaint),
                      label=_("Informacja dla posła/senatora/radnego – %(sign)s") % {"sign": complaint.sign})
    if channel == Channel.ORAL:
        document_request(complaint, kind=DOC_PROTOCOL, title=_("Protokół przyjęcia ustnej skargi – %(sign)s")
                         % {"sign": complaint.sign}, template_name="pdf/complaints/protocol.html",
                         context=_complaint_context(complaint, description=description,
                                                    receiver=acting_user.get_full_name() or acting_user.username,
                                                    complainant_contact=complainant_phone or complainant_email),
                         acting_user=acting_user)
    for upload in files:
        _store_attachment(complaint, upload, kind=AttachmentKind.LETTER, acting_user=acting_user)
    return complaint


@transaction.atomic
def complaint_add_attachment(complaint: Complaint, *, acting_user, file, kind: str = AttachmentKind.OTHER,
                             description: str = "") -> Attachment:
    """Add a document (e.g. the signed protocol's scan, C1) with type and size checked."""
    _ensure_can_work(acting_user, complaint)
    if file is None:
        raise ValidationError({"file": _("Wybierz plik.")})
    validate_upload(file)
    with transition(complaint, COMPLAINT, "zalacznik", acting_user=acting_user,
                    reason=_("dodano załącznik")) as locked:
        attachment = _store_attachment(locked, file, kind=kind, acting_user=acting_user, description=description)
    return attachment


# --- complaints: forward, leave, completion (C5, C9) -------------------------------------------------


def forward_limit(complaint: Complaint) -> date:
    """C5: 7 days from receipt (KPA art. 231; art. 243 for motions), by K2-K3."""
    return calendar.deadline_in_days(complaint.received_on, get_config(complaint.unit.institution).forward_days)


@transaction.atomic
def complaint_forward(complaint: Complaint, *, acting_user, to_body: str, reason: str, to_address: str = "",
                      delay_reason: str = "", on: date | None = None) -> Complaint:
    """C5: a complaint (or motion, C12 art. 243) outside the institution's competence goes to the competent
    body within 7 days and the complainant is told; a later forwarding needs the reason for the delay."""
    _ensure_can_work(acting_user, complaint)
    on = _today(on)
    errors = {}
    if not (to_body or "").strip():
        errors["to_body"] = _("Podaj organ właściwy, do którego przekazujesz sprawę.")
    if not (reason or "").strip():
        errors["reason"] = _("Podaj, dlaczego sprawa nie należy do właściwości ośrodka.")
    if on > timezone.localdate() or on < complaint.received_on:
        errors["on"] = _("Data przekazania musi mieścić się między datą wpływu a dniem dzisiejszym.")
    limit = forward_limit(complaint)
    if on > limit and not (delay_reason or "").strip():
        errors["delay_reason"] = _("Termin 7 dni na przekazanie (KPA art. 231) upłynął %(limit)s – podaj przyczynę "
                                   "opóźnienia.") % {"limit": limit.strftime("%d.%m.%Y")}
    if errors:
        raise ValidationError(errors)
    with transition(complaint, COMPLAINT, "przekaz", acting_user=acting_user,
                    reason=_("przekazano według właściwości")) as locked:
        locked.forwarded_to = to_body.strip()
        locked.forwarded_on = on
        locked.outcome = Outcome.FORWARDED
        locked.closed_on = on
        locked.closing_note = reason.strip() + (f"\n{delay_reason.strip()}" if delay_reason.strip() else "")
    _cancel_all_deadlines(complaint)
    if not complaint.anonymous and (complaint.complainant_address or complaint.complainant_email):
        document_request(complaint, kind=DOC_FORWARD, title=_("Zawiadomienie o przekazaniu – %(sign)s")
                         % {"sign": complaint.sign}, template_name="pdf/complaints/forward_notice.html",
                         context=_complaint_context(complaint, to_body=to_body.strip(), to_address=to_address,
                                                    reason=reason.strip(), on=on.strftime("%d.%m.%Y")),
                         acting_user=acting_user)
        _notify_complainant(complaint, "forward", _("Przekazanie sprawy %(sign)s") % {"sign": complaint.sign},
                            _("Uprzejmie informujemy, że Pani/Pana %(kind)s z dnia %(day)s została przekazana do: "
                              "%(body)s, jako organu właściwego (art. 231 KPA).")
                            % {"kind": complaint.get_kind_display(), "day": complaint.received_on.strftime("%d.%m.%Y"),
                               "body": to_body.strip()})
    return complaint


@transaction.atomic
def complaint_leave_without_consideration(complaint: Complaint, *, acting_user, reason: str, note: str = "",
                                          today: date | None = None) -> Complaint:
    """C9: an entry without the complainant's name and address, or not completed within the 7 days
    given, is left without consideration (2002 reg. §8), recorded as such."""
    _ensure_can_work(acting_user, complaint)
    today = _today(today)
    if reason not in LeaveReason.values:
        raise ValidationError({"reason": _("Wybierz przyczynę pozostawienia bez rozpoznania.")})
    with transition(complaint, COMPLAINT, "bez-rozpoznania", acting_user=acting_user,
                    reason=_("pozostawiono bez rozpoznania")) as locked:
        if reason == LeaveReason.ANONYMOUS:
            if not locked.anonymous and locked.complainant_name and locked.complainant_address:
                raise ValidationError({"reason": _(
                    "Wnoszący podał imię i nazwisko oraz adres – nie można pozostawić sprawy bez rozpoznania "
                    "z tego powodu (§8 ust. 1).")})
        else:
            if locked.status != Status.COMPLETION_REQUESTED or locked.completion_due is None:
                raise ValidationError({"reason": _("Wnoszącego nie wezwano do uzupełnienia (§8 ust. 2).")})
            if today <= locked.completion_due:
                raise ValidationError({"reason": _(
                    "Termin na uzupełnienie upływa %(day)s – do tego dnia nie można pozostawić sprawy bez "
                    "rozpoznania.") % {"day": locked.completion_due.strftime("%d.%m.%Y")}})
        locked.leave_reason = reason
        locked.outcome = Outcome.LEFT
        locked.closed_on = today
        locked.closing_note = note
    _cancel_all_deadlines(complaint)
    return complaint


@transaction.atomic
def complaint_request_completion(complaint: Complaint, *, acting_user, what: str,
                                 today: date | None = None) -> Complaint:
    """C9: when the subject is unclear, the sender is asked to explain or complete it within 7 days, with
    the warning that otherwise it is left without consideration (2002 reg. §8 ust. 2)."""
    _ensure_can_work(acting_user, complaint)
    today = _today(today)
    if not (what or "").strip():
        raise ValidationError({"what": _("Opisz, co wnoszący ma wyjaśnić lub uzupełnić.")})
    if complaint.anonymous or not (complaint.complainant_address or complaint.complainant_email):
        raise ValidationError(_("Brak adresu wnoszącego – nie można wezwać do uzupełnienia."))
    config = get_config(complaint.unit.institution)
    with transition(complaint, COMPLAINT, "uzupelnienie", acting_user=acting_user,
                    reason=_("wezwano do uzupełnienia")) as locked:
        locked.completion_due = calendar.deadline_in_days(today, config.completion_days)
    deadline_open(complaint, kind=DL_COMPLETION, rule="C9", due=complaint.completion_due,
                  responsible_group=_staff_group(complaint),
                  label=_("Uzupełnienie sprawy %(sign)s przez wnoszącego") % {"sign": complaint.sign})
    document_request(complaint, kind=DOC_COMPLETION, title=_("Wezwanie do uzupełnienia – %(sign)s")
                     % {"sign": complaint.sign}, template_name="pdf/complaints/completion_request.html",
                     context=_complaint_context(complaint, what=what.strip(),
                                                days=config.completion_days,
                                                due=complaint.completion_due.strftime("%d.%m.%Y")),
                     acting_user=acting_user)
    _notify_complainant(complaint, f"completion:{today.isoformat()}",
                        _("Wezwanie do uzupełnienia – %(sign)s") % {"sign": complaint.sign},
                        _("Prosimy o wyjaśnienie lub uzupełnienie: %(what)s\nw terminie %(days)s dni. Po "
                          "bezskutecznym upływie terminu sprawa zostanie pozostawiona bez rozpoznania.")
                        % {"what": what.strip(), "days": config.completion_days})
    return complaint


@transaction.atomic
def complaint_completion_received(complaint: Complaint, *, acting_user, note: str = "", file=None) -> Complaint:
    """C9: the sender completed the entry in time; the procedure continues."""
    _ensure_can_work(acting_user, complaint)
    validate_upload(file)
    with transition(complaint, COMPLAINT, "uzupelniono", acting_user=acting_user,
                    reason=_("uzupełniono")) as locked:
        if file is not None:
            _store_attachment(locked, file, kind=AttachmentKind.COMPLETION, acting_user=acting_user,
                              description=note)
        if note:
            locked.description = (locked.description + "\n\n" + _("Uzupełnienie: ") + note).strip()
        locked.completion_due = None
    deadline_meet(complaint, DL_COMPLETION)
    return complaint


# --- complaints: explanations (C3, C6) ---------------------------------------------------------------


def is_superior(boss, person, day: date | None = None) -> bool:
    """Whether ``boss`` is ``person``'s superior on ``day``: the Director; the head (or deputy head) of the
    person's unit ranking above the person, or of a unit above it; or whoever supervises such a unit."""
    from units.models import Supervision

    if boss is None or person is None or boss.pk == person.pk:
        return False
    day = _today(day)
    boss_memberships = list(Membership.objects.filter(active_on(day), user=boss))
    if any(m.position == Position.DIRECTOR for m in boss_memberships):
        return True
    boss_leads = {m.unit_id: m.position for m in boss_memberships
                  if m.position in (Position.HEAD, Position.DEPUTY_HEAD, Position.DEPUTY_CHIEF_ACCOUNTANT)}
    supervised = set(Supervision.objects.filter(active_on(day), supervisor=boss).values_list("unit_id", flat=True))
    for membership in Membership.objects.filter(active_on(day), user=person).select_related("unit"):
        chain = [membership.unit, *membership.unit.ancestors()]
        for index, node in enumerate(chain):
            if node.pk in supervised:
                return True
            if node.pk in boss_leads:
                if index > 0 or POSITION_RANK[boss_leads[node.pk]] < POSITION_RANK.get(membership.position, 9):
                    return True
    return False


def explanation_responders(unit: Unit, assignee=None) -> list:
    """Who answers: the person named, or the members of the unit's heads group."""
    if assignee is not None:
        return [assignee]
    return list(unit_group(unit, "heads").user_set.filter(is_active=True))


def check_c6(complaint: Complaint, unit: Unit, assignee=None) -> None:
    """C6 (KPA art. 232 §2, art. 256): the complaint goes to the superior of the person it concerns, never to
    that person or anyone that person is superior to."""
    concerned = complaint.employee_concerned
    if concerned is None:
        return
    for person in explanation_responders(unit, assignee):
        name = person.get_full_name() or person.username
        if person.pk == concerned.pk:
            raise ValidationError({"assignee": _(
                "Skarga dotyczy %(name)s – nie można jej przekazać do wyjaśnienia tej osobie (C6, art. 232 §2 "
                "i art. 256 KPA). Wskaż jej przełożonego.") % {"name": name}})
        if is_superior(concerned, person):
            raise ValidationError({"assignee": _(
                "%(name)s jest podwładnym(-ą) osoby, której dotyczy skarga – nie może jej wyjaśniać (C6). "
                "Wskaż przełożonego tej osoby.") % {"name": name}})


def _open_explanation_request(complaint: Complaint, *, unit: Unit, assignee, note: str, today: date, acting_user,
                              due: date) -> Explanation:
    refusal = ValidationError({"unit": _("Ta komórka ma już otwartą prośbę o wyjaśnienia w tej sprawie.")})
    if complaint.explanations.filter(unit=unit, submitted_at__isnull=True).exists():
        raise refusal
    try:
        with transaction.atomic():
            return Explanation.objects.create(complaint=complaint, unit=unit, assignee=assignee, request_note=note,
                                              requested_on=today, requested_by=acting_user, due=due)
    except IntegrityError:
        raise refusal from None


@transaction.atomic
def complaint_request_explanation(complaint: Complaint, *, acting_user, unit: Unit, assignee=None,
                                  note: str = "", due: date | None = None, today: date | None = None) -> Explanation:
    """C3: ask the heads of a unit concerned (or, under C6, a named superior) for a full explanation with the
    documents, by an internal deadline (default 7 days). They get an explicit grant on the entry."""
    _ensure_can_work(acting_user, complaint)
    today = _today(today)
    if unit.institution_id != complaint.unit.institution_id:
        raise ValidationError({"unit": _("Komórka należy do innego ośrodka.")})
    if due is not None and due < today:
        raise ValidationError({"due": _("Termin wewnętrzny nie może być wcześniejszy niż dziś.")})
    if due is not None and due > complaint.due_date:
        raise ValidationError({"due": _("Termin wewnętrzny musi przypadać nie później niż termin załatwienia sprawy "
                                        "(%(day)s).") % {"day": complaint.due_date.strftime("%d.%m.%Y")}})
    check_c6(complaint, unit, assignee)
    if not explanation_responders(unit, assignee):
        raise ValidationError({"unit": _("Komórka nie ma kierownika – wskaż osobę, która złoży wyjaśnienia.")})
    config = get_config(complaint.unit.institution)
    due = due or calendar.deadline_in_days(today, config.explanation_days)
    with transition(complaint, COMPLAINT, "wyjasnienia", acting_user=acting_user,
                    reason=_("prośba o wyjaśnienia")) as locked:
        # Checked under the entry's row lock: a second request for the same unit (a double click, a second
        # clerk) waits for the first and sees its open request. The partial unique constraint backs it up.
        explanation = _open_explanation_request(locked, unit=unit, assignee=assignee, note=note, today=today,
                                                acting_user=acting_user, due=due)
    complaint.units_concerned.add(unit)
    heads = unit_group(unit, "heads")
    if assignee is not None:
        grant_user(assignee, "view_complaint", complaint)
        grant_user(assignee, "explain_complaint", complaint)
    else:
        grant_group(heads, "view_complaint", complaint)
        grant_group(heads, "explain_complaint", complaint)
    grant_group(unit_group(unit, "oversight"), "view_complaint", complaint)
    label = _("Wyjaśnienia do sprawy %(sign)s (%(unit)s)") % {"sign": complaint.sign, "unit": unit.symbol}
    if assignee is not None:
        deadline_open(explanation, kind=DL_EXPLANATION, rule="C3", due=due, label=label, responsible_user=assignee)
    else:
        deadline_open(explanation, kind=DL_EXPLANATION, rule="C3", due=due, label=label, responsible_group=heads)
    for person in explanation_responders(unit, assignee):
        if person.email:
            outbox_enqueue(
                key=f"complaint-explanation:{explanation.pk}:{person.pk}", to=person.email, user=person,
                subject=_("Prośba o wyjaśnienia – %(sign)s") % {"sign": complaint.sign},
                body_text=_("Dział Nadzoru i Kontroli prosi o wyjaśnienia i dokumenty w sprawie %(sign)s do dnia "
                            "%(due)s (000 §36 ust. 2).\n%(url)s") % {
                    "sign": complaint.sign, "due": due.strftime("%d.%m.%Y"),
                    "url": settings.SITE_URL + complaint.get_absolute_url()},
            )
    return explanation


@transaction.atomic
def explanation_submit(explanation: Explanation, *, acting_user, text: str, files=()) -> Explanation:
    """C3: the unit's explanation with its documents, sent to DNK; refused on a closed entry."""
    explanation = Explanation.objects.select_for_update().select_related("complaint").get(pk=explanation.pk)
    complaint = explanation.complaint
    if complaint.status == Status.CLOSED:
        raise ValidationError(_("Sprawa %(sign)s jest zakończona – nie można już składać wyjaśnień.")
                              % {"sign": complaint.sign})
    if not permissions.can_explain_complaint(acting_user, complaint, explanation):
        raise PermissionDenied(_("Wyjaśnienia składa kierownictwo komórki, do której skierowano prośbę."))
    if explanation.is_submitted:
        raise ValidationError(_("Wyjaśnienia w tej sprawie zostały już złożone."))
    errors = {}
    if not (text or "").strip():
        errors["text"] = _("Wpisz treść wyjaśnień.")
    for upload in files:
        try:
            validate_upload(upload, "files")
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    explanation.text = text.strip()
    explanation.submitted_at = timezone.now()
    explanation.submitted_by = acting_user
    _save(explanation, _("złożono wyjaśnienia"), acting_user)
    for upload in files:
        _store_attachment(complaint, upload, kind=AttachmentKind.EXPLANATION, acting_user=acting_user,
                          explanation=explanation)
    deadline_meet(explanation, DL_EXPLANATION)
    complaint = lock(complaint)
    if COMPLAINT.allows(complaint, "komplet-wyjasnien") and not complaint.explanations.filter(
            submitted_at__isnull=True).exists():
        with transition(complaint, COMPLAINT, "komplet-wyjasnien", acting_user=acting_user,
                        reason=_("komplet wyjaśnień")):
            pass
    return explanation


# --- complaints: response, signature, sending, closing (C4, C7, C8, C10) ------------------------------


@transaction.atomic
def complaint_draft_response(complaint: Complaint, *, acting_user, body: str, outcome: str, reasons: str = "",
                             legal_basis: str = "") -> ApprovalFlow:
    """C10: DNK drafts the response (how the complaint was handled; if it is not upheld, the factual and
    legal reasons, KPA art. 238) and starts the approval flow: initials, then the signature of the Director,
    a Deputy or whoever acts for them (U4, U6)."""
    from units.services import approval_start

    _ensure_can_work(acting_user, complaint)
    errors = {}
    if not (body or "").strip():
        errors["body"] = _("Wpisz treść odpowiedzi.")
    if outcome not in RESPONSE_OUTCOMES:
        errors["outcome"] = _("Wybierz rozstrzygnięcie.")
    elif outcome != Outcome.FOUNDED and complaint.kind == "skarga":
        if not (reasons or "").strip():
            errors["reasons"] = _("Odpowiedź na skargę nieuwzględnioną w całości musi zawierać uzasadnienie "
                                  "faktyczne (art. 238 KPA).")
        if not (legal_basis or "").strip():
            errors["legal_basis"] = _("Podaj podstawę prawną (art. 238 KPA).")
    if errors:
        raise ValidationError(errors)
    if complaint.status == Status.EXPLAINING:
        raise ValidationError(_("Nie wszystkie komórki złożyły wyjaśnienia – odpowiedź można przygotować po ich "
                                "otrzymaniu."))
    from units.selectors import primary_membership
    from units.signing import acting_signatory

    signatory = acting_signatory(complaint.unit, DocumentKind.COMPLAINT_RESPONSE)
    signatory_membership = primary_membership(signatory) if signatory else None
    # One draft at a time: a second request (a double click, a second clerk) waits for the row lock, finds the
    # entry already in approval and is refused before it creates a second document or approval flow.
    with transition(complaint, COMPLAINT, "odpowiedz", acting_user=acting_user,
                    reason=_("odpowiedź skierowano do podpisu")) as locked:
        locked.response_outcome = outcome
    document = document_request(
        complaint, kind=DOC_RESPONSE, title=_("Odpowiedź – %(sign)s") % {"sign": complaint.sign},
        template_name="pdf/complaints/response.html",
        context=_complaint_context(complaint, body=body.strip(), reasons=reasons.strip(),
                                   legal_basis=legal_basis.strip(), outcome=str(Outcome(outcome).label),
                                   outcome_code=outcome,
                                   author=acting_user.get_full_name() or acting_user.username,
                                   signatory=signatory.get_full_name() if signatory else "",
                                   signatory_title=signatory_membership.display_title if signatory_membership else ""),
        acting_user=acting_user)
    return approval_start(document=document, document_kind=DocumentKind.COMPLAINT_RESPONSE, unit=complaint.unit,
                          acting_user=acting_user)


def on_response_flow_finished(flow: ApprovalFlow) -> None:
    """Registered in AppConfig.ready(): a signed response moves the entry on; a returned one goes back to
    drafting (C10). Runs inside the approval service's transaction."""
    complaint = flow.document.content_object
    if not isinstance(complaint, Complaint):
        return
    last = flow.steps.filter(acted_by__isnull=False).select_related("acted_by").order_by("-acted_at").first()
    signer = last.acted_by if last else None
    if flow.status == ApprovalFlow.Status.APPROVED:
        signature = flow.steps.filter(kind=ApprovalStep.Kind.SIGNATURE, status=ApprovalStep.Status.APPROVED).first()
        with transition(complaint, COMPLAINT, "podpisano", acting_user=signer,
                        reason=_("odpowiedź podpisana")) as locked:
            locked.signed_by = signature.acted_by if signature else None
            locked.signed_on = timezone.localdate()
    else:
        with transition(complaint, COMPLAINT, "zwrocono", acting_user=signer,
                        reason=_("odpowiedź zwrócona do poprawy")):
            pass


@transaction.atomic
def complaint_mark_sent(complaint: Complaint, *, acting_user, sent_on: date) -> Complaint:
    """C4: the signed response was sent; the date is recorded and the deadline met (C12 too)."""
    _ensure_can_work(acting_user, complaint)
    if sent_on is None:
        raise ValidationError({"sent_on": _("Podaj datę wysłania.")})
    if sent_on > timezone.localdate():
        raise ValidationError({"sent_on": _("Data wysłania nie może być późniejsza niż dzisiejsza.")})
    with transition(complaint, COMPLAINT, "wyslano", acting_user=acting_user,
                    reason=_("odpowiedź wysłana")) as locked:
        if locked.signed_on and sent_on < locked.signed_on:
            raise ValidationError({"sent_on": _("Odpowiedź nie mogła zostać wysłana przed jej podpisaniem "
                                                "(%(day)s).") % {"day": locked.signed_on.strftime("%d.%m.%Y")}})
        locked.sent_on = sent_on
    deadline_meet(complaint, DL_RESPONSE)
    deadline_meet(complaint, DL_PARLIAMENTARIAN)
    return complaint


@transaction.atomic
def complaint_close(complaint: Complaint, *, acting_user, outcome: str, note: str = "", repeated_of=None,
                    today: date | None = None) -> Complaint:
    """Close the entry with its outcome: founded / partly founded / unfounded after the response was sent;
    or, under C8 (KPA art. 239), a repeated complaint with no new circumstances after one found unfounded,
    by a note in the file without a new answer."""
    _ensure_can_work(acting_user, complaint)
    today = _today(today)
    if outcome in RESPONSE_OUTCOMES:
        pass
    elif outcome == Outcome.REPEATED:
        errors = {}
        if complaint.kind != "skarga":
            errors["outcome"] = _("Art. 239 KPA dotyczy tylko skarg.")
        if repeated_of is None:
            errors["repeated_of"] = _("Wskaż wcześniejszą skargę, którą ponowiono.")
        elif repeated_of.pk == complaint.pk:
            errors["repeated_of"] = _("Skarga nie może być ponowieniem samej siebie.")
        elif repeated_of.outcome != Outcome.UNFOUNDED or repeated_of.status != Status.CLOSED:
            errors["repeated_of"] = _("Wcześniejsza skarga %(sign)s nie została uznana za bezzasadną – art. 239 KPA "
                                      "nie ma zastosowania.") % {"sign": repeated_of.sign}
        if not (note or "").strip():
            errors["note"] = _("Wpisz adnotację do akt: że skarga nie wnosi nowych okoliczności.")
        if errors:
            raise ValidationError(errors)
    else:
        raise ValidationError({"outcome": _("To rozstrzygnięcie ma własną czynność (przekazanie lub pozostawienie "
                                            "bez rozpoznania).")})
    with transition(complaint, COMPLAINT, "zakoncz", acting_user=acting_user, reason=_("zakończono")) as locked:
        # The table lets "zakoncz" start before the response only for the note of C8; a response's outcome
        # (C14) is recorded once the response was sent.
        if outcome in RESPONSE_OUTCOMES and locked.status != Status.SENT:
            raise ValidationError({"outcome": _("Sprawę z takim rozstrzygnięciem zamyka się po wysłaniu odpowiedzi.")})
        if outcome == Outcome.REPEATED:
            if locked.status == Status.SENT:
                raise ValidationError(_("W tym stanie sprawy nie można jej zakończyć adnotacją z art. 239 KPA."))
            locked.repeated_of = repeated_of
        locked.outcome = outcome
        locked.closed_on = today
        locked.closing_note = note
    _cancel_all_deadlines(complaint)
    return complaint


@transaction.atomic
def complaint_extend(complaint: Complaint, *, acting_user, new_due: date, reason: str,
                     today: date | None = None) -> Complaint:
    """C7 (KPA art. 237 §4 with art. 36; art. 245 for motions): when the deadline cannot be met the
    complainant is told why and given a new date, which becomes the deadline (K3 applies to it)."""
    _ensure_can_work(acting_user, complaint)
    today = _today(today)
    with transition(complaint, COMPLAINT, "termin", acting_user=acting_user, reason=_("nowy termin (C7)")) as locked:
        # Compared with the deadline read under the lock: a replayed request for the same date is refused.
        errors = {}
        if new_due is None:
            errors["new_due"] = _("Podaj nowy termin.")
        elif new_due <= locked.due_date:
            errors["new_due"] = _("Nowy termin musi być późniejszy niż obecny (%(day)s).") % {
                "day": locked.due_date.strftime("%d.%m.%Y")}
        elif new_due > calendar.add_months(locked.statutory_due, 12):
            errors["new_due"] = _("Nowy termin nie może przypadać później niż rok po terminie ustawowym.")
        if not (reason or "").strip():
            errors["reason"] = _("Podaj przyczynę niezałatwienia sprawy w terminie (art. 36 KPA).")
        if errors:
            raise ValidationError(errors)
        new_due = calendar.roll_to_working_day(new_due)
        locked.due_date = new_due
        locked.extension_reason = reason.strip()
    deadline_move(complaint, DL_RESPONSE, new_due)
    # C12: the member of parliament is told what is being done, the notice serves as that information.
    deadline_meet(complaint, DL_PARLIAMENTARIAN)
    if not complaint.anonymous and (complaint.complainant_address or complaint.complainant_email):
        document_request(complaint, kind=DOC_EXTENSION, title=_("Zawiadomienie o nowym terminie – %(sign)s")
                         % {"sign": complaint.sign}, template_name="pdf/complaints/extension_notice.html",
                         context=_complaint_context(complaint, reason=reason.strip(),
                                                    new_due=new_due.strftime("%d.%m.%Y"),
                                                    statutory_due=complaint.statutory_due.strftime("%d.%m.%Y")),
                         acting_user=acting_user)
        _notify_complainant(complaint, f"extension:{new_due.isoformat()}",
                            _("Nowy termin załatwienia sprawy %(sign)s") % {"sign": complaint.sign},
                            _("Uprzejmie informujemy, że sprawa nie zostanie załatwiona w terminie z powodu: "
                              "%(reason)s\nNowy termin: %(day)s (art. 36 KPA).")
                            % {"reason": reason.strip(), "day": new_due.strftime("%d.%m.%Y")})
    return complaint


# --- whistleblower reports (C11) ----------------------------------------------------------------------


def _wb_open_deadlines(report: WhistleblowerReport, people) -> None:
    """C11: the acknowledgement and feedback deadlines are on each person handling the report."""
    label_ack = _("Potwierdzenie przyjęcia zgłoszenia %(sign)s") % {"sign": report.sign}
    label_fb = _("Informacja zwrotna – zgłoszenie %(sign)s") % {"sign": report.sign}
    for person in people:
        if report.status == WhistleblowerStatus.RECEIVED:
            deadline_open(report, kind=DL_WB_ACK, rule="C11", due=report.ack_due, label=label_ack,
                          responsible_user=person)
        elif report.status in (WhistleblowerStatus.ACKNOWLEDGED, WhistleblowerStatus.PROCEEDINGS):
            deadline_open(report, kind=DL_WB_FEEDBACK, rule="C11", due=report.feedback_due, label=label_fb,
                          responsible_user=person)


def _ensure_handler(user, report: WhistleblowerReport) -> None:
    if not permissions.can_handle_whistleblower(user, report):
        raise PermissionDenied(_("Zgłoszenie prowadzą wyłącznie osoby do niego przydzielone."))


WB_PERMS = ("view_whistleblowerreport", "view_reporter_identity", "handle_whistleblowerreport")


def _check_not_concerned(report: WhistleblowerReport, user, field: str = "user") -> None:
    """C11: the person handling a report is not the person it concerns."""
    if report.person_concerned_id is not None and user is not None and report.person_concerned_id == user.pk:
        raise ValidationError({field: _("Zgłoszenie dotyczy tej osoby – nie może go prowadzić ani znać tożsamości "
                                        "zgłaszającego (C11). Wskaż inną osobę.")})


@transaction.atomic
def whistleblower_register(*, acting_user, received_on: date, channel: str, subject: str, description: str = "",
                           reporter_anonymous: bool = False, reporter_name: str = "", reporter_contact: str = "",
                           person_concerned=None, unit: Unit | None = None) -> WhistleblowerReport:
    """C11 (000 §19.8): register a report of a breach of law; acknowledgement due within 7 days. The person
    receiving it is assigned to it (they already know the reporter's identity); the person the report concerns
    may not receive it."""
    if not permissions.can_register_whistleblower(acting_user):
        raise PermissionDenied(_("Zgłoszenia naruszeń prawa przyjmuje Dział Nadzoru i Kontroli."))
    errors = {}
    today = timezone.localdate()
    if received_on is None:
        errors["received_on"] = _("Podaj datę przyjęcia.")
    elif received_on > today:
        errors["received_on"] = _("Data przyjęcia nie może być późniejsza niż dzisiejsza.")
    elif received_on < EARLIEST:
        errors["received_on"] = _("Data przyjęcia jest zbyt odległa – sprawdź rok.")
    if not (subject or "").strip():
        errors["subject"] = _("Podaj przedmiot zgłoszenia.")
    if not reporter_anonymous and not (reporter_name or "").strip():
        errors["reporter_name"] = _("Podaj imię i nazwisko zgłaszającego albo zaznacz zgłoszenie anonimowe.")
    if person_concerned is not None and person_concerned.pk == acting_user.pk:
        errors["person_concerned"] = _("Zgłoszenie dotyczy osoby przyjmującej – przyjmuje je inny pracownik Działu "
                                       "Nadzoru i Kontroli (C11).")
    if errors:
        raise ValidationError(errors)
    unit = unit or register_unit(_institution_of(acting_user))
    config = get_config(unit.institution)
    year = received_on.year
    number = _next_number(unit, RegisterCounter.Register.WHISTLEBLOWER, year)
    report = WhistleblowerReport(
        unit=unit, year=year, number=number,
        sign=format_sign(config.whistleblower_sign_format, unit=unit, number=number, year=year),
        received_on=received_on, channel=channel, subject=subject.strip(), description=description,
        reporter_anonymous=reporter_anonymous, reporter_name="" if reporter_anonymous else reporter_name.strip(),
        reporter_contact=reporter_contact.strip(), person_concerned=person_concerned,
        ack_due=calendar.deadline_in_days(received_on, config.whistleblower_ack_days), created_by=acting_user,
    )
    _save(report, _("przyjęcie zgłoszenia"), acting_user)
    grant_unit_perms(report)
    _wb_grant(report, acting_user)
    return report


def _wb_grant(report: WhistleblowerReport, user) -> None:
    _check_not_concerned(report, user)
    for perm in WB_PERMS:
        grant_user(user, perm, report)
    report.assignees.add(user)
    _wb_open_deadlines(report, [user])


@transaction.atomic
def whistleblower_assign(report: WhistleblowerReport, *, acting_user, user) -> WhistleblowerReport:
    """C11: the head of DNK assigns a person to the report; only assigned people see the reporter's identity;
    never the person the report concerns."""
    if not permissions.can_assign_whistleblower(acting_user, report):
        raise PermissionDenied(_("Osoby do zgłoszenia przydziela kierownictwo Działu Nadzoru i Kontroli."))
    with transition(report, WHISTLEBLOWER, "przydziel", acting_user=acting_user,
                    reason=_("przydzielono osobę")) as locked:
        if locked.assignees.filter(pk=user.pk).exists():
            raise ValidationError({"user": _("Ta osoba jest już przydzielona do zgłoszenia.")})
        _wb_grant(locked, user)
    return report


@transaction.atomic
def whistleblower_unassign(report: WhistleblowerReport, *, acting_user, user) -> WhistleblowerReport:
    if not permissions.can_assign_whistleblower(acting_user, report):
        raise PermissionDenied(_("Osoby do zgłoszenia przydziela kierownictwo Działu Nadzoru i Kontroli."))
    with transition(report, WHISTLEBLOWER, "odwolaj", acting_user=acting_user,
                    reason=_("odwołano osobę")) as locked:
        if not locked.assignees.filter(pk=user.pk).exists():
            raise ValidationError({"user": _("Ta osoba nie jest przydzielona do zgłoszenia.")})
        if locked.assignees.count() <= 1:
            raise ValidationError({"user": _("Zgłoszenie musi mieć co najmniej jedną osobę prowadzącą.")})
        for perm in WB_PERMS:
            revoke_user(user, perm, locked)
        locked.assignees.remove(user)
        for row in Deadline.objects.for_object(locked).open().filter(responsible_user=user):
            row.cancelled_at = timezone.now()
            row.save(update_fields=["cancelled_at"])
    return report


@transaction.atomic
def whistleblower_acknowledge(report: WhistleblowerReport, *, acting_user, on: date) -> WhistleblowerReport:
    """C11: acknowledgement of receipt (within 7 days); feedback becomes due 3 months after it."""
    _ensure_handler(acting_user, report)
    if on is None or on > timezone.localdate() or on < report.received_on:
        raise ValidationError({"on": _("Data potwierdzenia musi mieścić się między datą przyjęcia a dniem "
                                       "dzisiejszym.")})
    config = get_config(report.unit.institution)
    with transition(report, WHISTLEBLOWER, "potwierdz", acting_user=acting_user,
                    reason=_("potwierdzono przyjęcie")) as locked:
        locked.acknowledged_on = on
        locked.feedback_due = calendar.deadline_in_months(on, config.whistleblower_feedback_months)
    deadline_meet(report, DL_WB_ACK)
    _wb_open_deadlines(report, list(report.assignees.all()))
    return report


@transaction.atomic
def whistleblower_start_proceedings(report: WhistleblowerReport, *, acting_user, note: str) -> WhistleblowerReport:
    """C11 (000 §19.8 b): explanatory proceedings to assess the truth of the report."""
    _ensure_handler(acting_user, report)
    with transition(report, WHISTLEBLOWER, "postepowanie", acting_user=acting_user,
                    reason=_("wszczęto postępowanie wyjaśniające")) as locked:
        locked.proceedings_note = (note or "").strip()
    return report


@transaction.atomic
def whistleblower_feedback(report: WhistleblowerReport, *, acting_user, on: date, text: str) -> WhistleblowerReport:
    """C11 (000 §19.8 c): feedback to the reporter, due within 3 months of the acknowledgement."""
    _ensure_handler(acting_user, report)
    errors = {}
    if not (text or "").strip():
        errors["text"] = _("Wpisz treść informacji zwrotnej.")
    if on is None or on > timezone.localdate() or (report.acknowledged_on and on < report.acknowledged_on):
        errors["on"] = _("Data informacji zwrotnej musi mieścić się między potwierdzeniem a dniem dzisiejszym.")
    if errors:
        raise ValidationError(errors)
    with transition(report, WHISTLEBLOWER, "informacja", acting_user=acting_user,
                    reason=_("przekazano informację zwrotną")) as locked:
        locked.feedback_on = on
        locked.feedback_text = text.strip()
    deadline_meet(report, DL_WB_FEEDBACK)
    return report


@transaction.atomic
def whistleblower_close(report: WhistleblowerReport, *, acting_user, today: date | None = None) -> WhistleblowerReport:
    _ensure_handler(acting_user, report)
    with transition(report, WHISTLEBLOWER, "zamknij", acting_user=acting_user, reason=_("zamknięto")) as locked:
        locked.closed_on = _today(today)
    deadline_cancel(report)
    return report
