"""G13: the annual cooperation programme (list, detail, edit, tasks, the council's resolution, the report with its
PDF and XLSX) and the NGO database (offerors with their areas, offers, grants; search and filters)."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from mopr.documents import render_pdf
from mopr.exports import xlsx_response
from mopr.forms import run_service
from mopr.history import render_history

from .. import forms, permissions, selectors, services
from ..models import CooperationProgramme, Offeror, OfferStatus, ProgrammeTask
from ..procedures import PROGRAMME
from .common import _buttons


def _programme_for(request, pk: int) -> CooperationProgramme:
    programme = get_object_or_404(CooperationProgramme.objects.select_related("institution", "responsible"), pk=pk)
    if not permissions.can_view_programme(request.user, programme):
        raise Http404
    return programme


def _managed_programme(request, pk: int) -> CooperationProgramme:
    programme = _programme_for(request, pk)
    if not permissions.can_manage_programme(request.user, programme):
        raise PermissionDenied
    return programme


def programme_list(request):
    if not permissions.can_view_programmes(request.user):
        raise PermissionDenied
    programmes = permissions.visible_programmes(request.user).annotate(
        task_count=Count("tasks"),
        planned=Coalesce(Sum("tasks__planned_amount"), Value(Decimal("0")), output_field=DecimalField()),
    )
    return render(
        request,
        "grants/programme_list.html",
        {"programmes": programmes.order_by("-year"), "can_create": permissions.can_create_programme(request.user)},
    )


def programme_create(request):
    if not permissions.can_create_programme(request.user):
        raise PermissionDenied
    units = permissions.creatable_units(request.user)
    institution = units[0].institution
    form = forms.ProgrammeCreateForm(request.POST or None, initial={"year": timezone.localdate().year + 1})
    if request.method == "POST" and form.is_valid():
        programme = run_service(
            request,
            form,
            lambda: services.programme_create(acting_user=request.user, institution=institution, **form.cleaned_data),
            _("Utworzono projekt programu współpracy."),
        )
        if programme:
            return redirect(programme)
    return render(
        request,
        "grants/programme_form.html",
        {"form": form, "heading": _("Nowy program współpracy"), "submit": _("Utwórz projekt")},
    )


def programme_detail(request, pk: int):
    programme = _programme_for(request, pk)
    links, _posts = _buttons(PROGRAMME, programme, request.user)
    tasks = programme.tasks.prefetch_related("competitions")
    return render(
        request,
        "grants/programme_detail.html",
        {
            "programme": programme,
            "tasks": tasks,
            "links": links,
            "can_manage": permissions.can_manage_programme(request.user, programme)
            and PROGRAMME.allows(programme, "task"),
            "can_history": permissions.can_manage_programme(request.user, programme),
            "report": getattr(programme, "report", None),
        },
    )


def programme_history(request, pk: int):
    programme = _managed_programme(request, pk)
    return render_history(request, programme, title=str(programme), back_url=programme.get_absolute_url())


def _form_page(request, programme, form, heading, submit, intro=""):
    return render(
        request,
        "grants/programme_form.html",
        {"programme": programme, "form": form, "heading": heading, "submit": submit, "intro": intro},
    )


def programme_edit(request, pk: int):
    programme = _managed_programme(request, pk)
    form = forms.ProgrammeEditForm(
        request.POST or None,
        initial={
            "priorities": programme.priorities,
            "adoption_due": programme.adoption_due,
            "report_due": programme.report_due,
        },
    )
    if request.method == "POST" and form.is_valid():
        if run_service(
            request,
            form,
            lambda: services.programme_update(programme, acting_user=request.user, **form.cleaned_data),
            _("Zapisano program."),
        ):
            return redirect(programme)
    return _form_page(request, programme, form, _("Edycja programu współpracy"), _("Zapisz"))


def programme_task(request, pk: int, task: int | None = None):
    programme = _managed_programme(request, pk)
    instance = get_object_or_404(ProgrammeTask, pk=task, programme=programme) if task else None
    initial = {}
    if instance:
        initial = {
            "name": instance.name,
            "priority": instance.priority,
            "area": instance.area,
            "planned_amount": instance.planned_amount,
            "competitions": list(instance.competitions.values_list("pk", flat=True)),
        }
    form = forms.ProgrammeTaskForm(request.POST or None, programme=programme, initial=initial)
    if request.method == "POST" and form.is_valid():
        if run_service(
            request,
            form,
            lambda: services.programme_task_save(
                programme, acting_user=request.user, task=instance, **form.cleaned_data
            ),
            _("Zapisano zadanie programu."),
        ):
            return redirect(programme)
    heading = _("Zadanie programu współpracy") if instance else _("Nowe zadanie programu współpracy")
    return _form_page(request, programme, form, heading, _("Zapisz zadanie"))


def programme_adopt(request, pk: int):
    programme = _managed_programme(request, pk)
    form = forms.AdoptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(
            request,
            form,
            lambda: services.programme_adopt(programme, acting_user=request.user, **form.cleaned_data),
            _("Odnotowano uchwałę Rady Miasta."),
        ):
            return redirect(programme)
    intro = _("Rada Miasta uchwala program do %(date)s (art. 5a ust. 1 UDPP).") % {
        "date": programme.adoption_due.strftime("%d.%m.%Y")
    }
    return _form_page(request, programme, form, _("Uchwała Rady Miasta"), _("Odnotuj uchwałę"), intro)


def programme_report_submit(request, pk: int):
    programme = _managed_programme(request, pk)
    form = forms.ReportSubmitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(
            request,
            form,
            lambda: services.programme_report_submit(programme, acting_user=request.user, **form.cleaned_data),
            _("Złożono sprawozdanie; jego dane zostały utrwalone."),
        ):
            return redirect("grants:programme_report", pk=programme.pk)
    intro = _("Sprawozdanie przedkłada się Radzie Miasta do %(date)s (art. 5a ust. 3 UDPP).") % {
        "date": programme.report_due.strftime("%d.%m.%Y")
    }
    return _form_page(request, programme, form, _("Złożenie sprawozdania"), _("Złóż sprawozdanie"), intro)


def programme_report_publish(request, pk: int):
    programme = _managed_programme(request, pk)
    form = forms.ReportPublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(
            request,
            form,
            lambda: services.programme_report_publish(programme, acting_user=request.user, **form.cleaned_data),
            _("Odnotowano publikację sprawozdania."),
        ):
            return redirect("grants:programme_report", pk=programme.pk)
    return _form_page(request, programme, form, _("Publikacja sprawozdania w BIP"), _("Odnotuj publikację"))


def _figures(programme) -> tuple[dict, bool]:
    """The submitted report's frozen figures, or the figures as they stand today (a preview)."""
    report = getattr(programme, "report", None)
    if report is not None:
        return report.figures, True
    return selectors.programme_figures(programme), False


