"""Pages of the registers. Every view checks permission on the server through ``complaints.permissions``;
records are fetched by helpers that answer 404 to those who may not see them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mopr.accesslog import access_log_record
from mopr.documents import documents_for, render_pdf
from mopr.exports import csv_response, xlsx_response
from mopr.forms import confirm_page, run_service
from mopr.history import history_entries, render_history
from mopr.models import Deadline
from mopr.pagination import CappedPaginator
from units.models import ApprovalFlow, Institution
from units.selectors import primary_membership

from . import forms, permissions, selectors, services
from .models import (
    Attachment,
    AttachmentKind,
    Channel,
    Complaint,
    Explanation,
    RegisterConfig,
    Status,
    WhistleblowerReport,
)
from .procedures import COMPLAINT, WHISTLEBLOWER, buttons

PAGE_SIZE = 25


def _institution(request) -> Institution:
    membership = primary_membership(request.user) if request.user.is_authenticated else None
    if membership:
        return membership.unit.institution
    code = request.GET.get("osrodek")
    institution = (Institution.objects.filter(code=code).first() if code else None) or Institution.objects.order_by(
        "pk"
    ).first()
    if institution is None:
        raise Http404(_("Nie wczytano struktury ośrodka."))
    return institution


def _complaint_or_404(request, pk: int) -> Complaint:
    complaint = get_object_or_404(
        Complaint.objects.select_related(
            "unit__institution", "employee_concerned", "created_by", "signed_by", "repeated_of"
        ),
        pk=pk,
    )
    if not permissions.can_view_complaint(request.user, complaint):
        raise Http404
    return complaint


# --- register list and exports --------------------------------------------------------------------------


def _filtered(request):
    base = permissions.visible_complaints(request.user).select_related("unit").prefetch_related("units_concerned")
    filterset = forms.ComplaintFilter(request.GET or None, queryset=base)
    queryset = filterset.qs if filterset.is_bound else base
    return filterset, queryset.order_by("-year", "-number")


def complaint_list(request):
    """The register as the user may see it (C13 art. 254: progress and deadlines), filtered and paginated."""
    if not permissions.can_open_module(request.user):
        raise PermissionDenied
    filterset, queryset = _filtered(request)
    page = CappedPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "complaints/list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "complaints": page.object_list,
            "querystring": query.urlencode(),
            "today": timezone.localdate(),
            "may_register": permissions.can_register_complaint(request.user),
            "may_whistleblower": permissions.sees_whistleblower_reports(request.user),
        },
    )


def complaint_export_csv(request):
    if not permissions.can_open_module(request.user):
        raise PermissionDenied
    _filterset, queryset = _filtered(request)
    header, rows = selectors.export_rows(queryset)
    return csv_response("rejestr-skarg-i-wnioskow.csv", header, rows)


def complaint_export_xlsx(request):
    if not permissions.can_open_module(request.user):
        raise PermissionDenied
    _filterset, queryset = _filtered(request)
    header, rows = selectors.export_rows(queryset)
    return xlsx_response("rejestr-skarg-i-wnioskow.xlsx", header, rows, title=_("Rejestr"))


# --- registration ------------------------------------------------------------------------------------


def complaint_register(request):
    """C1: DNK registers a complaint or motion."""
    if not permissions.can_register_complaint(request.user):
        raise PermissionDenied
    institution = _institution(request)
    form = forms.ComplaintRegisterForm(request.POST or None, request.FILES or None, institution=institution)
    if request.method == "POST" and form.is_valid():
        # The form's fields are named after the service's parameters.
        complaint = run_service(
            request, form, lambda: services.complaint_register(acting_user=request.user, **form.cleaned_data)
        )
        if complaint:
            messages.success(
                request,
                _("Zarejestrowano: %(sign)s. Termin załatwienia: %(due)s.")
                % {"sign": complaint.sign, "due": complaint.due_date.strftime("%d.%m.%Y")},
            )
            return redirect(complaint)
    return render(request, "complaints/register.html", {"form": form})


# --- detail and actions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionPage:
    """The page of one action of a procedure table: its form (fields named after the service's parameters),
    the service it calls and the help shown above the form (``%(field)s`` placeholders read the register's
    configuration, so the page says what an administrator set)."""

    form: type
    service: Callable
    help: str = ""


def config_values(config: RegisterConfig) -> dict:
    """The configured values a help text may interpolate (``RegisterConfig`` fields by name)."""
    return {field.name: getattr(config, field.name) for field in RegisterConfig._meta.concrete_fields}


# The page of each action of the COMPLAINT table that has one. Which states an action starts from, its label
# and who may take it are in the table (complaints.procedures), nowhere else.
ACTION_FORMS: dict[str, ActionPage] = {
    "uzupelnienie": ActionPage(
        forms.CompletionRequestForm,
        services.complaint_request_completion,
        gettext_lazy(
            "Wnoszący ma %(completion_days)s dni na wyjaśnienie lub uzupełnienie; system przygotuje "
            "wezwanie z pouczeniem."
        ),
    ),
    "doreczenie": ActionPage(
        forms.CompletionDeliveryForm,
        services.complaint_record_completion_delivery,
        gettext_lazy("Termin %(completion_days)s dni na uzupełnienie biegnie od doręczenia wezwania (§8 ust. 2)."),
    ),
    "uzupelniono": ActionPage(forms.CompletionReceivedForm, services.complaint_completion_received),
    "przekaz": ActionPage(
        forms.ForwardForm,
        services.complaint_forward,
        gettext_lazy(
            "Sprawa spoza właściwości ośrodka: przekazanie w ciągu %(forward_days)s dni i zawiadomienie "
            "wnoszącego (art. 231 KPA)."
        ),
    ),
    "bez-rozpoznania": ActionPage(forms.LeaveForm, services.complaint_leave_without_consideration),
    "wyjasnienia": ActionPage(
        forms.ExplanationRequestForm,
        services.complaint_request_explanation,
        gettext_lazy("Kierownicy komórek wyjaśniają sprawę i przekazują dokumenty do DNK niezwłocznie (§36 ust. 2)."),
    ),
    "odpowiedz": ActionPage(
        forms.ResponseForm,
        services.complaint_draft_response,
        gettext_lazy(
            "Odpowiedź podpisuje Dyrektor lub Zastępca Dyrektora (§36 ust. 3); wcześniej parafują ją "
            "autor i przełożeni."
        ),
    ),
    "wyslano": ActionPage(forms.SentForm, services.complaint_mark_sent),
    "zakoncz": ActionPage(forms.CloseForm, services.complaint_close),
    "termin": ActionPage(
        forms.ExtendForm,
        services.complaint_extend,
        gettext_lazy("Wnoszący zostanie zawiadomiony o przyczynie zwłoki i nowym terminie (art. 36 KPA)."),
    ),
    "zalacznik": ActionPage(forms.AttachmentForm, services.complaint_add_attachment),
}


def _form_kwargs(form_class: type, complaint: Complaint, config: RegisterConfig) -> dict:
    if form_class is forms.ExplanationRequestForm:
        return {"institution": complaint.unit.institution, "config": config}
    if form_class is forms.ForwardForm:
        return {"config": config}
    if form_class is forms.CloseForm:
        return {"complaint": complaint}
    return {}


def complaint_detail(request, pk: int):
    """The entry with its timeline: history, explanations, documents, approval flows and deadlines."""
    complaint = _complaint_or_404(request, pk)
    explanations = list(
        complaint.explanations.select_related("unit", "assignee", "submitted_by", "requested_by").prefetch_related(
            "attachments"
        )
    )
    for explanation in explanations:
        explanation.may_submit = not explanation.is_submitted and permissions.can_explain_complaint(
            request.user, complaint, explanation
        )
    documents = list(documents_for(complaint))
    flows = list(
        ApprovalFlow.objects.filter(document__in=[d.pk for d in documents])
        .prefetch_related("steps__assignee")
        .order_by("-created_at")
    )
    deadline_rows = list(Deadline.objects.for_object(complaint).select_related("responsible_user", "responsible_group"))
    for explanation in explanations:
        deadline_rows += list(
            Deadline.objects.for_object(explanation).select_related("responsible_user", "responsible_group")
        )
    deadline_rows.sort(key=lambda d: (d.due, d.pk))
    may_work = permissions.can_work_on_complaint(request.user, complaint)
    return render(
        request,
        "complaints/detail.html",
        {
            "complaint": complaint,
            "explanations": explanations,
            "attachments": complaint.attachments.filter(explanation__isnull=True).select_related("uploaded_by"),
            "documents": documents,
            "flows": flows,
            "deadlines": deadline_rows,
            "today": timezone.localdate(),
            "history": selectors.timeline(complaint),
            "actions": buttons(COMPLAINT, complaint, request.user),
            "may_work": may_work,
            "units_concerned": list(complaint.units_concerned.all()),
            "forward_limit": services.forward_limit(complaint),
            "Status": Status,
            "protocol_scan_missing": complaint.channel == Channel.ORAL
            and not complaint.attachments.filter(kind=AttachmentKind.PROTOCOL_SCAN).exists(),
        },
    )


def complaint_action(request, pk: int, action: str):
    """One step of the procedure: a page with its form; the service decides and explains refusals."""
    complaint = _complaint_or_404(request, pk)
    spec = COMPLAINT.actions.get(action)
    if spec is None or not spec.url_name or action not in ACTION_FORMS:
        raise Http404
    if not spec.permission(request.user, complaint):
        raise PermissionDenied
    if not COMPLAINT.allows(complaint, action):
        # A replayed or stale form: the step was taken already, or the entry moved on.
        messages.error(request, COMPLAINT.refusal(complaint, spec).messages[0])
        return redirect(complaint)
    page = ACTION_FORMS[action]
    config = services.get_config(complaint.unit.institution)
    form = page.form(request.POST or None, request.FILES or None, **_form_kwargs(page.form, complaint, config))
    help_text = str(page.help) % config_values(config) if page.help else ""
    success = _("Zapisano: %(action)s.") % {"action": spec.label}
    if spec.needs_confirmation:
        # Irreversible: closing for good says what will happen and asks for the reason, written into the history.
        return confirm_page(
            request,
            complaint,
            spec,
            lambda reason: page.service(complaint, acting_user=request.user, change_reason=reason, **form.cleaned_data),
            template="complaints/action.html",
            context={"complaint": complaint, "help": help_text},
            form=form,
            success=success,
        )
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request, form, lambda: page.service(complaint, acting_user=request.user, **form.cleaned_data), success
        )
        if done:
            return redirect(complaint)
    return render(
        request, "complaints/action.html", {"complaint": complaint, "form": form, "action": spec, "help": help_text}
    )


def explanation_submit(request, pk: int):
    """C3: the unit's head answers DNK's request with text and documents."""
    explanation = get_object_or_404(Explanation.objects.select_related("complaint", "unit"), pk=pk)
    complaint = _complaint_or_404(request, explanation.complaint_id)
    if not permissions.is_explanation_responder(request.user, explanation):
        raise PermissionDenied
    form = forms.ExplanationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            form,
            lambda: services.explanation_submit(explanation, acting_user=request.user, **form.cleaned_data),
            _("Wyjaśnienia przekazano do Działu Nadzoru i Kontroli."),
        )
        if done:
            return redirect(complaint)
    return render(
        request, "complaints/explanation.html", {"complaint": complaint, "explanation": explanation, "form": form}
    )


def attachment_download(request, pk: int):
    attachment = get_object_or_404(Attachment, pk=pk)
    _complaint_or_404(request, attachment.complaint_id)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)


def complaint_history(request, pk: int):
    complaint = _complaint_or_404(request, pk)
    return render_history(request, complaint, title=str(complaint.sign), back_url=complaint.get_absolute_url())


# --- reception hours, statistics, annual summary --------------------------------------------------------


@login_not_required
def reception_hours(request):
    """C2, C13: published reception hours on complaints, with the next session from the calendar."""
    institution = _institution(request)
    return render(
        request,
        "complaints/reception.html",
        {
            "institution": institution,
            "slots": selectors.reception_schedule(institution),
            "today": timezone.localdate(),
        },
    )


def _year(request) -> int:
    try:
        return int(request.GET.get("rok") or timezone.localdate().year)
    except ValueError:
        return timezone.localdate().year


def statistics(request):
    if not permissions.can_view_statistics(request.user):
        raise PermissionDenied
    year = _year(request)
    stats = selectors.statistics(permissions.visible_complaints(request.user), year)
    years = sorted(
        set(permissions.visible_complaints(request.user).values_list("year", flat=True)) | {timezone.localdate().year},
        reverse=True,
    )
    return render(request, "complaints/statistics.html", {"stats": stats, "years": years})


def annual_summary_pdf(request):
    if not permissions.can_view_statistics(request.user):
        raise PermissionDenied
    year = _year(request)
    visible = permissions.visible_complaints(request.user)
    stats = selectors.statistics(visible, year)
    entries = visible.filter(year=year).select_related("unit").order_by("number")
    pdf = render_pdf(
        "pdf/complaints/annual_summary.html",
        {
            "stats": stats,
            "entries": entries,
            "institution": _institution(request),
            "generated_at": timezone.now(),
            "document": {"title": _("Sprawozdanie roczne – skargi i wnioski %(year)s") % {"year": year}},
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="skargi-i-wnioski-{year}.pdf"'
    return response


# --- whistleblower reports (C11) --------------------------------------------------------------------


def _report_or_404(request, pk: int) -> WhistleblowerReport:
    report = get_object_or_404(WhistleblowerReport.objects.select_related("unit__institution"), pk=pk)
    if not permissions.can_view_whistleblower(request.user, report):
        raise Http404
    return report


def wb_list(request):
    reports = permissions.visible_whistleblower_reports(request.user)
    may_register = permissions.can_register_whistleblower(request.user)
    if not may_register and not reports.exists():
        raise PermissionDenied
    page = Paginator(reports.select_related("unit").order_by("-year", "-number"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "complaints/wb_list.html",
        {"page_obj": page, "reports": page.object_list, "may_register": may_register, "today": timezone.localdate()},
    )


def wb_register(request):
    if not permissions.can_register_whistleblower(request.user):
        raise PermissionDenied
    institution = _institution(request)
    form = forms.WhistleblowerRegisterForm(request.POST or None, institution=institution)
    if request.method == "POST" and form.is_valid():
        report = run_service(
            request, form, lambda: services.whistleblower_register(acting_user=request.user, **form.cleaned_data)
        )
        if report:
            messages.success(request, _("Przyjęto zgłoszenie %(sign)s.") % {"sign": report.sign})
            return redirect(report)
    return render(request, "complaints/wb_register.html", {"form": form, "config": services.get_config(institution)})


# The page of each action of the WHISTLEBLOWER table that has one (states, labels and who: the table).
WB_FORMS: dict[str, ActionPage] = {
    "przydziel": ActionPage(forms.AssignForm, services.whistleblower_assign),
    "potwierdz": ActionPage(forms.AcknowledgeForm, services.whistleblower_acknowledge),
    "postepowanie": ActionPage(forms.ProceedingsForm, services.whistleblower_start_proceedings),
    "informacja": ActionPage(forms.FeedbackForm, services.whistleblower_feedback),
    "zamknij": ActionPage(forms.EmptyForm, services.whistleblower_close),
}


def wb_detail(request, pk: int):
    """C11: every read is recorded in the access log; the identity only for those assigned."""
    report = _report_or_404(request, pk)
    may_see_reporter = permissions.can_see_reporter(request.user, report)
    access_log_record(request, report, "view_identity" if may_see_reporter else "view")
    deadlines = Deadline.objects.for_object(report).select_related("responsible_user").order_by("due", "pk")
    return render(
        request,
        "complaints/wb_detail.html",
        {
            "report": report,
            "may_see_reporter": may_see_reporter,
            "deadlines": deadlines,
            "assignees": report.assignees.all()
            if may_see_reporter or permissions.can_assign_whistleblower(request.user, report)
            else [],
            "actions": buttons(WHISTLEBLOWER, report, request.user),
            "history": history_entries(report, limit=50),
            "today": timezone.localdate(),
        },
    )


def wb_action(request, pk: int, action: str):
    report = _report_or_404(request, pk)
    spec = WHISTLEBLOWER.actions.get(action)
    if spec is None or not spec.url_name or action not in WB_FORMS:
        raise Http404
    if not spec.permission(request.user, report):
        raise PermissionDenied
    if not WHISTLEBLOWER.allows(report, action):
        messages.error(request, WHISTLEBLOWER.refusal(report, spec).messages[0])
        return redirect(report)
    page = WB_FORMS[action]
    kwargs = {"institution": report.unit.institution} if page.form is forms.AssignForm else {}
    form = page.form(request.POST or None, **kwargs)
    success = _("Zapisano: %(action)s.") % {"action": spec.label}
    if spec.needs_confirmation:
        return confirm_page(
            request,
            report,
            spec,
            lambda reason: page.service(report, acting_user=request.user, change_reason=reason, **form.cleaned_data),
            template="complaints/wb_action.html",
            context={"report": report, "label": spec.label},
            form=form,
            success=success,
        )
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request, form, lambda: page.service(report, acting_user=request.user, **form.cleaned_data), success
        )
        if done:
            return redirect(report)
    return render(request, "complaints/wb_action.html", {"report": report, "form": form, "label": spec.label})
