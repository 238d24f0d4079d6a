"""Small grants outside a competition (G12, UDPP art. 19a): the list, the offer form, the publication records, the
comments, the decision (with the remaining yearly limits on the offer's page), then the contract."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from mopr.forms import run_service
from mopr.history import render_history

from .. import permissions, services
from ..forms import CostLineFormSet, validate_budget
from ..forms import after as forms
from ..models import SmallGrantOffer
from ..procedures import SMALL_GRANT


def _small_for(request, pk: int) -> SmallGrantOffer:
    offer = get_object_or_404(SmallGrantOffer.objects.select_related("unit__institution", "offeror"), pk=pk)
    if not permissions.can_view_small_grant(request.user, offer):
        raise Http404
    return offer


def _managed_small(request, pk: int) -> SmallGrantOffer:
    offer = _small_for(request, pk)
    if not permissions.can_manage_small_grant(request.user, offer):
        raise PermissionDenied
    return offer


def small_list(request):
    offers = permissions.visible_small_grants(request.user).select_related("offeror").order_by("-received_at", "-pk")
    if not permissions.can_create_small_grant(request.user) and not offers.exists():
        raise PermissionDenied
    return render(
        request,
        "grants/small_list.html",
        {"offers": offers[:200], "can_create": permissions.can_create_small_grant(request.user)},
    )


def small_create(request):
    units = permissions.creatable_units(request.user)
    if not units:
        raise PermissionDenied
    unit = units[0]
    config = services.get_config(unit.institution)
    form = forms.SmallGrantForm(
        request.POST or None,
        config=config,
        limits=config.limits,
        initial={"received_at": timezone.localtime().replace(second=0, microsecond=0)},
    )
    formset = CostLineFormSet(request.POST or None, prefix="lines")
    general = []
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        lines, general = validate_budget(form, formset, config.limits)
        if not general and form.is_valid() and all(f.is_valid() for f in formset.forms):
            data = form.cleaned_data
            offer = run_service(
                request,
                form,
                lambda: services.small_grant_register(acting_user=request.user, unit=unit, lines=lines, **data),
                _("Zarejestrowano ofertę w trybie art. 19a."),
            )
            if offer:
                return redirect(offer)
    return render(
        request,
        "grants/small_form.html",
        {"form": form, "formset": formset, "budget_errors": general, "config": config},
    )


def small_detail(request, pk: int):
    offer = _small_for(request, pk)
    can_manage = permissions.can_manage_small_grant(request.user, offer)
    year = (offer.decided_on or timezone.localdate()).year
    limits = services.year_limits(offer.unit.institution, offer.offeror, year, exclude=offer)
    config = services.get_config(offer.unit.institution)
    actions = {a.name for a in SMALL_GRANT.available(offer, request.user)} if can_manage else set()
    return render(
        request,
        "grants/small_detail.html",
        {
            "offer": offer,
            "can_manage": can_manage,
            "actions": actions,
            "limits": limits,
            "config": config,
            "lines": offer.cost_lines.all(),
            "publications": offer.publications.all(),
            "comments": offer.comments.all(),
            "comments_until": services.comments_until(offer),
            "contract": getattr(offer, "contract", None),
            "publication_form": forms.SmallPublicationForm(),
            "comment_form": forms.SmallCommentForm(),
        },
    )


def small_history(request, pk: int):
    offer = _managed_small(request, pk)
    return render_history(request, offer, title=str(offer), back_url=offer.get_absolute_url())


def _small_form_page(request, offer, form, *, heading, submit, intro=""):
    return render(
        request,
        "grants/after_form.html",
        {
            "form": form,
            "heading": heading,
            "submit": submit,
            "intro": intro,
            "back_url": offer.get_absolute_url(),
            "back_label": str(offer),
        },
    )


def small_publication(request, pk: int):
    offer = _managed_small(request, pk)
    form = forms.SmallPublicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(
            request,
            form,
            lambda: services.small_grant_publish(offer, acting_user=request.user, **form.cleaned_data),
            _("Odnotowano publikację oferty."),
        ):
            return redirect(offer)
    config = services.get_config(offer.unit.institution)
    return _small_form_page(
        request,
        offer,
        form,
        heading=_("Publikacja oferty do uwag"),
        submit=_("Odnotuj publikację"),
        intro=_(
            "Art. 19a ust. 3: oferta jest zamieszczana na %(days)s dni w BIP, na tablicy ogłoszeń urzędu i na "
            "stronie internetowej; każde miejsce odnotuj z datą."
        )
        % {"days": config.small_publication_days},
    )


def small_comment(request, pk: int):
    offer = _managed_small(request, pk)
    form = forms.SmallCommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(
            request,
            form,
            lambda: services.small_grant_comment(offer, acting_user=request.user, **form.cleaned_data),
            _("Odnotowano uwagę do oferty."),
        ):
            return redirect(offer)
    return _small_form_page(request, offer, form, heading=_("Uwaga do oferty"), submit=_("Odnotuj uwagę"))


def small_decide(request, pk: int):
    offer = _managed_small(request, pk)
    form = forms.SmallDecisionForm(request.POST or None, initial={"amount": offer.requested_grant})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_service(
            request,
            form,
            lambda: services.small_grant_decide(
                offer,
                acting_user=request.user,
                grant=data["grant"] == "yes",
                decided_on=data["decided_on"],
                amount=data.get("amount"),
                reason=data.get("reason") or "",
            ),
            _("Odnotowano decyzję."),
        ):
            return redirect(offer)
    until = services.comments_until(offer)
    return _small_form_page(
        request,
        offer,
        form,
        heading=_("Decyzja w sprawie oferty (art. 19a)"),
        submit=_("Zapisz decyzję"),
        intro=_("Decyzja po upływie okresu publikacji (do %(until)s), po rozpatrzeniu uwag.")
        % {"until": until.strftime("%d.%m.%Y") if until else "—"},
    )
