"""State changes of the Team and the Blue Card procedure, one function each (B1-B13).

Every function checks the permission (PermissionDenied), the rule (ValidationError with a Polish
message), writes the change (history by simple-history), opens/meets deadlines, requests documents and
queues e-mails. Deadline labels and e-mail subjects carry no personal data (at most the card number,
and never in a subject).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mopr import calendar
from mopr.deadlines import deadline_cancel, deadline_meet, deadline_open
from mopr.documents import document_render_now, document_request
from mopr.outbox import outbox_enqueue
from mopr.procedures import lock, record_change, transition
from units.models import ApprovalFlow, ApprovalStep, DocumentKind
from units.permissions import grant_group, grant_user, revoke_user

from . import permissions as perms
from .models import (
    PRESETS,
    AnnualReport,
    Attendance,
    BlueCard,
    BlueCardUserObjectPermission,
    BreachReport,
    CardStatus,
    ChairVote,
    Closure,
    ClosureReason,
    ConfidentialityDeclaration,
    GroupMeeting,
    HelpAction,
    Meeting,
    MeetingKind,
    MeetingNotice,
    MemberRole,
    ProtocolRemark,
    Requester,
    Resolution,
    SubteamDecision,
    Team,
    TeamMember,
    TerminologyPreset,
    WorkingGroup,
    WorkingGroupMember,
)
from .procedures import CARD, MEETING, SUBTEAM_ACTIONS

CLOSURE_DOCUMENT_KIND = "bluecard_closure"
MEETING_PROTOCOL_KIND = "bluecard_meeting_protocol"
GROUP_PROTOCOL_KIND = "bluecard_group_protocol"
ANNUAL_REPORT_KIND = "bluecard_annual_report"


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def _site(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied(_("Brak uprawnień do tej czynności w procedurze Niebieska Karta."))


def chair_of(team: Team) -> TeamMember | None:
    return (TeamMember.objects.filter(team=team, role=MemberRole.CHAIR, dismissing_order_date__isnull=True)
            .select_related("user").first())


def leaders_of(team: Team) -> list[TeamMember]:
    return list(TeamMember.objects.filter(team=team, role__in=[MemberRole.CHAIR, MemberRole.VICE_CHAIR],
                                          dismissing_order_date__isnull=True).select_related("user"))


def _declared_ids(team: Team) -> set[int]:
    return set(ConfidentialityDeclaration.objects.filter(team=team).values_list("user_id", flat=True))


def _require_taken_place(meeting: Meeting, today: date | None, field: str | None = None) -> None:
    """ARCHITECTURE "Time": nothing is recorded for a meeting before it takes place (B5, B6; 004 §17-19)."""
    if not meeting.has_taken_place(today):
        message = _("Posiedzenie jeszcze się nie odbyło (wyznaczono je na %(day)s, godz. %(time)s): obecności, "
                    "uchwał ani protokołu nie zapisuje się przed posiedzeniem.") % {
            "day": meeting.date.strftime("%d.%m.%Y"), "time": meeting.time.strftime("%H:%M")}
        raise ValidationError({field: message} if field else message)


def _create_once(model, message: str, field: str | None = None, **values):
    """Create a row that a database constraint allows once (one pending closure, one resolution number): a
    concurrent second request that got past the checks meets the constraint and gets a Polish message."""
    try:
        with transaction.atomic():
            return model.objects.create(**values)
    except IntegrityError:
        raise ValidationError({field: message} if field else message) from None


def _chair_user(team: Team):
    chair = chair_of(team)
    if chair is None:
        raise ValidationError(_("Zespół nie ma Przewodniczącego (B1)."))
    return chair.user


# --- Team, members, declarations (B1, B11, B13) ---------------------------------------------------


@transaction.atomic
def team_create(*, institution, seat_unit, name: str, seat: str, preset: str = TerminologyPreset.ORG_2016,
                acting_user) -> Team:
    """B1, B13: a Team with its two access groups; the deadline values come from the preset."""
    if not (acting_user.is_superuser or acting_user.has_perm("bluecard.add_team")):
        raise PermissionDenied(_("Zespół tworzy administrator systemu."))
    declared = Group.objects.create(name=f"bluecard:team:{name[:40]}:{timezone.now().timestamp()}:declared")
    leaders = Group.objects.create(name=f"bluecard:team:{name[:40]}:{timezone.now().timestamp()}:leaders")
    team = Team(institution=institution, seat_unit=seat_unit, name=name, seat=seat, preset=preset,
                declared_group=declared, leaders_group=leaders)
    _apply_preset_values(team, preset)
    team.save()
    declared.name, leaders.name = f"bluecard:team:{team.pk}:declared", f"bluecard:team:{team.pk}:leaders"
    declared.save()
    leaders.save()
    return team


def _apply_preset_values(team: Team, preset: str) -> None:
    values = PRESETS[TerminologyPreset(preset)]
    team.preset = preset
    for field in ("notification_days", "extraordinary_notice_working_days", "ordinary_notice_months",
                  "ordinary_interval_months", "remarks_days", "group_assign_working_days",
                  "group_first_meeting_working_days"):
        setattr(team, field, values[field])


@transaction.atomic
def team_apply_preset(team: Team, *, preset: str, acting_user) -> Team:
    """B13: switch terminology and deadline values between the 004 (2016) and 2023 presets."""
    _require(perms.is_chair(acting_user, team) or acting_user.has_perm("bluecard.change_team"))
    _apply_preset_values(team, preset)
    team.save()
    return team


def _sync_team_groups(team: Team) -> None:
    """Group ``declared`` = active members with a declaration; ``leaders`` = declared chair and vice-chair."""
    declared_ids = set(ConfidentialityDeclaration.objects.filter(team=team).values_list("user_id", flat=True))
    active = TeamMember.objects.filter(team=team, dismissing_order_date__isnull=True)
    want_declared = {m.user_id for m in active if m.user_id in declared_ids}
    want_leaders = {m.user_id for m in active if m.user_id in declared_ids and m.is_leader}
    for group, wanted in ((team.declared_group, want_declared), (team.leaders_group, want_leaders)):
        current = set(group.user_set.values_list("pk", flat=True))
        if current - wanted:
            group.user_set.remove(*(current - wanted))
        if wanted - current:
            group.user_set.add(*(wanted - current))


def _cards_of_person(user):
    return BlueCard.objects.filter(
        Q(subteam_decisions__members__user=user) | Q(group__members__user=user) | Q(group__coordinator__user=user)
    ).distinct()


@transaction.atomic
def member_appoint(*, team: Team, user, represented_institution: str, email: str, role: str = MemberRole.MEMBER,
                   order_number: str, order_date: date, acting_user) -> TeamMember:
    """B1 (004 §49): appointed by order (number, date). One chair and one vice-chair at a time."""
    # The chair, or the administrator who enters the President's orders (the first chair is appointed so).
    _require(perms.can_manage_team(acting_user, team) or acting_user.has_perm("bluecard.add_teammember"))
    if acting_user.pk == user.pk and not perms.can_manage_team(acting_user, team):
        # No side door: the administrator who enters the President's orders does not enter their own.
        raise PermissionDenied(_("Zarządzenia o własnym powołaniu nie wpisuje się samemu (B1)."))
    if not order_number.strip():
        raise ValidationError({"order_number": _("Podaj numer zarządzenia o powołaniu (B1).")})
    if TeamMember.objects.filter(team=team, user=user, dismissing_order_date__isnull=True).exists():
        raise ValidationError({"user": _("Ta osoba jest już członkiem Zespołu.")})
    if role != MemberRole.MEMBER and TeamMember.objects.filter(
            team=team, role=role, dismissing_order_date__isnull=True).exists():
        raise ValidationError({"role": _("Zespół ma już osobę pełniącą tę funkcję (B1).")})
    member = TeamMember(team=team, user=user, represented_institution=represented_institution, email=email,
                        role=role, appointing_order_number=order_number, appointing_order_date=order_date)
    member.full_clean()
    member.save()
    _sync_team_groups(team)
    if role == MemberRole.CHAIR:
        annual_report_deadline_open(team, order_date.year)
    return member


@transaction.atomic
def member_dismiss(member: TeamMember, *, order_number: str, order_date: date, acting_user) -> TeamMember:
    """B1 (004 §49): dismissed by order; access ends at once (groups and per-card grants re-synced)."""
    _require(perms.can_manage_team(acting_user, member.team) or acting_user.has_perm("bluecard.change_teammember"))
    # The row as stored, locked: the caller's instance may already carry the order (the admin's form).
    locked = lock(member)
    if not locked.is_active:
        raise ValidationError(_("Ta osoba została już odwołana."))
    if not (order_number or "").strip():
        raise ValidationError({"order_number": _("Podaj numer zarządzenia o odwołaniu (B1).")})
    if order_date is None:
        raise ValidationError({"order_date": _("Podaj datę zarządzenia o odwołaniu (B1).")})
    if order_date < locked.appointing_order_date:
        raise ValidationError({"order_date": _("Data odwołania nie może poprzedzać daty powołania.")})
    locked.dismissing_order_number = order_number
    locked.dismissing_order_date = order_date
    record_change(locked, acting_user=acting_user, reason=_("Odwołanie zarządzeniem %(n)s") % {"n": order_number})
    locked.save()
    member.dismissing_order_number, member.dismissing_order_date = order_number, order_date
    # A dismissed member leaves the Team's groups too (the subteam re-adds them if still involved, B8).
    for row in WorkingGroupMember.objects.filter(group__card__team=member.team, user=member.user,
                                                 left_on__isnull=True):
        row.left_on = order_date
        row.save(update_fields=["left_on"])
    _sync_team_groups(member.team)
    for card in _cards_of_person(member.user):
        _sync_card_grants(card)
    return member


@transaction.atomic
def declaration_record(*, team: Team, user, capacity: str, declared_on: date, acting_user,
                       today: date | None = None) -> ConfidentialityDeclaration:
    """B11 (004 §43-44, Załącznik nr 3): recorded before any case data is opened; opens what the person is
    entitled to (the list, and the cards of their subteam or group)."""
    self_declaring = acting_user.pk == user.pk and perms.can_declare(user, team)
    _require(self_declaring or perms.can_record_declaration_for_others(acting_user, team))
    if declared_on > _today(today):
        raise ValidationError({"declared_on": _("Data oświadczenia nie może być z przyszłości.")})
    if ConfidentialityDeclaration.objects.filter(team=team, user=user).exists():
        raise ValidationError(_("Oświadczenie tej osoby jest już zarejestrowane."))
    declaration = ConfidentialityDeclaration.objects.create(
        team=team, user=user, capacity=capacity, declared_on=declared_on, recorded_by=acting_user)
    _sync_team_groups(team)
    for card in _cards_of_person(user):
        _sync_card_grants(card)
    return declaration


# --- meetings (B2-B6, B8, B10) ---------------------------------------------------------------------


def members_on(team: Team, day: date):
    return TeamMember.objects.filter(team=team, appointing_order_date__lte=day).filter(
        Q(dismissing_order_date__isnull=True) | Q(dismissing_order_date__gt=day))


def _agenda_additions(team: Team, meeting: Meeting) -> str:
    """B8, B10 (004 §25, §35): cards left to the Team and procedures closed since the last meeting."""
    lines = []
    left = BlueCard.objects.filter(team=team, status=CardStatus.LEFT_TO_TEAM).order_by("year", "number")
    if left:
        lines.append(_("Karty pozostawione do rozpatrzenia przez Zespół: %(list)s.")
                     % {"list": ", ".join(f"nr {c.signature}" for c in left)})
    closures = list(Closure.objects.filter(card__team=team, status=Closure.Status.SIGNED,
                                           reported_at_meeting__isnull=True).select_related("card"))
    if closures:
        lines.append(_("Informacja o zakończonych procedurach (004 §35): %(list)s.")
                     % {"list": ", ".join(f"nr {c.card.signature}" for c in closures)})
        for closure in closures:
            closure.reported_at_meeting = meeting
            closure.save(update_fields=["reported_at_meeting"])
    return "\n".join(lines)


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
    """B2: the chair's deadline to hold the next ordinary meeting, 3 months (preset) after the latest one."""
    chair = chair_of(team)
    latest = Meeting.objects.filter(team=team, kind=MeetingKind.ORDINARY).order_by("-date").first()
    if chair is None or latest is None:
        return
    deadline_open(team, kind="bluecard_ordinary_meeting", rule="B2",
                  label=_("Posiedzenie zwyczajne Zespołu Interdyscyplinarnego (co najmniej raz na %(n)s mies.)")
                  % {"n": team.ordinary_interval_months},
                  due=calendar.add_months(latest.date, team.ordinary_interval_months),
                  responsible_user=chair.user, url=reverse("bluecard:home"))


