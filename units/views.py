"""Pages of the chart: the tree (as of any date), a unit, the authorisations register, approval steps."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mopr.accesslog import access_log_record
from mopr.documents import document_retry as document_retry_service
from mopr.exports import csv_response
from mopr.history import render_history
from mopr.models import Document

from . import permissions, selectors, services, signing
from .forms import AuthorizationFilterForm, RefuseForm
from .models import (
    ApprovalStep,
    Authorization,
    Institution,
    Membership,
    Position,
    Unit,
    active_on,
)


def _institution(request) -> Institution:
    membership = selectors.primary_membership(request.user)
    if membership:
        return membership.unit.institution
    institution = Institution.objects.order_by("pk").first()
    if institution is None:
        raise Http404(_("Nie wczytano struktury ośrodka."))
    return institution


def _as_of(request) -> date:
    raw = request.GET.get("na_dzien", "")
    try:
        return date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        messages.error(request, _("Nieprawidłowa data – pokazano strukturę na dziś."))
        return timezone.localdate()


def chart(request):
    """U1, U3, U4, U8: the tree with heads, deputies and supervisors, as of a date; who acts today.
    The chart itself is public within the institution (every employee may see who is who)."""
    institution = _institution(request)
    day = _as_of(request)
    return render(
        request,
        "units/chart.html",
        {
            "institution": institution,
            "rows": selectors.chart_as_of(institution, day),
            "day": day,
            "is_today": day == timezone.localdate(),
            "acting": signing.acting_for_director(institution, day),
            "directors": signing.holders(institution, Position.DIRECTOR, day),
            "deputies": signing.holders(institution, Position.DEPUTY_DIRECTOR, day),
            "accountants": signing.holders(institution, Position.CHIEF_ACCOUNTANT, day),
            "may_keep_absences": permissions.may_keep_absences(request.user) is not None,
            "may_see_authorizations": _may_see_register(request.user),
        },
    )


def unit_detail(request, pk: int):
    unit = get_object_or_404(Unit.objects.select_related("parent", "institution"), pk=pk)
    day = _as_of(request)
    members = (
        Membership.objects.filter(active_on(day), unit=unit)
        .select_related("user")
        .order_by("position", "user__last_name")
    )
    return render(
        request,
        "units/unit_detail.html",
        {
            "unit": unit,
            "members": members,
            "day": day,
            "children": unit.children.order_by("order", "symbol"),
            "supervisor": signing.supervisor_of(unit, day),
            "ancestors": list(reversed(unit.ancestors())),
            "may_see_history": request.user.has_perm("units.view_unit"),
        },
    )


def unit_history(request, pk: int):
    """U8: who changed the unit, when and what (administrators and the chart's keepers)."""
    if not request.user.has_perm("units.view_unit"):
        raise PermissionDenied
    unit = get_object_or_404(Unit, pk=pk)
    return render_history(request, unit, title=str(unit), back_url=unit.get_absolute_url())


def _may_see_register(user) -> bool:
    """U5: DKA keeps the register; management and administrators consult it."""
    return permissions.may_consult_authorizations(user)


def _authorizations_filtered(request):
    form = AuthorizationFilterForm(request.GET or None)
    qs = Authorization.objects.select_related("holder", "issuer").order_by("-valid_from", "number")
    if form.is_valid():
        qs = form.filter(qs)
    return form, qs


def authorizations(request):
    if not _may_see_register(request.user):
        raise PermissionDenied
    form, qs = _authorizations_filtered(request)
    today = timezone.localdate()
    rows = [{"obj": a, "valid": a.is_valid_on(today)} for a in qs[:500]]
    return render(
        request,
        "units/authorizations.html",
        {
            "form": form,
            "rows": rows,
            "query": request.GET.urlencode(),
            "may_keep": permissions.may_keep_authorizations(request.user) is not None,
        },
    )


def authorizations_csv(request):
    if not _may_see_register(request.user):
        raise PermissionDenied
    _form, qs = _authorizations_filtered(request)
    today = timezone.localdate()
    header = [
        _("Numer"),
        _("Rodzaj"),
        _("Osoba"),
        _("Zakres"),
        _("Podstawa prawna"),
        _("Udzielający"),
        _("Od"),
        _("Do"),
        _("Odwołane"),
        _("Ważne dziś"),
    ]
    rows = (
        [
            a.number,
            a.get_kind_display(),
            a.holder.get_full_name() or a.holder.username,
            "; ".join(a.scope_labels + ([a.scope_description] if a.scope_description else [])),
            a.legal_basis,
            a.issuer_label,
            a.valid_from,
            a.valid_to or "",
            a.revoked_on or "",
            _("tak") if a.is_valid_on(today) else _("nie"),
        ]
        for a in qs.iterator()
    )
    return csv_response("rejestr-upowaznien.csv", header, rows)


def _step_for(request, pk: int) -> ApprovalStep:
    step = get_object_or_404(ApprovalStep.objects.select_related("flow__document", "flow__unit", "assignee"), pk=pk)
    flow_people = set(step.flow.steps.values_list("assignee_id", flat=True)) | {step.flow.author_id}
    stands_in = (
        not step.flow.fixed_signatory
        and signing.acting_signatory(step.flow.unit, step.flow.document_kind) == request.user
    )
    if request.user.pk not in flow_people and not stands_in:
        raise Http404
    return step


def approval_step(request, pk: int):
    """U6: initial, sign, countersign or return a document; the PDF and its SHA-256 shown first."""
    step = _step_for(request, pk)
    form = RefuseForm(request.POST or None)
    if request.method == "POST":
        try:
            if "approve" in request.POST:
                services.approval_approve(step, acting_user=request.user)
                messages.success(request, _("Zatwierdzono: %(kind)s.") % {"kind": step.get_kind_display()})
                return redirect("home")
            if form.is_valid():
                services.approval_refuse(step, acting_user=request.user, reason=form.cleaned_data["reason"])
                messages.success(request, _("Dokument zwrócono autorowi."))
                return redirect("home")
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("Brak uprawnień."))
        except ValidationError as exc:
            for error in exc.messages:
                form.add_error(None, error)
    return render(
        request,
        "units/approval_step.html",
        {
            "step": step,
            "flow": step.flow,
            "steps": step.flow.steps.select_related("assignee", "acted_by"),
            "form": form,
            "owner": step.flow.document.content_object,
        },
    )


