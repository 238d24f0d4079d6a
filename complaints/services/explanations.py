"""The complaint procedure: explanations of the units concerned (C3) and the rule on who may give them (C6)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mopr import calendar
from mopr.deadlines import deadline_meet, deadline_open
from mopr.outbox import outbox_enqueue
from mopr.procedures import lock, move, transition
from mopr.uploads import validate_upload
from units.models import Unit
from units.permissions import grant_group, grant_user, unit_group
from units.selectors import is_superior

from .. import permissions
from ..models import AttachmentKind, Complaint, Explanation, Status
from ..procedures import COMPLAINT
from .complaint import ensure_can_work, store_attachment
from .kinds import DL_EXPLANATION, DL_FORWARD
from .register import get_config, save_with_reason, today_or


def explanation_responders(unit: Unit, assignee=None) -> list:
    """Who answers: the person named, or the members of the unit's heads group."""
    if assignee is not None:
        return [assignee]
    return list(unit_group(unit, "heads").user_set.filter(is_active=True).order_by("last_name", "first_name", "pk"))


def check_c6(complaint: Complaint, unit: Unit, assignee=None) -> None:
    """C6 (KPA art. 232 §2, art. 256): the complaint goes to the superior of the person it concerns, never to
    that person or anyone that person is superior to."""
    concerned = complaint.employee_concerned
    if concerned is None:
        return
    responders = explanation_responders(unit, assignee)
    # The person concerned among those who would answer is said first (whatever the order of the others).
    responders.sort(key=lambda person: person.pk != concerned.pk)
    for person in responders:
        name = person.get_full_name() or person.username
        if person.pk == concerned.pk:
            raise ValidationError(
                {
                    "assignee": _(
                        "Skarga dotyczy osoby, którą wskazano (%(name)s) – nie można jej przekazać do wyjaśnienia "
                        "tej osobie (C6, art. 232 §2 i art. 256 KPA). Wskaż jej przełożonego."
                    )
                    % {"name": name}
                }
            )
        if is_superior(concerned, person):
            raise ValidationError(
                {
                    "assignee": _(
                        "%(name)s jest podwładnym(-ą) osoby, której dotyczy skarga – nie może jej wyjaśniać (C6). "
                        "Wskaż przełożonego tej osoby."
                    )
                    % {"name": name}
                }
            )


def _open_explanation_request(
    complaint: Complaint, *, unit: Unit, assignee, note: str, today: date, acting_user, due: date
) -> Explanation:
    refusal = ValidationError({"unit": _("Ta komórka ma już otwartą prośbę o wyjaśnienia w tej sprawie.")})
    if complaint.explanations.filter(unit=unit, submitted_at__isnull=True).exists():
        raise refusal
    try:
        with transaction.atomic():
            return Explanation.objects.create(
                complaint=complaint,
                unit=unit,
                assignee=assignee,
                request_note=note,
                requested_on=today,
                requested_by=acting_user,
                due=due,
            )
    except IntegrityError:
        raise refusal from None


@transaction.atomic
def complaint_request_explanation(
    complaint: Complaint,
    *,
    acting_user,
    unit: Unit,
    assignee=None,
    note: str = "",
    due: date | None = None,
    today: date | None = None,
) -> Explanation:
    """C3: ask the heads of a unit concerned (or, under C6, a named superior) for a full explanation with the
    documents, by an internal deadline (default 7 days). They get an explicit grant on the entry."""
    ensure_can_work(acting_user, complaint)
    today = today_or(today)
    if unit.institution_id != complaint.unit.institution_id:
        raise ValidationError({"unit": _("Komórka należy do innego ośrodka.")})
    if due is not None and due < today:
        raise ValidationError({"due": _("Termin wewnętrzny nie może być wcześniejszy niż dziś.")})
    if due is not None and due > complaint.due_date:
        raise ValidationError(
            {
                "due": _("Termin wewnętrzny musi przypadać nie później niż termin załatwienia sprawy (%(day)s).")
                % {"day": complaint.due_date.strftime("%d.%m.%Y")}
            }
        )
    check_c6(complaint, unit, assignee)
    if not explanation_responders(unit, assignee):
        raise ValidationError({"unit": _("Komórka nie ma kierownika – wskaż osobę, która złoży wyjaśnienia.")})
    config = get_config(complaint.unit.institution)
    due = due or calendar.deadline_in_days(today, config.explanation_days)
    with transition(
        complaint, COMPLAINT, "wyjasnienia", acting_user=acting_user, reason=_("prośba o wyjaśnienia")
    ) as locked:
        # Checked under the entry's row lock: a second request for the same unit (a double click, a second
        # clerk) waits for the first and sees its open request. The partial unique constraint backs it up.
        explanation = _open_explanation_request(
            locked, unit=unit, assignee=assignee, note=note, today=today, acting_user=acting_user, due=due
        )
    complaint.units_concerned.add(unit)
    deadline_meet(complaint, DL_FORWARD, when=today)  # C5: the case proceeds as the institution's own
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
                key=f"complaint-explanation:{explanation.pk}:{person.pk}",
                to=person.email,
                user=person,
                subject=_("Prośba o wyjaśnienia – %(sign)s") % {"sign": complaint.sign},
                body_text=_(
                    "Dział Nadzoru i Kontroli prosi o wyjaśnienia i dokumenty w sprawie %(sign)s do dnia "
                    "%(due)s (000 §36 ust. 2).\n%(url)s"
                )
                % {
                    "sign": complaint.sign,
                    "due": due.strftime("%d.%m.%Y"),
                    "url": settings.SITE_URL + complaint.get_absolute_url(),
                },
            )
    return explanation


@transaction.atomic
def explanation_submit(explanation: Explanation, *, acting_user, text: str, files=()) -> Explanation:
    """C3: the unit's explanation with its documents, sent to DNK; refused on a closed entry."""
    explanation = Explanation.objects.select_for_update().select_related("complaint").get(pk=explanation.pk)
    complaint = explanation.complaint
    if complaint.status == Status.CLOSED:
        raise ValidationError(
            _("Sprawa %(sign)s jest zakończona – nie można już składać wyjaśnień.") % {"sign": complaint.sign}
        )
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
    save_with_reason(explanation, _("złożono wyjaśnienia"), acting_user)
    for upload in files:
        store_attachment(
            complaint, upload, kind=AttachmentKind.EXPLANATION, acting_user=acting_user, explanation=explanation
        )
    deadline_meet(explanation, DL_EXPLANATION)
    complaint = lock(complaint)
    if (
        COMPLAINT.allows(complaint, "komplet-wyjasnien")
        and not complaint.explanations.filter(submitted_at__isnull=True).exists()
    ):
        move(complaint, COMPLAINT, "komplet-wyjasnien", acting_user=acting_user, reason=_("komplet wyjaśnień"))
    return explanation