@transaction.atomic
def meeting_schedule(*, team: Team, kind: str, date_: date, time, place: str, agenda: str,
                     requested_by: str = "", requesting_members=(), shortened_notice_reason: str = "",
                     acting_user, today: date | None = None) -> Meeting:
    """B2 (004 §10): ordinary meetings at least one month ahead. B3 (004 §11-14): extraordinary on the request
    of the President, the Mayor, the chair or at least three members; notice at least 7 working days ahead
    (K4) unless shortened with a recorded reason. Personal notices go to every member by e-mail with a
    confirmation link."""
    _require(perms.can_manage_team(acting_user, team))
    today = _today(today)
    requesting_members = list(requesting_members)
    errors = {}
    if date_ < today:
        errors["date_"] = _("Posiedzenie nie może być zwołane na dzień, który minął.")
    elif kind == MeetingKind.ORDINARY:
        earliest = calendar.add_months(today, team.ordinary_notice_months)
        if date_ < earliest:
            errors["date_"] = _("Termin posiedzenia zwyczajnego ustala się z co najmniej miesięcznym "
                                "wyprzedzeniem – najwcześniej %(day)s (B2, 004 §10).") % {
                "day": earliest.strftime("%d.%m.%Y")}
    else:
        if requested_by not in Requester.values:
            errors["requested_by"] = _("Wskaż, na czyj wniosek zwołano posiedzenie nadzwyczajne (B3, 004 §11).")
        elif requested_by == Requester.MEMBERS:
            active_ids = set(members_on(team, today).values_list("pk", flat=True))
            if len({m.pk for m in requesting_members if m.pk in active_ids}) < 3:
                errors["requesting_members"] = _("Wniosek musi złożyć co najmniej trzech członków Zespołu "
                                                 "(B3, 004 §11 pkt 4).")
        latest_notice = calendar.working_days_before(date_, team.extraordinary_notice_working_days)
        if today > latest_notice and not shortened_notice_reason.strip():
            errors["shortened_notice_reason"] = _(
                "Zawiadomienie trzeba wysłać co najmniej %(n)s dni roboczych przed posiedzeniem, tj. do "
                "%(day)s. Skrócenie terminu wymaga uzasadnienia (B3, 004 §12-13).") % {
                "n": team.extraordinary_notice_working_days, "day": latest_notice.strftime("%d.%m.%Y")}
    if errors:
        raise ValidationError(errors)
    meeting = Meeting.objects.create(
        team=team, kind=kind, date=date_, time=time, place=place, agenda=agenda, scheduled_on=today,
        requested_by=requested_by if kind == MeetingKind.EXTRAORDINARY else "",
        shortened_notice_reason=shortened_notice_reason if kind == MeetingKind.EXTRAORDINARY else "",
        created_by=acting_user)
    if kind == MeetingKind.EXTRAORDINARY and requesting_members:
        meeting.requesting_members.set(requesting_members)
    additions = _agenda_additions(team, meeting)
    if additions:
        meeting.agenda = f"{meeting.agenda}\n{additions}".strip()
        meeting.save(update_fields=["agenda"])
    for member in members_on(team, today).filter(dismissing_order_date__isnull=True).select_related("user"):
        _send_notice(meeting, member)
    if kind == MeetingKind.ORDINARY:
        _refresh_ordinary_deadline(team)
    deadline_open(meeting, kind="bluecard_attendance", rule="B6",
                  label=_("Lista obecności i protokół posiedzenia Zespołu"), due=date_,
                  responsible_user=acting_user)
    return meeting


