"""The record of a Team meeting once it has begun: the attendance list, invited guests, resolutions with their
votes and urgent decisions (B4, B5, B6, B11: 004 §15-19, §43-44)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mopr.procedures import transition

from .. import permissions as perms
from ..models import (
    Attendance,
    ChairVote,
    Meeting,
    Resolution,
    Team,
)
from ..procedures import MEETING
from .common import (
    _create_once,
    _declared_ids,
    _require,
    _require_taken_place,
    _today,
)
from .meetings import members_on


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
