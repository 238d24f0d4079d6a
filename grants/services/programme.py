"""G13: the annual programme of cooperation with NGOs and its report (UDPP art. 5a; 002 §II.3.3-4).

The programme's two statutory dates are deadlines of the clerk responsible for it (``mopr.deadlines``): the
council's resolution by 30 November of the year before (art. 5a ust. 1), the report by 31 May of the year after
(art. 5a ust. 3). Both are stored on the programme (editable, with history); the defaults are
``grants.models.programme.default_adoption_due`` / ``default_report_due``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mopr.deadlines import deadline_meet, deadline_open
from mopr.procedures import lock, record_change, transition

from .. import permissions, selectors
from ..models import (
    Competition,
    CooperationProgramme,
    ProgrammeReport,
    ProgrammeTask,
)
from ..models.programme import default_adoption_due, default_report_due
from ..procedures import PROGRAMME
from .common import _require

# deadline kinds (mopr.deadlines)
DL_PROGRAMME_ADOPTION = "grants_programme_adoption"  # G13, UDPP art. 5a ust. 1: resolution by 30 November
DL_PROGRAMME_REPORT = "grants_programme_report"  # G13, UDPP art. 5a ust. 3: report by 31 May


def _open_adoption_deadline(programme: CooperationProgramme) -> None:
    deadline_open(
        programme,
        kind=DL_PROGRAMME_ADOPTION,
        label=_("Program współpracy na rok %(year)s – uchwała Rady Miasta") % {"year": programme.year},
        due=programme.adoption_due,
        rule="G13 (art. 5a ust. 1 UDPP)",
        responsible_user=programme.responsible,
    )


def _open_report_deadline(programme: CooperationProgramme) -> None:
    deadline_open(
        programme,
        kind=DL_PROGRAMME_REPORT,
        label=_("Sprawozdanie z realizacji programu współpracy za rok %(year)s") % {"year": programme.year},
        due=programme.report_due,
        rule="G13 (art. 5a ust. 3 UDPP)",
        responsible_user=programme.responsible,
    )


def _check_dates(adoption_due: date, report_due: date, year: int) -> None:
    errors = {}
    if adoption_due.year >= year + 1:
        errors["adoption_due"] = _("Program uchwala się przed rozpoczęciem roku, którego dotyczy.")
    if report_due.year <= year:
        errors["report_due"] = _("Sprawozdanie składa się po zakończeniu roku programu.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def programme_create(*, acting_user, institution, year: int, priorities: str = "") -> CooperationProgramme:
    """G13: the draft of the centre's part of the programme for ``year``; the deadline of the council's resolution
    (30 November of the year before, UDPP art. 5a ust. 1) opened for the clerk who creates it."""
    _require(institution.pk in permissions.programme_manager_institutions(acting_user))
    if CooperationProgramme.objects.filter(institution=institution, year=year).exists():
        raise ValidationError({"year": _("Program współpracy na rok %(year)s już istnieje.") % {"year": year}})
    programme = CooperationProgramme(
        institution=institution,
        year=year,
        priorities=priorities.strip(),
        adoption_due=default_adoption_due(year),
        report_due=default_report_due(year),
        responsible=acting_user,
    )
    programme.full_clean()
    record_change(programme, acting_user=acting_user, reason=_("Utworzenie projektu programu"))
    try:
        with transaction.atomic():
            programme.save()
    except IntegrityError as error:  # two clerks at once: the unique constraint answers
        raise ValidationError(
            {"year": _("Program współpracy na rok %(year)s już istnieje.") % {"year": year}}
        ) from error
    _open_adoption_deadline(programme)
    return programme


@transaction.atomic
def programme_update(
    programme: CooperationProgramme, *, acting_user, priorities: str, adoption_due: date, report_due: date
) -> CooperationProgramme:
    """G13: the priorities and the two statutory dates (configuration of this programme, with history); the
    open deadlines follow the dates."""
    _require(permissions.can_manage_programme(acting_user, programme))
    _check_dates(adoption_due, report_due, programme.year)
    with transition(programme, PROGRAMME, "edit", acting_user=acting_user) as locked:
        locked.priorities = priorities.strip()
        locked.adoption_due = adoption_due
        locked.report_due = report_due
    if programme.status == "draft":
        _open_adoption_deadline(programme)
    else:
        _open_report_deadline(programme)
    return programme


@transaction.atomic
def programme_task_save(
    programme: CooperationProgramme,
    *,
    acting_user,
    task: ProgrammeTask | None = None,
    name: str,
    priority: str,
    area: str,
    planned_amount: Decimal,
    competitions=(),
) -> ProgrammeTask:
    """G13: a task of the programme with its planned amount, and the competitions of the programme's year that
    carry it out (the report sums their grants per task)."""
    _require(permissions.can_manage_programme(acting_user, programme))
    locked = lock(programme)
    PROGRAMME.check(locked, "task")
    task = task or ProgrammeTask(programme=programme, order=programme.tasks.count() + 1)
    if task.programme_id != programme.pk:
        raise ValidationError(_("To zadanie należy do innego programu."))
    task.name, task.priority, task.area, task.planned_amount = name.strip(), priority.strip(), area, planned_amount
    task.full_clean()
    record_change(task, acting_user=acting_user)
    task.save()
    chosen = {competition.pk for competition in competitions}
    allowed = set(
        Competition.objects.filter(unit__institution=programme.institution, year=programme.year).values_list(
            "pk", flat=True
        )
    )
    if chosen - allowed:
        raise ValidationError(
            {
                "competitions": _("Do zadania można przypisać tylko konkursy ośrodka na rok %(year)s.")
                % {"year": programme.year}
            }
        )
    # saved one by one: the competition's history records the link (no QuerySet.update)
    for competition in Competition.objects.filter(pk__in=chosen).exclude(programme_task=task):
        competition.programme_task = task
        record_change(competition, acting_user=acting_user, reason=_("Przypisanie do zadania programu współpracy"))
        competition.save(update_fields=["programme_task"])
    for competition in Competition.objects.filter(programme_task=task).exclude(pk__in=chosen):
        competition.programme_task = None
        record_change(competition, acting_user=acting_user, reason=_("Odłączenie od zadania programu współpracy"))
        competition.save(update_fields=["programme_task"])
    return task


@transaction.atomic
def programme_adopt(
    programme: CooperationProgramme, *, acting_user, resolution_number: str, resolution_date: date
) -> CooperationProgramme:
    """G13 (UDPP art. 5a ust. 1): the council's resolution recorded; a resolution after the due date is recorded
    and flagged (``adopted_late``); the report's deadline (31 May of the year after) opens."""
    _require(permissions.can_manage_programme(acting_user, programme))
    if not (resolution_number or "").strip():
        raise ValidationError({"resolution_number": _("Podaj numer uchwały Rady Miasta.")})
    if resolution_date > timezone.localdate():
        raise ValidationError({"resolution_date": _("Data uchwały nie może być z przyszłości.")})
    if resolution_date.year > programme.year:
        raise ValidationError(
            {
                "resolution_date": _("Program na rok %(year)s uchwala się najpóźniej w tym roku.")
                % {"year": programme.year}
            }
        )
    if not programme.tasks.exists():
        raise ValidationError(_("Program musi mieć co najmniej jedno zadanie."))
    with transition(programme, PROGRAMME, "adopt", acting_user=acting_user) as locked:
        locked.resolution_number = resolution_number.strip()
        locked.resolution_date = resolution_date
    deadline_meet(programme, DL_PROGRAMME_ADOPTION, when=resolution_date)
    _open_report_deadline(programme)
    return programme


