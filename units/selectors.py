"""Read-side helpers of the chart."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from mopr.memo import request_memo

from .models import LEADING_POSITIONS, Membership, Position, Supervision, Unit, active_on

POSITION_RANK = {
    Position.DIRECTOR: 0,
    Position.DEPUTY_DIRECTOR: 1,
    Position.CHIEF_ACCOUNTANT: 2,
    Position.DEPUTY_CHIEF_ACCOUNTANT: 3,
    Position.HEAD: 4,
    Position.DEPUTY_HEAD: 5,
    Position.EMPLOYEE: 6,
}


def active_memberships(user, day: date | None = None):
    day = day or timezone.localdate()
    return Membership.objects.filter(active_on(day), user=user).select_related("unit", "unit__institution")


def is_superior(boss, person, day: date | None = None) -> bool:
    """Whether ``boss`` is ``person``'s superior on ``day``: the Director; the head (or another leading
    position, ``LEADING_POSITIONS``) of the person's unit ranking above the person, or of a unit above it; or
    whoever supervises such a unit (C6 in complaints; the initials of U6 read ``units.signing.superiors_chain``)."""
    if boss is None or person is None or boss.pk == person.pk:
        return False
    day = day or timezone.localdate()
    boss_memberships = list(Membership.objects.filter(active_on(day), user=boss))
    if any(m.position == Position.DIRECTOR for m in boss_memberships):
        return True
    boss_leads = {m.unit_id: m.position for m in boss_memberships if m.position in LEADING_POSITIONS}
    supervised = set(Supervision.objects.filter(active_on(day), supervisor=boss).values_list("unit_id", flat=True))
    for membership in Membership.objects.filter(active_on(day), user=person).select_related("unit"):
        chain = [membership.unit, *membership.unit.ancestors()]
        for index, node in enumerate(chain):
            if node.pk in supervised:
                return True
            if node.pk in boss_leads:
                if index > 0 or POSITION_RANK[boss_leads[node.pk]] < POSITION_RANK.get(membership.position, 9):
                    return True
    return False


@request_memo
def primary_membership(user, day: date | None = None) -> Membership | None:
    """The user's highest position today (shown in the header)."""
    memberships = list(active_memberships(user, day))
    if not memberships:
        return None
    return min(memberships, key=lambda m: POSITION_RANK.get(m.position, 9))


def chart_as_of(institution, day: date) -> list[dict]:
    """The tree on ``day`` (U8): units in depth-first order with their heads, deputies and supervisor,
    in a fixed number of queries whatever the size of the chart."""
    units = list(Unit.objects.filter(institution=institution).order_by("order", "symbol"))
    memberships = list(Membership.objects.filter(active_on(day), unit__institution=institution).select_related("user"))
    supervisions = list(
        Supervision.objects.filter(active_on(day), unit__institution=institution).select_related("supervisor")
    )
    heads, deputies, management = {}, {}, {}
    staff_count: dict[int, int] = {}
    for m in memberships:
        staff_count[m.unit_id] = staff_count.get(m.unit_id, 0) + 1
        if m.position == Position.HEAD or (m.position == Position.DEPUTY_CHIEF_ACCOUNTANT and m.unit_id not in heads):
            heads[m.unit_id] = m.user
        elif m.position == Position.DEPUTY_HEAD:
            deputies.setdefault(m.unit_id, []).append(m.user)
        elif m.position in (Position.DIRECTOR, Position.DEPUTY_DIRECTOR, Position.CHIEF_ACCOUNTANT):
            management.setdefault(m.position, []).append(m.user)
    supervisor = {s.unit_id: s.supervisor for s in supervisions}
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    rows: list[dict] = []

    def walk(parent_id, depth):
        for unit in children.get(parent_id, []):
            rows.append(
                {
                    "unit": unit,
                    "depth": depth,
                    "head": heads.get(unit.pk),
                    "deputies": deputies.get(unit.pk, []),
                    "supervisor": supervisor.get(unit.pk),
                    "staff_count": staff_count.get(unit.pk, 0),
                    "has_children": bool(children.get(unit.pk)),
                }
            )
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return rows
