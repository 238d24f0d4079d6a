"""The complaint procedure, last part: the response and its approval flow (C10), sending it (C4), a new date
(C7) and closing the entry with its outcome (C8, C14)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mopr import calendar
from mopr.deadlines import deadline_meet, deadline_move
from mopr.documents import document_request
from mopr.procedures import move, transition
from units.models import ApprovalFlow, ApprovalStep, DocumentKind
from units.selectors import primary_membership
from units.services import approval_start
from units.signing import acting_signatory

from ..models import RESPONSE_OUTCOMES, Complaint, Kind, Outcome, Status
from ..procedures import COMPLAINT
from .complaint import cancel_all_deadlines, complaint_context, ensure_can_work, notify_complainant
from .kinds import DL_FORWARD, DL_PARLIAMENTARIAN, DL_RESPONSE, DOC_EXTENSION, DOC_RESPONSE
from .register import today_or


@transaction.atomic
def complaint_draft_response(
    complaint: Complaint, *, acting_user, body: str, outcome: str, reasons: str = "", legal_basis: str = ""
) -> ApprovalFlow:
    """C10: DNK drafts the response (how the complaint was handled; if it is not upheld, the factual and
    legal reasons, KPA art. 238) and starts the approval flow: initials, then the signature of the Director,
    a Deputy or whoever acts for them (U4, U6)."""
    ensure_can_work(acting_user, complaint)
    errors = {}
    if not (body or "").strip():
        errors["body"] = _("Wpisz treść odpowiedzi.")
    if outcome not in RESPONSE_OUTCOMES:
        errors["outcome"] = _("Wybierz rozstrzygnięcie.")
    elif outcome != Outcome.FOUNDED and complaint.kind == Kind.COMPLAINT:
        if not (reasons or "").strip():
            errors["reasons"] = _(
                "Odpowiedź na skargę nieuwzględnioną w całości musi zawierać uzasadnienie faktyczne (art. 238 KPA)."
            )
        if not (legal_basis or "").strip():
            errors["legal_basis"] = _("Podaj podstawę prawną (art. 238 KPA).")
    if errors:
        raise ValidationError(errors)
    if complaint.status == Status.EXPLAINING:
        raise ValidationError(
            _("Nie wszystkie komórki złożyły wyjaśnienia – odpowiedź można przygotować po ich otrzymaniu.")
        )
    signatory = acting_signatory(complaint.unit, DocumentKind.COMPLAINT_RESPONSE)
    signatory_membership = primary_membership(signatory) if signatory else None
    # One draft at a time: a second request (a double click, a second clerk) waits for the row lock, finds the
    # entry already in approval and is refused before it creates a second document or approval flow.
    with transition(
        complaint, COMPLAINT, "odpowiedz", acting_user=acting_user, reason=_("odpowiedź skierowano do podpisu")
    ) as locked:
        locked.response_outcome = outcome
    deadline_meet(complaint, DL_FORWARD)  # C5: the case proceeds as the institution's own
    document = document_request(
        complaint,
        kind=DOC_RESPONSE,
        title=_("Odpowiedź – %(sign)s") % {"sign": complaint.sign},
        template_name="pdf/complaints/response.html",
        context=complaint_context(
            complaint,
            body=body.strip(),
            reasons=reasons.strip(),
            legal_basis=legal_basis.strip(),
            outcome=str(Outcome(outcome).label),
            outcome_code=outcome,
            author=acting_user.get_full_name() or acting_user.username,
            signatory=signatory.get_full_name() if signatory else "",
            signatory_title=signatory_membership.display_title if signatory_membership else "",
        ),
        acting_user=acting_user,
    )
    return approval_start(
        document=document, document_kind=DocumentKind.COMPLAINT_RESPONSE, unit=complaint.unit, acting_user=acting_user
    )


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
        with transition(
            complaint, COMPLAINT, "podpisano", acting_user=signer, reason=_("odpowiedź podpisana")
        ) as locked:
            locked.signed_by = signature.acted_by if signature else None
            locked.signed_on = timezone.localdate()
    else:
        move(complaint, COMPLAINT, "zwrocono", acting_user=signer, reason=_("odpowiedź zwrócona do poprawy"))


@transaction.atomic
def complaint_mark_sent(complaint: Complaint, *, acting_user, sent_on: date) -> Complaint:
    """C4: the signed response was sent; the date is recorded and the deadline met (C12 too)."""
    ensure_can_work(acting_user, complaint)
    if sent_on is None:
        raise ValidationError({"sent_on": _("Podaj datę wysłania.")})
    if sent_on > timezone.localdate():
        raise ValidationError({"sent_on": _("Data wysłania nie może być późniejsza niż dzisiejsza.")})
    with transition(complaint, COMPLAINT, "wyslano", acting_user=acting_user, reason=_("odpowiedź wysłana")) as locked:
        if locked.signed_on and sent_on < locked.signed_on:
            raise ValidationError(
                {
                    "sent_on": _("Odpowiedź nie mogła zostać wysłana przed jej podpisaniem (%(day)s).")
                    % {"day": locked.signed_on.strftime("%d.%m.%Y")}
                }
            )
        locked.sent_on = sent_on
    # K6: met on the day the response went out, so a late sending stays late.
    deadline_meet(complaint, DL_RESPONSE, when=sent_on)
    deadline_meet(complaint, DL_PARLIAMENTARIAN, when=sent_on)
    return complaint


@transaction.atomic
def complaint_close(
    complaint: Complaint,
    *,
    acting_user,
    outcome: str,
    note: str = "",
    repeated_of=None,
    today: date | None = None,
    change_reason: str = "",
) -> Complaint:
    """Close the entry with its outcome: founded / partly founded / unfounded after the response was sent;
    or, under C8 (KPA art. 239), a repeated complaint with no new circumstances after one found unfounded,
    by a note in the file without a new answer. ``change_reason``: the reason given on the confirmation page
    (``mopr.forms.confirm_page``), for the history."""
    ensure_can_work(acting_user, complaint)
    today = today_or(today)
    if outcome in RESPONSE_OUTCOMES:
        pass
    elif outcome == Outcome.REPEATED:
        errors = {}
        if complaint.kind != Kind.COMPLAINT:
            errors["outcome"] = _("Art. 239 KPA dotyczy tylko skarg.")
        if repeated_of is None:
            errors["repeated_of"] = _("Wskaż wcześniejszą skargę, którą ponowiono.")
        elif repeated_of.pk == complaint.pk:
            errors["repeated_of"] = _("Skarga nie może być ponowieniem samej siebie.")
        elif repeated_of.outcome != Outcome.UNFOUNDED or repeated_of.status != Status.CLOSED:
            errors["repeated_of"] = _(
                "Wcześniejsza skarga %(sign)s nie została uznana za bezzasadną – art. 239 KPA nie ma zastosowania."
            ) % {"sign": repeated_of.sign}
        if not (note or "").strip():
            errors["note"] = _("Wpisz adnotację do akt: że skarga nie wnosi nowych okoliczności.")
        if errors:
            raise ValidationError(errors)
    else:
        raise ValidationError(
            {"outcome": _("To rozstrzygnięcie ma własną czynność (przekazanie lub pozostawienie bez rozpoznania).")}
        )
    with transition(
        complaint, COMPLAINT, "zakoncz", acting_user=acting_user, reason=change_reason or _("zakończono")
    ) as locked:
        # C14: the outcome is the signed response's; a different one needs a recorded reason (the note).
        if (
            outcome in RESPONSE_OUTCOMES
            and locked.response_outcome
            and outcome != locked.response_outcome
            and not (note or "").strip()
        ):
            raise ValidationError(
                {
                    "note": _(
                        "Sposób załatwienia różni się od podpisanej odpowiedzi (%(signed)s): wpisz przyczynę zmiany."
                    )
                    % {"signed": Outcome(locked.response_outcome).label}
                }
            )
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
    cancel_all_deadlines(complaint)
    return complaint


@transaction.atomic
def complaint_extend(
    complaint: Complaint, *, acting_user, new_due: date, reason: str, today: date | None = None
) -> Complaint:
    """C7 (KPA art. 237 §4 with art. 36; art. 245 for motions): when the deadline cannot be met the
    complainant is told why and given a new date, which becomes the deadline (K3 applies to it)."""
    ensure_can_work(acting_user, complaint)
    today = today_or(today)
    with transition(complaint, COMPLAINT, "termin", acting_user=acting_user, reason=_("nowy termin (C7)")) as locked:
        # Compared with the deadline read under the lock: a replayed request for the same date is refused.
        errors = {}
        if new_due is None:
            errors["new_due"] = _("Podaj nowy termin.")
        elif new_due <= locked.due_date:
            errors["new_due"] = _("Nowy termin musi być późniejszy niż obecny (%(day)s).") % {
                "day": locked.due_date.strftime("%d.%m.%Y")
            }
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
        document_request(
            complaint,
            kind=DOC_EXTENSION,
            title=_("Zawiadomienie o nowym terminie – %(sign)s") % {"sign": complaint.sign},
            template_name="pdf/complaints/extension_notice.html",
            context=complaint_context(
                complaint,
                reason=reason.strip(),
                new_due=new_due.strftime("%d.%m.%Y"),
                statutory_due=complaint.statutory_due.strftime("%d.%m.%Y"),
            ),
            acting_user=acting_user,
        )
        notify_complainant(
            complaint,
            f"extension:{new_due.isoformat()}",
            _("Nowy termin załatwienia sprawy %(sign)s") % {"sign": complaint.sign},
            _(
                "Uprzejmie informujemy, że sprawa nie zostanie załatwiona w terminie z powodu: "
                "%(reason)s\nNowy termin: %(day)s (art. 36 KPA)."
            )
            % {"reason": reason.strip(), "day": new_due.strftime("%d.%m.%Y")},
        )
    return complaint
