"""Pages of the staff registers: "Ocena okresowa" (R2) for the employee, the evaluator, the head of the
institution and DKA; "Regulaminy i zarządzenia do zapoznania się" (R4). Every page checks the permission
(``units.permissions``) before it reads the record; the services check it again."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mopr.documents import render_pdf
from mopr.forms import run_or_message, run_service
from mopr.history import render_history

from . import permissions, staff
from . import regulations as regulation_services
from .models import (
    Evaluation,
    EvaluationRound,
    EvaluationStatus,
    Institution,
    Membership,
    RegulationAcknowledgement,
    RegulationDocument,
    active_on,
)
from .staff_forms import AppealForm, DecideForm, EvaluationCreateForm, EvaluationFillForm, RegulationForm, RoundForm
from .staff_procedures import EVALUATION


def _institution_of(user) -> Institution | None:
    membership = (
        Membership.objects.filter(active_on(timezone.localdate()), user=user)
        .select_related("unit__institution")
        .order_by("pk")
        .first()
    )
    return membership.unit.institution if membership else None


def _managed_institution(request) -> Institution:
    institution = _institution_of(request.user)
    if institution is None or not permissions.may_manage_evaluations(request.user, institution):
        raise PermissionDenied(_("Oceny okresowe organizuje Dział Kadr i Administracji (000 §18)."))
    return institution


def _evaluation_for(request, pk: int) -> Evaluation:
    evaluation = get_object_or_404(
        Evaluation.objects.select_related("round__institution", "employee", "evaluator", "unit", "appeal_decided_by"),
        pk=pk,
    )
    if not permissions.may_view_evaluation(request.user, evaluation):
        raise PermissionDenied(
            _("Ocenę widzą tylko oceniany pracownik, oceniający, kierujący ośrodkiem i Dział Kadr i Administracji.")
        )
    return evaluation


_EVALUATION_RELATED = ("round", "employee", "evaluator", "unit")


# --- R2: evaluations ------------------------------------------------------------------------------------------------


def evaluations(request):
    """Ocena okresowa: my own evaluations, the ones I make, and (DKA, the head of the institution) the rounds."""
    user = request.user
    institution = _institution_of(user)
    own = list(
        Evaluation.objects.filter(employee=user)
        .exclude(status=EvaluationStatus.DRAFT)
        .select_related(*_EVALUATION_RELATED)
        .order_by("-round__year", "-pk")
    )
    made = list(
        Evaluation.objects.filter(evaluator=user)
        .select_related(*_EVALUATION_RELATED)
        .order_by("-round__year", "employee__last_name", "pk")
    )
    manages = institution is not None and permissions.may_manage_evaluations(user, institution)
    appeals = []
    if institution is not None and permissions.is_head_of_institution(user, institution):
        appeals = list(
            Evaluation.objects.filter(round__institution=institution, status=EvaluationStatus.APPEALED)
            .select_related(*_EVALUATION_RELATED)
            .order_by("appealed_on", "pk")
        )
    return render(
        request,
        "units/staff_evaluations.html",
        {"own": own, "made": made, "manages": manages, "appeals": appeals},
    )


def rounds(request):
    institution = _managed_institution(request)
    today = timezone.localdate()
    form = RoundForm(
        request.POST or None,
        initial={
            "year": today.year,
            "period_from": today.replace(month=1, day=1),
            "period_to": today.replace(month=12, day=31),
        },
    )
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            form,
            lambda: staff.evaluation_round_open(institution=institution, acting_user=request.user, **form.cleaned_data),
            _("Otwarto rundę ocen okresowych."),
        )
        if done:
            return redirect(done.get_absolute_url())
    rows = list(
        EvaluationRound.objects.filter(institution=institution).annotate(
            total=Count("evaluations"),
            drafts=Count("evaluations", filter=Q(evaluations__status=EvaluationStatus.DRAFT)),
            appeals=Count("evaluations", filter=Q(evaluations__status=EvaluationStatus.APPEALED)),
        )
    )
    return render(request, "units/staff_rounds.html", {"rounds": rows, "form": form})


def round_detail(request, pk: int):
    institution = _managed_institution(request)
    rnd = get_object_or_404(EvaluationRound, pk=pk, institution=institution)
    form = EvaluationCreateForm(request.POST or None, institution=institution)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            form,
            lambda: staff.evaluation_create(
                round=rnd, employee=form.cleaned_data["employee"], acting_user=request.user
            ),
            _("Założono ocenę okresową."),
        )
        if done:
            return redirect(done.get_absolute_url())
    rows = list(
        rnd.evaluations.select_related(*_EVALUATION_RELATED).order_by("unit__order", "employee__last_name", "pk")
    )
    return render(request, "units/staff_round.html", {"round": rnd, "rows": rows, "form": form})


def evaluation_detail(request, pk: int):
    evaluation = _evaluation_for(request, pk)
    scores = {s.criterion_id: s.score for s in evaluation.scores.all()}
    criteria = [(c, scores.get(c.pk)) for c in staff.criteria_for(evaluation)]
    return render(
        request,
        "units/staff_evaluation.html",
        {
            "evaluation": evaluation,
            "criteria": criteria,
            "actions": EVALUATION.available(evaluation, request.user),
            "today": timezone.localdate(),
        },
    )


def evaluation_fill(request, pk: int):
    evaluation = _evaluation_for(request, pk)
    if not permissions.may_fill_evaluation(request.user, evaluation):
        raise PermissionDenied(_("Kwestionariusz wypełnia oceniający."))
    criteria = staff.criteria_for(evaluation)
    initial = {f"c_{s.criterion_id}": s.score for s in evaluation.scores.all()}
    initial.update(grade=evaluation.grade, justification=evaluation.justification)
    form = EvaluationFillForm(request.POST or None, criteria=criteria, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            form,
            lambda: staff.evaluation_fill(
                evaluation,
                scores=form.scores(),
                grade=form.cleaned_data["grade"],
                justification=form.cleaned_data["justification"],
                acting_user=request.user,
            ),
            _("Zapisano kwestionariusz."),
        )
        if done:
            return redirect(evaluation.get_absolute_url())
    return render(
        request,
        "units/staff_form.html",
        {
            "form": form,
            "object": evaluation,
            "title": _("Kwestionariusz oceny okresowej"),
            "submit": _("Zapisz kwestionariusz"),
        },
    )


@require_POST
def evaluation_hand(request, pk: int):
    evaluation = _evaluation_for(request, pk)
    if not permissions.may_fill_evaluation(request.user, evaluation):
        raise PermissionDenied(_("Ocenę przekazuje oceniający."))
    run_or_message(
        request,
        lambda: staff.evaluation_hand(evaluation, acting_user=request.user),
        _("Ocena została przekazana pracownikowi."),
    )
    return redirect(evaluation.get_absolute_url())


@require_POST
def evaluation_acknowledge(request, pk: int):
    evaluation = _evaluation_for(request, pk)
    if not permissions.may_acknowledge_evaluation(request.user, evaluation):
        raise PermissionDenied(_("Zapoznanie się z oceną potwierdza tylko oceniany pracownik."))
    run_or_message(
        request,
        lambda: staff.evaluation_acknowledge(evaluation, acting_user=request.user),
        _("Potwierdzono zapoznanie się z oceną."),
    )
    return redirect(evaluation.get_absolute_url())


def evaluation_appeal(request, pk: int):
    evaluation = _evaluation_for(request, pk)
    if not permissions.may_acknowledge_evaluation(request.user, evaluation):
        raise PermissionDenied(_("Od oceny odwołuje się tylko oceniany pracownik."))
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            form,
            lambda: staff.evaluation_appeal(evaluation, reason=form.cleaned_data["reason"], acting_user=request.user),
            _("Złożono odwołanie do kierującego ośrodkiem."),
        )
        if done:
            return redirect(evaluation.get_absolute_url())
    return render(
        request,
        "units/staff_form.html",
        {"form": form, "object": evaluation, "title": _("Odwołanie od oceny okresowej"), "submit": _("Złóż odwołanie")},
    )


def evaluation_decide(request, pk: int):
    evaluation = _evaluation_for(request, pk)
    if not permissions.may_decide_appeal(request.user, evaluation):
        raise PermissionDenied(_("Odwołanie rozstrzyga kierujący ośrodkiem."))
    form = DecideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            form,
            lambda: staff.appeal_decide(evaluation, acting_user=request.user, **form.cleaned_data),
            _("Rozstrzygnięto odwołanie."),
        )
        if done:
            return redirect(evaluation.get_absolute_url())
    return render(
        request,
        "units/staff_form.html",
        {
            "form": form,
            "object": evaluation,
            "title": _("Rozstrzygnięcie odwołania od oceny okresowej"),
            "submit": _("Zapisz rozstrzygnięcie"),
            "choice_fieldsets": True,
        },
    )


def evaluation_pdf(request, pk: int):
    """The evaluation form (kwestionariusz oceny) as PDF, for those who may see the evaluation."""
    evaluation = _evaluation_for(request, pk)
    scores = {s.criterion_id: s.score for s in evaluation.scores.all()}
    pdf = render_pdf(
        "pdf/units/evaluation.html",
        {
            "evaluation": evaluation,
            "criteria": [(c, scores.get(c.pk)) for c in staff.criteria_for(evaluation)],
            "document": {"title": _("Kwestionariusz oceny okresowej")},
            "generated_at": timezone.now(),
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="ocena-okresowa-{evaluation.pk}.pdf"'
    return response


def evaluation_history(request, pk: int):
    evaluation = _evaluation_for(request, pk)
    return render_history(request, evaluation, title=str(evaluation), back_url=evaluation.get_absolute_url())


# --- R4: regulations ------------------------------------------------------------------------------------------------


def regulations(request):
    """Regulaminy i zarządzenia do zapoznania się: each version, my confirmation, the in-force date."""
    institution = _institution_of(request.user)
    rows = []
    if institution is not None:
        confirmed = set(
            RegulationAcknowledgement.objects.filter(user=request.user, document__institution=institution).values_list(
                "document_id", flat=True
            )
        )
        rows = [
            (doc, doc.pk in confirmed)
            for doc in RegulationDocument.objects.filter(institution=institution, read_by_all=True)
        ]
    may_publish = institution is not None and permissions.may_publish_regulations(request.user, institution)
    return render(
        request,
        "units/staff_regulations.html",
        {"rows": rows, "may_publish": may_publish, "led": bool(permissions.led_unit_ids(request.user))},
    )


def _regulation_for(request, pk: int) -> RegulationDocument:
    document = get_object_or_404(RegulationDocument.objects.select_related("institution", "published_by"), pk=pk)
    if not Membership.objects.filter(
        active_on(timezone.localdate()), user=request.user, unit__institution_id=document.institution_id
    ).exists():
        raise PermissionDenied(_("Dokument jest dostępny dla pracowników ośrodka."))
    return document


def regulation_detail(request, pk: int):
    """The document, my confirmation and, for a head of unit, who in my units has not confirmed (000 §42);
    DKA and the head of the institution see the whole institution."""
    document = _regulation_for(request, pk)
    user = request.user
    if permissions.may_publish_regulations(user, document.institution):
        missing, scope = regulation_services.regulation_missing(document), "all"
    else:
        led = permissions.led_unit_ids(user)
        missing, scope = (regulation_services.regulation_missing(document, led), "units") if led else (None, "")
    confirmation = RegulationAcknowledgement.objects.filter(document=document, user=user).first()
    return render(
        request,
        "units/staff_regulation.html",
        {
            "document": document,
            "confirmation": confirmation,
            "missing": missing,
            "scope": scope,
            "today": timezone.localdate(),
        },
    )


def regulation_publish(request):
    institution = _institution_of(request.user)
    if institution is None or not permissions.may_publish_regulations(request.user, institution):
        raise PermissionDenied(_("Regulaminy i zarządzenia publikuje Dział Kadr i Administracji."))
    form = RegulationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            form,
            lambda: regulation_services.regulation_publish(
                institution=institution, acting_user=request.user, **form.cleaned_data
            ),
            _("Dokument podano do wiadomości pracowników."),
        )
        if done:
            return redirect(done.get_absolute_url())
    return render(
        request,
        "units/staff_form.html",
        {"form": form, "title": _("Podaj do wiadomości regulamin lub zarządzenie"), "submit": _("Opublikuj")},
    )


@require_POST
def regulation_acknowledge(request, pk: int):
    document = _regulation_for(request, pk)
    run_or_message(
        request,
        lambda: regulation_services.regulation_acknowledge(document, acting_user=request.user),
        _("Potwierdzono zapoznanie się z dokumentem."),
    )
    if request.POST.get("next") == "list":
        return redirect("units:staff_regulations")
    return redirect(document.get_absolute_url())
