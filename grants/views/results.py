"""Results and decision (G6, G8): scores and proposals, the Director's opinion, the President's order."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mopr.forms import run_service

from .. import forms, permissions, services
from ..models import (
    OfferStatus,
)
from ..procedures import COMPETITION
from .common import (
    _competition_for,
    _require_offers,
)


def results(request, pk: int):
    competition = _competition_for(request, pk)
    _require_offers(request, competition)
    can_manage = permissions.can_manage_offers(request.user, competition)
    offers = list(competition.offers.select_related("offeror", "formal_card").order_by("rank", "received_at", "pk"))
    passed = [offer for offer in offers if offer.status in services.EVALUATED]
    form = forms.ProposalForm(request.POST or None, offers=passed)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        proposals = None
        if request.POST.get("with_proposals") and form.is_valid():
            proposals = form.proposed()
        if not request.POST.get("with_proposals") or form.is_valid():
            if run_service(
                request,
                form,
                lambda: services.results_compute(competition, acting_user=request.user, proposed_amounts=proposals),
                _("Obliczono wyniki oceny ofert."),
            ):
                return redirect("grants:results", pk=competition.pk)
    return render(
        request,
        "grants/results.html",
        {
            "competition": competition,
            "offers": offers,
            "can_manage": can_manage,
            "form": form,
            "can_compute": can_manage and COMPETITION.allows(competition, "compute_results"),
        },
    )


def opinion(request, pk: int):
    competition = _competition_for(request, pk)
    if not permissions.can_give_director_opinion(request.user, competition):
        raise PermissionDenied
    _require_offers(request, competition)
    form = forms.OpinionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(
            request,
            form,
            lambda: services.director_opinion(
                competition, acting_user=request.user, opinion=form.cleaned_data["opinion"]
            ),
            _("Opinię przedstawiono Prezydentowi."),
        ):
            return redirect(competition)
    offers = competition.offers.select_related("offeror").order_by("rank", "received_at", "pk")
    return render(
        request,
        "grants/simple_form.html",
        {
            "competition": competition,
            "form": form,
            "heading": _("Opinia Dyrektora dla Prezydenta Miasta"),
            "submit": _("Przedstaw opinię"),
            "offers": offers,
            "intro": _(
                "Opinia komisji konkursowej o wszystkich ofertach, z liczbą punktów i proponowaną kwotą "
                "dotacji (003 §5.2.2)."
            ),
        },
    )


def decision(request, pk: int):
    competition = _competition_for(request, pk)
    if not permissions.can_manage_offers(request.user, competition):
        raise PermissionDenied
    offers = competition.offers.filter(status=OfferStatus.SCORED).select_related("offeror").order_by("rank")
    form = forms.DecisionForm(request.POST or None, offers=offers)
    if request.method == "POST" and form.is_valid():
        if run_service(
            request,
            form,
            lambda: services.president_decision(
                competition,
                acting_user=request.user,
                order_number=form.cleaned_data["order_number"],
                order_date=form.cleaned_data["order_date"],
                granted=form.granted(),
            ),
            _("Odnotowano zarządzenie Prezydenta."),
        ):
            return redirect(competition)
    return render(
        request,
        "grants/simple_form.html",
        {
            "competition": competition,
            "form": form,
            "heading": _("Zarządzenie Prezydenta w sprawie wyboru ofert"),
            "submit": _("Zapisz rozstrzygnięcie"),
            "offers": offers,
            "intro": _("Termin rozstrzygnięcia: %(due)s (%(days)s dni od terminu składania ofert).")
            % {
                "due": competition.decision_due.strftime("%d.%m.%Y") if competition.decision_due else "—",
                "days": services.config_for(competition).decision_days,
            },
        },
    )
