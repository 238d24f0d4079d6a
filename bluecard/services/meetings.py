"""The Team's meetings: the Team's composition on a day, scheduling (with the agenda's additions and the notices),
the ordinary-meeting rhythm and the closures reported at the nearest meeting (B2, B3, B8, B10). Notices are in
``notices``, the meeting's record (attendance, guests, resolutions, urgent decisions) in ``decisions``, the
protocol and remarks in ``protocols``."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from mopr import calendar
from mopr.deadlines import deadline_open

from .. import permissions as perms
from ..models import (
    BlueCard,
    CardStatus,
    Closure,
    Meeting,
    MeetingKind,
    Requester,
    Team,
    TeamMember,
)
from .common import (
    DL_ATTENDANCE,
    DL_ORDINARY_MEETING,
    _require,
    _today,
    chair_of,
)
from .notices import _send_notice


def members_on(team: Team, day: date):
    return TeamMember.objects.filter(team=team, appointing_order_date__lte=day).filter(
        Q(dismissing_order_date__isnull=True) | Q(dismissing_order_date__gt=day)
    )


def _agenda_additions(team: Team, meeting: Meeting) -> str:
    """B8, B10 (004 §25, §35): cards left to the Team and procedures closed since the last meeting."""
    lines = []
    left = BlueCard.objects.filter(team=team, status=CardStatus.LEFT_TO_TEAM).order_by("year", "number")
    if left:
        lines.append(
            _("Karty pozostawione do rozpatrzenia przez Zespół: %(list)s.")
            % {"list": ", ".join(f"nr {c.signature}" for c in left)}
        )
    closures = list(
        Closure.objects.filter(
            card__team=team,
            status=Closure.Status.SIGNED,
            reported_at_meeting__isnull=True,
            decided_on__lt=meeting.date,
        ).select_related("card")
    )
    if closures:
        lines.append(_closures_line(closures))
        for closure in closures:
            closure.reported_at_meeting = meeting
            closure.save(update_fields=["reported_at_meeting"])
    return "\n".join(lines)


def _closures_line(closures) -> str:
    return _("Informacja o zakończonych procedurach (004 §35): %(list)s.") % {
        "list": ", ".join(f"nr {c.card.signature}" for c in closures)
    }


def closure_attach_to_nearest_meeting(closure: Closure, *, today: date | None = None) -> Meeting | None:
    """B10 (004 §35): a signed closure is reported at the nearest Team meeting held after it, whenever that
    meeting was scheduled: a meeting already scheduled (after the closure's date and not yet held on the day of
    signing) gets it on its agenda now; otherwise the next meeting scheduled picks it up (``_agenda_additions``)."""
    if closure.reported_at_meeting_id:
        return closure.reported_at_meeting
    today = _today(today)
    meeting = (
        Meeting.objects.select_for_update()
        .filter(team=closure.card.team, date__gt=closure.decided_on, date__gte=today)
        .order_by("date", "time")
        .first()
    )
    if meeting is None:
        return None
    meeting.agenda = f"{meeting.agenda}\n{_closures_line([closure])}".strip()
    meeting.save(update_fields=["agenda"])
    closure.reported_at_meeting = meeting
    closure.save(update_fields=["reported_at_meeting"])
    return meeting


def ordinary_meeting_warning(team: Team, today: date | None = None) -> date | None:
    """B2 (004 §10): the date by which the next ordinary meeting must be held, when none is scheduled by then
    after the last ordinary meeting held; None when all is well (or no meeting has been held yet)."""
    today = _today(today)
    last = Meeting.objects.filter(team=team, kind=MeetingKind.ORDINARY, date__lte=today).order_by("-date").first()
    if last is None:
        return None
    limit = calendar.add_months(last.date, team.ordinary_interval_months)
    if Meeting.objects.filter(team=team, kind=MeetingKind.ORDINARY, date__gt=last.date, date__lte=limit).exists():
        return None
    return limit


def _refresh_ordinary_deadline(team: Team) -> None:
    """B2: the chair's deadline to hold the next ordinary meeting, ``Team.ordinary_interval_months`` after the
    latest one."""
    chair = chair_of(team)
    latest = Meeting.objects.filter(team=team, kind=MeetingKind.ORDINARY).order_by("-date").first()
    if chair is None or latest is None:
        return
    deadline_open(
        team,
        kind=DL_ORDINARY_MEETING,
        rule="B2",
        label=_("Posiedzenie zwyczajne Zespołu Interdyscyplinarnego (co najmniej raz na %(n)s mies.)")
        % {"n": team.ordinary_interval_months},
        due=calendar.add_months(latest.date, team.ordinary_interval_months),
        responsible_user=chair.user,
        url=reverse("bluecard:home"),
    )


@transaction.atomic
def meeting_schedule(
    *,
    team: Team,
    kind: str,
    date_: date,
    time,
    place: str,
    agenda: str,
    requested_by: str = "",
    requesting_members=(),
    shortened_notice_reason: str = "",
    invitees=(),
    acting_user,
    today: date | None = None,
) -> Meeting:
    """B2 (004 §10): ordinary meetings at least one month ahead. B3 (004 §11-14): extraordinary on the request
    of the President, the Mayor, the chair or at least three members; notice at least 7 working days ahead
    (K4) unless shortened with a recorded reason. Personal notices go to every member by e-mail with a
    confirmation link."""
    _require(perms.can_manage_team(acting_user, team))
    today = _today(today)
    requesting_members = list(requesting_members)
    invitees = [{k: (i.get(k) or "").strip() for k in ("name", "email", "address")} for i in invitees if i.get("name")]
    errors = {}
    if date_ < today:
        errors["date_"] = _("Posiedzenie nie może być zwołane na dzień, który minął.")
    elif kind == MeetingKind.ORDINARY:
        earliest = calendar.add_months(today, team.ordinary_notice_months)
        if date_ < earliest:
            errors["date_"] = _(
                "Termin posiedzenia zwyczajnego ustala się z wyprzedzeniem co najmniej %(n)s mies. – najwcześniej "
                "%(day)s (B2, 004 §10)."
            ) % {"n": team.ordinary_notice_months, "day": earliest.strftime("%d.%m.%Y")}
    else:
        if requested_by not in Requester.values:
            errors["requested_by"] = _("Wskaż, na czyj wniosek zwołano posiedzenie nadzwyczajne (B3, 004 §11).")
        elif requested_by == Requester.MEMBERS:
            active_ids = set(members_on(team, today).values_list("pk", flat=True))
            if len({m.pk for m in requesting_members if m.pk in active_ids}) < 3:
                errors["requesting_members"] = _(
                    "Wniosek musi złożyć co najmniej trzech członków Zespołu (B3, 004 §11 pkt 4)."
                )
        latest_notice = calendar.working_days_before(date_, team.extraordinary_notice_working_days)
        if today > latest_notice and not shortened_notice_reason.strip():
            errors["shortened_notice_reason"] = _(
                "Zawiadomienie trzeba wysłać co najmniej %(n)s dni roboczych przed posiedzeniem, tj. do "
                "%(day)s. Skrócenie terminu wymaga uzasadnienia (B3, 004 §12-13)."
            ) % {"n": team.extraordinary_notice_working_days, "day": latest_notice.strftime("%d.%m.%Y")}
    if errors:
        raise ValidationError(errors)
    meeting = Meeting.objects.create(
        team=team,
        kind=kind,
        date=date_,
        time=time,
        place=place,
        agenda=agenda,
        scheduled_on=today,
        requested_by=requested_by if kind == MeetingKind.EXTRAORDINARY else "",
        shortened_notice_reason=shortened_notice_reason if kind == MeetingKind.EXTRAORDINARY else "",
        created_by=acting_user,
    )
    if kind == MeetingKind.EXTRAORDINARY and requesting_members:
        meeting.requesting_members.set(requesting_members)
    additions = _agenda_additions(team, meeting)
    if additions:
        meeting.agenda = f"{meeting.agenda}\n{additions}".strip()
        meeting.save(update_fields=["agenda"])
    meeting.refresh_from_db(fields=["date", "time"])  # as stored (a caller may have given strings)
    for member in members_on(team, today).filter(dismissing_order_date__isnull=True).select_related("user"):
        _send_notice(meeting, member)
    for invitee in invitees:
        _send_notice(meeting, invitee=invitee)
    if kind == MeetingKind.ORDINARY:
        _refresh_ordinary_deadline(team)
    deadline_open(
        meeting,
        kind=DL_ATTENDANCE,
        rule="B6",
        label=_("Lista obecności i protokół posiedzenia Zespołu"),
        due=date_,
        responsible_user=acting_user,
    )
    return meeting