def _send_notice(meeting: Meeting, member: TeamMember) -> MeetingNotice:
    notice = MeetingNotice.objects.create(meeting=meeting, member=member)
    context = {"meeting": meeting, "member": member,
               "confirm_url": _site(reverse("bluecard:confirm_notice", args=[notice.token]))}
    outbox_enqueue(key=f"bluecard:notice:{notice.pk}", to=member.email, user=member.user,
                   subject=_("Zawiadomienie o posiedzeniu Zespołu Interdyscyplinarnego"),
                   body_text=render_to_string("bluecard/email/notice.txt", context))
    return notice


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
        raise ValidationError({"members": _(
            "Bez oświadczenia o zachowaniu tajemnicy nie można uczestniczyć w posiedzeniu, na którym omawia się "
            "sprawy Niebieskich Kart: %(names)s (B11, 004 §43-44).") % {"names": names}})
    with transition(meeting, MEETING, "attendance", acting_user=acting_user) as locked:
        for row in locked.attendance.filter(member__isnull=False).exclude(member_id__in=chosen.keys()):
            row.delete()
        existing = set(locked.attendance.filter(member__isnull=False).values_list("member_id", flat=True))
        for pk, member in chosen.items():
            if pk not in existing:
                Attendance.objects.create(meeting=locked, member=member)
    return list(meeting.attendance.all())


@transaction.atomic
def guest_admit(meeting: Meeting, *, name: str, affiliation: str, undertaking_on: date | None,
                acting_user, today: date | None = None) -> Attendance:
    """B4 (004 §15): an invited guest, without a vote, only after undertaking confidentiality (B11: before the
    meeting, at the latest on its day); recorded once the meeting has begun."""
    _require(perms.can_manage_team(acting_user, meeting.team))
    if not name.strip():
        raise ValidationError({"name": _("Podaj imię i nazwisko osoby zaproszonej.")})
    if undertaking_on is None:
        raise ValidationError({"undertaking_on": _("Osoba zaproszona może uczestniczyć w posiedzeniu tylko po "
                                                   "zobowiązaniu się do zachowania tajemnicy (B4, 004 §15).")})
    if undertaking_on > meeting.date:
        raise ValidationError({"undertaking_on": _("Zobowiązanie do zachowania tajemnicy poprzedza udział w "
                                                   "posiedzeniu – najpóźniej w dniu posiedzenia (B4, B11).")})
    _require_taken_place(meeting, today, "name")
    with transition(meeting, MEETING, "guest", acting_user=acting_user) as locked:
        return Attendance.objects.create(meeting=locked, guest_name=name, guest_affiliation=affiliation,
                                         undertaking_on=undertaking_on)


def vote_outcome(*, members_total: int, members_present: int, votes_for: int, votes_against: int,
                 chair_vote: str = "") -> tuple[bool, bool]:
    """B5 (004 §17): (adopted, decided by the chair's vote). Quorum: at least half of the members present;
    simple majority of votes cast for over against; on a tie the chair's vote decides."""
    if members_present * 2 < members_total:
        raise ValidationError(_("Brak quorum: obecnych %(p)s z %(t)s członków, a uchwała wymaga obecności co "
                                "najmniej połowy składu Zespołu (B5, 004 §17).") % {"p": members_present,
                                                                                    "t": members_total})
    if votes_for > votes_against:
        return True, False
    if votes_for < votes_against:
        return False, False
    if chair_vote not in (ChairVote.FOR, ChairVote.AGAINST):
        raise ValidationError({"chair_vote": _("Równa liczba głosów: rozstrzyga głos Przewodniczącego – wskaż, "
                                               "czy głosował za, czy przeciw (B5, 004 §17).")})
    return chair_vote == ChairVote.FOR, True


def _number_taken(team: Team, year: int, number: str) -> str:
    return _("Uchwała nr %(n)s z roku %(y)s jest już zapisana – numer uchwały Zespołu jest jeden w roku. Jeśli "
             "formularz wysłano ponownie, uchwała została już zapisana – odśwież stronę (B5).") % {
        "n": number, "y": year}