def _report_context(programme) -> dict:
    figures, frozen = _figures(programme)
    rows = [
        {
            **row,
            "planned": Decimal(row["planned"]) if row["planned"] is not None else None,
            "granted": Decimal(row["granted"]),
        }
        for row in figures["tasks"]
    ]
    totals = {
        **figures["totals"],
        "planned": Decimal(figures["totals"]["planned"]),
        "granted": Decimal(figures["totals"]["granted"]),
    }
    return {
        "programme": programme,
        "report": getattr(programme, "report", None),
        "rows": rows,
        "totals": totals,
        "frozen": frozen,
    }


def programme_report(request, pk: int):
    programme = _programme_for(request, pk)
    return render(request, "grants/programme_report.html", _report_context(programme))


def programme_report_pdf(request, pk: int):
    programme = _programme_for(request, pk)
    context = {
        **_report_context(programme),
        "document": {
            "title": _("Sprawozdanie z realizacji programu współpracy za rok %(year)s") % {"year": programme.year}
        },
        "generated_at": timezone.now(),
    }
    response = HttpResponse(render_pdf("pdf/grants/programme_report.html", context), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="sprawozdanie-program-wspolpracy-{programme.year}.pdf"'
    return response


def programme_report_xlsx(request, pk: int):
    programme = _programme_for(request, pk)
    context = _report_context(programme)
    header = [
        _("Zadanie"),
        _("Sfera zadań publicznych"),
        _("Planowana kwota (zł)"),
        _("Przyznane dotacje (zł)"),
        _("Liczba konkursów"),
        _("Liczba ofert"),
        _("Liczba organizacji wspartych"),
    ]
    rows = [
        [row["name"], row["area"], row["planned"], row["granted"], row["competitions"], row["offers"], row["ngos"]]
        for row in context["rows"]
    ]
    totals = context["totals"]
    rows.append(
        [_("Razem"), "", totals["planned"], totals["granted"], totals["competitions"], totals["offers"], totals["ngos"]]
    )
    return xlsx_response(
        f"sprawozdanie-program-wspolpracy-{programme.year}.xlsx", header, rows, title=_("Sprawozdanie")
    )


# --- the NGO database ------------------------------------------------------------------------------------------


def ngo_list(request):
    """G13: the offerors as a database of NGOs: search, filters by area and legal form; a constant number of
    queries whatever the number of rows."""
    if not permissions.can_view_ngos(request.user):
        raise PermissionDenied
    queryset = Offeror.objects.annotate(
        offer_count=Count("offers", distinct=True),
        granted_total=Sum("offers__granted_amount", filter=Q(offers__status=OfferStatus.CHOSEN)),
    ).prefetch_related("areas")
    filterset = forms.OfferorFilter(request.GET, queryset=queryset)
    offerors = filterset.qs.order_by("name", "pk") if filterset.is_valid() else queryset.none()
    page = Paginator(offerors, 50).get_page(request.GET.get("page"))
    query = {key: value for key, value in request.GET.items() if key in ("q", "area", "legal_form") and value}
    return render(
        request,
        "grants/offeror_list.html",
        {
            "page_obj": page,
            "offerors": page.object_list,
            "filter": filterset,
            "querystring": urlencode(query),
            "can_manage": permissions.can_manage_ngos(request.user),
        },
    )


def ngo_detail(request, pk: int):
    """G13: one NGO: register numbers, areas, contact, history of offers and grants."""
    if not permissions.can_view_ngos(request.user):
        raise PermissionDenied
    offeror = get_object_or_404(Offeror.objects.prefetch_related("areas"), pk=pk)
    history = selectors.offeror_history(offeror)
    # G7 wins here too: an offer's status is shown only to whoever may see the competition's offers
    allowed = {}
    for offer in history["offers"]:
        if offer.competition_id not in allowed:
            allowed[offer.competition_id] = permissions.can_view_offers(request.user, offer.competition)
        offer.visible = allowed[offer.competition_id]
    # G11: the contracts the reader may see (whoever runs the competition or the small grant, the Chief
    # Accountant), with their reports and settlement figures, in a fixed number of queries
    contracts = permissions.visible_contracts(request.user).filter(
        Q(offer__offeror=offeror) | Q(small_offer__offeror=offeror)
    )
    rows, total = services.settlement_rows(contracts.order_by("-created_at"))
    return render(
        request,
        "grants/offeror_detail.html",
        {
            "offeror": offeror,
            "offers": history["offers"],
            "grants": history["grants"],
            "contracts": rows,
            "contracts_total": total,
            "can_manage": permissions.can_manage_ngos(request.user),
        },
    )
