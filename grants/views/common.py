"""What the grants pages share: fetching a record the user may see (404 otherwise), the procedure's buttons,
and a button's call of a service."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from mopr.forms import run_or_message

from .. import permissions
from ..models import (
    Competition,
    Offer,
)


def _competition_for(request, pk: int) -> Competition:
    competition = get_object_or_404(Competition.objects.select_related("unit__institution"), pk=pk)
    if not permissions.can_view_competition(request.user, competition):
        raise Http404
    return competition


def _offer_for(request, pk: int) -> Offer:
    """An offer the user may see: G7 first (a committee member without a declaration of no conflict sees no
    offer, whatever their unit role), then the chart."""
    offer = get_object_or_404(Offer.objects.select_related("competition__unit__institution", "offeror"), pk=pk)
    if not permissions.can_view_offers(request.user, offer.competition):
        raise Http404
    return offer


def _require_offers(request, competition: Competition) -> None:
    """Pages listing the competition's offers (list, results, opinion, decision): G7 first."""
    if not permissions.can_view_offers(request.user, competition):
        raise PermissionDenied(
            _(
                "Oferty są dostępne dla członka komisji dopiero po złożeniu oświadczenia o braku "
                "konfliktu interesów (G7)."
            )
        )


def _buttons(procedure, obj, user, *, skip=()):
    """The procedure's actions this user may take now (one table for services, views and tests): links to
    form pages and POST buttons (actions marked ``confirm``)."""
    links, posts = [], []
    for action in procedure.available(obj, user):
        if action.name in skip or not action.url_name:
            continue
        (posts if action.confirm else links).append(action)
    return links, posts


def _managed_competition(request, pk: int) -> Competition:
    competition = _competition_for(request, pk)
    if not permissions.can_manage_competition(request.user, competition):
        raise PermissionDenied
    return competition


def _simple_post(request, pk, action, success):
    competition = _managed_competition(request, pk)
    run_or_message(request, lambda: action(competition), success)
    return redirect(competition)
