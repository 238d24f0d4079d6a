"""The Team, its members and their confidentiality declarations, the deadline presets (B1, B11, B13)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mopr.procedures import lock, record_change

from .. import permissions as perms
from ..models import (
    PRESETS,
    BlueCard,
    ConfidentialityDeclaration,
    MemberRole,
    NotificationContent,
    Team,
    TeamMember,
    TerminologyPreset,
    WorkingGroupMember,
)
from .cards import _sync_card_grants
from .common import (
    _require,
    _today,
)
from .reports import annual_report_deadline_open


@transaction.atomic
def team_create(
    *, institution, seat_unit, name: str, seat: str, preset: str = TerminologyPreset.ORG_2016, acting_user
) -> Team:
    """B1, B13: a Team with its two access groups; the deadline values come from the preset."""
    if not (acting_user.is_superuser or acting_user.has_perm("bluecard.add_team")):
        raise PermissionDenied(_("Zespół tworzy administrator systemu."))
    declared = Group.objects.create(name=f"bluecard:team:{name[:40]}:{timezone.now().timestamp()}:declared")
    leaders = Group.objects.create(name=f"bluecard:team:{name[:40]}:{timezone.now().timestamp()}:leaders")
    team = Team(
        institution=institution,
        seat_unit=seat_unit,
        name=name,
        seat=seat,
        preset=preset,
        declared_group=declared,
        leaders_group=leaders,
    )
    _apply_preset_values(team, preset)
    team.save()
    declared.name, leaders.name = f"bluecard:team:{team.pk}:declared", f"bluecard:team:{team.pk}:leaders"
    declared.save()
    leaders.save()
    return team


def _apply_preset_values(team: Team, preset: str) -> None:
    values = PRESETS[TerminologyPreset(preset)]
    team.preset = preset
    for field in (
        "notification_days",
        "extraordinary_notice_working_days",
        "ordinary_notice_months",
        "ordinary_interval_months",
        "remarks_days",
        "group_assign_working_days",
        "group_first_meeting_working_days",
    ):
        setattr(team, field, values[field])


@transaction.atomic
def team_apply_preset(team: Team, *, preset: str, acting_user) -> Team:
    """B13: switch terminology and deadline values between the 004 (2016) and 2023 presets."""
    _require(perms.is_chair(acting_user, team) or acting_user.has_perm("bluecard.change_team"))
    _apply_preset_values(team, preset)
    team.save()
    return team


@transaction.atomic
def team_notification_content_set(team: Team, *, content: str, acting_user) -> Team:
    """B7 (004 §23): the Team's recorded choice of what the e-mail about a received card names besides its
    number: the person's name (the default, as the seed says) or a link to the card in the system. The Team's
    history keeps who changed it and when."""
    _require(perms.is_chair(acting_user, team) or acting_user.has_perm("bluecard.change_team"))
    if content not in NotificationContent.values:
        raise ValidationError({"content": _("Wybierz jedną z możliwości.")})
    locked = lock(team)
    locked.notification_content = content
    record_change(locked, acting_user=acting_user, reason=_("B7: treść powiadomienia o karcie"))
    locked.save()
    team.notification_content = content
    return locked


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
def member_appoint(
    *,
    team: Team,
    user,
    represented_institution: str,
    email: str,
    role: str = MemberRole.MEMBER,
    order_number: str,
    order_date: date,
    acting_user,
) -> TeamMember:
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
    if (
        role != MemberRole.MEMBER
        and TeamMember.objects.filter(team=team, role=role, dismissing_order_date__isnull=True).exists()
    ):
        raise ValidationError({"role": _("Zespół ma już osobę pełniącą tę funkcję (B1).")})
    member = TeamMember(
        team=team,
        user=user,
        represented_institution=represented_institution,
        email=email,
        role=role,
        appointing_order_number=order_number,
        appointing_order_date=order_date,
    )
    member.full_clean()
    member.save()
    _sync_team_groups(team)
    if role == MemberRole.CHAIR:
        annual_report_deadline_open(team, order_date.year)
    return member


@transaction.atomic
def member_dismiss(
    member: TeamMember, *, order_number: str, order_date: date, acting_user, reason: str = ""
) -> TeamMember:
    """B1 (004 §49): dismissed by order; access ends at once (groups and per-card grants re-synced). The
    ``reason`` typed on the confirmation page (``mopr.forms.confirm_page``) goes into the history (else the
    order's number)."""
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
    default = _("Odwołanie zarządzeniem %(n)s") % {"n": order_number}
    record_change(locked, acting_user=acting_user, reason=reason.strip() or default)
    locked.save()
    member.dismissing_order_number, member.dismissing_order_date = order_number, order_date
    # A dismissed member leaves the Team's groups too (the subteam re-adds them if still involved, B8).
    for row in WorkingGroupMember.objects.filter(group__card__team=member.team, user=member.user, left_on__isnull=True):
        row.left_on = order_date
        row.save(update_fields=["left_on"])
    _sync_team_groups(member.team)
    for card in _cards_of_person(member.user):
        _sync_card_grants(card)
    return member


@transaction.atomic
def declaration_record(
    *, team: Team, user, capacity: str, declared_on: date, acting_user, today: date | None = None
) -> ConfidentialityDeclaration:
    """B11 (004 §43-44, Załącznik nr 3): recorded before any case data is opened; opens what the person is
    entitled to (the list, and the cards of their subteam or group)."""
    self_declaring = acting_user.pk == user.pk and perms.can_declare(user, team)
    _require(self_declaring or perms.can_record_declaration_for_others(acting_user, team))
    if declared_on > _today(today):
        raise ValidationError({"declared_on": _("Data oświadczenia nie może być z przyszłości.")})
    if ConfidentialityDeclaration.objects.filter(team=team, user=user).exists():
        raise ValidationError(_("Oświadczenie tej osoby jest już zarejestrowane."))
    declaration = ConfidentialityDeclaration.objects.create(
        team=team, user=user, capacity=capacity, declared_on=declared_on, recorded_by=acting_user
    )
    _sync_team_groups(team)
    for card in _cards_of_person(user):
        _sync_card_grants(card)
    return declaration
