"""The registers the chart's keeper unit keeps without the admin (U4, U5): DKA adds, changes and revokes entries of
the register of powers of attorney and authorisations, and enters absences and who acts for whom; each change with
its reason in the history."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from mopr.forms import confirm_page, run_service
from mopr.history import _choice_display, history_entries
from mopr.procedures import Action

from . import permissions, services, signing
from .forms import AbsenceForm, AuthorizationForm, RevokeForm
from .models import Absence, Authorization, DocumentKind

REVOKE = Action(
    "revoke",
    _lazy("Odwołaj upoważnienie"),
    frozenset(),
    consequence=_lazy(
        "Od wskazanego dnia osoba traci prawo podpisywania dokumentów z zakresu upoważnienia. Wpis zostaje "
        "w rejestrze jako odwołany; odwołania nie można cofnąć – potrzebne będzie nowe upoważnienie."
    ),
)


def _keeper_of_authorizations(request):
    institution = permissions.may_keep_authorizations(request.user)
    if institution is None:
        raise PermissionDenied(_("Rejestr upoważnień prowadzi Dział Kadr i Administracji."))
    return institution


def _keeper_of_absences(request):
    institution = permissions.may_keep_absences(request.user)
    if institution is None:
        raise PermissionDenied(_("Nieobecności i zastępstwa wpisuje komórka prowadząca sekretariat ośrodka."))
    return institution


def _display(field_obj, value) -> str:
    """History values for people: a person by name, the scope by the kinds' labels."""
    if value in (None, "", []):
        return "—"
    if field_obj.is_relation and field_obj.related_model is get_user_model():
        person = get_user_model().objects.filter(pk=value).first()
        return (person.get_full_name() or person.username) if person else str(value)
    if field_obj.name in ("scope", "kinds") and isinstance(value, list):
        labels = dict(DocumentKind.choices)
        return ", ".join(str(labels.get(code, code)) for code in value)
    return _choice_display(field_obj, value)


def _history(request, obj, title, back_url):
    return render(
        request,
        "history.html",
        {"object": obj, "entries": history_entries(obj, display=_display), "title": title, "back_url": back_url},
    )


# --- authorisations (U5) ----------------------------------------------------------------------------------------


def authorization_add(request):
    institution = _keeper_of_authorizations(request)
    form = AuthorizationForm(request.POST or None, institution=institution)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            form,
            lambda: services.authorization_register(
                institution=institution, acting_user=request.user, **form.service_fields()
            ),
            _("Wpisano do rejestru."),
        )
        if done:
            return redirect(done.get_absolute_url())
    return render(
        request, "units/authorization_form.html", {"form": form, "title": _("Nowy wpis do rejestru upoważnień")}
    )


def authorization_change(request, pk: int):
    institution = _keeper_of_authorizations(request)
    authorization = get_object_or_404(Authorization, pk=pk, institution=institution)
    initial = {name: getattr(authorization, name) for name in services.AUTHORIZATION_FIELDS}
    form = AuthorizationForm(request.POST or None, institution=institution, with_reason=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            form,
            lambda: services.authorization_change(
                authorization,
                acting_user=request.user,
                reason=form.cleaned_data["reason"],
                **form.service_fields(),
            ),
            _("Zapisano zmianę wpisu."),
        )
        if done:
            return redirect(done.get_absolute_url())
    return render(
        request,
        "units/authorization_form.html",
        {"form": form, "authorization": authorization, "title": _("Zmiana wpisu %(n)s") % {"n": authorization}},
    )


def authorization_revoke(request, pk: int):
    institution = _keeper_of_authorizations(request)
    authorization = get_object_or_404(Authorization, pk=pk, institution=institution, revoked_on__isnull=True)
    form = RevokeForm(request.POST or None)
    return confirm_page(
        request,
        authorization,
        REVOKE,
        lambda reason: services.authorization_revoke(
            authorization, on=form.cleaned_data["on"], acting_user=request.user, reason=reason
        ),
        template="units/authorization_revoke.html",
        context={"authorization": authorization},
        form=form,
        success=_("Upoważnienie odwołano."),
    )


def authorization_history(request, pk: int):
    """U5, U8: who entered, changed or revoked the entry, when and why (the keeper and those who consult the
    register)."""
    authorization = get_object_or_404(Authorization.objects.select_related("holder"), pk=pk)
    if not permissions.may_consult_authorizations(request.user):
        raise PermissionDenied
    return _history(request, authorization, str(authorization), authorization.get_absolute_url())


# --- absences and substitution (U4) -----------------------------------------------------------------------------


def absences(request):
    """U4: the absences from a week ago on, a form to enter one, and who acts for the Director today."""
    institution = _keeper_of_absences(request)
    form = AbsenceForm(request.POST or None, institution=institution)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            form,
            lambda: services.absence_register(acting_user=request.user, **form.service_fields()),
            _("Wpisano nieobecność."),
        )
        if done:
            return redirect("units:absences")
    today = timezone.localdate()
    rows = (
        Absence.objects.filter(user__memberships__unit__institution=institution, date_to__gte=today - timedelta(days=7))
        .select_related("user", "substitute")
        .distinct()
        .order_by("date_from", "pk")[:500]
    )
    return render(
        request,
        "units/absences.html",
        {
            "form": form,
            "rows": rows,
            "today": today,
            "institution": institution,
            "acting": signing.acting_for_director(institution, today),
        },
    )


def absence_change(request, pk: int):
    institution = _keeper_of_absences(request)
    absence = get_object_or_404(
        Absence.objects.filter(user__memberships__unit__institution=institution).distinct(), pk=pk
    )
    initial = {
        "user": absence.user_id,
        "date_from": absence.date_from,
        "date_to": absence.date_to,
        "substitute": absence.substitute_id,
        "reason": absence.reason,
    }
    form = AbsenceForm(request.POST or None, institution=institution, with_change_reason=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            form,
            lambda: services.absence_change(
                absence,
                acting_user=request.user,
                change_reason=form.cleaned_data["change_reason"],
                **form.service_fields(),
            ),
            _("Zapisano zmianę nieobecności."),
        )
        if done:
            return redirect("units:absences")
    return render(request, "units/absence_form.html", {"form": form, "absence": absence})


def absence_history(request, pk: int):
    institution = _keeper_of_absences(request)
    absence = get_object_or_404(
        Absence.objects.filter(user__memberships__unit__institution=institution).distinct(), pk=pk
    )
    return _history(request, absence, str(absence), reverse("units:absences"))
