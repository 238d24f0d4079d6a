"""Pages of the registers. Every view checks permission on the server through ``complaints.permissions``;
records are fetched by helpers that answer 404 to those who may not see them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mopr.accesslog import access_log_record
from mopr.documents import documents_for, render_pdf
from mopr.exports import csv_response, xlsx_response
from mopr.forms import apply_service_errors
from mopr.history import history_entries, render_history
from mopr.models import Deadline
from mopr.pagination import CappedPaginator
from units.models import ApprovalFlow, Institution
from units.selectors import primary_membership

from . import forms, permissions, selectors, services
from .models import Attachment, AttachmentKind, Complaint, Explanation, WhistleblowerReport
from .procedures import COMPLAINT, WHISTLEBLOWER, buttons

PAGE_SIZE = 25


def _institution(request) -> Institution:
    membership = primary_membership(request.user) if request.user.is_authenticated else None
    if membership:
        return membership.unit.institution
    code = request.GET.get("osrodek")
    institution = (Institution.objects.filter(code=code).first() if code else None) or Institution.objects.order_by(
        "pk").first()
    if institution is None:
        raise Http404(_("Nie wczytano struktury ośrodka."))
    return institution


def _complaint_or_404(request, pk: int) -> Complaint:
    complaint = get_object_or_404(
        Complaint.objects.select_related("unit__institution", "employee_concerned", "created_by", "signed_by",
                                         "repeated_of"), pk=pk)
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
    return render(request, "complaints/list.html", {
        "filter": filterset, "page_obj": page, "complaints": page.object_list, "querystring": query.urlencode(),
        "today": timezone.localdate(), "may_register": permissions.can_register_complaint(request.user),
        "may_whistleblower": permissions.sees_whistleblower_reports(request.user),
    })


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
        data = form.cleaned_data
        try:
            complaint = services.complaint_register(
                acting_user=request.user, kind=data["kind"], received_on=data["received_on"],
                channel=data["channel"], subject=data["subject"], description=data["description"],
                anonymous=data["anonymous"], complainant_name=data["complainant_name"],
                complainant_address=data["complainant_address"], complainant_email=data["complainant_email"],
                complainant_phone=data["complainant_phone"], is_parliamentarian=data["is_parliamentarian"],
                units_concerned=data["units_concerned"], employee_concerned=data["employee_concerned"],
                files=data["files"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Zarejestrowano: %(sign)s. Termin załatwienia: %(due)s.")
                             % {"sign": complaint.sign, "due": complaint.due_date.strftime("%d.%m.%Y")})
            return redirect(complaint)
    return render(request, "complaints/register.html", {"form": form})


# --- detail and actions -------------------------------------------------------------------------------


# The form and the help text of each action of the COMPLAINT table that has a page. Which states an action
# starts from, its label and who may take it are in the table (complaints.procedures), nowhere else.
ACTION_FORMS: dict[str, tuple[type, str]] = {
    "uzupelnienie": (forms.CompletionRequestForm,
                     gettext_lazy("Wnoszący ma 7 dni na wyjaśnienie lub uzupełnienie; system przygotuje wezwanie "
                                  "z pouczeniem.")),
    "uzupelniono": (forms.CompletionReceivedForm, ""),
    "przekaz": (forms.ForwardForm, gettext_lazy("Sprawa spoza właściwości ośrodka: przekazanie w ciągu 7 dni "
                                                "i zawiadomienie wnoszącego (art. 231 KPA).")),
    "bez-rozpoznania": (forms.LeaveForm, ""),
    "wyjasnienia": (forms.ExplanationRequestForm,
                    gettext_lazy("Kierownicy komórek wyjaśniają sprawę i przekazują dokumenty do DNK niezwłocznie "
                                 "(§36 ust. 2).")),
    "odpowiedz": (forms.ResponseForm, gettext_lazy("Odpowiedź podpisuje Dyrektor lub Zastępca Dyrektora (§36 ust. 3); "
                                                   "wcześniej parafują ją autor i przełożeni.")),
    "wyslano": (forms.SentForm, ""),
    "zakoncz": (forms.CloseForm, ""),
    "termin": (forms.ExtendForm, gettext_lazy("Wnoszący zostanie zawiadomiony o przyczynie zwłoki i nowym terminie "
                                              "(art. 36 KPA).")),
    "zalacznik": (forms.AttachmentForm, ""),
}


def _form_kwargs(form_class: type, complaint: Complaint) -> dict:
    if form_class is forms.ExplanationRequestForm:
        return {"institution": complaint.unit.institution}
    if form_class is forms.CloseForm:
        return {"complaint": complaint}
    return {}


def _run(action: str, complaint: Complaint, user, data: dict):
    if action == "uzupelnienie":
        return services.complaint_request_completion(complaint, acting_user=user, what=data["what"])
    if action == "uzupelniono":
        return services.complaint_completion_received(complaint, acting_user=user, note=data["note"],
                                                      file=data["file"])
    if action == "przekaz":
        return services.complaint_forward(complaint, acting_user=user, to_body=data["to_body"],
                                          to_address=data["to_address"], reason=data["reason"],
                                          delay_reason=data["delay_reason"], on=data["on"])
    if action == "bez-rozpoznania":
        return services.complaint_leave_without_consideration(complaint, acting_user=user, reason=data["reason"],
                                                              note=data["note"])
    if action == "wyjasnienia":
        return services.complaint_request_explanation(complaint, acting_user=user, unit=data["unit"],
                                                      assignee=data["assignee"], due=data["due"], note=data["note"])
    if action == "odpowiedz":
        return services.complaint_draft_response(complaint, acting_user=user, body=data["body"],
                                                 outcome=data["outcome"], reasons=data["reasons"],
                                                 legal_basis=data["legal_basis"])
    if action == "wyslano":
        return services.complaint_mark_sent(complaint, acting_user=user, sent_on=data["sent_on"])
    if action == "zakoncz":
        return services.complaint_close(complaint, acting_user=user, outcome=data["outcome"], note=data["note"],
                                        repeated_of=data["repeated_of"])
    if action == "termin":
        return services.complaint_extend(complaint, acting_user=user, new_due=data["new_due"], reason=data["reason"])
    if action == "zalacznik":
        return services.complaint_add_attachment(complaint, acting_user=user, file=data["file"], kind=data["kind"],
                                                 description=data["description"])
    raise Http404


def complaint_detail(request, pk: int):
    """The entry with its timeline: history, explanations, documents, approval flows and deadlines."""
    complaint = _complaint_or_404(request, pk)
    explanations = list(complaint.explanations.select_related("unit", "assignee", "submitted_by", "requested_by")
                        .prefetch_related("attachments"))
    for explanation in explanations:
        explanation.may_submit = (not explanation.is_submitted
                                  and permissions.can_explain_complaint(request.user, complaint, explanation))
    documents = list(documents_for(complaint))
    flows = list(ApprovalFlow.objects.filter(document__in=[d.pk for d in documents]).prefetch_related(
        "steps__assignee").order_by("-created_at"))
    deadline_rows = list(Deadline.objects.for_object(complaint).select_related("responsible_user",
                                                                                "responsible_group"))
    for explanation in explanations:
        deadline_rows += list(Deadline.objects.for_object(explanation).select_related("responsible_user",
                                                                                       "responsible_group"))
    deadline_rows.sort(key=lambda d: (d.due, d.pk))
    may_work = permissions.can_work_on_complaint(request.user, complaint)
    return render(request, "complaints/detail.html", {
        "complaint": complaint, "explanations": explanations,
        "attachments": complaint.attachments.filter(explanation__isnull=True).select_related("uploaded_by"),
        "documents": documents, "flows": flows, "deadlines": deadline_rows, "today": timezone.localdate(),
        "history": selectors.timeline(complaint), "actions": buttons(COMPLAINT, complaint, request.user),
        "may_work": may_work, "units_concerned": list(complaint.units_concerned.all()),
        "forward_limit": services.forward_limit(complaint),
        "protocol_scan_missing": complaint.channel == "ustnie" and not complaint.attachments.filter(
            kind=AttachmentKind.PROTOCOL_SCAN).exists(),
    })


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
    form_class, help_text = ACTION_FORMS[action]
    form = form_class(request.POST or None, request.FILES or None, **_form_kwargs(form_class, complaint))
    if request.method == "POST" and form.is_valid():
        try:
            _run(action, complaint, request.user, form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("Brak uprawnień."))
        else:
            messages.success(request, _("Zapisano: %(action)s.") % {"action": spec.label})
            return redirect(complaint)
    return render(request, "complaints/action.html", {"complaint": complaint, "form": form, "action": spec,
                                                      "help": help_text})


def explanation_submit(request, pk: int):
    """C3: the unit's head answers DNK's request with text and documents."""
    explanation = get_object_or_404(Explanation.objects.select_related("complaint", "unit"), pk=pk)
    complaint = _complaint_or_404(request, explanation.complaint_id)
    if not permissions.is_explanation_responder(request.user, explanation):
        raise PermissionDenied
    form = forms.ExplanationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.explanation_submit(explanation, acting_user=request.user, text=form.cleaned_data["text"],
                                        files=form.cleaned_data["files"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Wyjaśnienia przekazano do Działu Nadzoru i Kontroli."))
            return redirect(complaint)
    return render(request, "complaints/explanation.html", {"complaint": complaint, "explanation": explanation,
                                                           "form": form})


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
    return render(request, "complaints/reception.html", {
        "institution": institution, "slots": selectors.reception_schedule(institution),
        "today": timezone.localdate(),
    })


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
    years = sorted(set(permissions.visible_complaints(request.user).values_list("year", flat=True))
                   | {timezone.localdate().year}, reverse=True)
    return render(request, "complaints/statistics.html", {"stats": stats, "years": years})


def annual_summary_pdf(request):
    if not permissions.can_view_statistics(request.user):
        raise PermissionDenied
    year = _year(request)
    visible = permissions.visible_complaints(request.user)
    stats = selectors.statistics(visible, year)
    entries = visible.filter(year=year).select_related("unit").order_by("number")
    pdf = render_pdf("pdf/complaints/annual_summary.html", {
        "stats": stats, "entries": entries, "institution": _institution(request), "generated_at": timezone.now(),
        "document": {"title": _("Sprawozdanie roczne – skargi i wnioski %(year)s") % {"year": year}},
    })
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
        request.GET.get("page"))
    return render(request, "complaints/wb_list.html", {"page_obj": page, "reports": page.object_list,
                                                       "may_register": may_register,
                                                       "today": timezone.localdate()})


def wb_register(request):
    if not permissions.can_register_whistleblower(request.user):
        raise PermissionDenied
    form = forms.WhistleblowerRegisterForm(request.POST or None, institution=_institution(request))
    if request.method == "POST" and form.is_valid():
        try:
            report = services.whistleblower_register(acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Przyjęto zgłoszenie %(sign)s.") % {"sign": report.sign})
            return redirect(report)
    return render(request, "complaints/wb_register.html", {"form": form})


# The form of each action of the WHISTLEBLOWER table that has a page (states, labels and who: the table).
WB_FORMS: dict[str, type] = {
    "przydziel": forms.AssignForm,
    "potwierdz": forms.AcknowledgeForm,
    "postepowanie": forms.ProceedingsForm,
    "informacja": forms.FeedbackForm,
    "zamknij": forms.EmptyForm,
}


def wb_detail(request, pk: int):
    """C11: every read is recorded in the access log; the identity only for those assigned."""
    report = _report_or_404(request, pk)
    may_see_reporter = permissions.can_see_reporter(request.user, report)
    access_log_record(request, report, "view_identity" if may_see_reporter else "view")
    deadlines = Deadline.objects.for_object(report).select_related("responsible_user").order_by("due", "pk")
    return render(request, "complaints/wb_detail.html", {
        "report": report, "may_see_reporter": may_see_reporter, "deadlines": deadlines,
        "assignees": report.assignees.all() if may_see_reporter or permissions.can_assign_whistleblower(
            request.user, report) else [],
        "actions": buttons(WHISTLEBLOWER, report, request.user), "history": history_entries(report, limit=50),
        "today": timezone.localdate(),
    })


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
    label, form_class = spec.label, WB_FORMS[action]
    kwargs = {"institution": report.unit.institution} if form_class is forms.AssignForm else {}
    form = form_class(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if action == "przydziel":
                services.whistleblower_assign(report, acting_user=request.user, user=data["user"])
            elif action == "potwierdz":
                services.whistleblower_acknowledge(report, acting_user=request.user, on=data["on"])
            elif action == "postepowanie":
                services.whistleblower_start_proceedings(report, acting_user=request.user, note=data["note"])
            elif action == "informacja":
                services.whistleblower_feedback(report, acting_user=request.user, on=data["on"], text=data["text"])
            else:
                services.whistleblower_close(report, acting_user=request.user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Zapisano: %(action)s.") % {"action": label})
            return redirect(report)
    return render(request, "complaints/wb_action.html", {"report": report, "form": form, "label": label})

