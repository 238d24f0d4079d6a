"""The Team's home page, declarations, the preset, members' appointment, dismissal and history (B1, B11, B13)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from mopr.forms import confirm_page, run_or_message, run_service
from mopr.history import render_history

from .. import forms, selectors, services
from .. import permissions as perms
from ..models import (
    BlueCard,
    ConfidentialityDeclaration,
    Meeting,
    Team,
    TeamMember,
)
from ..procedures import MEMBER_DISMISS
from .common import current_team, form_page


@require_safe
def home(request):
    return _home_page(request)


def _home_page(request, declaration_form=None):
    """The Team's page; ``declare`` shows it again with its refused form."""
    team = current_team(request)
    user = request.user
    member = perms.active_member(user, team)
    if member is None and not perms.is_group_member(user, team):
        if perms.can_see_access_log(user, team):
            return redirect("bluecard:access_log")
        raise PermissionDenied
    declaration = ConfidentialityDeclaration.objects.filter(team=team, user=user).first()
    leader = perms.is_leader(user, team)
    context = {
        "team": team,
        "member": member,
        "declaration": declaration,
        "leader": leader,
        "declaration_form": declaration_form or forms.DeclarationForm(),
        "members": (
            TeamMember.objects.filter(team=team, dismissing_order_date__isnull=True)
            .select_related("user")
            .order_by("role", "user__last_name")
        )
        if member
        else [],
        "declared_ids": set(ConfidentialityDeclaration.objects.filter(team=team).values_list("user_id", flat=True)),
        "meetings": Meeting.objects.filter(team=team).order_by("-date")[:10] if member else [],
        "can_list": perms.can_list_cards(user, team),
        "my_cards": selectors.card_list(team, perms.my_cards(user))[:20] if declaration else [],
    }
    if leader:
        context["b2_warning"] = services.ordinary_meeting_warning(team)
        context["unnotified"] = BlueCard.objects.filter(team=team, notification_sent_at__isnull=True).order_by(
            "received_on"
        )
        context["other_form"] = forms.DeclarationForOtherForm(users=_undeclared_people(team))
        context["preset_form"] = forms.PresetForm(initial={"preset": team.preset})
        context["notification_form"] = forms.NotificationContentForm(initial={"content": team.notification_content})
        context["is_chair"] = perms.is_chair(user, team)
    return render(request, "bluecard/home.html", context)


def _undeclared_people(team: Team):
    User = get_user_model()
    declared = ConfidentialityDeclaration.objects.filter(team=team).values("user_id")
    return (
        User.objects.filter(
            Q(bluecard_memberships__team=team, bluecard_memberships__dismissing_order_date__isnull=True)
            | Q(bluecard_groups__group__card__team=team, bluecard_groups__left_on__isnull=True)
        )
        .exclude(pk__in=declared)
        .distinct()
        .order_by("last_name")
    )


@require_POST
def declare(request):
    team = current_team(request)
    form = forms.DeclarationForm(request.POST)
    if form.is_valid():
        member = perms.active_member(request.user, team)
        if run_service(
            request,
            form,
            lambda: services.declaration_record(
                team=team,
                user=request.user,
                declared_on=form.cleaned_data["declared_on"],
                capacity="member" if member else "group_member",
                acting_user=request.user,
            ),
            _("Zarejestrowano oświadczenie o zachowaniu tajemnicy."),
        ):
            return redirect("bluecard:home")
    return _home_page(request, declaration_form=form)


@require_POST
def declare_other(request):
    team = current_team(request)
    if not perms.can_record_declaration_for_others(request.user, team):
        raise PermissionDenied
    form = forms.DeclarationForOtherForm(request.POST, users=_undeclared_people(team))
    if form.is_valid():
        run_or_message(
            request,
            lambda: services.declaration_record(team=team, acting_user=request.user, **form.cleaned_data),
            _("Zarejestrowano oświadczenie o zachowaniu tajemnicy."),
        )
    else:
        messages.error(request, _("Popraw dane oświadczenia."))
    return redirect("bluecard:home")


@require_POST
def team_preset(request):
    """B13: the chair switches terminology and deadline values between the presets."""
    team = current_team(request)
    if not perms.is_chair(request.user, team):
        raise PermissionDenied
    form = forms.PresetForm(request.POST)
    if form.is_valid():
        run_or_message(
            request,
            lambda: services.team_apply_preset(team, preset=form.cleaned_data["preset"], acting_user=request.user),
            _("Zmieniono ustawienia procedury."),
        )
    return redirect("bluecard:home")


@require_POST
def team_notification_content(request):
    """B7 (004 §23): the chair records what the e-mail about a received card names (the name or a link)."""
    team = current_team(request)
    if not perms.is_chair(request.user, team):
        raise PermissionDenied
    form = forms.NotificationContentForm(request.POST)
    if form.is_valid():
        run_or_message(
            request,
            lambda: services.team_notification_content_set(
                team, content=form.cleaned_data["content"], acting_user=request.user
            ),
            _("Zmieniono treść powiadomień o kartach."),
        )
    return redirect("bluecard:home")


def member_new(request):
    team = current_team(request)
    if not perms.can_manage_team(request.user, team):
        raise PermissionDenied
    return form_page(
        request,
        forms.MemberAppointForm(request.POST or None),
        lambda **data: services.member_appoint(team=team, acting_user=request.user, **data),
        done="bluecard:home",
        success=_("Powołano członka Zespołu."),
        title=_("Powołanie członka Zespołu"),
        submit=_("Zapisz powołanie"),
        back="bluecard:home",
    )


def member_dismiss(request, pk: int):
    """B1 (004 §49), irreversible: the dismissal asks first – what happens, the order, and a reason (the history)."""
    team = current_team(request)
    if not perms.can_manage_team(request.user, team):
        raise PermissionDenied
    member = get_object_or_404(TeamMember.objects.select_related("user"), pk=pk, team=team)
    form = forms.MemberDismissForm(request.POST or None)
    return confirm_page(
        request,
        team,
        MEMBER_DISMISS,
        lambda reason: services.member_dismiss(member, acting_user=request.user, reason=reason, **form.cleaned_data),
        template="bluecard/confirm_page.html",
        context={"lead": str(member)},
        form=form,
        success=_("Odwołano członka Zespołu."),
    )


@require_safe
def member_history(request, pk: int):
    team = current_team(request)
    if not perms.can_manage_team(request.user, team):
        raise PermissionDenied
    member = get_object_or_404(TeamMember.objects.select_related("user"), pk=pk, team=team)
    return render_history(
        request,
        member,
        title=_("członkostwo w Zespole – %(member)s") % {"member": member},
        back_url=reverse("bluecard:home"),
    )