def _document_for(request, pk: int):
    """The document, for the people of its approval flows and those who may see its owner (the owner's
    ``DOCUMENT_VIEW_PERM``); anyone else gets 404."""
    document = get_object_or_404(Document, pk=pk)
    people = set()
    for flow in document.approval_flows.all():
        people |= set(flow.steps.values_list("assignee_id", flat=True)) | {flow.author_id}
    owner = document.content_object
    owner_perm = getattr(owner, "DOCUMENT_VIEW_PERM", None)
    if getattr(owner, "SPECIAL_CATEGORY", False):
        # B11, C11: a place in the document's flow is not enough; the person must still be in the procedure
        # (a Team member dismissed after signing a closure no longer opens it).
        if not permissions.may(request.user, owner_perm or f"view_{owner._meta.model_name}", owner):
            raise Http404
    elif request.user.pk not in people and not (owner_perm and permissions.may(request.user, owner_perm, owner)):
        raise Http404
    return document, owner


@require_POST
def document_retry(request, pk: int):
    """A document whose rendering failed for good is rendered again (the retry button)."""
    document, _owner = _document_for(request, pk)
    try:
        document_retry_service(document, acting_user=request.user)
        messages.success(request, _("Dokument zostanie wygenerowany ponownie."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "home"
    return redirect(next_url)


def document_download(request, pk: int):
    """A PDF in a flow, for the people of that flow only."""
    document, owner = _document_for(request, pk)
    if not document.file:
        raise Http404
    if getattr(owner, "ACCESS_LOGGED", False):
        access_log_record(request, owner, action="pdf")
    return FileResponse(
        document.file.open("rb"), content_type="application/pdf", filename=f"{document.kind}-{document.pk}.pdf"
    )
