"""G11 (003 §3.5 pkt 5): reports on the task in the structure of the 2018 regulation's template (Dz.U. 2018 poz.
2057), recorded by the clerk, checked against G4 on the actual figures, accepted or sent back for corrections with a
reason and a new date. Each report's due date is a deadline of the contract's clerk (K5), met on acceptance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mopr.deadlines import deadline_meet, deadline_open
from mopr.procedures import record_change, transition

from .. import permissions
from ..budget import (
    check_administrative_costs_at_most_15_percent,
    check_grant_at_most_90_percent,
    check_own_contribution_at_least_10_percent,
    check_own_contribution_not_above_grant,
    check_total_positive,
    fmt_money,
    money,
)
from ..models import CostCategory, CostNature, Report, ReportCostLine
from ..procedures import REPORT
from .common import DL_REPORT, _require, get_config


@dataclass
class ActualLine:
    """One line of the report's cost statement (II.1), by the contract's cost line."""

    contract_line_id: int
    from_grant: Decimal = Decimal(0)
    own_financial: Decimal = Decimal(0)
    own_personal: Decimal = Decimal(0)
    volunteer_hours: Decimal = Decimal(0)


def report_problems(report: Report, lines: list[ActualLine]) -> list[str]:
    """G4 (003 §2.6-2.11, §2.15) on the actual figures of the report, with the figures in each message, plus the
    grant used against the contract's grant."""
    contract = report.contract
    limits = get_config(contract.unit.institution).limits
    by_id = {line.pk: line for line in contract.lines.all()}
    grant = sum((money(line.from_grant) for line in lines), Decimal(0))
    own_financial = sum((money(line.own_financial) for line in lines), Decimal(0))
    own_personal = sum((money(line.own_personal) for line in lines), Decimal(0))
    hours = sum((Decimal(line.volunteer_hours or 0) for line in lines), Decimal(0))
    own = own_financial + own_personal
    total = grant + own
    admin = sum(
        (
            money(line.from_grant)
            for line in lines
            if by_id[line.contract_line_id].category == CostCategory.ADMINISTRATIVE
        ),
        Decimal(0),
    )
    messages = [
        check_total_positive(total),
        check_grant_at_most_90_percent(grant, total, limits.grant_max_percent),
        check_own_contribution_at_least_10_percent(own, total, limits.own_min_percent),
        check_own_contribution_not_above_grant(own, grant),
        check_administrative_costs_at_most_15_percent(admin, grant, limits.admin_max_percent),
    ]
    if grant > contract.grant_amount:
        messages.append(
            _("Wydatki z dotacji %(used)s przekraczają kwotę dotacji z umowy %(grant)s.")
            % {"used": fmt_money(grant), "grant": fmt_money(contract.grant_amount)}
        )
    if hours and own_personal > money(hours * limits.volunteer_max_rate) and not _qualified(contract):
        messages.append(
            _(
                "Wkład osobowy %(personal)s za %(hours)s godz. przekracza %(limit)s/godz. (003 §2.9); wyższa stawka "
                "tylko dla wolontariuszy z kwalifikacjami stałego personelu."
            )
            % {"personal": fmt_money(own_personal), "hours": hours, "limit": fmt_money(limits.volunteer_max_rate)}
        )
    for line in lines:
        planned = by_id[line.contract_line_id]
        if planned.nature != CostNature.ELIGIBLE and money(line.from_grant) > 0:
            messages.append(
                _(
                    "Pozycja „%(name)s” (%(nature)s) nie może być finansowana z dotacji (003 §2.15); "
                    "z dotacji %(amount)s."
                )
                % {"name": planned.name, "nature": planned.get_nature_display(), "amount": fmt_money(line.from_grant)}
            )
    return [m for m in messages if m]


def _qualified(contract) -> bool:
    return bool(getattr(contract.source, "volunteer_qualified", False))


def report_lines(report: Report) -> list[ActualLine]:
    return [
        ActualLine(line.contract_line_id, line.from_grant, line.own_financial, line.own_personal, line.volunteer_hours)
        for line in report.lines.all()
    ]


