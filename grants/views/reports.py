"""G11 (003 §3): the partial and final reports on their own pages: the clerk's submission in the 2018
template's sections (G4 checked on the actual figures) and the review that accepts or sends back with a reason
and a new date."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from mopr.forms import run_service

from .. import permissions, services
from ..forms import after as forms
from ..models import Report
from ..procedures import REPORT
from .after import _contract_for, _form_page


def _report_for(request, pk: int) -> Report:
    report = get_object_or_404(Report, pk=pk)
    report.contract = _contract_for(request, report.contract_id)
    return report


def report_detail(request, pk: int):
    report = _report_for(request, pk)
    can_manage = permissions.can_manage_contract(request.user, report.contract)
    lines = list(report.lines.select_related("contract_line"))
    problems = services.report_problems(report, services.report_lines(report)) if lines else []
    actions = {a.name for a in REPORT.available(report, request.user)} if can_manage else set()
    return render(
        request,
        "grants/report_detail.html",
        {
            "report": report,
            "contract": report.contract,
            "lines": lines,
            "problems": problems,
            "can_manage": can_manage,
            "actions": actions,
        },
    )


def report_submit(request, pk: int):
    report = _report_for(request, pk)
    if not permissions.can_manage_contract(request.user, report.contract):
        raise PermissionDenied
    contract_lines = list(report.contract.lines.all())
    initial = {"period_start": report.period_start or report.contract.task_start}
    initial["period_end"] = report.period_end or (report.contract.task_end if report.kind == "final" else None)
    for line in report.lines.all():
        initial.update(
            {
                f"l{line.contract_line_id}_grant": line.from_grant,
                f"l{line.contract_line_id}_own_financial": line.own_financial,
                f"l{line.contract_line_id}_own_personal": line.own_personal,
                f"l{line.contract_line_id}_hours": line.volunteer_hours,
            }
        )
    form = forms.ReportForm(request.POST or None, lines=contract_lines, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if not k.startswith("l") or k == "lines"}
        done = run_service(
            request,
            form,
            lambda: services.report_submit(report, acting_user=request.user, lines=form.actual_lines(), **data),
            _("Odnotowano złożenie sprawozdania."),
        )
        if done:
            for problem in done.problems:
                messages.warning(request, problem)
            return redirect(report)
    return _form_page(
        request,
        report,
        form,
        heading=_("Sprawozdanie z wykonania zadania publicznego"),
        submit=_("Odnotuj złożenie sprawozdania"),
        intro=_(
            "Wzór z rozporządzenia z 24 października 2018 r. (Dz.U. 2018 poz. 2057). Kwoty narastająco od początku "
            "zadania do końca okresu sprawozdawczego; zasady budżetu oferty (G4) sprawdzane są na kwotach "
            "faktycznych."
        ),
    )


def report_review(request, pk: int):
    report = _report_for(request, pk)
    if not permissions.can_manage_contract(request.user, report.contract):
        raise PermissionDenied
    form = forms.ReportReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["decision"] == "accept":
            call = lambda: services.report_accept(report, acting_user=request.user, accepted_on=data["accepted_on"])  # noqa: E731
            success = _("Sprawozdanie przyjęto.")
        else:
            call = lambda: services.report_send_back(  # noqa: E731
                report, acting_user=request.user, reason=data["reason"], new_due=data["new_due"]
            )
            success = _("Sprawozdanie zwrócono do poprawy.")
        if run_service(request, form, call, success):
            return redirect(report)
    problems = services.report_problems(report, services.report_lines(report))
    return _form_page(
        request,
        report,
        form,
        heading=_("Ocena sprawozdania"),
        submit=_("Zapisz ocenę"),
        extra={"warnings": problems},
    )
