"""Meeting protocols: members' remarks, the protocol PDF, the final protocol and the chair's signature (B6)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mopr import calendar
from mopr.deadlines import deadline_meet
from mopr.documents import document_render_now, document_request
from mopr.procedures import transition
from units.models import ApprovalFlow

from .. import permissions as perms
from ..models import (
    Meeting,
    ProtocolRemark,
)
from ..procedures import MEETING
from .common import (
    DL_ATTENDANCE,
    MEETING_PROTOCOL_KIND,
    _check_signed_by_leader,
    _declared_ids,
    _last_actor,
    _require,
    _require_taken_place,
    _start_chair_signature,
    _today,
)


def remarks_deadline(meeting: Meeting) -> date:
    """B6 (004 §20): remarks within ``Team.remarks_days`` of the meeting (7 in both presets; K2, K3)."""
    return calendar.deadline_in_days(meeting.date, meeting.team.remarks_days)


@transaction.atomic
def protocol_remark_add(meeting: Meeting, *, text: str, acting_user, today: date | None = None) -> ProtocolRemark:
    """B6 (004 §20): a member's written remark within ``Team.remarks_days`` of the meeting, attached to the
    protocol. B11: the protocol names nobody without a confidentiality declaration, so only declared members add
    remarks."""
    member = perms.active_member(acting_user, meeting.team)
    _require(member is not None)
    # The same test as the protocol's (``_require_taken_place``): by the day when one is given, else by the
    # meeting's date and hour; then the window by the calendar day (K2, K3).
    if not meeting.has_taken_place(today):
        raise ValidationError({"text": _("Uwagi do protokołu składa się po posiedzeniu.")})
    today = _today(today)
    if today > remarks_deadline(meeting) or meeting.protocol_final_at:
        raise ValidationError(
            {
                "text": _("Termin na uwagi do protokołu upłynął %(day)s (B6, 004 §20).")
                % {"day": remarks_deadline(meeting).strftime("%d.%m.%Y")}
            }
        )
    if not perms.has_declaration(acting_user, meeting.team):
        raise ValidationError(
            {
                "text": _(
                    "Uwagi do protokołu składa członek, który złożył oświadczenie o "
                    "zachowaniu tajemnicy (B11, 004 §43-44)."
                )
            }
        )
    if not text.strip():
        raise ValidationError({"text": _("Wpisz treść uwagi.")})
    with transition(meeting, MEETING, "remark", acting_user=acting_user) as locked:
        return ProtocolRemark.objects.create(meeting=locked, member=member, text=text, submitted_on=today)


def _meeting_protocol_context(meeting: Meeting) -> dict:
    """Załącznik nr 1. B11: only declared members and guests who undertook confidentiality are printed."""
    declared = _declared_ids(meeting.team)
    attendance = list(meeting.attendance.select_related("member__user"))
    return {
        "team": meeting.team.name,
        "seat": meeting.team.seat,
        "kind": meeting.get_kind_display(),
        "date": meeting.date.strftime("%d.%m.%Y"),
        "time": meeting.time.strftime("%H:%M"),
        "place": meeting.place,
        "agenda": meeting.agenda,
        "present": [str(a.member) for a in attendance if a.member_id and a.member.user_id in declared],
        "guests": [
            f"{a.guest_name} ({a.guest_affiliation})"
            for a in attendance
            if not a.member_id and a.undertaking_on and a.undertaking_on <= meeting.date
        ],
        "resolutions": [
            {
                "number": r.number,
                "subject": r.subject,
                "kind": r.get_kind_display(),
                "for": r.votes_for,
                "against": r.votes_against,
                "abstain": r.votes_abstain,
                "adopted": r.adopted,
                "by_chair": r.decided_by_chair_vote,
                "note": r.urgent_note,
            }
            for r in meeting.resolutions.all()
        ],
        "remarks": [
            {"who": str(r.member), "on": r.submitted_on.strftime("%d.%m.%Y"), "text": r.text}
            for r in meeting.remarks.select_related("member__user")
            if r.member.user_id in declared
        ],
        "final": bool(meeting.protocol_final_at),
        "remarks_days": meeting.team.remarks_days,
    }


@transaction.atomic
def meeting_protocol_generate(meeting: Meeting, *, acting_user, today: date | None = None):
    """B6 (004 §18-19, Załącznik nr 1): the protocol PDF with the attendance list (a draft for remarks), once the
    meeting has taken place."""
    _require(perms.can_manage_team(acting_user, meeting.team))
    _require_taken_place(meeting, today)
    if not meeting.attendance.filter(member__isnull=False).exists():
        raise ValidationError(_("Najpierw zapisz listę obecności (004 §19)."))
    with transition(meeting, MEETING, "protocol", acting_user=acting_user) as locked:
        deadline_meet(locked, DL_ATTENDANCE)
        return document_request(
            locked,
            kind=MEETING_PROTOCOL_KIND,
            title=_("Protokół z posiedzenia Zespołu"),
            template_name="pdf/bluecard/meeting_protocol.html",
            context=_meeting_protocol_context(locked),
            acting_user=acting_user,
        )


@transaction.atomic
def meeting_protocol_finalise(meeting: Meeting, *, acting_user, today: date | None = None) -> ApprovalFlow:
    """B6 (004 §20): after the remarks window (``remarks_deadline``) the protocol, with the remarks attached, is
    final and goes to the chair's signature through the approval flow."""
    _require(perms.can_manage_team(acting_user, meeting.team))
    today = _today(today)
    if today <= remarks_deadline(meeting):
        raise ValidationError(
            _("Protokół staje się ostateczny po upływie terminu na uwagi (%(day)s) (B6).")
            % {"day": remarks_deadline(meeting).strftime("%d.%m.%Y")}
        )
    if meeting.protocol_final_at:
        raise ValidationError(_("Protokół jest już ostateczny."))
    with transition(meeting, MEETING, "finalise", acting_user=acting_user) as locked:
        locked.protocol_final_at = timezone.now()
        document = document_render_now(
            locked,
            kind=MEETING_PROTOCOL_KIND,
            title=_("Protokół z posiedzenia Zespołu (ostateczny)"),
            template_name="pdf/bluecard/meeting_protocol.html",
            context=_meeting_protocol_context(locked),
            acting_user=acting_user,
        )
        return _start_chair_signature(document, locked.team)


def meeting_protocol_finished(flow: ApprovalFlow) -> None:
    """Approval finisher (B6): the final protocol was signed; or returned, and the meeting goes back to the
    protocol in preparation (the chair may correct it and make it final again)."""
    meeting = flow.document.content_object
    if not MEETING.allows(meeting, "signed"):  # a flow of an earlier, returned protocol
        return
    if flow.status == ApprovalFlow.Status.APPROVED:
        _check_signed_by_leader(flow, meeting.team)
        with transition(meeting, MEETING, "signed", acting_user=_last_actor(flow)) as locked:
            locked.protocol_signed_at = timezone.now()
    else:
        with transition(meeting, MEETING, "returned", acting_user=_last_actor(flow)) as locked:
            locked.protocol_final_at = None
