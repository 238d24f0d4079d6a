"""The committee's collective signatures (G6/G7): the members present at a meeting, and each one's own signature
of the formal and merit cards and of the protocol."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mopr.forms import run_or_message, run_service

from .. import forms, permissions, services
from ..models import CommitteeSigning
from .common import _competition_for, _require_offers


def _documents(competition, user) -> list[dict]:
    """Every collective document of the competition that exists, with its signing (None before the presence is
    recorded) and what the user may do with it."""
    signings = {
        (signing.kind, signing.offer_id): signing
        for signing in CommitteeSigning.objects.filter(committee__competition=competition).prefetch_related(
            "signatures__member__user"
        )
    }
    offers = competition.offers.select_related("offeror", "formal_card").prefetch_related("merit_cards")
    wanted = []
    for offer in offers:
        if hasattr(offer, "formal_card"):
            wanted.append((CommitteeSigning.Kind.FORMAL_CARD, offer))
        if offer.merit_cards.all():
            wanted.append((CommitteeSigning.Kind.MERIT_CARD, offer))
    if competition.results_computed_at:
        wanted.append((CommitteeSigning.Kind.PROTOCOL, None))
    rows = []
    for kind, offer in wanted:
        signing = signings.get((kind, offer.pk if offer else None))
        # the state of each document from the rows already read: one query per kind of row, not per offer
        basis = services.basis_of(
            kind,
            formal_card=getattr(offer, "formal_card", None),
            merit_cards=offer.merit_cards.all() if offer else (),
            results_computed_at=competition.results_computed_at,
        )
        current = signing is not None and signing.basis == basis
        signatures = list(signing.signatures.all()) if signing else []
        mine = next((s for s in signatures if s.member.user_id == user.pk), None)
        rows.append(
            {
                "kind": CommitteeSigning.Kind(kind).label,
                "offer": offer,
                "signing": signing,
                "signatures": signatures,
                "current": current,
                "signed": current and signing.is_signed,
                "may_sign": current and mine is not None and mine.signed_at is None,
            }
        )
    return rows


def committee_signatures(request, pk: int):
    """The cards and the protocol with the members present and their signatures; the record of presence."""
    competition = _competition_for(request, pk)
    _require_offers(request, competition)
    may_record = services.may_record_presence(request.user, competition)
    form = forms.PresenceForm(request.POST or None, competition=competition)
    if request.method == "POST":
        if not may_record:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            if run_service(
                request,
                form,
                lambda: services.committee_presence_record(
                    competition,
                    acting_user=request.user,
                    kind=data["kind"],
                    offer=data.get("offer"),
                    present=list(data["present"]),
                    held_on=data["held_on"],
                ),
                _("Odnotowano obecnych na posiedzeniu; każdy z nich podpisuje dokument osobiście."),
            ):
                return redirect("grants:signatures", competition.pk)
    return render(
        request,
        "grants/signatures.html",
        {
            "competition": competition,
            "documents": _documents(competition, request.user),
            "form": form if may_record else None,
        },
    )


@require_POST
def committee_sign(request, pk: int):
    """A member present signs the card or the protocol personally."""
    signing = get_object_or_404(CommitteeSigning.objects.select_related("committee__competition", "offer"), pk=pk)
    competition = _competition_for(request, signing.committee.competition_id)
    if not permissions.can_evaluate(request.user, competition):
        raise PermissionDenied
    run_or_message(
        request,
        lambda: services.committee_sign(signing, acting_user=request.user),
        _("Podpisano: %(document)s.") % {"document": signing},
    )
    return redirect("grants:signatures", competition.pk)
