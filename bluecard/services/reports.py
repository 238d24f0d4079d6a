"""Breaches of confidentiality (B11), the chair's deadlines and the annual report (B2, B12)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mopr.deadlines import deadline_meet, deadline_open
from mopr.documents import document_request
from mopr.outbox import outbox_enqueue

from .. import permissions as perms
from ..models import (
    AnnualReport,
    BreachReport,
    Team,
)
from ..selectors import statistics
from .common import (
    ANNUAL_REPORT_KIND,
    _require,
    _site,
    _today,
    chair_of,
    dl_annual_report,
    leaders_of,
)
from .meetings import _refresh_ordinary_deadline


@transaction.atomic
def breach_report(
    *, team: Team, occurred_on: date, description: str, acting_user, today: date | None = None
) -> BreachReport:
    """B11 (004 §47): a breach is reported to the chair and the vice-chair at once (e-mail via the outbox)."""
    _require(perms.can_report_breach(acting_user, team))
    if occurred_on > _today(today):
        raise ValidationError({"occurred_on": _("Data zdarzenia nie może być z przyszłości.")})
    if not description.strip():
        raise ValidationError({"description": _("Opisz naruszenie.")})
    report = BreachReport.objects.create(
        team=team, reported_by=acting_user, occurred_on=occurred_on, description=description
    )
    for leader in leaders_of(team):
        outbox_enqueue(
            key=f"bluecard:breach:{report.pk}:{leader.pk}",
            to=leader.email,
            user=leader.user,
            subject=_("Pilne: zgłoszenie naruszenia ochrony danych"),
            body_text=render_to_string(
                "bluecard/email/breach.txt", {"url": _site(reverse("bluecard:breaches")), "report": report}
            ),
        )
    return report


def annual_report_due(year: int) -> date:
    """B12 (004 §55): by 31 January of the following year, a fixed date set by the document: K3 does not move
    it to the next working day (the digest reminds 3 working days earlier, K5)."""
    return date(year + 1, 1, 31)


def annual_report_deadline_open(team: Team, year: int) -> None:
    """B12: the chair's deadline for the annual report, in the digest like every deadline (K5)."""
    chair = chair_of(team)
    if chair is None or AnnualReport.objects.filter(team=team, year=year).exists():
        return
    deadline_open(
        team,
        kind=dl_annual_report(year),
        rule="B12",
        due=annual_report_due(year),
        label=_("Sprawozdanie z pracy Zespołu Interdyscyplinarnego za rok %(y)s") % {"y": year},
        responsible_user=chair.user,
        url=reverse("bluecard:statistics"),
    )


@transaction.atomic
def refresh_chair_deadlines(team: Team, *, today: date | None = None) -> None:
    """B2, B12: the daily check (``bluecard.tasks.bluecard_daily_checks``); idempotent — ``deadline_open``
    replaces an open deadline of the same kind."""
    today = _today(today)
    _refresh_ordinary_deadline(team)
    annual_report_deadline_open(team, today.year)
    if today <= annual_report_due(today.year - 1):
        annual_report_deadline_open(team, today.year - 1)


@transaction.atomic
def annual_report_generate(team: Team, *, year: int, acting_user) -> AnnualReport:
    """B12 (004 §54-55): the annual report for the President, as a PDF; meets the 31 January deadline."""
    _require(perms.can_see_statistics(acting_user, team))
    if year > timezone.localdate().year:
        raise ValidationError({"year": _("Sprawozdanie dotyczy roku, który już trwa lub minął.")})
    data = statistics(team, year)
    report, _created = AnnualReport.objects.update_or_create(
        team=team, year=year, defaults={"statistics": data, "generated_by": acting_user, "generated_at": timezone.now()}
    )
    document_request(
        report,
        kind=ANNUAL_REPORT_KIND,
        title=_("Sprawozdanie z pracy Zespołu za rok %(y)s") % {"y": year},
        template_name="pdf/bluecard/annual_report.html",
        context={"stats": data, "team": team.name, "year": year},
        acting_user=acting_user,
    )
    deadline_meet(team, dl_annual_report(year))
    return report


@transaction.atomic
def annual_report_accept(
    report: AnnualReport, *, accepted_on: date, accepted_by: str, acting_user, today: date | None = None
) -> AnnualReport:
    """B12 (004 §55): the district Mayor's acceptance of the annual report, recorded by the chair or vice-chair
    (the date and who accepted, as free text); the model's history keeps every change."""
    _require(perms.can_see_statistics(acting_user, report.team))
    today = _today(today)
    errors = {}
    if not (accepted_by or "").strip():
        errors["accepted_by"] = _("Wpisz, kto zaakceptował sprawozdanie (Burmistrz Dzielnicy).")
    if accepted_on is None:
        errors["accepted_on"] = _("Podaj datę akceptacji.")
    elif accepted_on > today:
        errors["accepted_on"] = _("Data akceptacji nie może być z przyszłości.")
    if errors:
        raise ValidationError(errors)
    locked = AnnualReport.objects.select_for_update().get(pk=report.pk)
    locked.accepted_on = accepted_on
    locked.accepted_by = accepted_by.strip()
    locked.acceptance_recorded_by = acting_user
    locked.save(update_fields=["accepted_on", "accepted_by", "acceptance_recorded_by"])
    return locked