@transaction.atomic
def resolution_vote(meeting: Meeting, *, subject: str, number: str = "", votes_for: int, votes_against: int,
                    votes_abstain: int, chair_vote: str = "", acting_user, today: date | None = None) -> Resolution:
    """B5 (004 §16-17): a resolution with the votes recorded; valid only with the quorum, recorded once the
    meeting has begun. The meeting row is locked: a replayed vote (the same number, or the same subject and
    tally at the same meeting) is refused; the database keeps a number once per Team and year."""
    _require(perms.can_manage_team(acting_user, meeting.team))
    _require_taken_place(meeting, today)
    number = (number or "").strip()
    with transition(meeting, MEETING, "resolution", acting_user=acting_user,
                    reason=_("Uchwała %(n)s") % {"n": number or subject}) as locked:
        total = members_on(locked.team, locked.date).count()
        present = locked.attendance.filter(member__isnull=False).count()
        if votes_for + votes_against + votes_abstain > present:
            raise ValidationError(_("Głosów oddano więcej (%(v)s), niż jest obecnych członków (%(p)s). Osoby "
                                    "zaproszone nie głosują (B4).") % {
                "v": votes_for + votes_against + votes_abstain, "p": present})
        adopted, by_chair = vote_outcome(members_total=total, members_present=present, votes_for=votes_for,
                                         votes_against=votes_against, chair_vote=chair_vote)
        year = locked.date.year
        if number and Resolution.objects.filter(team=locked.team, year=year, number=number).exists():
            raise ValidationError({"number": _number_taken(locked.team, year, number)})
        if locked.resolutions.filter(kind=Resolution.Kind.RESOLUTION, subject=subject, votes_for=votes_for,
                                     votes_against=votes_against, votes_abstain=votes_abstain).exists():
            raise ValidationError(_("Uchwała o tym przedmiocie i z tym wynikiem głosowania jest już zapisana na "
                                    "tym posiedzeniu. Jeśli formularz wysłano ponownie, odśwież stronę (B5)."))
        return _create_once(
            Resolution, _number_taken(locked.team, year, number), "number",
            meeting=locked, team=locked.team, subject=subject, number=number, members_total=total,
            members_present=present, votes_for=votes_for, votes_against=votes_against, votes_abstain=votes_abstain,
            chair_vote=chair_vote, decided_by_chair_vote=by_chair, adopted=adopted, decided_on=locked.date,
            recorded_by=acting_user)


@transaction.atomic
def urgent_decision_record(*, team: Team, subject: str, note: str, meeting: Meeting | None = None,
                           acting_user, today: date | None = None) -> Resolution:
    """B5 (004 §16): an urgent decision may skip the form of a resolution, with a note why. Taken at a meeting,
    it is recorded once the meeting has begun; a replayed form stores it once."""
    _require(perms.can_manage_team(acting_user, team))
    if not note.strip():
        raise ValidationError({"note": _("Decyzja bez formy uchwały wymaga notatki z uzasadnieniem (B5, 004 §16).")})
    if meeting is not None and meeting.team_id != team.pk:
        raise ValidationError(_("Posiedzenie innego Zespołu."))
    decided_on = _today(today)

    def record(meeting_row):
        if Resolution.objects.filter(team=team, meeting=meeting_row, kind=Resolution.Kind.URGENT, subject=subject,
                                     urgent_note=note, decided_on=decided_on).exists():
            raise ValidationError(_("Ta decyzja jest już zapisana. Jeśli formularz wysłano ponownie, odśwież "
                                    "stronę."))
        return Resolution.objects.create(team=team, meeting=meeting_row, kind=Resolution.Kind.URGENT,
                                         subject=subject, urgent_note=note, adopted=True, decided_on=decided_on,
                                         recorded_by=acting_user)

    if meeting is None:
        Team.objects.select_for_update().get(pk=team.pk)  # serialises a replayed form
        return record(None)
    _require_taken_place(meeting, today)
    with transition(meeting, MEETING, "urgent", acting_user=acting_user) as locked:
        return record(locked)


def remarks_deadline(meeting: Meeting) -> date:
    """B6 (004 §20): remarks within 7 days of the meeting (K2, K3)."""
    return calendar.deadline_in_days(meeting.date, meeting.team.remarks_days)


@transaction.atomic
def protocol_remark_add(meeting: Meeting, *, text: str, acting_user, today: date | None = None) -> ProtocolRemark:
    """B6 (004 §20): a member's written remark within 7 days of the meeting, attached to the protocol. B11: the
    protocol names nobody without a confidentiality declaration, so only declared members add remarks."""
    member = perms.active_member(acting_user, meeting.team)
    _require(member is not None)
    today = _today(today)
    if today < meeting.date:
        raise ValidationError({"text": _("Uwagi do protokołu składa się po posiedzeniu.")})
    if today > remarks_deadline(meeting) or meeting.protocol_final_at:
        raise ValidationError({"text": _("Termin na uwagi do protokołu upłynął %(day)s (B6, 004 §20).")
                               % {"day": remarks_deadline(meeting).strftime("%d.%m.%Y")}})
    if not perms.has_declaration(acting_user, meeting.team):
        raise ValidationError({"text": _("Uwagi do protokołu składa członek, który złożył oświadczenie o "
                                         "zachowaniu tajemnicy (B11, 004 §43-44).")})
    if not text.strip():
        raise ValidationError({"text": _("Wpisz treść uwagi.")})
    with transition(meeting, MEETING, "remark", acting_user=acting_user) as locked:
        return ProtocolRemark.objects.create(meeting=locked, member=member, text=text, submitted_on=today)


