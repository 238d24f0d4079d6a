"""Pages of the Team and the Blue Card procedure. Every view checks permission on the server; a card the
user may not see is a 404; every read of a card (page, scan, PDF, history) is written to the access log.
Page titles and URLs carry no card data (ids only)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mopr.accesslog import access_log_for, access_log_record
from mopr.documents import documents_for
from mopr.forms import apply_service_errors
from mopr.history import history_entries
from mopr.models import AccessLog, Document

from . import forms, selectors, services
from . import permissions as perms
from .models import (
    AnnualReport,
    BlueCard,
    BreachReport,
    CardStatus,
    ConfidentialityDeclaration,
    HelpAction,
    Meeting,
    MeetingNotice,
    Team,
    TeamMember,
    WorkingGroup,
    WorkingGroupMember,
)
from .procedures import CARD, MEETING, SUBTEAM_ACTIONS

CARDS_PER_PAGE = 50
YEARS = (2000, 2100)


def _team(request) -> Team:
    team = perms.team_for(request.user)
    if team is None:
        raise PermissionDenied(_("Moduł jest dostępny tylko dla członków Zespołu Interdyscyplinarnego i grup."))
    return team


_DECISION_OF = {action: decision for decision, action in SUBTEAM_ACTIONS.items()}


def _card_buttons(card: BlueCard, user) -> tuple[list[dict], set[str]]:
    """The card page's buttons, drawn from the procedure table (``CARD.available``), and the names of every
    action the person may take now (for the forms on the page)."""
    available = CARD.available(card, user)
    buttons, by_url = [], {}
    for action in available:
        if not action.url_name:
            continue
        if action.url_name in by_url:  # the subteam's decisions share one form: one button
            by_url[action.url_name].update(label=_("Decyzja podzespołu"), url=reverse(action.url_name, args=[card.pk]))
            continue
        url = reverse(action.url_name, args=[card.pk])
        if action.name in _DECISION_OF:
            url += f"?decyzja={_DECISION_OF[action.name]}"
        button = {"name": action.name, "label": action.label, "url": url, "post": action.confirm}
        by_url[action.url_name] = button
        buttons.append(button)
    return buttons, {action.name for action in available}


def _card_for(request, pk: int, *, action: str = "view") -> BlueCard:
    """The card, or 404 if the user may not see it; the read is logged (B11)."""
    card = get_object_or_404(BlueCard.objects.select_related("team"), pk=pk)
    if not perms.can_view_card(request.user, card):
        raise Http404
    access_log_record(request, card, action=action)
    return card


# --- Team ---------------------------------------------------------------------------------------------


def home(request, declaration_form=None):
    team = _team(request)
    user = request.user
    member = perms.active_member(user, team)
    if member is None and not perms.is_group_member(user, team):
        if perms.can_see_access_log(user, team):
            return redirect("bluecard:access_log")
        raise PermissionDenied
    declaration = ConfidentialityDeclaration.objects.filter(team=team, user=user).first()
    leader = perms.is_leader(user, team)
    context = {
        "team": team, "member": member, "declaration": declaration, "leader": leader,
        "declaration_form": declaration_form or forms.DeclarationForm(),
        "members": (TeamMember.objects.filter(team=team, dismissing_order_date__isnull=True)
                    .select_related("user").order_by("role", "user__last_name")) if member else [],
        "declared_ids": set(ConfidentialityDeclaration.objects.filter(team=team).values_list("user_id", flat=True)),
        "meetings": Meeting.objects.filter(team=team).order_by("-date")[:10] if member else [],
        "can_list": perms.can_list_cards(user, team),
        "my_cards": selectors.card_list(team, perms.my_cards(user))[:20] if declaration else [],
    }
    if leader:
        context["b2_warning"] = services.ordinary_meeting_warning(team)
        context["unnotified"] = BlueCard.objects.filter(team=team, notification_sent_at__isnull=True).order_by(
            "received_on")
        context["other_form"] = forms.DeclarationForOtherForm(users=_undeclared_people(team))
        context["preset_form"] = forms.PresetForm(initial={"preset": team.preset})
        context["is_chair"] = perms.is_chair(user, team)
    return render(request, "bluecard/home.html", context)


def _undeclared_people(team: Team):
    User = get_user_model()
    declared = ConfidentialityDeclaration.objects.filter(team=team).values("user_id")
    return User.objects.filter(
        Q(bluecard_memberships__team=team, bluecard_memberships__dismissing_order_date__isnull=True)
        | Q(bluecard_groups__group__card__team=team, bluecard_groups__left_on__isnull=True)
    ).exclude(pk__in=declared).distinct().order_by("last_name")


@require_POST
def declare(request):
    team = _team(request)
    form = forms.DeclarationForm(request.POST)
    if form.is_valid():
        member = perms.active_member(request.user, team)
        try:
            services.declaration_record(team=team, user=request.user, declared_on=form.cleaned_data["declared_on"],
                                        capacity="member" if member else "group_member", acting_user=request.user)
            messages.success(request, _("Zarejestrowano oświadczenie o zachowaniu tajemnicy."))
            return redirect("bluecard:home")
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return home(request, declaration_form=form)


@require_POST
def declare_other(request):
    team = _team(request)
    if not perms.can_record_declaration_for_others(request.user, team):
        raise PermissionDenied
    form = forms.DeclarationForOtherForm(request.POST, users=_undeclared_people(team))
    if form.is_valid():
        try:
            services.declaration_record(team=team, acting_user=request.user, **form.cleaned_data)
            messages.success(request, _("Zarejestrowano oświadczenie o zachowaniu tajemnicy."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Popraw dane oświadczenia."))
    return redirect("bluecard:home")


@require_POST
def team_preset(request):
    """B13: the chair switches terminology and deadline values between the presets."""
    team = _team(request)
    if not perms.is_chair(request.user, team):
        raise PermissionDenied
    form = forms.PresetForm(request.POST)
    if form.is_valid():
        services.team_apply_preset(team, preset=form.cleaned_data["preset"], acting_user=request.user)
        messages.success(request, _("Zmieniono ustawienia procedury."))
    return redirect("bluecard:home")


def member_new(request):
    team = _team(request)
    if not perms.can_manage_team(request.user, team):
        raise PermissionDenied
    form = forms.MemberAppointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_appoint(team=team, acting_user=request.user, **form.cleaned_data)
            messages.success(request, _("Powołano członka Zespołu."))
            return redirect("bluecard:home")
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "bluecard/form_page.html", {
        "form": form, "title": _("Powołanie członka Zespołu"), "submit": _("Zapisz powołanie"),
        "back": "bluecard:home"})


def member_dismiss(request, pk: int):
    team = _team(request)
    if not perms.can_manage_team(request.user, team):
        raise PermissionDenied
    member = get_object_or_404(TeamMember.objects.select_related("user"), pk=pk, team=team)
    form = forms.MemberDismissForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_dismiss(member, acting_user=request.user, **form.cleaned_data)
            messages.success(request, _("Odwołano członka Zespołu."))
            return redirect("bluecard:home")
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "bluecard/form_page.html", {
        "form": form, "title": _("Odwołanie członka Zespołu"), "lead": str(member), "submit": _("Zapisz odwołanie"),
        "back": "bluecard:home"})


def member_history(request, pk: int):
    team = _team(request)
    if not perms.can_manage_team(request.user, team):
        raise PermissionDenied
    member = get_object_or_404(TeamMember, pk=pk, team=team)
    return render(request, "bluecard/history.html", {
        "title": _("Historia członkostwa w Zespole"), "entries": history_entries(member),
        "back_url": reverse("bluecard:home")})


# --- meetings -----------------------------------------------------------------------------------------


def meeting_new(request):
    team = _team(request)
    if not perms.can_manage_team(request.user, team):
        raise PermissionDenied
    form = forms.MeetingForm(request.POST or None, team=team, initial={"place": team.seat})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_schedule(team=team, acting_user=request.user, **form.cleaned_data)
            messages.success(request, _("Zwołano posiedzenie; zawiadomienia wysłano."))
            return redirect("bluecard:meeting", meeting.pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "bluecard/form_page.html", {
        "form": form, "title": _("Zwołanie posiedzenia Zespołu"), "submit": _("Zwołaj i wyślij zawiadomienia"),
        "back": "bluecard:home"})


def _meeting_for(request, pk: int) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("team"), pk=pk)
    if not perms.can_view_team(request.user, meeting.team):
        raise Http404
    return meeting


def meeting_detail(request, pk: int):
    meeting = _meeting_for(request, pk)
    team = meeting.team
    leader = perms.can_manage_team(request.user, team)
    present_qs = services.members_on(team, meeting.date).select_related("user")
    forms_by_name = {
        "attendance": forms.AttendanceForm(queryset=present_qs, initial={
            "members": list(meeting.attendance.filter(member__isnull=False).values_list("member_id", flat=True))}),
        "guest": forms.GuestForm(), "resolution": forms.ResolutionForm(), "urgent": forms.UrgentDecisionForm(),
        "remark": forms.RemarkForm(),
    }
    if request.method == "POST":
        action = request.POST.get("action", "")
        step = MEETING.actions.get(action)
        # Who may take the step is the procedure table's; whether the meeting's state allows it, the service's
        # (a replayed form gets a Polish message, not a second record).
        if step is None or step.permission is None or not step.permission(request.user, meeting):
            raise PermissionDenied
        try:
            if action == "attendance":
                form = forms_by_name["attendance"] = forms.AttendanceForm(request.POST, queryset=present_qs)
                if form.is_valid():
                    services.attendance_record(meeting, members=form.cleaned_data["members"], acting_user=request.user)
                    messages.success(request, _("Zapisano listę obecności."))
                    return redirect("bluecard:meeting", meeting.pk)
            elif action == "guest":
                form = forms_by_name["guest"] = forms.GuestForm(request.POST)
                if form.is_valid():
                    services.guest_admit(meeting, acting_user=request.user, **form.cleaned_data)
                    messages.success(request, _("Dopisano osobę zaproszoną."))
                    return redirect("bluecard:meeting", meeting.pk)
            elif action == "resolution":
                form = forms_by_name["resolution"] = forms.ResolutionForm(request.POST)
                if form.is_valid():
                    resolution = services.resolution_vote(meeting, acting_user=request.user, **form.cleaned_data)
                    messages.success(request, _("Uchwała podjęta.") if resolution.adopted
                                     else _("Uchwała nie została podjęta."))
                    return redirect("bluecard:meeting", meeting.pk)
            elif action == "urgent":
                form = forms_by_name["urgent"] = forms.UrgentDecisionForm(request.POST)
                if form.is_valid():
                    services.urgent_decision_record(team=team, meeting=meeting, acting_user=request.user,
                                                    **form.cleaned_data)
                    messages.success(request, _("Zapisano decyzję z notatką."))
                    return redirect("bluecard:meeting", meeting.pk)
            elif action == "remark":
                form = forms_by_name["remark"] = forms.RemarkForm(request.POST)
                if form.is_valid():
                    services.protocol_remark_add(meeting, text=form.cleaned_data["text"], acting_user=request.user)
                    messages.success(request, _("Dołączono uwagę do protokołu."))
                    return redirect("bluecard:meeting", meeting.pk)
            elif action == "protocol":
                services.meeting_protocol_generate(meeting, acting_user=request.user)
                messages.success(request, _("Protokół jest generowany."))
                return redirect("bluecard:meeting", meeting.pk)
            elif action == "finalise":
                flow = services.meeting_protocol_finalise(meeting, acting_user=request.user)
                messages.success(request, _("Protokół ostateczny przekazano do podpisu Przewodniczącego."))
                step = flow.steps.filter(status="pending").first()
                return redirect("units:approval_step", step.pk) if step else redirect("bluecard:meeting", meeting.pk)
        except ValidationError as exc:
            target = forms_by_name.get(action)
            if target is not None and target.is_bound:
                apply_service_errors(target, exc)
            else:
                for message in exc.messages:
                    messages.error(request, message)
    notices = meeting.notices.select_related("member__user").order_by("member__user__last_name")
    return render(request, "bluecard/meeting.html", {
        "meeting": meeting, "team": team, "leader": leader, "forms": forms_by_name, "notices": notices,
        "allowed": {a.name for a in MEETING.available(meeting, request.user)},
        "taken_place": meeting.has_taken_place(),
        "attendance": meeting.attendance.select_related("member__user"),
        "resolutions": meeting.resolutions.all(), "remarks": meeting.remarks.select_related("member__user"),
        "remarks_deadline": services.remarks_deadline(meeting), "documents": documents_for(meeting),
        "is_member": perms.active_member(request.user, team) is not None,
        "requesting": meeting.requesting_members.select_related("user"),
    })


def meeting_document(request, pk: int, doc: int):
    meeting = _meeting_for(request, pk)
    document = get_object_or_404(Document, pk=doc, object_id=meeting.pk,
                                 content_type=ContentType.objects.get_for_model(Meeting))
    if not document.file:
        raise Http404
    return FileResponse(document.file.open("rb"), content_type="application/pdf", filename=f"protokol-{doc}.pdf")


def meeting_history(request, pk: int):
    meeting = _meeting_for(request, pk)
    if not perms.can_manage_team(request.user, meeting.team):
        raise Http404
    return render(request, "bluecard/history.html", {
        "title": _("Historia posiedzenia"), "entries": history_entries(meeting),
        "back_url": meeting.get_absolute_url()})


@login_not_required
def confirm_notice(request, token: str):
    """B3 (004 §14): the confirmation link from the e-mail. GET shows a button (link scanners do not confirm);
    POST records the time. The page shows no meeting data."""
    notice = MeetingNotice.objects.filter(token=token).first()
    if notice is None:
        raise Http404
    if request.method == "POST":
        services.meeting_notice_confirm(token=token)
        notice.refresh_from_db()
    return render(request, "bluecard/confirm_notice.html", {"notice": notice})


# --- cards --------------------------------------------------------------------------------------------


def card_list(request):
    team = _team(request)
    if not perms.can_list_cards(request.user, team):
        raise PermissionDenied(_("Listę kart widzą członkowie Zespołu po złożeniu oświadczenia o zachowaniu "
                                 "tajemnicy (B11)."))
    cards = selectors.card_list(team, perms.visible_cards(request.user))
    status = request.GET.get("stan", "")
    if status in CardStatus.values:
        cards = cards.filter(status=status)
    page = Paginator(cards, CARDS_PER_PAGE).get_page(request.GET.get("page"))
    viewable = set(perms.my_cards(request.user, BlueCard.objects.filter(pk__in=[c.pk for c in page.object_list]))
                   .values_list("pk", flat=True))
    return render(request, "bluecard/card_list.html", {
        "team": team, "page_obj": page, "cards": page.object_list, "viewable": viewable, "status": status,
        "statuses": CardStatus.choices, "querystring": f"stan={status}" if status else "",
        "can_register": perms.can_register_card(request.user, team),
    })


def card_new(request):
    team = _team(request)
    if not perms.can_register_card(request.user, team):
        raise PermissionDenied
    form = forms.CardForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            card = services.bluecard_register(team=team, acting_user=request.user, **form.cleaned_data)
            messages.success(request, _("Zarejestrowano kartę nr %(n)s.") % {"n": card.signature})
            return redirect("bluecard:card", card.pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "bluecard/form_page.html", {
        "form": form, "title": _("Rejestracja formularza Niebieska Karta"), "submit": _("Zarejestruj"),
        "lead": _("Rejestrujesz: %(form)s. Numer kolejny nada system; Przewodniczący powiadamia członków w ciągu "
                  "%(n)s dni (004 §23).") % {"form": team.terms["intake_form"], "n": team.notification_days},
        "multipart": True, "back": "bluecard:cards"})


def card_detail(request, pk: int):
    card = _card_for(request, pk)
    group = WorkingGroup.objects.filter(card=card).select_related("coordinator__user").first()
    buttons, allowed = _card_buttons(card, request.user)
    return render(request, "bluecard/card_detail.html", {
        "buttons": buttons, "allowed": allowed,
        "card": card, "team": card.team, "group": group,
        "group_members": group.members.select_related("user").order_by("left_on", "joined_on") if group else [],
        "group_meetings": group.meetings.prefetch_related("attendees__user") if group else [],
        "decisions": card.subteam_decisions.prefetch_related("members__user").select_related("recorded_by"),
        "actions": card.help_actions.all(), "closures": card.closures.select_related("document"),
        "documents": documents_for(card), "notification_due": services.notification_due(card),
        "can_manage": perms.can_manage_card(request.user, card),
        "can_work": perms.can_work_in_group(request.user, card),
        "help_form": forms.HelpActionForm(), "terms": card.team.terms,
    })


def card_scan(request, pk: int):
    card = _card_for(request, pk, action="scan")
    if not card.scan:
        raise Http404
    return FileResponse(card.scan.open("rb"), content_type="application/pdf", filename=f"karta-{card.pk}.pdf")


def card_document(request, pk: int, doc: int):
    card = _card_for(request, pk, action="pdf")
    document = get_object_or_404(Document, pk=doc, object_id=card.pk,
                                 content_type=ContentType.objects.get_for_model(BlueCard))
    if not document.file:
        raise Http404
    return FileResponse(document.file.open("rb"), content_type="application/pdf", filename=f"dokument-{doc}.pdf")


def card_history(request, pk: int):
    card = _card_for(request, pk, action="history")
    entries = history_entries(card)
    related = [*card.closures.all(), *card.subteam_decisions.all(), *card.help_actions.all()]
    group = WorkingGroup.objects.filter(card=card).first()
    if group:
        related += [group, *group.members.all(), *group.meetings.all()]
    for record in related:
        entries += history_entries(record)
    entries.sort(key=lambda e: e.when, reverse=True)
    return render(request, "bluecard/history.html", {
        "title": _("Historia karty"), "entries": entries, "back_url": card.get_absolute_url()})


@require_POST
def card_notify(request, pk: int):
    card = _card_for(request, pk, action="notify")
    try:
        services.bluecard_notify_members(card, acting_user=request.user)
        messages.success(request, _("Powiadomiono członków Zespołu."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("bluecard:card", card.pk)


def card_subteam(request, pk: int):
    card = _card_for(request, pk)
    if not perms.can_manage_card(request.user, card):
        raise PermissionDenied
    counts = services.open_card_counts(card.team)
    decision = request.GET.get("decyzja", "")
    form = forms.SubteamForm(request.POST or None, team=card.team, counts=counts,
                             initial={"decision": decision} if decision in SUBTEAM_ACTIONS else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.subteam_decide(card, acting_user=request.user, **form.cleaned_data)
            messages.success(request, _("Zapisano decyzję podzespołu."))
            return redirect("bluecard:card", card.pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "bluecard/form_page.html", {
        "form": form, "title": _("Decyzja podzespołu"), "submit": _("Zapisz decyzję"), "card": card,
        "back_url": card.get_absolute_url(), "counts_note": True})


def card_group(request, pk: int):
    card = _card_for(request, pk)
    if not perms.can_work_in_group(request.user, card):
        raise PermissionDenied
    group = get_object_or_404(WorkingGroup.objects.select_related("coordinator__user"), card=card)
    form = forms.GroupMemberForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("action") == "remove":
            member_pk = request.POST.get("member", "")
            if not (member_pk.isascii() and member_pk.isdigit() and len(member_pk) < 19):
                raise Http404
            member = get_object_or_404(WorkingGroupMember, pk=int(member_pk), group=group)
            try:
                services.group_member_remove(member, left_on=timezone.localdate(), acting_user=request.user)
                messages.success(request, _("Osoba opuściła grupę; jej dostęp do karty odebrano."))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            return redirect("bluecard:group", card.pk)
        if form.is_valid():
            try:
                services.group_member_add(group, acting_user=request.user, **form.cleaned_data)
                messages.success(request, _("Dodano osobę do grupy."))
                return redirect("bluecard:group", card.pk)
            except ValidationError as exc:
                apply_service_errors(form, exc)
    declared = set(ConfidentialityDeclaration.objects.filter(team=card.team).values_list("user_id", flat=True))
    return render(request, "bluecard/group.html", {
        "card": card, "group": group, "form": form, "declared": declared, "terms": card.team.terms,
        "members": group.members.select_related("user").order_by("left_on", "joined_on"),
    })


def group_meeting_new(request, pk: int):
    card = _card_for(request, pk)
    if not perms.can_work_in_group(request.user, card):
        raise PermissionDenied
    group = get_object_or_404(WorkingGroup, card=card)
    form = forms.GroupMeetingForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        try:
            services.group_meeting_record(group, acting_user=request.user, **form.cleaned_data)
            messages.success(request, _("Zapisano spotkanie; protokół przekazano Przewodniczącemu."))
            return redirect("bluecard:card", card.pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "bluecard/form_page.html", {
        "form": form, "title": _("Spotkanie grupy"), "submit": _("Zapisz spotkanie i protokół"), "card": card,
        "back_url": card.get_absolute_url()})


@require_POST
def help_action_add(request, pk: int):
    card = _card_for(request, pk, action="change")
    if not perms.can_work_in_group(request.user, card):
        raise PermissionDenied
    form = forms.HelpActionForm(request.POST)
    if form.is_valid():
        try:
            services.help_action_add(card, acting_user=request.user, **form.cleaned_data)
            messages.success(request, _("Dodano działanie do planu pomocy."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Uzupełnij opis działania i osobę odpowiedzialną."))
    return redirect("bluecard:card", card.pk)


@require_POST
def help_action_done(request, pk: int, action_pk: int):
    card = _card_for(request, pk, action="change")
    action = get_object_or_404(HelpAction, pk=action_pk, card=card)
    try:
        services.help_action_complete(action, done_on=timezone.localdate(), acting_user=request.user)
        messages.success(request, _("Oznaczono działanie jako wykonane."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("bluecard:card", card.pk)


def card_closure(request, pk: int):
    card = _card_for(request, pk)
    if not perms.can_work_in_group(request.user, card):
        raise PermissionDenied
    form = forms.ClosureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            closure = services.closure_propose(card, acting_user=request.user, **form.cleaned_data)
            messages.success(request, _("Protokół zakończenia przekazano do podpisu Przewodniczącego."))
            step = closure.document.approval_flows.get().steps.filter(status="pending").first()
            if step and step.assignee_id == request.user.pk:
                return redirect("units:approval_step", step.pk)
            return redirect("bluecard:card", card.pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "bluecard/form_page.html", {
        "form": form, "title": _("Zakończenie procedury"), "submit": _("Sporządź protokół i przekaż do podpisu"),
        "card": card, "back_url": card.get_absolute_url()})


# --- statistics, breaches, access log ----------------------------------------------------------------


def statistics(request):
    team = _team(request)
    if not perms.can_see_statistics(request.user, team):
        raise PermissionDenied
    today = timezone.localdate()
    try:
        year = int(request.GET.get("rok", today.year))
    except ValueError:
        year = today.year
    if not YEARS[0] <= year <= YEARS[1]:  # the years a report may cover (forms.ReportForm)
        year = today.year
    form = forms.ReportForm(request.POST or None, initial={"year": today.year - 1})
    if request.method == "POST" and form.is_valid():
        try:
            services.annual_report_generate(team, year=form.cleaned_data["year"], acting_user=request.user)
            messages.success(request, _("Sprawozdanie jest generowane."))
            return redirect("bluecard:statistics")
        except ValidationError as exc:
            apply_service_errors(form, exc)
    reports = AnnualReport.objects.filter(team=team).order_by("-year")
    report_docs = {}
    for report in reports:
        docs = documents_for(report)
        report_docs[report.pk] = docs.first()
    return render(request, "bluecard/statistics.html", {
        "team": team, "stats": selectors.statistics(team, year), "year": year, "form": form,
        "reports": [(r, report_docs[r.pk]) for r in reports], "report_due": services.annual_report_due(year),
    })


def report_document(request, pk: int):
    report = get_object_or_404(AnnualReport, pk=pk)
    if not perms.can_see_statistics(request.user, report.team):
        raise Http404
    document = documents_for(report).first()
    if document is None or not document.file:
        raise Http404
    return FileResponse(document.file.open("rb"), content_type="application/pdf",
                        filename=f"sprawozdanie-{report.year}.pdf")


def breach_new(request):
    team = _team(request)
    if not perms.can_report_breach(request.user, team):
        raise PermissionDenied
    form = forms.BreachForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.breach_report(team=team, acting_user=request.user, **form.cleaned_data)
            messages.success(request, _("Zgłoszenie przekazano Przewodniczącemu i Zastępcy Przewodniczącego."))
            return redirect("bluecard:home")
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "bluecard/form_page.html", {
        "form": form, "title": _("Zgłoszenie naruszenia ochrony danych"), "submit": _("Zgłoś naruszenie"),
        "lead": _("Zgłoszenie trafia niezwłocznie do Przewodniczącego i Zastępcy Przewodniczącego (004 §47)."),
        "back": "bluecard:home"})


def breaches(request):
    team = _team(request)
    if not perms.can_see_breaches(request.user, team):
        raise PermissionDenied
    return render(request, "bluecard/breaches.html", {
        "team": team, "reports": BreachReport.objects.filter(team=team).select_related("reported_by")})


def access_log(request):
    """Who read which card, when (B11): for the chair, the vice-chair and the IOD."""
    team = _team(request)
    if not perms.can_see_access_log(request.user, team):
        raise PermissionDenied
    card_ids = BlueCard.objects.filter(team=team).values("pk")
    entries = (AccessLog.objects.filter(content_type=ContentType.objects.get_for_model(BlueCard),
                                        object_id__in=card_ids).select_related("user").order_by("-at"))
    card_filter = request.GET.get("karta", "").strip()
    card = None
    if card_filter.isascii() and card_filter.isdigit() and len(card_filter) < 19:
        card = BlueCard.objects.filter(team=team, pk=int(card_filter)).first()
        if card is not None:
            entries = access_log_for(card).order_by("-at")
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    numbers = dict((c.pk, c.signature) for c in BlueCard.objects.filter(
        pk__in=[e.object_id for e in page.object_list]).only("pk", "number", "year"))
    return render(request, "bluecard/access_log.html", {
        "team": team, "page_obj": page, "entries": page.object_list, "numbers": numbers, "card": card,
        "card_filter": card_filter, "querystring": f"karta={card_filter}" if card_filter else "",
    })

