"""Oversight pages: statistics and the annual report (B12), breaches (B11) and the access log of cards (B11)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from mopr.accesslog import access_log_for
from mopr.documents import documents_for
from mopr.forms import run_service
from mopr.models import AccessLog

from .. import forms, selectors, services
from .. import permissions as perms
from ..models import (
    AnnualReport,
    BlueCard,
    BreachReport,
)
from .common import current_team, form_page

YEARS = (2000, 2100)


def statistics(request):
    team = current_team(request)
    if not perms.can_see_statistics(request.user, team):
        raise PermissionDenied
    today = timezone.localdate()
    try:
        year = int(request.GET.get("rok", today.year))
    except ValueError:
        year = today.year
    if not YEARS[0] <= year <= YEARS[1]:  # the years a report may cover (forms.ReportForm)
        year = today.year
    form = forms.ReportForm(request.POST or None, initial={"year": today.year - 1})
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            request,
            form,
            lambda: services.annual_report_generate(team, year=form.cleaned_data["year"], acting_user=request.user),
            _("Sprawozdanie jest generowane."),
        )
    ):
        return redirect("bluecard:statistics")
    reports = AnnualReport.objects.filter(team=team).order_by("-year")
    report_docs = {}
    for report in reports:
        docs = documents_for(report)
        report_docs[report.pk] = docs.first()
    return render(
        request,
        "bluecard/statistics.html",
        {
            "team": team,
            "stats": selectors.statistics(team, year),
            "year": year,
            "form": form,
            "reports": [(r, report_docs[r.pk]) for r in reports],
            "report_due": services.annual_report_due(year),
        },
    )


@require_safe
def report_document(request, pk: int):
    report = get_object_or_404(AnnualReport, pk=pk)
    if not perms.can_see_statistics(request.user, report.team):
        raise Http404
    document = documents_for(report).first()
    if document is None or not document.file:
        raise Http404
    return FileResponse(
        document.file.open("rb"), content_type="application/pdf", filename=f"sprawozdanie-{report.year}.pdf"
    )


def report_accept(request, pk: int):
    """B12 (004 §55): record the district Mayor's acceptance of an annual report."""
    report = get_object_or_404(AnnualReport, pk=pk)
    if not perms.can_see_statistics(request.user, report.team):
        raise PermissionDenied
    return form_page(
        request,
        forms.ReportAcceptanceForm(
            request.POST or None, initial={"accepted_on": report.accepted_on, "accepted_by": report.accepted_by}
        ),
        lambda **data: services.annual_report_accept(report, acting_user=request.user, **data),
        done="bluecard:statistics",
        success=_("Zapisano akceptację sprawozdania."),
        title=_("Akceptacja sprawozdania za rok %(y)s") % {"y": report.year},
        submit=_("Zapisz akceptację"),
        lead=_(
            "Sprawozdanie składa się Prezydentowi po akceptacji Burmistrza Dzielnicy (004 §55). "
            "Każda zmiana zapisu pozostaje w historii."
        ),
        back="bluecard:statistics",
    )


def breach_new(request):
    team = current_team(request)
    if not perms.can_report_breach(request.user, team):
        raise PermissionDenied
    return form_page(
        request,
        forms.BreachForm(request.POST or None),
        lambda **data: services.breach_report(team=team, acting_user=request.user, **data),
        done="bluecard:home",
        success=_("Zgłoszenie przekazano Przewodniczącemu i Zastępcy Przewodniczącego."),
        title=_("Zgłoszenie naruszenia ochrony danych"),
        submit=_("Zgłoś naruszenie"),
        lead=_("Zgłoszenie trafia niezwłocznie do Przewodniczącego i Zastępcy Przewodniczącego (004 §47)."),
        back="bluecard:home",
    )


@require_safe
def breaches(request):
    team = current_team(request)
    if not perms.can_see_breaches(request.user, team):
        raise PermissionDenied
    return render(
        request,
        "bluecard/breaches.html",
        {"team": team, "reports": BreachReport.objects.filter(team=team).select_related("reported_by")},
    )


@require_safe
def access_log(request):
    """Who read which card, when (B11): for the chair, the vice-chair and the IOD."""
    team = current_team(request)
    if not perms.can_see_access_log(request.user, team):
        raise PermissionDenied
    card_ids = BlueCard.objects.filter(team=team).values("pk")
    entries = (
        AccessLog.objects.filter(content_type=ContentType.objects.get_for_model(BlueCard), object_id__in=card_ids)
        .select_related("user")
        .order_by("-at")
    )
    card_filter = request.GET.get("karta", "").strip()
    card = None
    if card_filter.isascii() and card_filter.isdigit() and len(card_filter) < 19:
        card = BlueCard.objects.filter(team=team, pk=int(card_filter)).first()
        if card is not None:
            entries = access_log_for(card).order_by("-at")
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    numbers = dict(
        (c.pk, c.signature)
        for c in BlueCard.objects.filter(pk__in=[e.object_id for e in page.object_list]).only("pk", "number", "year")
    )
    return render(
        request,
        "bluecard/access_log.html",
        {
            "team": team,
            "page_obj": page,
            "entries": page.object_list,
            "numbers": numbers,
            "card": card,
            "card_filter": card_filter,
            "querystring": f"karta={card_filter}" if card_filter else "",
        },
    )
