"""Who may do what in the office's own registers, staff matters and care districts (DOMAIN R1-R4, U7), on top
of the permission service's role groups. Callers ask ``units.permissions`` (it answers with these, imported at its
end); this module only keeps that file to one subject."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.utils import timezone

from mopr.memo import request_memo

from . import signing
from .models import (
    LEADING_POSITIONS,
    Institution,
    Membership,
    Position,
    Unit,
    UnitRole,
    active_on,
)
from .permissions import acting_director, register_keeper_institution, unit_roles

# --- the staff registers (R2, R4) --------------------------------------------------------------------------------


def is_head_of_institution(user, institution: Institution) -> bool:
    """The Director (Kraśnik: the Kierownik) on today's chart, or whoever acts for them today (U4)."""
    if not user.is_authenticated or institution is None:
        return False
    day = timezone.localdate()
    if user.pk in {person.pk for person in signing.holders(institution, Position.DIRECTOR, day)}:
        return True
    acting = acting_director(institution, day)
    return acting is not None and acting.pk == user.pk


def is_personnel_keeper(user, institution: Institution) -> bool:
    """The unit that organises the periodic evaluations (000 §18 pkt 1: DKA; Kraśnik: DFK)."""
    keeper = register_keeper_institution(user)
    return keeper is not None and institution is not None and keeper.pk == institution.pk


def may_manage_evaluations(user, institution: Institution) -> bool:
    """R2: the round overview and the opening of a round: DKA and the head of the institution."""
    return is_personnel_keeper(user, institution) or is_head_of_institution(user, institution)


def may_view_evaluation(user, evaluation) -> bool:
    """R2: the employee (own only), the evaluator, the head of the institution and DKA; nobody else."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.pk in (evaluation.employee_id, evaluation.evaluator_id):
        return True
    return may_manage_evaluations(user, evaluation.round.institution)


def may_fill_evaluation(user, evaluation) -> bool:
    return user.is_authenticated and user.pk == evaluation.evaluator_id


def may_acknowledge_evaluation(user, evaluation) -> bool:
    return user.is_authenticated and user.pk == evaluation.employee_id


def may_decide_appeal(user, evaluation) -> bool:
    """001 §26: the appeal goes to the head of the institution."""
    return is_head_of_institution(user, evaluation.round.institution)


def may_publish_regulations(user, institution: Institution) -> bool:
    """R4: DKA (draws up and registers the institution's acts, 000 §18 pkt 2) and the head of the institution."""
    return may_manage_evaluations(user, institution)


def led_unit_ids(user, day: date | None = None) -> list[int]:
    """R4 (000 §42): the units whose head (or deputy head) the person is, with the units below them."""
    day = day or timezone.localdate()
    led = set(
        Membership.objects.filter(active_on(day), user=user, position__in=LEADING_POSITIONS).values_list(
            "unit_id", flat=True
        )
    )
    if not led:
        return []
    units = list(Unit.objects.filter(institution__units__in=led).distinct().values_list("pk", "parent_id"))
    result, frontier = set(led), set(led)
    while frontier:
        frontier = {pk for pk, parent in units if parent in frontier and pk not in result}
        result |= frontier
    return sorted(result)


# --- the registers of the engine (R1, U7) ---------------------------------------------------------------------


@request_memo
def is_director(user) -> bool:
    """The Director today (a membership on the Director's post; the person acting for the Director is not the
    Director for the confidential registers)."""
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(active_on(timezone.localdate()), user=user, position=Position.DIRECTOR).exists()


def register_may_work(user, register) -> bool:
    """R1, U7: the keeper unit's members work on its register (enter and change entries)."""
    if not user.is_authenticated or not user.is_active or not register.is_active:
        return False
    return (register.keeper_id, UnitRole.STAFF) in unit_roles(user)


def register_may_view(user, register) -> bool:
    """R1, U7: the keeper unit's members and its oversight (heads above it, supervisors, the Director) see the
    register; a confidential register (the IOD's) only the keeper unit's members and the Director."""
    if not user.is_authenticated or not user.is_active:
        return False
    roles = unit_roles(user)
    if (register.keeper_id, UnitRole.STAFF) in roles:
        return True
    if register.confidential:
        return is_director(user)
    return (register.keeper_id, UnitRole.OVERSIGHT) in roles


def registers_visible(user, queryset) -> list:
    """The registers of ``queryset`` the user may see (one query for the registers, one for the user's roles)."""
    return [register for register in queryset.select_related("keeper") if register_may_view(user, register)]


# --- care districts (R3; 001 §21.1-2) ---------------------------------------------------------------------------

# The units of social workers whose heads keep the care districts, besides the head of the institution (001 §21.1:
# the social workers of Kraśnik's Dział Pomocy Środowiskowej; Białystok's Zespoły Pracowników Socjalnych, 000 §29).
SOCIAL_WORK_UNITS = {
    "bialystok": ("ZPS Nr 1", "ZPS Nr 2", "ZPS Nr 3", "ZPS Nr 4"),
    "krasnik": ("DPŚ",),
}


def district_institution(user) -> Institution | None:
    """R3: the institution whose care districts the person reads: staff of the institution today (any active
    membership), or the holders of the admin's view permission. One query."""
    if not user.is_authenticated or not user.is_active:
        return None
    membership = (
        Membership.objects.filter(active_on(timezone.localdate()), user=user)
        .select_related("unit__institution")
        .order_by("pk")
        .first()
    )
    if membership is not None:
        return membership.unit.institution
    if user.has_perm("units.view_caredistrict"):
        return Institution.objects.order_by("pk").first()
    return None


def may_keep_districts(user, institution: Institution | None) -> bool:
    """R3 (001 §21.2): the head of the institution (or whoever acts for them today) and the heads and deputy heads
    of the social-work units set the districts, their streets and their workers."""
    if institution is None or not user.is_authenticated or not user.is_active:
        return False
    today = timezone.localdate()
    symbols = SOCIAL_WORK_UNITS.get(institution.code, ())
    leads = Membership.objects.filter(active_on(today), user=user, unit__institution=institution).filter(
        Q(position=Position.DIRECTOR) | Q(position__in=LEADING_POSITIONS, unit__symbol__in=symbols)
    )
    if leads.exists():
        return True
    acting = acting_director(institution, today)
    return acting is not None and acting.pk == user.pk
