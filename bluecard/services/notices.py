"""B3 (004 §12-14): the personal notice of a meeting — by e-mail with a confirmation link and by ordinary letter
(a printable notice) — its dispatch by letter and the confirmation of receipt."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mopr.documents import document_request
from mopr.outbox import outbox_enqueue
from mopr.procedures import record_change

from .. import permissions as perms
from ..models import (
    Meeting,
    MeetingNotice,
    TeamMember,
)
from .common import (
    MEETING_NOTICE_KIND,
    _require,
    _site,
    _today,
)


def _send_notice(meeting: Meeting, member: TeamMember | None = None, invitee: dict | None = None) -> MeetingNotice:
    """B3 (004 §12, §14): a personal notice to a member or an invited person, by e-mail (where there is an
    address) and by ordinary letter (a printable notice; its dispatch recorded by ``meeting_notice_dispatch``)."""
    invitee = invitee or {}
    notice = MeetingNotice.objects.create(
        meeting=meeting,
        member=member,
        invitee_name=invitee.get("name", ""),
        invitee_email=invitee.get("email", ""),
        invitee_address=invitee.get("address", ""),
    )
    context = {
        "meeting": meeting,
        "notice": notice,
        "confirm_url": _site(reverse("bluecard:confirm_notice", args=[notice.token])),
    }
    email = member.email if member else notice.invitee_email
    if email:
        outbox_enqueue(
            key=f"bluecard:notice:{notice.pk}",
            to=email,
            user=member.user if member else None,
            subject=_("Zawiadomienie o posiedzeniu Zespołu Interdyscyplinarnego"),
            body_text=render_to_string("bluecard/email/notice.txt", context),
        )
    notice.letter = document_request(
        meeting,
        kind=MEETING_NOTICE_KIND,
        title=_("Zawiadomienie o posiedzeniu – %(who)s") % {"who": notice.addressee},
        template_name="pdf/bluecard/meeting_notice.html",
        context={
            "team": meeting.team.name,
            "seat": meeting.team.seat,
            "addressee": notice.addressee,
            "address": notice.invitee_address,
            "kind": meeting.get_kind_display(),
            "date": meeting.date.strftime("%d.%m.%Y"),
            "time": meeting.time.strftime("%H:%M"),
            "place": meeting.place,
            "agenda": meeting.agenda,
            "confirm_url": context["confirm_url"],
        },
    )
    notice.save(update_fields=["letter"])
    return notice


@transaction.atomic
def meeting_notice_dispatch(notice: MeetingNotice, *, dispatched_on: date, acting_user, today: date | None = None):
    """B3 (004 §12): record that the ordinary letter with the notice was posted (the chair or vice-chair)."""
    _require(perms.can_manage_team(acting_user, notice.meeting.team))
    if dispatched_on > _today(today):
        raise ValidationError({"dispatched_on": _("Data wysłania nie może być z przyszłości.")})
    locked = MeetingNotice.objects.select_for_update().get(pk=notice.pk)
    locked.letter_dispatched_on = dispatched_on
    locked.letter_dispatched_by = acting_user
    record_change(locked, acting_user=acting_user)
    locked.save(update_fields=["letter_dispatched_on", "letter_dispatched_by"])
    return locked


@transaction.atomic
def meeting_notice_confirm(*, token: str, acting_user=None) -> MeetingNotice:
    """B3 (004 §14): the member confirms receipt; the first confirmation time is kept."""
    notice = MeetingNotice.objects.select_for_update().filter(token=token).first()
    if notice is None:
        raise ValidationError(_("Nieprawidłowy odnośnik potwierdzenia."))
    if notice.confirmed_at is None:
        notice.confirmed_at = timezone.now()
        notice.save(update_fields=["confirmed_at"])
    return notice