def _meeting_protocol_context(meeting: Meeting) -> dict:
    """Załącznik nr 1. B11: only declared members and guests who undertook confidentiality are printed."""
    declared = _declared_ids(meeting.team)
    attendance = list(meeting.attendance.select_related("member__user"))
    return {
        "team": meeting.team.name, "seat": meeting.team.seat, "kind": meeting.get_kind_display(),
        "date": meeting.date.strftime("%d.%m.%Y"), "time": meeting.time.strftime("%H:%M"), "place": meeting.place,
        "agenda": meeting.agenda,
        "present": [str(a.member) for a in attendance if a.member_id and a.member.user_id in declared],
        "guests": [f"{a.guest_name} ({a.guest_affiliation})" for a in attendance
                   if not a.member_id and a.undertaking_on and a.undertaking_on <= meeting.date],
        "resolutions": [{
            "number": r.number, "subject": r.subject, "kind": r.get_kind_display(), "for": r.votes_for,
            "against": r.votes_against, "abstain": r.votes_abstain, "adopted": r.adopted,
            "by_chair": r.decided_by_chair_vote, "note": r.urgent_note} for r in meeting.resolutions.all()],
        "remarks": [{"who": str(r.member), "on": r.submitted_on.strftime("%d.%m.%Y"), "text": r.text}
                    for r in meeting.remarks.select_related("member__user") if r.member.user_id in declared],
        "final": bool(meeting.protocol_final_at),
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
        deadline_meet(locked, "bluecard_attendance")
        return document_request(locked, kind=MEETING_PROTOCOL_KIND, title=_("Protokół z posiedzenia Zespołu"),
                                template_name="pdf/bluecard/meeting_protocol.html",
                                context=_meeting_protocol_context(locked), acting_user=acting_user)


@transaction.atomic
def meeting_protocol_finalise(meeting: Meeting, *, acting_user, today: date | None = None) -> ApprovalFlow:
    """B6 (004 §20): after the 7-day window the protocol, with the remarks attached, is final and goes to the
    chair's signature through the approval flow."""
    _require(perms.can_manage_team(acting_user, meeting.team))
    today = _today(today)
    if today <= remarks_deadline(meeting):
        raise ValidationError(_("Protokół staje się ostateczny po upływie terminu na uwagi (%(day)s) (B6).")
                              % {"day": remarks_deadline(meeting).strftime("%d.%m.%Y")})
    if meeting.protocol_final_at:
        raise ValidationError(_("Protokół jest już ostateczny."))
    with transition(meeting, MEETING, "finalise", acting_user=acting_user) as locked:
        locked.protocol_final_at = timezone.now()
        document = document_render_now(locked, kind=MEETING_PROTOCOL_KIND,
                                       title=_("Protokół z posiedzenia Zespołu (ostateczny)"),
                                       template_name="pdf/bluecard/meeting_protocol.html",
                                       context=_meeting_protocol_context(locked), acting_user=acting_user)
        return _start_chair_signature(document, locked.team)


# --- chair's signature through the approval flow (B6, B10) ------------------------------------------


def _start_chair_signature(document, team: Team) -> ApprovalFlow:
    """004 §34: the chair signs. The flow is the chair's alone: the org chart's superiors and signatories
    are removed, because they are not entitled to see the case (B11); kind "internal" (000 §39) because the
    chair's power comes from the Team's rules, not from the Director's authorisation."""
    from units.services import approval_start

    chair = _chair_user(team)
    return approval_start(document=document, document_kind=DocumentKind.INTERNAL, unit=team.seat_unit,
                          acting_user=chair, signatory=chair)


def _check_signed_by_leader(flow: ApprovalFlow, team: Team) -> None:
    signature = flow.steps.filter(kind=ApprovalStep.Kind.SIGNATURE).select_related("acted_by").first()
    if signature is None or not perms.is_leader(signature.acted_by, team):
        raise PermissionDenied(_("Protokół podpisuje Przewodniczący Zespołu (004 §34)."))


def _last_actor(flow: ApprovalFlow):
    step = flow.steps.exclude(acted_by=None).select_related("acted_by").order_by("-acted_at").first()
    return step.acted_by if step else None


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


# --- Blue Card procedure (B7-B10, B13) ---------------------------------------------------------------


def notification_due(card: BlueCard) -> date:
    """B7 (004 §23): members are told within 3 days of receipt (K2, K3)."""
    return calendar.deadline_in_days(card.received_on, card.team.notification_days)


@transaction.atomic
def bluecard_register(*, team: Team, received_on: date, initiating_institution: str, initiating_body: str = "",
                      person_experiencing: str, persons_suspected: str, children: str = "", scan=None,
                      acting_user, today: date | None = None) -> BlueCard:
    """B7 (004 §21-23): the next sequential number of the year; the chair's 3-day notification deadline.
    B13 (2023 preset): the chair passes the card to a group within 3 working days."""
    _require(perms.can_register_card(acting_user, team))
    if received_on > _today(today):
        raise ValidationError({"received_on": _("Data wpływu nie może być z przyszłości.")})
    Team.objects.select_for_update().get(pk=team.pk)  # serialises numbering within the Team
    year = received_on.year
    number = (BlueCard.objects.filter(team=team, year=year).aggregate(m=Max("number"))["m"] or 0) + 1
    card = BlueCard(team=team, year=year, number=number, received_on=received_on,
                    initiating_institution=initiating_institution, initiating_body=initiating_body,
                    person_experiencing=person_experiencing, persons_suspected=persons_suspected,
                    children=children, registered_by=acting_user)
    if scan:
        card.scan = scan
    card.save()
    grant_group(team.leaders_group, "view_bluecard", card)
    grant_group(team.leaders_group, "change_bluecard", card)
    grant_group(team.declared_group, "list_bluecard", card)
    chair = _chair_user(team)
    deadline_open(card, kind="bluecard_notification", rule="B7", due=notification_due(card),
                  label=_("Powiadomienie członków Zespołu o karcie nr %(n)s") % {"n": card.signature},
                  responsible_user=chair)
    if team.group_assign_working_days:
        deadline_open(card, kind="bluecard_group_assign", rule="B13",
                      due=calendar.deadline_in_working_days(received_on, team.group_assign_working_days),
                      label=_("Przekazanie karty nr %(n)s grupie") % {"n": card.signature}, responsible_user=chair)
    annual_report_deadline_open(team, year)
    return card


@transaction.atomic
def bluecard_notify_members(card: BlueCard, *, acting_user) -> BlueCard:
    """B7 (004 §23): e-mail every member: the card number and, if the Team so configured, the name of the
    person experiencing violence (B11: only to members with a recorded declaration) — nothing more; records
    that it was sent."""
    _require(perms.can_manage_card(acting_user, card))
    if card.notification_sent_at:
        raise ValidationError(_("Powiadomienie o tej karcie zostało już wysłane."))
    with transition(card, CARD, "powiadom", acting_user=acting_user) as locked:
        if locked.notification_sent_at:  # a second request that waited for the lock
            raise ValidationError(_("Powiadomienie o tej karcie zostało już wysłane."))
        declared = _declared_ids(locked.team)
        for member in TeamMember.objects.filter(team=locked.team, dismissing_order_date__isnull=True
                                                ).select_related("user"):
            # B11: the name goes only to members whose confidentiality declaration is recorded.
            body = render_to_string("bluecard/email/card_notification.txt", {
                "card": locked, "team": locked.team, "declared": member.user_id in declared,
                "with_name": locked.team.notify_with_name and member.user_id in declared})
            outbox_enqueue(key=f"bluecard:card:{locked.pk}:member:{member.pk}", to=member.email, user=member.user,
                           subject=_("Zespół Interdyscyplinarny – wpłynął formularz"), body_text=body)
        locked.notification_sent_at = timezone.now()
        locked.notification_sent_by = acting_user
        deadline_meet(locked, "bluecard_notification")
    return card


def _sync_card_grants(card: BlueCard) -> None:
    """Explicit per-card grants: the latest subteam (active members) and the working group (active members and
    the coordinator) get ``view_bluecard``; the coordinator also ``change_bluecard``. Only declared persons
    (B11). Anything else held by a user on this card is revoked."""
    team = card.team
    declared = set(ConfidentialityDeclaration.objects.filter(team=team).values_list("user_id", flat=True))
    view, change = set(), set()
    decision = card.subteam_decisions.order_by("-decided_on", "-pk").first()
    if decision is not None:
        view |= {m.user_id for m in decision.members.all() if m.is_active}
    group = WorkingGroup.objects.filter(card=card).select_related("coordinator").first()
    if group is not None:
        view |= set(group.members.filter(left_on__isnull=True).values_list("user_id", flat=True))
        if group.coordinator.is_active:
            view.add(group.coordinator.user_id)
            change.add(group.coordinator.user_id)
    view &= declared
    change &= declared
    from django.contrib.auth import get_user_model

    users = {u.pk: u for u in get_user_model().objects.filter(
        pk__in=view | change | set(BlueCardUserObjectPermission.objects.filter(content_object=card)
                                   .values_list("user_id", flat=True)))}
    for codename, wanted in (("view_bluecard", view), ("change_bluecard", change)):
        current = set(BlueCardUserObjectPermission.objects.filter(content_object=card, permission__codename=codename)
                      .values_list("user_id", flat=True))
        for user_id in wanted - current:
            grant_user(users[user_id], codename, card)
        for user_id in current - wanted:
            revoke_user(users[user_id], codename, card)


@transaction.atomic
def subteam_decide(card: BlueCard, *, members, decision: str, decided_on: date, note: str = "",
                   coordinator: TeamMember | None = None, acting_user, today: date | None = None) -> SubteamDecision:
    """B8 (004 §24-26): a subteam of at least two, including the chair or vice-chair, decides: a working group
    (with its coordinator from the Team's members) or leaving the case to the Team; later it may create the
    group or change its members. B13 (2023 preset): a group is mandatory."""
    _require(perms.can_manage_card(acting_user, card))
    members = list(members)
    errors = {}
    if decided_on > _today(today) or decided_on < card.received_on:
        errors["decided_on"] = _("Data decyzji musi przypadać między wpływem karty a dniem dzisiejszym.")
    if len({m.pk for m in members}) < 2:
        errors["members"] = _("Podzespół liczy co najmniej 2 osoby (B8, 004 §24).")
    elif not any(m.is_leader for m in members):
        errors["members"] = _("W skład podzespołu wchodzi Przewodniczący lub Zastępca Przewodniczącego "
                              "(B8, 004 §24).")
    elif any(m.team_id != card.team_id or not m.is_active for m in members):
        errors["members"] = _("Podzespół tworzą członkowie Zespołu.")
    if card.status == CardStatus.CLOSED:
        errors["decision"] = _("Procedura jest zakończona.")
    elif decision == SubteamDecision.Decision.LEAVE_TO_TEAM and card.team.group_mandatory:
        errors["decision"] = _("Według ustawień Zespołu (reforma 2023) każda karta trafia do grupy (B13).")
    elif decision == SubteamDecision.Decision.LEAVE_TO_TEAM and card.status != CardStatus.REGISTERED:
        errors["decision"] = _("Sprawę można pozostawić Zespołowi tylko przed powołaniem grupy.")
    has_group = WorkingGroup.objects.filter(card=card).exists()
    if decision == SubteamDecision.Decision.WORKING_GROUP:
        if has_group:
            errors["decision"] = _("Grupa dla tej karty już istnieje – wybierz zmiany osobowe w grupie.")
        elif coordinator is None:
            errors["coordinator"] = _("Powołując grupę, podzespół wyznacza koordynatora spośród członków Zespołu "
                                      "(B9, 004 §26).")
        elif coordinator.team_id != card.team_id or not coordinator.is_active:
            errors["coordinator"] = _("Koordynatorem może być tylko członek Zespołu.")
    if decision == SubteamDecision.Decision.CHANGE_GROUP and not has_group:
        errors["decision"] = _("Nie powołano jeszcze grupy.")
    if decision not in SUBTEAM_ACTIONS:
        errors["decision"] = _("Wybierz decyzję podzespołu.")
    if errors:
        raise ValidationError(errors)
    with transition(card, CARD, SUBTEAM_ACTIONS[decision], acting_user=acting_user) as locked:
        row = SubteamDecision.objects.create(card=locked, decision=decision, decided_on=decided_on, note=note,
                                             recorded_by=acting_user)
        row.members.set(members)
        if decision == SubteamDecision.Decision.WORKING_GROUP:
            if WorkingGroup.objects.filter(card=locked).exists():  # a second request that waited for the lock
                raise ValidationError({"decision": _("Grupa dla tej karty już istnieje.")})
            group = WorkingGroup.objects.create(card=locked, coordinator=coordinator, created_on=decided_on)
            WorkingGroupMember.objects.create(group=group, user=coordinator.user, joined_on=decided_on,
                                              institution_name=coordinator.represented_institution)
            deadline_meet(locked, "bluecard_group_assign")
            if locked.team.group_first_meeting_working_days:
                deadline_open(locked, kind="bluecard_group_first_meeting", rule="B13",
                              due=calendar.deadline_in_working_days(decided_on,
                                                                    locked.team.group_first_meeting_working_days),
                              label=_("Pierwsze spotkanie grupy – karta nr %(n)s") % {"n": locked.signature},
                              responsible_user=coordinator.user)
        elif decision == SubteamDecision.Decision.CHANGE_GROUP and coordinator is not None:
            group = WorkingGroup.objects.get(card=locked)
            if coordinator.pk != group.coordinator_id:
                group.coordinator = coordinator
                group.save(update_fields=["coordinator"])
                if not group.members.filter(user=coordinator.user, left_on__isnull=True).exists():
                    WorkingGroupMember.objects.create(group=group, user=coordinator.user, joined_on=decided_on,
                                                      institution_name=coordinator.represented_institution)
        _sync_card_grants(locked)
    return row


def open_card_counts(team: Team) -> dict[int, int]:
    """B9 (004 §27): each member's current number of open cards as coordinator, in one query."""
    rows = (WorkingGroup.objects.filter(card__team=team).exclude(card__status=CardStatus.CLOSED)
            .values("coordinator_id").annotate(n=Count("pk")))
    return {row["coordinator_id"]: row["n"] for row in rows}


@transaction.atomic
def group_member_add(group: WorkingGroup, *, user, institution_name: str, joined_on: date,
                     acting_user) -> WorkingGroupMember:
    """B9 (004 §28): a person directly involved with the family, from any institution; an explicit grant on
    this card only (effective once the person's declaration is recorded, B11)."""
    _require(perms.can_work_in_group(acting_user, group.card))
    if group.card.status == CardStatus.CLOSED:
        raise ValidationError(_("Procedura jest zakończona."))
    with transition(group.card, CARD, "sklad-grupy", acting_user=acting_user,
                    reason=_("Dodano osobę do grupy")) as card:
        if group.members.filter(user=user, left_on__isnull=True).exists():
            raise ValidationError({"user": _("Ta osoba jest już w grupie.")})
        member = WorkingGroupMember.objects.create(group=group, user=user, institution_name=institution_name,
                                                   joined_on=joined_on)
        _sync_card_grants(card)
    return member


@transaction.atomic
def group_member_remove(member: WorkingGroupMember, *, left_on: date, acting_user) -> WorkingGroupMember:
    """B9 (004 §25): a change of the group's members; the person's grant on the card is revoked at once."""
    _require(perms.can_work_in_group(acting_user, member.group.card))
    if member.left_on:
        raise ValidationError(_("Ta osoba nie jest już w grupie."))
    if member.user_id == member.group.coordinator.user_id:
        raise ValidationError(_("Koordynatora zmienia podzespół (B8, 004 §25)."))
    with transition(member.group.card, CARD, "sklad-grupy", acting_user=acting_user,
                    reason=_("Osoba opuściła grupę")) as card:
        if lock(member).left_on:  # a second request that waited for the lock
            raise ValidationError(_("Ta osoba nie jest już w grupie."))
        member.left_on = left_on
        member.save(update_fields=["left_on"])
        _sync_card_grants(card)
    return member


def _group_protocol_context(meeting: GroupMeeting) -> dict:
    """Załącznik nr 2. B11: only declared group members are printed."""
    group = meeting.group
    declared = _declared_ids(group.card.team)
    return {
        "team": group.card.team.name, "card": group.card.signature, "date": meeting.held_on.strftime("%d.%m.%Y"),
        "place": meeting.place, "at_seat": meeting.at_seat, "place_reason": meeting.place_reason,
        "coordinator": str(group.coordinator),
        "attendees": [str(a) for a in meeting.attendees.select_related("user") if a.user_id in declared],
        "third_persons": meeting.third_persons, "third_persons_reason": meeting.third_persons_reason,
        "findings": meeting.findings, "group_label": str(group.card.team.terms["group"]),
    }


@transaction.atomic
def group_meeting_record(group: WorkingGroup, *, held_on: date, at_seat: bool, place: str, place_reason: str = "",
                         attendees=(), third_persons: str = "", third_persons_reason: str = "", findings: str,
                         acting_user, today: date | None = None) -> GroupMeeting:
    """B9 (004 §30-31, §37): at the Team's seat, elsewhere only with a reason; third persons only with a
    recorded reason; the protocol (Załącznik nr 2) is generated and sent to the chair. Nothing is recorded
    before the meeting took place; B11 (004 §43-44): only group members with a confidentiality declaration
    attend and appear in the protocol."""
    card = group.card
    _require(perms.can_work_in_group(acting_user, card))
    errors = {}
    if held_on > _today(today):
        errors["held_on"] = _("Spotkanie nie mogło odbyć się w przyszłości – zapisuje się je po spotkaniu.")
    if not at_seat and not place_reason.strip():
        errors["place_reason"] = _("Spotkanie poza siedzibą Zespołu wymaga uzasadnienia; dokumentacja pozostaje w "
                                   "siedzibie (B9, 004 §30).")
    if third_persons.strip() and not third_persons_reason.strip():
        errors["third_persons_reason"] = _("Obecność osób trzecich wymaga uzasadnienia, np. tłumacz lub stan "
                                           "zdrowia (B9, 004 §37).")
    attendees = list(attendees)
    if not attendees:
        errors["attendees"] = _("Zaznacz obecnych członków grupy.")
    elif any(a.group_id != group.pk for a in attendees):
        errors["attendees"] = _("Obecni muszą być członkami tej grupy.")
    else:
        declared = _declared_ids(card.team)
        undeclared = [a for a in attendees if a.user_id not in declared]
        if undeclared:
            errors["attendees"] = _(
                "Bez oświadczenia o zachowaniu tajemnicy nie można uczestniczyć w spotkaniu grupy ani widnieć w "
                "jego protokole: %(names)s (B11, 004 §43-44).") % {"names": ", ".join(str(a) for a in undeclared)}
    if card.status == CardStatus.CLOSED:
        errors["held_on"] = _("Procedura jest zakończona.")
    if errors:
        raise ValidationError(errors)
    with transition(card, CARD, "spotkanie-grupy", acting_user=acting_user,
                    reason=_("Spotkanie grupy %(d)s") % {"d": held_on.strftime("%d.%m.%Y")}) as card:
        meeting = GroupMeeting.objects.create(
            group=group, held_on=held_on, at_seat=at_seat, place=place or card.team.seat,
            place_reason=place_reason if not at_seat else "", third_persons=third_persons,
            third_persons_reason=third_persons_reason, findings=findings, recorded_by=acting_user,
            protocol_sent_at=timezone.now())
        meeting.attendees.set(attendees)
        document_request(card, kind=GROUP_PROTOCOL_KIND, title=_("Protokół ze spotkania grupy – karta nr %(n)s")
                         % {"n": card.signature}, template_name="pdf/bluecard/group_protocol.html",
                         context={**_group_protocol_context(meeting), "group_meeting_id": meeting.pk},
                         acting_user=acting_user)
        chair = chair_of(card.team)
        if chair is not None:
            outbox_enqueue(key=f"bluecard:group-protocol:{meeting.pk}", to=chair.email, user=chair.user,
                           subject=_("Zespół Interdyscyplinarny – protokół ze spotkania grupy"),
                           body_text=render_to_string("bluecard/email/group_protocol.txt", {
                               "url": _site(card.get_absolute_url()), "card": card}))
        deadline_meet(card, "bluecard_group_first_meeting")
    return meeting


@transaction.atomic
def help_action_add(card: BlueCard, *, description: str, responsible: str, due_on: date | None = None,
                    acting_user) -> HelpAction:
    """B9-B10: an action of the individual help plan."""
    _require(perms.can_work_in_group(acting_user, card))
    if card.status == CardStatus.CLOSED:
        raise ValidationError(_("Procedura jest zakończona."))
    if not description.strip():
        raise ValidationError({"description": _("Opisz działanie.")})
    with transition(card, CARD, "plan-pomocy", acting_user=acting_user) as locked:
        return HelpAction.objects.create(card=locked, description=description, responsible=responsible,
                                         due_on=due_on)


@transaction.atomic
def help_action_complete(action: HelpAction, *, done_on: date, acting_user,
                         today: date | None = None) -> HelpAction:
    _require(perms.can_work_in_group(acting_user, action.card))
    if done_on > _today(today):
        raise ValidationError(_("Data wykonania nie może być z przyszłości."))
    action.done_on = done_on
    action.save(update_fields=["done_on"])
    return action


def _closure_context(card: BlueCard, closure: Closure) -> dict:
    return {
        "team": card.team.name, "card": card.signature, "person_experiencing": card.person_experiencing,
        "persons_suspected": card.persons_suspected, "children": card.children,
        "start": card.received_on.strftime("%d.%m.%Y"), "end": closure.decided_on.strftime("%d.%m.%Y"),
        "reason": closure.get_reason_display(), "forum": closure.get_forum_display(),
        "transferred_to": closure.transferred_to, "actions_summary": closure.actions_summary,
        "actions": [{"description": a.description, "responsible": a.responsible,
                     "done": a.done_on.strftime("%d.%m.%Y") if a.done_on else ""} for a in card.help_actions.all()],
        "chair": str(chair_of(card.team)),
    }


@transaction.atomic
def closure_propose(card: BlueCard, *, reason: str, forum: str, decided_on: date, actions_summary: str,
                    transferred_to: str = "", acting_user, today: date | None = None) -> Closure:
    """B10 (004 §32-34): one of the three reasons, decided at a group, subteam or Team meeting; the closure
    protocol (persons, start and end dates, actions) goes to the chair's signature through the approval flow."""
    _require(perms.can_work_in_group(acting_user, card))
    errors = {}
    if decided_on > _today(today) or decided_on < card.received_on:
        errors["decided_on"] = _("Data zakończenia musi przypadać między wpływem karty a dniem dzisiejszym.")
    if reason == ClosureReason.VIOLENCE_STOPPED and card.help_actions.filter(done_on__isnull=True).exists():
        errors["reason"] = _("Zakończenie z powodu ustania przemocy wymaga zrealizowania indywidualnego planu "
                             "pomocy – są niewykonane działania (B10, 004 §32 pkt 1).")
    if reason == ClosureReason.TRANSFERRED and not transferred_to.strip():
        errors["transferred_to"] = _("Wskaż zespół, któremu przekazano procedurę (004 §32 pkt 3).")
    if not actions_summary.strip():
        errors["actions_summary"] = _("Opis podjętych działań jest częścią protokołu (004 §34 pkt 3).")
    if errors:
        raise ValidationError(errors)
    # The card row is locked and its state re-checked: a second request (a double click, a replayed POST)
    # finds the card in signature and is refused; the database keeps one pending closure per card.
    with transition(card, CARD, "zakoncz", acting_user=acting_user,
                    reason=_("Zakończenie procedury: %(r)s") % {"r": ClosureReason(reason).label}) as locked:
        closure = _create_once(
            Closure, _("Protokół zakończenia tej procedury jest już w podpisie Przewodniczącego (B10)."),
            card=locked, reason=reason, forum=forum, decided_on=decided_on, actions_summary=actions_summary,
            transferred_to=transferred_to, recorded_by=acting_user)
        document = document_render_now(locked, kind=CLOSURE_DOCUMENT_KIND,
                                       title=_("Protokół zakończenia procedury – karta nr %(n)s")
                                       % {"n": locked.signature},
                                       template_name="pdf/bluecard/closure_protocol.html",
                                       context=_closure_context(locked, closure), acting_user=acting_user)
        closure.document = document
        closure.save(update_fields=["document"])
        _start_chair_signature(document, locked.team)
    return closure


def closure_finished(flow: ApprovalFlow) -> None:
    """Approval finisher (B10, 004 §34-36): signed by the chair -> the procedure ends and the participating
    institutions are told; returned -> the card goes back to its previous state."""
    card = flow.document.content_object
    closure = Closure.objects.select_for_update().filter(card=card, document=flow.document).first()
    if closure is None or closure.status != Closure.Status.IN_SIGNATURE:
        return
    actor = _last_actor(flow)
    if flow.status == ApprovalFlow.Status.APPROVED:
        _check_signed_by_leader(flow, card.team)
        with transition(card, CARD, "podpisano", acting_user=actor) as locked:
            closure.status = Closure.Status.SIGNED
            closure.signed_at = timezone.now()
            locked.closed_on = closure.decided_on
            _notify_institutions(locked, closure)
            for kind in ("bluecard_notification", "bluecard_group_assign", "bluecard_group_first_meeting"):
                deadline_cancel(locked, kind)
            closure.save()
    else:
        action = ("zwrocono-do-grupy" if WorkingGroup.objects.filter(card=card).exists()
                  else "zwrocono-do-zespolu" if card.subteam_decisions.exists() else "zwrocono")
        with transition(card, CARD, action, acting_user=actor):
            closure.status = Closure.Status.RETURNED
            closure.save()


def _notify_institutions(card: BlueCard, closure: Closure) -> None:
    """004 §36: the institutions taking part (the group's members) are told that the procedure ended."""
    recipients = {}
    group = WorkingGroup.objects.filter(card=card).first()
    if group is not None:
        for member in group.members.select_related("user"):
            if member.user.email:
                recipients[member.user.email] = member.user
    for index, (email, user) in enumerate(sorted(recipients.items(), key=lambda item: item[0])):
        outbox_enqueue(key=f"bluecard:closure:{closure.pk}:{index}", to=email, user=user,
                       subject=_("Zespół Interdyscyplinarny – zakończenie procedury"),
                       body_text=render_to_string("bluecard/email/closure.txt", {"card": card, "closure": closure}))
    closure.institutions_notified_at = timezone.now()


# --- breaches (B11), reports (B12) ------------------------------------------------------------------


@transaction.atomic
def breach_report(*, team: Team, occurred_on: date, description: str, acting_user,
                  today: date | None = None) -> BreachReport:
    """B11 (004 §47): a breach is reported to the chair and the vice-chair at once (e-mail via the outbox)."""
    _require(perms.can_report_breach(acting_user, team))
    if occurred_on > _today(today):
        raise ValidationError({"occurred_on": _("Data zdarzenia nie może być z przyszłości.")})
    if not description.strip():
        raise ValidationError({"description": _("Opisz naruszenie.")})
    report = BreachReport.objects.create(team=team, reported_by=acting_user, occurred_on=occurred_on,
                                         description=description)
    for leader in leaders_of(team):
        outbox_enqueue(key=f"bluecard:breach:{report.pk}:{leader.pk}", to=leader.email, user=leader.user,
                       subject=_("Pilne: zgłoszenie naruszenia ochrony danych"),
                       body_text=render_to_string("bluecard/email/breach.txt", {
                           "url": _site(reverse("bluecard:breaches")), "report": report}))
    return report


def annual_report_due(year: int) -> date:
    """B12 (004 §55): by 31 January of the following year (K3: moved to the next working day)."""
    return calendar.roll_to_working_day(date(year + 1, 1, 31))


def annual_report_deadline_open(team: Team, year: int) -> None:
    """B12: the chair's deadline for the annual report, in the digest like every deadline (K5)."""
    chair = chair_of(team)
    if chair is None or AnnualReport.objects.filter(team=team, year=year).exists():
        return
    deadline_open(team, kind=f"bluecard_annual_report_{year}", rule="B12", due=annual_report_due(year),
                  label=_("Sprawozdanie z pracy Zespołu Interdyscyplinarnego za rok %(y)s") % {"y": year},
                  responsible_user=chair.user, url=reverse("bluecard:statistics"))


@transaction.atomic
def refresh_chair_deadlines(team: Team, *, today: date | None = None) -> None:
    """B2, B12: the daily check (``bluecard.tasks.bluecard_daily_checks``); idempotent — ``deadline_open``
    replaces an open deadline of the same kind."""
    today = _today(today)
    _refresh_ordinary_deadline(team)
    annual_report_deadline_open(team, today.year)
    if today <= annual_report_due(today.year - 1):
        annual_report_deadline_open(team, today.year - 1)


@transaction.atomic
def annual_report_generate(team: Team, *, year: int, acting_user) -> AnnualReport:
    """B12 (004 §54-55): the annual report for the President, as a PDF; meets the 31 January deadline."""
    from .selectors import statistics

    _require(perms.can_see_statistics(acting_user, team))
    if year > timezone.localdate().year:
        raise ValidationError({"year": _("Sprawozdanie dotyczy roku, który już trwa lub minął.")})
    data = statistics(team, year)
    report, _created = AnnualReport.objects.update_or_create(
        team=team, year=year, defaults={"statistics": data, "generated_by": acting_user,
                                        "generated_at": timezone.now()})
    document_request(report, kind=ANNUAL_REPORT_KIND, title=_("Sprawozdanie z pracy Zespołu za rok %(y)s")
                     % {"y": year}, template_name="pdf/bluecard/annual_report.html",
                     context={"stats": data, "team": team.name, "year": year}, acting_user=acting_user)
    deadline_meet(team, f"bluecard_annual_report_{year}")
    return report
