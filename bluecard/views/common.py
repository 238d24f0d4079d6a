"""What the Blue Card pages share: the Team of the person, a card or meeting they may see (or 404, logged), and
the way a page without a form calls a service."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from mopr.accesslog import access_log_record

from .. import permissions as perms
from ..models import (
    BlueCard,
    Meeting,
    Team,
)


def current_team(request) -> Team:
    team = perms.team_for(request.user)
    if team is None:
        raise PermissionDenied(_("Moduł jest dostępny tylko dla członków Zespołu Interdyscyplinarnego i grup."))
    return team


def card_for(request, pk: int, *, action: str = "view") -> BlueCard:
    """The card, or 404 if the user may not see it; the read is logged (B11)."""
    card = get_object_or_404(BlueCard.objects.select_related("team"), pk=pk)
    if not perms.can_view_card(request.user, card):
        raise Http404
    access_log_record(request, card, action=action)
    return card


def meeting_for(request, pk: int) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("team"), pk=pk)
    if not perms.can_view_team(request.user, meeting.team):
        raise Http404
    return meeting