@transaction.atomic
def programme_report_submit(programme: CooperationProgramme, *, acting_user, submitted_on: date) -> ProgrammeReport:
    """G13 (UDPP art. 5a ust. 3): the report on the programme's year submitted to the council; its figures
    (``grants.selectors.programme_figures``, built from ``year_grants``) are frozen in the report."""
    _require(permissions.can_manage_programme(acting_user, programme))
    if submitted_on > timezone.localdate():
        raise ValidationError({"submitted_on": _("Data złożenia nie może być z przyszłości.")})
    if submitted_on.year <= programme.year:
        raise ValidationError(
            {
                "submitted_on": _("Sprawozdanie za rok %(year)s składa się po zakończeniu tego roku.")
                % {"year": programme.year}
            }
        )
    with transition(programme, PROGRAMME, "submit_report", acting_user=acting_user) as locked:
        report = ProgrammeReport(
            programme=locked,
            figures=selectors.programme_figures(locked),
            submitted_on=submitted_on,
            submitted_by=acting_user,
        )
        record_change(report, acting_user=acting_user)
        report.save()
    deadline_meet(programme, DL_PROGRAMME_REPORT, when=submitted_on)
    return report


@transaction.atomic
def programme_report_publish(programme: CooperationProgramme, *, acting_user, published_on: date) -> ProgrammeReport:
    """G13 (UDPP art. 5a ust. 3): the report published in BIP, with its date."""
    _require(permissions.can_manage_programme(acting_user, programme))
    PROGRAMME.check(lock(programme), "publish_report")  # no report yet: the procedure's Polish refusal
    report = ProgrammeReport.objects.select_for_update().get(programme=programme)
    if published_on > timezone.localdate():
        raise ValidationError({"published_on": _("Data publikacji nie może być z przyszłości.")})
    if published_on < report.submitted_on:
        raise ValidationError(
            {
                "published_on": _("Sprawozdanie publikuje się po jego złożeniu (%(date)s).")
                % {"date": report.submitted_on.strftime("%d.%m.%Y")}
            }
        )
    with transition(programme, PROGRAMME, "publish_report", acting_user=acting_user):
        report.published_on = published_on
        record_change(report, acting_user=acting_user)
        report.save()
    return report


__all__ = [
    "DL_PROGRAMME_ADOPTION",
    "DL_PROGRAMME_REPORT",
    "programme_adopt",
    "programme_create",
    "programme_report_publish",
    "programme_report_submit",
    "programme_task_save",
    "programme_update",
]
