"""State changes of the chart and of approval flows. Each is atomic, validates its rule, writes history
and brings the permission groups in line on commit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mopr import calendar
from mopr.deadlines import deadline_cancel, deadline_meet, deadline_open
from mopr.forms import REASON_MAX_LENGTH
from mopr.models import Document

from . import signing
from .models import (
    Absence,
    ApprovalFlow,
    ApprovalStep,
    Authorization,
    DeputySigningScope,
    Membership,
    Position,
    Supervision,
    Unit,
)
from .permissions import schedule_recompute
from .registers_procedures import authorisations_follow_membership

APPROVAL_STEP_WORKING_DAYS = 2
# The deadline kind of a pending approval step (the dashboard lists steps apart from other deadlines).
APPROVAL_STEP_DEADLINE = "approval_step"


def _save_valid(obj, reason: str = "", acting_user=None):
    """Validate (the model's clean() holds the U-rules), then save with who and why in the history."""
    obj.full_clean()
    if reason:
        obj._change_reason = reason
    if acting_user is not None:
        obj._history_user = acting_user
    obj.save()
    return obj


@transaction.atomic
def unit_save(unit: Unit, *, acting_user=None) -> Unit:
    """U1: save a unit after checking the tree (no cycles)."""
    _save_valid(unit, acting_user=acting_user)
    schedule_recompute(unit.institution)
    return unit


@transaction.atomic
def membership_create(
    *,
    user,
    unit: Unit,
    position: str,
    valid_from: date,
    valid_to: date | None = None,
    title: str = "",
    acting_user=None,
) -> Membership:
    membership = _save_valid(
        Membership(user=user, unit=unit, position=position, title=title, valid_from=valid_from, valid_to=valid_to),
        acting_user=acting_user,
    )
    schedule_recompute(unit.institution)
    return membership


@transaction.atomic
def membership_end(membership: Membership, *, on: date, acting_user=None) -> Membership:
    membership.valid_to = on
    _save_valid(membership, acting_user=acting_user)
    schedule_recompute(membership.unit.institution)
    # R1, GDPR art. 29: the authorisations to process personal data end with the membership.
    authorisations_follow_membership(membership, acting_user=acting_user)
    return membership


@transaction.atomic
def supervision_transfer(
    *, unit: Unit, to_user, on: date | None = None, basis: str = "", acting_user=None
) -> Supervision:
    """U3: the Director moves a unit to another supervisor (e.g. the other Deputy) from ``on``.

    The old supervision ends the day before; access moves at once through the groups;
    no record row is touched.
    """
    on = on or timezone.localdate()
    current = Supervision.objects.select_for_update().filter(unit=unit).active(on).first()
    if current is not None:
        if current.supervisor_id == to_user.pk:
            raise ValidationError(_("Ta osoba już nadzoruje tę komórkę."))
        if current.valid_from >= on:
            current.delete()
        else:
            current.valid_to = on - timedelta(days=1)
            _save_valid(current, acting_user=acting_user)
    supervision = _save_valid(
        Supervision(unit=unit, supervisor=to_user, valid_from=on, basis=basis), acting_user=acting_user
    )
    schedule_recompute(unit.institution)
    return supervision


@transaction.atomic
def absence_register(
    *, user, date_from: date, date_to: date, substitute=None, reason: str = "", acting_user=None
) -> Absence:
    absence = _save_valid(
        Absence(user=user, date_from=date_from, date_to=date_to, substitute=substitute, reason=reason),
        acting_user=acting_user,
    )
    schedule_recompute()
    return absence


def _reason(reason: str, *, required: bool = False, field: str = "reason") -> str:
    """The reason of a change, written into the history (simple-history keeps 100 characters)."""
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError({field: _("Podaj powód zmiany – zostanie zapisany w historii.")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({field: _("Powód może mieć najwyżej %(n)s znaków.") % {"n": REASON_MAX_LENGTH}})
    return reason


@transaction.atomic
def absence_change(absence: Absence, *, acting_user=None, change_reason: str, **fields) -> Absence:
    """U4: correct a recorded absence (dates, substitute, cause), with the reason of the change in its history;
    who acts for whom is recomputed at once."""
    change_reason = _reason(change_reason, required=True, field="change_reason")
    unknown = set(fields) - {"user", "date_from", "date_to", "substitute", "reason"}
    if unknown:
        raise ValueError(f"absence_change: unknown fields {sorted(unknown)}")
    absence = Absence.objects.select_for_update().get(pk=absence.pk)
    for name, value in fields.items():
        setattr(absence, name, value)
    _save_valid(absence, reason=change_reason, acting_user=acting_user)
    schedule_recompute()
    return absence


AUTHORIZATION_FIELDS = (
    "number",
    "kind",
    "holder",
    "scope",
    "scope_description",
    "legal_basis",
    "issuer",
    "issued_by",
    "valid_from",
    "valid_to",
)


@transaction.atomic
def authorization_register(*, acting_user=None, **fields) -> Authorization:
    """U5: a power of attorney or authorisation entered into DKA's register."""
    return _save_valid(Authorization(**fields), acting_user=acting_user)


@transaction.atomic
def authorization_change(authorization: Authorization, *, acting_user=None, reason: str, **fields) -> Authorization:
    """U5: DKA corrects an entry of the register (the issuer validated as on entry), with the reason in its
    history. A revoked entry is not changed: a new one is entered instead."""
    reason = _reason(reason, required=True)
    authorization = Authorization.objects.select_for_update().get(pk=authorization.pk)
    if authorization.revoked_on:
        raise ValidationError(_("Odwołanego upoważnienia nie zmienia się – wpisz nowe."))
    unknown = set(fields) - set(AUTHORIZATION_FIELDS)
    if unknown:
        raise ValueError(f"authorization_change: unknown fields {sorted(unknown)}")
    for name, value in fields.items():
        setattr(authorization, name, value)
    return _save_valid(authorization, reason=reason, acting_user=acting_user)


@transaction.atomic
def deputy_scope_set(
    *, institution, deputy, kinds: list[str], basis: str, valid_from: date, acting_user=None
) -> DeputySigningScope:
    """000 §5.8, §8: the Director's order sets (or changes from ``valid_from``) a Deputy's signing scope; the
    scope in force until then ends the day before, so the history shows each order's period."""
    current = DeputySigningScope.objects.filter(deputy=deputy).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from)
    )
    for scope in current:
        if scope.valid_from >= valid_from:
            raise ValidationError(_("Od tego dnia obowiązuje już inny zakres tego Zastępcy."))
        scope.valid_to = valid_from - timedelta(days=1)
        _save_valid(scope, reason=_("nowe zarządzenie: %(basis)s") % {"basis": basis}, acting_user=acting_user)
    return _save_valid(
        DeputySigningScope(institution=institution, deputy=deputy, kinds=kinds, basis=basis, valid_from=valid_from),
        acting_user=acting_user,
    )


@transaction.atomic
def authorization_revoke(
    authorization: Authorization, *, on: date, acting_user=None, reason: str = ""
) -> Authorization:
    """U5: the entry is revoked from ``on`` (it stays in the register, marked, with the reason in its history);
    revoking twice is refused."""
    authorization = Authorization.objects.select_for_update().get(pk=authorization.pk)
    if authorization.revoked_on:
        raise ValidationError(
            _("To upoważnienie odwołano już %(day)s.") % {"day": authorization.revoked_on.strftime("%d.%m.%Y")}
        )
    authorization.revoked_on = on
    return _save_valid(authorization, reason=_reason(reason) or _("odwołanie"), acting_user=acting_user)


# --- approval flow (U6, 000 §38-40) ----------------------------------------------------------------

# Domain apps register what happens when a flow of their document kind finishes (signed or returned).
APPROVAL_FINISHERS: dict[str, Callable[[ApprovalFlow], None]] = {}


def register_approval_finisher(document_kind: str, handler: Callable[[ApprovalFlow], None]) -> None:
    APPROVAL_FINISHERS[document_kind] = handler


def _step_label(step: ApprovalStep) -> str:
    return _("%(action)s dokumentu: %(title)s") % {
        "action": step.get_kind_display().capitalize(),
        "title": step.flow.document.title,
    }


def _activate(step: ApprovalStep) -> None:
    step.status = ApprovalStep.Status.PENDING
    step.save(update_fields=["status"])
    owner = step.flow.document.content_object
    url = owner.get_absolute_url() if hasattr(owner, "get_absolute_url") else ""
    deadline_open(
        step,
        kind=APPROVAL_STEP_DEADLINE,
        label=_step_label(step),
        rule="U6",
        due=calendar.add_working_days(timezone.localdate(), APPROVAL_STEP_WORKING_DAYS),
        responsible_user=step.assignee,
        url=url,
    )


@transaction.atomic
def approval_start(
    *, document: Document, document_kind: str, unit: Unit, acting_user, day: date | None = None, signatory=None
) -> ApprovalFlow:
    """Start the flow: the author's initials, the superiors' initials (000 §40), the signature of the
    acting signatory (U4, U6), and the countersignature for financial documents (000 §38.2).

    ``signatory`` names the signer where a body's own rules give the signature to a person outside the
    chart's line (the Team's chair, 004 §34), or an employee whose valid authorisation covers the kind
    (U5-U6, ``signing.authorised_signatories``): accepted only when ``signing.may_sign`` allows it; then
    only the author initials and nobody stands in.
    """
    day = day or timezone.localdate()
    fixed = signatory is not None
    if fixed:
        answer = signing.may_sign(signatory, document_kind, day, unit.institution)
        if not answer.allowed:
            raise ValidationError(
                _("%(person)s nie może podpisać tego dokumentu: %(reason)s")
                % {"person": signatory.get_full_name() or signatory.username, "reason": answer.reason}
            )
    signatory = signatory or signing.acting_signatory(unit, document_kind, day)
    if signatory is None:
        raise ValidationError(_("Nie ma w tym dniu osoby uprawnionej do podpisania tego dokumentu."))
    # The document's row is the lock: two requests starting a flow for it queue here, and the second finds
    # the first one's flow (the partial unique constraint stands behind this for any other writer).
    Document.objects.select_for_update().filter(pk=document.pk).first()
    if ApprovalFlow.objects.filter(document=document, status=ApprovalFlow.Status.IN_PROGRESS).exists():
        raise ValidationError(_("Ten dokument jest już w obiegu."))
    flow = ApprovalFlow.objects.create(
        document=document, document_kind=document_kind, unit=unit, author=acting_user, fixed_signatory=fixed
    )
    people = [] if fixed and acting_user == signatory else [(ApprovalStep.Kind.INITIAL, acting_user)]
    if not fixed:
        initials = signing.superiors_chain(acting_user, unit, day)
        supervisor = signing.supervisor_of(unit, day)
        if supervisor is not None and supervisor not in initials and supervisor != signatory:
            initials.append(supervisor)
        people += [(ApprovalStep.Kind.INITIAL, person) for person in initials if person != signatory]
    people.append((ApprovalStep.Kind.SIGNATURE, signatory))
    if signing.requires_countersignature(document_kind):
        counter = signing.countersignatory(unit.institution, day)
        if counter is None:
            raise ValidationError(_("Brak Głównego Księgowego lub jego zastępcy do kontrasygnaty."))
        people.append((ApprovalStep.Kind.COUNTERSIGNATURE, counter))
    steps = [
        ApprovalStep.objects.create(flow=flow, order=index, kind=kind, assignee=person)
        for index, (kind, person) in enumerate(people, start=1)
    ]
    _activate(steps[0])
    return flow


def _check_actor(step: ApprovalStep, acting_user) -> None:
    if step.status != ApprovalStep.Status.PENDING:
        raise ValidationError(_("Ten krok obiegu nie czeka na działanie."))
    if step.kind == ApprovalStep.Kind.SIGNATURE:
        answer = signing.may_sign(
            acting_user, step.flow.document_kind, timezone.localdate(), step.flow.unit.institution
        )
        stands_in = (
            not step.flow.fixed_signatory
            and signing.acting_signatory(step.flow.unit, step.flow.document_kind) == acting_user
        )
        if acting_user != step.assignee and not stands_in:
            raise PermissionDenied(_("Ten dokument podpisuje inna osoba."))
        if not answer.allowed:
            raise PermissionDenied(answer.reason)
    elif acting_user != step.assignee:
        raise PermissionDenied(_("Ten krok obiegu należy do innej osoby."))


@transaction.atomic
def approval_approve(step: ApprovalStep, *, acting_user) -> ApprovalStep:
    """Initial, sign or countersign: checks the status and the person, records who, when and the
    SHA-256 of the PDF approved, then moves the flow on (wagtail's TaskState.approve pattern)."""
    step = ApprovalStep.objects.select_for_update().select_related("flow__document", "flow__unit").get(pk=step.pk)
    _check_actor(step, acting_user)
    document = step.flow.document
    if document.status != Document.Status.READY:
        raise ValidationError(_("Dokument nie został jeszcze wygenerowany."))
    step.status = ApprovalStep.Status.APPROVED
    step.acted_by = acting_user
    step.acted_at = timezone.now()
    step.sha256 = document.sha256
    step.save()
    deadline_meet(step)
    following = step.flow.steps.filter(status=ApprovalStep.Status.WAITING).order_by("order").first()
    if following is not None:
        _activate(following)
    else:
        _finish(step.flow, ApprovalFlow.Status.APPROVED)
    return step


@transaction.atomic
def approval_refuse(step: ApprovalStep, *, acting_user, reason: str) -> ApprovalStep:
    """Refuse with a reason: the document goes back to its author; the remaining steps are cancelled."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Podaj powód zwrotu dokumentu.")})
    step = ApprovalStep.objects.select_for_update().select_related("flow__document", "flow__unit").get(pk=step.pk)
    _check_actor(step, acting_user)
    step.status = ApprovalStep.Status.REFUSED
    step.acted_by = acting_user
    step.acted_at = timezone.now()
    step.reason = reason.strip()
    step.sha256 = step.flow.document.sha256
    step.save()
    deadline_cancel(step)
    for rest in step.flow.steps.filter(status=ApprovalStep.Status.WAITING):
        rest.status = ApprovalStep.Status.CANCELLED
        rest.save(update_fields=["status"])
    _finish(step.flow, ApprovalFlow.Status.RETURNED)
    return step


def _finish(flow: ApprovalFlow, status: str) -> None:
    flow.status = status
    flow.finished_at = timezone.now()
    flow.save(update_fields=["status", "finished_at"])
    handler = APPROVAL_FINISHERS.get(flow.document.kind)
    if handler is not None:
        handler(flow)


POST_ORDER = {
    "director": (Position.DIRECTOR, 0),
    "deputy_1": (Position.DEPUTY_DIRECTOR, 0),
    "deputy_2": (Position.DEPUTY_DIRECTOR, 1),
    "chief_accountant": (Position.CHIEF_ACCOUNTANT, 0),
}


@transaction.atomic
def supervision_apply_defaults(institution, day: date | None = None, *, acting_user=None) -> int:
    """U3: give each unit without an active supervisor the one the regulations name (000 §6, §7, §10),
    for the posts that are filled on ``day``. Units already supervised are left alone."""
    day = day or timezone.localdate()
    created = 0
    for unit in Unit.objects.filter(institution=institution).exclude(default_supervisor=""):
        if Supervision.objects.filter(unit=unit).active(day).exists():
            continue
        position, index = POST_ORDER.get(unit.default_supervisor, (None, 0))
        people = signing.holders(institution, position, day) if position else []
        if len(people) <= index:
            continue
        _save_valid(
            Supervision(
                unit=unit,
                supervisor=people[index],
                valid_from=day,
                basis=_("Regulamin organizacyjny %(p)s") % {"p": unit.paragraph or ""},
            )
        )
        created += 1
    if created:
        schedule_recompute(institution)
    return created
