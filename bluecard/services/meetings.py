"""The Team's meetings: schedule, notices, attendance, guests, resolutions, remarks and the protocol (B2-B6)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mopr import calendar
from mopr.deadlines import deadline_open
from mopr.documents import document_request
from mopr.outbox import outbox_enqueue
from mopr.procedures import record_change, transition

from .. import permissions as perms
from ..models import (
    Attendance,
    BlueCard,
    CardStatus,
    ChairVote,
    Closure,
    Meeting,
    MeetingKind,
    MeetingNotice,
    Requester,
    Resolution,
    Team,
    TeamMember,
)
from ..procedures import MEETING
from .common import (
    DL_ATTENDANCE,
    DL_ORDINARY_MEETING,
    MEETING_NOTICE_KIND,
    _create_once,
    _declared_ids,
    _require,
    _require_taken_place,
    _site,
    _today,
    chair_of,
)


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


@transaction.atomic
def attendance_record(meeting: Meeting, *, members, acting_user, today: date | None = None) -> list[Attendance]:
    """004 §19: the attendance list of members present (replaces the previous list of members), recorded once
    the meeting has begun; B11 (004 §43-44): only members whose confidentiality declaration is recorded attend,
    because the Team's meetings discuss the cards (004 §25, §35)."""
    _require(perms.can_manage_team(acting_user, meeting.team))
    if meeting.protocol_final_at:
        raise ValidationError(_("Protokół jest ostateczny – listy obecności nie można zmienić (B6)."))
    _require_taken_place(meeting, today, "members")
    allowed = set(members_on(meeting.team, meeting.date).values_list("pk", flat=True))
    chosen = {m.pk: m for m in members}
    if set(chosen) - allowed:
        raise ValidationError(_("Na liście obecności mogą być tylko członkowie Zespołu w dniu posiedzenia."))
    declared = _declared_ids(meeting.team)
    undeclared = [m for m in chosen.values() if m.user_id not in declared]
    if undeclared:
        names = ", ".join(str(m) for m in undeclared)
        raise ValidationError(
            {
                "members": _(
                    "Bez oświadczenia o zachowaniu tajemnicy nie można uczestniczyć w posiedzeniu, na którym omawia "
                    "się sprawy Niebieskich Kart: %(names)s (B11, 004 §43-44)."
                )
                % {"names": names}
            }
        )
    with transition(meeting, MEETING, "attendance", acting_user=acting_user) as locked:
        for row in locked.attendance.filter(member__isnull=False).exclude(member_id__in=chosen.keys()):
            row.delete()
        existing = set(locked.attendance.filter(member__isnull=False).values_list("member_id", flat=True))
        for pk, member in chosen.items():
            if pk not in existing:
                Attendance.objects.create(meeting=locked, member=member)
    return list(meeting.attendance.all())


@transaction.atomic
def guest_admit(
    meeting: Meeting,
    *,
    name: str,
    affiliation: str,
    undertaking_on: date | None,
    acting_user,
    today: date | None = None,
) -> Attendance:
    """B4 (004 §15): an invited guest, without a vote, only after undertaking confidentiality (B11: before the
    meeting, at the latest on its day); recorded once the meeting has begun."""
    _require(perms.can_manage_team(acting_user, meeting.team))
    if not name.strip():
        raise ValidationError({"name": _("Podaj imię i nazwisko osoby zaproszonej.")})
    if undertaking_on is None:
        raise ValidationError(
            {
                "undertaking_on": _(
                    "Osoba zaproszona może uczestniczyć w posiedzeniu tylko po "
                    "zobowiązaniu się do zachowania tajemnicy (B4, 004 §15)."
                )
            }
        )
    if undertaking_on > meeting.date:
        raise ValidationError(
            {
                "undertaking_on": _(
                    "Zobowiązanie do zachowania tajemnicy poprzedza udział w "
                    "posiedzeniu – najpóźniej w dniu posiedzenia (B4, B11)."
                )
            }
        )
    _require_taken_place(meeting, today, "name")
    with transition(meeting, MEETING, "guest", acting_user=acting_user) as locked:
        return Attendance.objects.create(
            meeting=locked, guest_name=name, guest_affiliation=affiliation, undertaking_on=undertaking_on
        )


def vote_outcome(
    *, members_total: int, members_present: int, votes_for: int, votes_against: int, chair_vote: str = ""
) -> tuple[bool, bool]:
    """B5 (004 §17): (adopted, decided by the chair's vote). Quorum: at least half of the members present;
    simple majority of votes cast for over against; on a tie the chair's vote decides."""
    if members_present * 2 < members_total:
        raise ValidationError(
            _(
                "Brak quorum: obecnych %(p)s z %(t)s członków, a uchwała wymaga obecności co "
                "najmniej połowy składu Zespołu (B5, 004 §17)."
            )
            % {"p": members_present, "t": members_total}
        )
    if votes_for > votes_against:
        return True, False
    if votes_for < votes_against:
        return False, False
    if chair_vote not in (ChairVote.FOR, ChairVote.AGAINST):
        raise ValidationError(
            {
                "chair_vote": _(
                    "Równa liczba głosów: rozstrzyga głos Przewodniczącego – wskaż, "
                    "czy głosował za, czy przeciw (B5, 004 §17)."
                )
            }
        )
    return chair_vote == ChairVote.FOR, True


