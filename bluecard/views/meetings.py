"""Meetings of the Team: calling one, its page with attendance, resolutions, remarks and protocol, its
documents and history, and the confirmation link of a notice (B2-B6)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from mopr.documents import documents_for
from mopr.forms import run_or_message, run_service
from mopr.history import render_history
from mopr.models import Document

from .. import forms, services
from .. import permissions as perms
from ..models import (
    Meeting,
    MeetingNotice,
)
from ..procedures import MEETING
from ..services.common import MEETING_PROTOCOL_KIND
from .common import current_team, form_page, meeting_for


def meeting_new(request):
    team = current_team(request)
    if not perms.can_manage_team(request.user, team):
        raise PermissionDenied
    return form_page(
        request,
        forms.MeetingForm(request.POST or None, team=team, initial={"place": team.seat}),
        lambda **data: services.meeting_schedule(team=team, acting_user=request.user, **data),
        done=lambda meeting: redirect("bluecard:meeting", meeting.pk),
        success=_("Zwołano posiedzenie; zawiadomienia wysłano."),
        title=_("Zwołanie posiedzenia Zespołu"),
        submit=_("Zwołaj i wyślij zawiadomienia"),
        back="bluecard:home",
    )


def meeting_detail(request, pk: int):
    meeting = meeting_for(request, pk)
    team = meeting.team
    leader = perms.can_manage_team(request.user, team)
    present_qs = services.members_on(team, meeting.date).select_related("user")
    forms_by_name = {
        "attendance": forms.AttendanceForm(
            queryset=present_qs,
            initial={
                "members": list(meeting.attendance.filter(member__isnull=False).values_list("member_id", flat=True))
            },
        ),
        "guest": forms.GuestForm(),
        "resolution": forms.ResolutionForm(),
        "urgent": forms.UrgentDecisionForm(),
        "remark": forms.RemarkForm(),
    }
    if request.method == "POST":
        action = request.POST.get("action", "")
        step = MEETING.actions.get(action)
        # Who may take the step is the procedure table's; whether the meeting's state allows it, the service's
        # (a replayed form gets a Polish message, not a second record).
        if step is None or step.permission is None or not step.permission(request.user, meeting):
            raise PermissionDenied
        response = _meeting_step(request, meeting, action, forms_by_name, present_qs)
        if response is not None:
            return response
    notices = meeting.notices.select_related("member__user", "letter").order_by("member__user__last_name", "pk")
    return render(
        request,
        "bluecard/meeting.html",
        {
            "meeting": meeting,
            "team": team,
            "leader": leader,
            "forms": forms_by_name,
            "notices": notices,
            "allowed": {a.name for a in MEETING.available(meeting, request.user)},
            "taken_place": meeting.has_taken_place(),
            "attendance": meeting.attendance.select_related("member__user"),
            "resolutions": meeting.resolutions.all(),
            "remarks": meeting.remarks.select_related("member__user"),
            "remarks_deadline": services.remarks_deadline(meeting),
            "documents": documents_for(meeting).filter(kind=MEETING_PROTOCOL_KIND),
            "can_manage": perms.can_manage_team(request.user, team),
            "is_member": perms.active_member(request.user, team) is not None,
            "requesting": meeting.requesting_members.select_related("user"),
        },
    )


@require_POST
def notice_letter_sent(request, pk: int, notice_pk: int):
    """B3 (004 §12): the chair or vice-chair records that the notice by ordinary letter was posted today."""
    meeting = meeting_for(request, pk)
    if not perms.can_manage_team(request.user, meeting.team):
        raise PermissionDenied
    notice = get_object_or_404(MeetingNotice, pk=notice_pk, meeting=meeting)
    run_or_message(
        request,
        lambda: services.meeting_notice_dispatch(notice, dispatched_on=timezone.localdate(), acting_user=request.user),
        _("Zapisano wysłanie zawiadomienia listem."),
    )
    return redirect("bluecard:meeting", meeting.pk)


def _meeting_step(request, meeting: Meeting, action: str, forms_by_name: dict, present_qs):
    """One step of the meeting page (``MEETING`` table): its form bound to the POST, the service called through
    ``run_service``; the redirect on success, None to show the page again with the refusal next to the form (or
    as a message, for the protocol buttons)."""
    user = request.user
    here = redirect("bluecard:meeting", meeting.pk)
    if action == "protocol":
        generated = run_or_message(
            request,
            lambda: services.meeting_protocol_generate(meeting, acting_user=user),
            _("Protokół jest generowany."),
        )
        return here if generated else None
    if action == "finalise":
        flow = run_or_message(
            request,
            lambda: services.meeting_protocol_finalise(meeting, acting_user=user),
            _("Protokół ostateczny przekazano do podpisu Przewodniczącego."),
        )
        if flow is None:
            return None
        step = flow.steps.filter(status="pending").first()
        return redirect("units:approval_step", step.pk) if step else here
    bound = {
        "attendance": lambda: forms.AttendanceForm(request.POST, queryset=present_qs),
        "guest": lambda: forms.GuestForm(request.POST),
        "resolution": lambda: forms.ResolutionForm(request.POST),
        "urgent": lambda: forms.UrgentDecisionForm(request.POST),
        "remark": lambda: forms.RemarkForm(request.POST),
    }
    if action not in bound:
        return None
    form = forms_by_name[action] = bound[action]()
    if not form.is_valid():
        return None
    data = form.cleaned_data
    calls = {
        "attendance": (
            lambda: services.attendance_record(meeting, members=data["members"], acting_user=user),
            _("Zapisano listę obecności."),
        ),
        "guest": (lambda: services.guest_admit(meeting, acting_user=user, **data), _("Dopisano osobę zaproszoną.")),
        "resolution": (lambda: services.resolution_vote(meeting, acting_user=user, **data), ""),
        "urgent": (
            lambda: services.urgent_decision_record(team=meeting.team, meeting=meeting, acting_user=user, **data),
            _("Zapisano decyzję z notatką."),
        ),
        "remark": (
            lambda: services.protocol_remark_add(meeting, text=data["text"], acting_user=user),
            _("Dołączono uwagę do protokołu."),
        ),
    }
    call, success = calls[action]
    result = run_service(request, form, call, success)
    if result is None:
        return None
    if action == "resolution":
        messages.success(request, _("Uchwała podjęta.") if result.adopted else _("Uchwała nie została podjęta."))
    return here


@require_safe
def meeting_document(request, pk: int, doc: int):
    meeting = meeting_for(request, pk)
    document = get_object_or_404(
        Document, pk=doc, object_id=meeting.pk, content_type=ContentType.objects.get_for_model(Meeting)
    )
    if not document.file:
        raise Http404
    return FileResponse(document.file.open("rb"), content_type="application/pdf", filename=f"protokol-{doc}.pdf")


@require_safe
def meeting_history(request, pk: int):
    meeting = meeting_for(request, pk)
    if not perms.can_manage_team(request.user, meeting.team):
        raise Http404
    return render_history(request, meeting, title=str(meeting), back_url=meeting.get_absolute_url())


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