@transaction.atomic
def report_submit(
    report: Report,
    *,
    acting_user,
    submitted_on: date,
    period_start: date,
    period_end: date,
    results_achieved: str,
    actions: str,
    lines: list[ActualLine],
    income=Decimal(0),
    additional_info: str = "",
) -> Report:
    """The report received (on paper and through Witkac.pl), recorded in the template's sections. G4 on the actual
    figures: the problems are returned as ``report.problems`` (shown on the report's page; acceptance is refused
    while any remains)."""
    contract = report.contract
    _require(permissions.can_manage_contract(acting_user, contract))
    with transition(report, REPORT, "submit", acting_user=acting_user) as locked:
        errors = {}
        if submitted_on > timezone.localdate():
            errors["submitted_on"] = _("Data złożenia nie może być przyszła.")
        if period_end < period_start:
            errors["period_end"] = _("Koniec okresu sprawozdawczego nie może poprzedzać jego początku.")
        if period_start < contract.task_start or period_end > contract.task_end:
            errors["period_start"] = _(
                "Okres sprawozdawczy mieści się w terminie realizacji zadania (%(start)s – %(end)s)."
            ) % {
                "start": contract.task_start.strftime("%d.%m.%Y"),
                "end": contract.task_end.strftime("%d.%m.%Y"),
            }
        if locked.kind == Report.Kind.FINAL and period_end != contract.task_end:
            errors["period_end"] = _("Sprawozdanie końcowe obejmuje zadanie do dnia jego zakończenia (%(end)s).") % {
                "end": contract.task_end.strftime("%d.%m.%Y")
            }
        if not (results_achieved or "").strip():
            errors["results_achieved"] = _("Opisz osiągnięte rezultaty (część I.1 sprawozdania).")
        if not (actions or "").strip():
            errors["actions"] = _("Opisz wykonane działania (część I.2 sprawozdania).")
        known = set(contract.lines.values_list("pk", flat=True))
        if {line.contract_line_id for line in lines} - known:
            errors["__all__"] = _("Pozycja spoza kosztorysu umowy.")
        if errors:
            raise ValidationError(errors)
        locked.submitted_on = submitted_on
        locked.period_start, locked.period_end = period_start, period_end
        locked.results_achieved, locked.actions = results_achieved.strip(), actions.strip()
        locked.income = money(income)
        locked.additional_info = (additional_info or "").strip()
        locked.full_clean(exclude=["contract", "reviewed_by"])
        locked.lines.all().delete()
        for line in lines:
            ReportCostLine.objects.create(
                report=locked,
                contract_line_id=line.contract_line_id,
                from_grant=money(line.from_grant),
                own_financial=money(line.own_financial),
                own_personal=money(line.own_personal),
                volunteer_hours=Decimal(line.volunteer_hours or 0),
            )
        problems = report_problems(locked, lines)
    report.problems = problems
    return report


@transaction.atomic
def report_accept(report: Report, *, acting_user, accepted_on: date) -> Report:
    """The report accepted: the deadline is met on the day it was submitted (K6 compares it with the due date)."""
    _require(permissions.can_manage_contract(acting_user, report.contract))
    with transition(report, REPORT, "accept", acting_user=acting_user) as locked:
        problems = report_problems(locked, report_lines(locked))
        if problems:
            raise ValidationError([_("Sprawozdanie nie spełnia zasad budżetu (G4) – zwróć je do poprawy:"), *problems])
        if accepted_on < locked.submitted_on or accepted_on > timezone.localdate():
            raise ValidationError({"accepted_on": _("Data przyjęcia: między złożeniem a dniem dzisiejszym.")})
        locked.accepted_on = accepted_on
        locked.reviewed_by = acting_user
    deadline_meet(report, DL_REPORT, when=report.submitted_on)
    return report


@transaction.atomic
def report_send_back(report: Report, *, acting_user, reason: str, new_due: date) -> Report:
    """Sent back for corrections with a reason and a new date; the deadline moves to the new date."""
    _require(permissions.can_manage_contract(acting_user, report.contract))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Podaj powód zwrotu sprawozdania do poprawy.")})
    with transition(report, REPORT, "send_back", acting_user=acting_user, reason=reason) as locked:
        if new_due <= timezone.localdate():
            raise ValidationError({"new_due": _("Nowy termin musi przypadać po dniu dzisiejszym.")})
        locked.return_reason = reason.strip()
        locked.due = new_due
        locked.reviewed_by = acting_user
    deadline_open(
        report,
        kind=DL_REPORT,
        label=_("Poprawa sprawozdania: umowa %(number)s (%(offeror)s)")
        % {"number": report.contract.number, "offeror": report.contract.offeror.name},
        due=new_due,
        rule="G11",
        responsible_user=report.contract.responsible,
    )
    record_change(report)
    return report