def _number_taken(team: Team, year: int, number: str) -> str:
    return _(
        "Uchwała nr %(n)s z roku %(y)s jest już zapisana – numer uchwały Zespołu jest jeden w roku. Jeśli "
        "formularz wysłano ponownie, uchwała została już zapisana – odśwież stronę (B5)."
    ) % {"n": number, "y": year}


@transaction.atomic
def resolution_vote(
    meeting: Meeting,
    *,
    subject: str,
    number: str = "",
    votes_for: int,
    votes_against: int,
    votes_abstain: int,
    chair_vote: str = "",
    acting_user,
    today: date | None = None,
) -> Resolution:
    """B5 (004 §16-17): a resolution with the votes recorded; valid only with the quorum, recorded once the
    meeting has begun. The meeting row is locked: a replayed vote (the same number, or the same subject and
    tally at the same meeting) is refused; the database keeps a number once per Team and year."""
    _require(perms.can_manage_team(acting_user, meeting.team))
    _require_taken_place(meeting, today)
    number = (number or "").strip()
    with transition(
        meeting, MEETING, "resolution", acting_user=acting_user, reason=_("Uchwała %(n)s") % {"n": number or subject}
    ) as locked:
        total = members_on(locked.team, locked.date).count()
        present = locked.attendance.filter(member__isnull=False).count()
        if votes_for + votes_against + votes_abstain > present:
            raise ValidationError(
                _(
                    "Głosów oddano więcej (%(v)s), niż jest obecnych członków (%(p)s). Osoby "
                    "zaproszone nie głosują (B4)."
                )
                % {"v": votes_for + votes_against + votes_abstain, "p": present}
            )
        adopted, by_chair = vote_outcome(
            members_total=total,
            members_present=present,
            votes_for=votes_for,
            votes_against=votes_against,
            chair_vote=chair_vote,
        )
        year = locked.date.year
        if number and Resolution.objects.filter(team=locked.team, year=year, number=number).exists():
            raise ValidationError({"number": _number_taken(locked.team, year, number)})
        if locked.resolutions.filter(
            kind=Resolution.Kind.RESOLUTION,
            subject=subject,
            votes_for=votes_for,
            votes_against=votes_against,
            votes_abstain=votes_abstain,
        ).exists():
            raise ValidationError(
                _(
                    "Uchwała o tym przedmiocie i z tym wynikiem głosowania jest już zapisana na "
                    "tym posiedzeniu. Jeśli formularz wysłano ponownie, odśwież stronę (B5)."
                )
            )
        return _create_once(
            Resolution,
            _number_taken(locked.team, year, number),
            "number",
            meeting=locked,
            team=locked.team,
            subject=subject,
            number=number,
            members_total=total,
            members_present=present,
            votes_for=votes_for,
            votes_against=votes_against,
            votes_abstain=votes_abstain,
            chair_vote=chair_vote,
            decided_by_chair_vote=by_chair,
            adopted=adopted,
            decided_on=locked.date,
            recorded_by=acting_user,
        )


@transaction.atomic
def urgent_decision_record(
    *, team: Team, subject: str, note: str, meeting: Meeting | None = None, acting_user, today: date | None = None
) -> Resolution:
    """B5 (004 §16): an urgent decision may skip the form of a resolution, with a note why. Taken at a meeting,
    it is recorded once the meeting has begun; a replayed form stores it once."""
    _require(perms.can_manage_team(acting_user, team))
    if not note.strip():
        raise ValidationError({"note": _("Decyzja bez formy uchwały wymaga notatki z uzasadnieniem (B5, 004 §16).")})
    if meeting is not None and meeting.team_id != team.pk:
        raise ValidationError(_("Posiedzenie innego Zespołu."))
    decided_on = _today(today)

    def record(meeting_row):
        if Resolution.objects.filter(
            team=team,
            meeting=meeting_row,
            kind=Resolution.Kind.URGENT,
            subject=subject,
            urgent_note=note,
            decided_on=decided_on,
        ).exists():
            raise ValidationError(_("Ta decyzja jest już zapisana. Jeśli formularz wysłano ponownie, odśwież stronę."))
        return Resolution.objects.create(
            team=team,
            meeting=meeting_row,
            kind=Resolution.Kind.URGENT,
            subject=subject,
            urgent_note=note,
            adopted=True,
            decided_on=decided_on,
            recorded_by=acting_user,
        )

    if meeting is None:
        Team.objects.select_for_update().get(pk=team.pk)  # serialises a replayed form
        return record(None)
    _require_taken_place(meeting, today)
    with transition(meeting, MEETING, "urgent", acting_user=acting_user) as locked:
        return record(locked)
