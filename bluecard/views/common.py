"""What the Blue Card pages share: the Team of the person, a card or meeting they may see (or 404, logged), and
the page of one form (``form_page``)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from mopr.accesslog import access_log_record
from mopr.forms import run_service

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


SAFE_METHODS = ("GET", "HEAD")


def card_for(request, pk: int, *, action: str = "view", permission=None) -> BlueCard:
    """The card, or 404 if the user may not read it (B7, B11); 403 if the page is a step of the procedure that is
    not theirs: ``permission(user, card)``, by default, for anything but a read, ``can_view_card`` (so a declared
    member reading the card under 004 §51 pkt 2 posts nothing). Only an allowed read is logged (B11); a refusal
    goes to the security log (``sensitive_view``)."""
    card = get_object_or_404(BlueCard.objects.select_related("team"), pk=pk)
    if not perms.can_read_card(request.user, card):
        raise Http404
    if permission is None and request.method not in SAFE_METHODS:
        permission = perms.can_view_card
    if permission is not None and not permission(request.user, card):
        raise PermissionDenied
    access_log_record(request, card, action=action)
    return card


def meeting_for(request, pk: int) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("team"), pk=pk)
    if not perms.can_view_team(request.user, meeting.team):
        raise Http404
    return meeting


def form_page(
    request,
    form,
    service: Callable,
    *,
    done: str | Callable[..., HttpResponse],
    success: str | Callable[..., str] = "",
    **context,
) -> HttpResponse:
    """A page of one form (``bluecard/form_page.html``): GET shows ``form`` with ``context`` (title, submit, lead,
    card, back...); a valid POST runs ``service(**form.cleaned_data)`` through ``mopr.forms.run_service`` and
    redirects to ``done`` (a URL name or path, or ``done(result)`` giving the response) with the Polish ``success``
    message (or ``success(result)``); a refusal is shown next to the form, which keeps what was typed."""
    if request.method == "POST" and form.is_valid():
        result = run_service(request, form, lambda: service(**form.cleaned_data), "" if callable(success) else success)
        if result is not None:
            if callable(success):
                messages.success(request, success(result))
            return done(result) if callable(done) else redirect(done)
    return render(request, "bluecard/form_page.html", {"form": form, **context})
