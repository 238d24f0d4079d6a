"""The committee (G5-G7): appointment, the member's own declaration, the formal and merit cards."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mopr.forms import run_service

from .. import forms, permissions, services
from ..models import (
    MERIT_CRITERIA,
    MERIT_MAX,
    Competition,
    MeritCard,
    formal_criteria,
)
from .common import (
    _competition_for,
    _offer_for,
    run_or_message,
)


def committee_appoint(request, pk: int):
    competition = _competition_for(request, pk)
    if not permissions.can_manage_competition(request.user, competition):
        raise PermissionDenied
    initial = {}
    committee = getattr(competition, "committee", None) if hasattr(competition, "committee") else None
    if committee:
        members = list(committee.members.all())
        initial = {
            "order_number": committee.order_number,
            "order_date": committee.order_date,
            "chair": next((m.user_id for m in members if m.role == "chair"), None),
            "deputy_chair": next((m.user_id for m in members if m.role == "deputy_chair"), None),
            "members": [m.user_id for m in members if m.role == "member"],
        }
    form = forms.CommitteeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_service(
            request,
            form,
            lambda: services.committee_appoint(
                competition,
                acting_user=request.user,
                order_number=data["order_number"],
                order_date=data["order_date"],
                chair=data["chair"],
                deputy_chair=data["deputy_chair"],
                members=list(data["members"]),
            ),
            _("Powołano komisję konkursową."),
        ):
            return redirect(competition)
    return render(request, "grants/committee_form.html", {"form": form, "competition": competition})


def declaration(request, pk: int):
    """G7: the member's own declaration, reachable before the member may see the competition's offers."""
    competition = get_object_or_404(Competition.objects.select_related("unit"), pk=pk)
    member = permissions.committee_member(request.user, competition)
    if member is None:
        raise Http404
    existing = getattr(member, "declaration", None) if hasattr(member, "declaration") else None
    form = forms.DeclarationForm(request.POST or None)
    if request.method == "POST" and existing is None and form.is_valid():
        if run_service(
            request,
            form,
            lambda: services.conflict_declare(
                member,
                acting_user=request.user,
                no_conflict=form.cleaned_data["no_conflict"],
                remarks=form.cleaned_data["remarks"],
            ),
            _("Złożono oświadczenie."),
        ):
            if form.cleaned_data["no_conflict"]:
                return redirect(competition)
            return redirect("grants:list")
    offerors = competition.offers.select_related("offeror").values_list("offeror__name", flat=True)
    return render(
        request,
        "grants/declaration.html",
        {
            "competition": competition,
            "member": member,
            "declaration": existing,
            "form": form,
            "offerors": list(offerors),
        },
    )


def formal_card(request, pk: int):
    offer = _offer_for(request, pk)
    if not permissions.can_evaluate(request.user, offer.competition):
        raise PermissionDenied
    card = getattr(offer, "formal_card", None) if hasattr(offer, "formal_card") else None
    criteria = formal_criteria(services.config_for(offer.competition).limits, offer.competition.attachments)
    form = forms.FormalCardForm(
        request.POST or None,
        card=card,
        suggested=services.formal_suggestions(offer),
        version=services.card_version(card),
        criteria=criteria,
    )
    if request.method == "POST" and form.is_valid():
        if run_service(
            request,
            form,
            lambda: services.offer_formal_evaluate(
                offer,
                acting_user=request.user,
                answers=form.answers(),
                remarks=form.cleaned_data["remarks"],
                version=form.cleaned_data["version"],
            ),
            _("Zapisano kartę oceny formalnej."),
        ):
            return redirect(offer)
    return render(
        request,
        "grants/formal_card_form.html",
        {
            "offer": offer,
            "competition": offer.competition,
            "form": form,
            "general_keys": [key for key, _label in criteria if not key.startswith("att_")],
        },
    )


def merit_card(request, pk: int):
    offer = _offer_for(request, pk)
    member = permissions.committee_member(request.user, offer.competition)
    if member is None or not permissions.can_evaluate(request.user, offer.competition):
        raise PermissionDenied
    card = MeritCard.objects.filter(offer=offer, member=member).first()
    form = forms.MeritCardForm(request.POST or None, card=card, version=services.card_version(card))
    if request.method == "POST" and form.is_valid():
        if run_service(
            request,
            form,
            lambda: services.merit_card_submit(
                offer,
                acting_user=request.user,
                points=form.points(),
                justification=form.cleaned_data["justification"],
                version=form.cleaned_data["version"],
            ),
            _("Zapisano kartę oceny merytorycznej."),
        ):
            return redirect(offer)
    return render(
        request,
        "grants/merit_card_form.html",
        {"offer": offer, "competition": offer.competition, "form": form, "max": MERIT_MAX, "criteria": MERIT_CRITERIA},
    )


@require_POST
def correction_request(request, pk: int):
    """G5 (003 §5.1.6): the committee asks the offeror to correct an obvious clerical error, with a deadline."""
    offer = _offer_for(request, pk)
    if not permissions.can_evaluate(request.user, offer.competition):
        raise PermissionDenied
    form = forms.CorrectionRequestForm(request.POST)
    if form.is_valid():
        run_or_message(
            request,
            lambda: services.clerical_correction_request(
                offer, acting_user=request.user, scope=form.cleaned_data["scope"], due=form.cleaned_data["due"]
            ),
            _("Wezwano oferenta do poprawienia oczywistego błędu pisarskiego."),
            form,
        )
    else:
        messages.error(request, _("Opisz błąd i podaj termin na poprawienie."))
    return redirect(offer)


def correction_answer(request, pk: int):
    """G5 (003 §5.1.6): the offeror's correction recorded – what was corrected, when it came in, on time or late."""
    offer = _offer_for(request, pk)
    competition = offer.competition
    user = request.user
    if not (permissions.can_evaluate(user, competition) or permissions.can_manage_offers(user, competition)):
        raise PermissionDenied
    form = forms.CorrectionAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(
            request,
            form,
            lambda: services.clerical_correction_answer(
                offer,
                acting_user=request.user,
                answered_on=form.cleaned_data["answered_on"],
                corrected=form.cleaned_data["corrected"],
            ),
            _("Odnotowano poprawienie oferty przez oferenta."),
        ):
            return redirect(offer)
    return render(request, "grants/correction_answer.html", {"offer": offer, "competition": competition, "form": form})
