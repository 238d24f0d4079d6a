"""The permission service every domain app calls (U7, ARCHITECTURE.md "Permissions").

* Each unit has three guardian groups: ``unit:<id>:staff`` (active members), ``unit:<id>:heads``
  (its head and deputy heads, and the heads of the units above it) and ``unit:<id>:oversight``
  (heads, plus whoever supervises it or a unit above it, the Director and whoever acts for the Director
  today). Membership is derived from the chart by ``recompute_unit_groups`` in one transaction; records
  are never touched.
* A domain model declares ``UNIT_ROLE_PERMS = {"staff": [...], "heads": [...], "oversight": [...]}``:
  which codenames each role of the record's unit holds. ``grant_unit_perms`` writes those as guardian
  group object permissions (a few rows per record, on the direct foreign-key tables).
* ``visible(user, qs, perm)`` is a fixed two SQL statements (the user's role units, memoised per request,
  then the records): records whose unit is covered by one of the user's role groups holding ``perm``, plus
  records with an explicit user or group grant. ``may`` answers for
  one record through guardian's object rows.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import F, Field, Lookup, Q, QuerySet
from django.utils import timezone
from guardian.core import ObjectPermissionChecker
from guardian.shortcuts import assign_perm, remove_perm
from guardian.utils import get_group_obj_perms_model, get_user_obj_perms_model

from mopr.memo import request_memo

from . import signing
from .models import (
    LEADING_POSITIONS,
    MANAGEMENT_POSITIONS,
    Institution,
    Membership,
    Position,
    Supervision,
    Unit,
    UnitGroup,
    UnitRole,
    active_on,
)

IOD_GROUP = "rola:iod"
ADMIN_GROUP = "rola:administrator"

# What the org-structure administrator edits: the chart, never accounts, groups or permissions (those follow
# from the chart and the services; ARCHITECTURE "No side doors"). Approval flows are read-only for them.
CHART_ADMIN_MODELS = (
    "institution",
    "unit",
    "membership",
    "supervision",
    "absence",
    "authorization",
    "deputysigningscope",
    "register",  # R1: the register definitions (fields, sign format, keeper); entries are not theirs
)
ACCOUNT_PERMISSIONS = [
    f"{action}_{model}" for action in ("add", "change", "delete") for model in ("user", "group", "permission")
]


def chart_admin_group() -> Group:
    """The administrator role (``rola:administrator``) with exactly the chart's permissions: add, change,
    delete and view the units, memberships, supervision, absences and authorisations; view approval flows;
    view accounts (to pick a person). Recreated the same on every call (idempotent)."""
    group, _created = Group.objects.get_or_create(name=ADMIN_GROUP)
    chart = Q(content_type__app_label="units", content_type__model__in=CHART_ADMIN_MODELS)
    views = (
        Q(content_type__app_label="units", codename__in=["view_approvalflow", "view_approvalstep"])
        | Q(content_type__app_label="auth", codename="view_user")
        | Q(content_type__app_label="mopr", codename__in=["view_outboxemail", "change_outboxemail"])
    )
    group.permissions.set(Permission.objects.filter(chart | views))
    return group


# --- the chart -> groups -------------------------------------------------------------------------


def _group_for(unit: Unit, role: str) -> Group:
    unit_group = UnitGroup.objects.filter(unit=unit, role=role).select_related("group").first()
    if unit_group:
        return unit_group.group
    group, _ = Group.objects.get_or_create(name=f"unit:{unit.pk}:{role}")
    UnitGroup.objects.create(group=group, unit=unit, role=role)
    return group


def unit_group(unit: Unit, role: str) -> Group:
    """The guardian group of ``unit`` for ``role`` (created on first use)."""
    return _group_for(unit, role)


def acting_director(institution: Institution, day: date):
    """U4: who acts with the Director's powers on ``day`` (see ``units.signing``)."""
    return signing.acting_for_director(institution, day)


def desired_memberships(institution: Institution, day: date) -> dict[int, set[int]]:
    """group id -> user ids, derived from the chart as it stands on ``day``."""
    units = list(Unit.objects.filter(institution=institution))
    by_id = {unit.pk: unit for unit in units}
    chain: dict[int, list[int]] = {}
    for unit in units:
        ids, node, seen = [unit.pk], unit, {unit.pk}
        while node.parent_id and node.parent_id not in seen:
            ids.append(node.parent_id)
            seen.add(node.parent_id)
            node = by_id[node.parent_id]
        chain[unit.pk] = ids

    memberships = list(Membership.objects.filter(active_on(day), unit__institution=institution))
    staff: dict[int, set[int]] = defaultdict(set)
    heads_of: dict[int, set[int]] = defaultdict(set)
    directors: set[int] = set()
    for membership in memberships:
        staff[membership.unit_id].add(membership.user_id)
        if membership.position in LEADING_POSITIONS:
            heads_of[membership.unit_id].add(membership.user_id)
        if membership.position == Position.DIRECTOR:
            directors.add(membership.user_id)
    acting = acting_director(institution, day)
    if acting is not None:
        directors.add(acting.pk)
    supervisors: dict[int, set[int]] = defaultdict(set)
    for supervision in Supervision.objects.filter(active_on(day), unit__institution=institution):
        supervisors[supervision.unit_id].add(supervision.supervisor_id)

    desired: dict[int, set[int]] = {}
    for unit in units:
        heads = set().union(*(heads_of[uid] for uid in chain[unit.pk]))
        oversight = heads | set().union(*(supervisors[uid] for uid in chain[unit.pk])) | directors
        desired[_group_for(unit, UnitRole.STAFF).pk] = set(staff[unit.pk])
        desired[_group_for(unit, UnitRole.HEADS).pk] = heads
        desired[_group_for(unit, UnitRole.OVERSIGHT).pk] = oversight
    iod_units = [unit.pk for unit in units if unit.symbol == "IOD"]
    iod_group, _ = Group.objects.get_or_create(name=IOD_GROUP)
    _ensure_iod_permissions(iod_group)
    desired[iod_group.pk] = set().union(*(staff[uid] for uid in iod_units)) if iod_units else set()
    return desired


def _ensure_iod_permissions(group: Group) -> None:
    wanted = Permission.objects.filter(
        content_type__app_label="mopr",
        codename__in=["view_accesslog", "view_securityevent", "view_outboxemail", "change_outboxemail"],
    )
    group.permissions.add(*wanted)


@transaction.atomic
def recompute_unit_groups(institution: Institution | None = None, day: date | None = None) -> dict[str, int]:
    """Bring the unit-role groups in line with the chart: one transaction, only group rows change."""
    day = day or timezone.localdate()
    through = get_user_model().groups.through
    added = removed = 0
    for inst in [institution] if institution else Institution.objects.all():
        desired = desired_memberships(inst, day)
        current: dict[int, set[int]] = defaultdict(set)
        for group_id, user_id in through.objects.filter(group_id__in=desired.keys()).values_list("group_id", "user_id"):
            current[group_id].add(user_id)
        to_add, to_remove = [], Q(pk__in=[])
        for group_id, users in desired.items():
            for user_id in users - current[group_id]:
                to_add.append(through(group_id=group_id, user_id=user_id))
            gone = current[group_id] - users
            if gone:
                to_remove |= Q(group_id=group_id, user_id__in=gone)
        through.objects.bulk_create(to_add, ignore_conflicts=True)
        removed += through.objects.filter(to_remove).delete()[0]
        added += len(to_add)
    return {"added": added, "removed": removed}


def schedule_recompute(institution: Institution | None = None) -> None:
    """Recompute after the current transaction (used by the chart's services)."""
    transaction.on_commit(lambda: recompute_unit_groups(institution))


# --- records -> guardian rows ----------------------------------------------------------------------


def _codename(perm: str) -> str:
    return perm.split(".", 1)[1] if "." in perm else perm


def unit_role_perms(model) -> dict[str, list[str]]:
    return getattr(model, "UNIT_ROLE_PERMS", {})


def grant_unit_perms(obj, unit: Unit | None = None) -> None:
    """Give the record's unit-role groups their permissions on it (on create, and again on move)."""
    unit = unit or obj.unit
    for role, codenames in unit_role_perms(type(obj)).items():
        group = _group_for(unit, role)
        for codename in codenames:
            assign_perm(codename, group, obj)


def revoke_unit_perms(obj, unit: Unit) -> None:
    for role, codenames in unit_role_perms(type(obj)).items():
        group = _group_for(unit, role)
        for codename in codenames:
            remove_perm(codename, group, obj)


def move_record(obj, new_unit: Unit) -> None:
    """Move a record to another unit: its old unit's groups lose it, the new unit's gain it."""
    old_unit = obj.unit
    if old_unit.pk == new_unit.pk:
        return
    revoke_unit_perms(obj, old_unit)
    obj.unit = new_unit
    obj.save(update_fields=["unit"])
    grant_unit_perms(obj, new_unit)


def grant_user(user, perm: str, obj) -> None:
    """An explicit per-object grant (a person named on one matter)."""
    assign_perm(_codename(perm), user, obj)


def revoke_user(user, perm: str, obj) -> None:
    remove_perm(_codename(perm), user, obj)


def grant_group(group: Group, perm: str, obj) -> None:
    """An explicit grant to a group (e.g. the heads of another unit asked to explain one complaint)."""
    row = assign_perm(_codename(perm), group, obj)
    if hasattr(row, "explicit") and not row.explicit:
        type(row).objects.filter(pk=row.pk).update(explicit=True)


def revoke_group(group: Group, perm: str, obj) -> None:
    remove_perm(_codename(perm), group, obj)


# --- the two questions: which records, and this one? -----------------------------------------------


def roles_with(model, perm: str) -> list[str]:
    codename = _codename(perm)
    return [role for role, codenames in unit_role_perms(model).items() if codename in codenames]


@request_memo
def _group_rows(user) -> tuple[tuple[int, int | None, str | None], ...]:
    """(group id, unit id, role) of every group the user is in (unit and role empty for groups that are not a
    unit's role group): one small query, memoised per request, answering both helpers below."""
    return tuple(Group.objects.filter(user=user).values_list("id", "unit_role__unit_id", "unit_role__role"))


def unit_roles(user) -> frozenset[tuple[int, str]]:
    """(unit id, role) of every unit-role group the user is in."""
    return frozenset((unit_id, role) for _, unit_id, role in _group_rows(user) if unit_id is not None)


def role_unit_ids(user, roles) -> list[int]:
    """The units whose ``roles`` groups the user is in."""
    return sorted({unit_id for unit_id, role in unit_roles(user) if role in roles})


def visible(user, queryset: QuerySet, perm: str, *, unit_field: str = "unit") -> QuerySet:
    """The records of ``queryset`` the user holds ``perm`` on: two SQL statements, whatever the number of records.

    First the units whose role groups (holding ``perm``) the user is in, read once per request; then one
    statement: the record's unit is one of those units (a literal list, so the planner knows from its statistics
    whether the user sees most of the table or a little of it), or the user has an explicit grant, or one of
    the user's groups has one. The explicit grants are read as arrays (``= ANY(ARRAY(...))`` on PostgreSQL), so
    every branch is indexable: a head who sees 1 700 of a million records gets a bitmap of exactly those, and
    the register's own staff walk the register-order index and stop after one page.
    """
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    model = queryset.model
    codename = _codename(perm)
    condition = Q(pk__in=[])
    roles = roles_with(model, perm)
    rows = _group_rows(user)  # one query answers both the role units and the explicit grants' groups
    if roles:
        unit_ids = sorted({unit_id for _, unit_id, role in rows if unit_id is not None and role in roles})
        if unit_ids:
            condition |= Q(**{f"{unit_field}__in": unit_ids})
    user_model = get_user_obj_perms_model(model)
    group_model = get_group_obj_perms_model(model)
    if getattr(user_model, "objects", None) is not None and not user_model._meta.abstract and _is_direct(user_model):
        condition |= Q(
            pk__any_of=user_model.objects.filter(user_id=user.pk, permission__codename=codename).values(
                "content_object_id"
            )
        )
    if getattr(group_model, "objects", None) is not None and _is_direct(group_model):
        if any(f.name == "explicit" for f in group_model._meta.fields):
            # Only deliberate grants: rows mirroring the record's own unit are covered above.
            explicit = Q(explicit=True)
        else:
            explicit = Q(group__unit_role__isnull=True)
        groups = sorted({group_id for group_id, _, _ in rows})
        if groups:
            condition |= Q(
                pk__any_of=group_model.objects.filter(
                    explicit,
                    group_id__in=groups,
                    permission__codename=codename,
                ).values("content_object_id")
            )
    return queryset.filter(condition)


@Field.register_lookup
class AnyOf(Lookup):
    """``field__any_of=<one-column queryset>``: ``field = ANY(ARRAY(subquery))`` on PostgreSQL, which the planner
    evaluates once and can answer through an index (a bitmap OR with the other branches of ``visible``), where
    ``IN (subquery)`` inside an OR becomes a per-row filter. Other databases get the plain ``IN``."""

    lookup_name = "any_of"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if not rhs.startswith("("):
            rhs = f"({rhs})"
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)
        return f"{lhs} IN {rhs}", (*lhs_params, *rhs_params)


def _is_direct(perm_model) -> bool:
    return any(field.name == "content_object" and field.is_relation for field in perm_model._meta.fields)


def may(user, perm: str, obj) -> bool:
    """Whether the user holds ``perm`` on this one record (guardian's object rows)."""
    if obj is None or not user.is_authenticated or not user.is_active:
        return False
    app_label = obj._meta.app_label
    full = perm if "." in perm else f"{app_label}.{perm}"
    checker = _checker(user)
    if user.is_superuser and getattr(obj, "SPECIAL_CATEGORY", False):
        # B11, C11: special categories are opened by the domain rule alone, never by the superuser flag
        # (guardian answers True to a superuser for every object); only the rows the procedure granted count.
        codename = _codename(full)
        return codename in checker.get_user_perms(obj) or codename in checker.get_group_perms(obj)
    return checker.has_perm(_codename(full), obj)


@request_memo
def _checker(user):
    """Guardian's checker caches every permission the user holds on an object after the first question about
    it; one per user for the length of a safe request (``mopr.memo``), a fresh one everywhere else."""
    return ObjectPermissionChecker(user)


def is_iod(user) -> bool:
    return user.is_authenticated and user.groups.filter(name=IOD_GROUP).exists()


# --- the registers the chart's keeper unit keeps (U4, U5) ----------------------------------------------------


def register_keeper_institution(user) -> Institution | None:
    """U4, U5: the institution whose register keeper the person is today: a member of the unit the institution
    names (``Institution.register_keeper``: DKA in Białystok, 000 §18.2; DFK in Kraśnik). One query."""
    if not user.is_authenticated:
        return None
    membership = (
        Membership.objects.filter(active_on(timezone.localdate()), user=user)
        .filter(unit__symbol=F("unit__institution__register_keeper"))
        .select_related("unit__institution")
        .first()
    )
    return membership.unit.institution if membership else None


def may_keep_authorizations(user) -> Institution | None:
    """U5: DKA adds, changes and revokes entries of the register of powers of attorney and authorisations (and
    the chart's administrators, who hold the model permission). Returns the institution kept, or None."""
    institution = register_keeper_institution(user)
    if institution is None and user.is_authenticated and user.has_perm("units.change_authorization"):
        institution = Institution.objects.order_by("pk").first()
    return institution


def may_keep_absences(user) -> Institution | None:
    """U4: absences and who acts for whom are entered by the unit keeping the Director's office and personnel
    matters (DKA: "prowadzenie sekretariatu Ośrodka", 000 §18 pkt 3; Kraśnik DFK) and by the chart's
    administrators. Returns the institution kept, or None."""
    institution = register_keeper_institution(user)
    if institution is None and user.is_authenticated and user.has_perm("units.change_absence"):
        institution = Institution.objects.order_by("pk").first()
    return institution


def may_consult_authorizations(user) -> bool:
    """U5: DKA keeps the register; management and administrators consult it."""
    if not user.is_authenticated:
        return False
    if user.has_perm("units.view_authorization") or register_keeper_institution(user) is not None:
        return True
    return Membership.objects.filter(
        active_on(timezone.localdate()), user=user, position__in=MANAGEMENT_POSITIONS
    ).exists()


# The office's registers, staff and districts (R1-R4): their predicates live in ``units.office_permissions``
# and are answered here, so that every caller keeps one entry point. Imported last: they build on the above.
from .office_permissions import (  # noqa: E402, F401 - re-exported: callers ask units.permissions
    SOCIAL_WORK_UNITS,
    district_institution,
    is_director,
    is_head_of_institution,
    is_personnel_keeper,
    led_unit_ids,
    may_acknowledge_evaluation,
    may_decide_appeal,
    may_fill_evaluation,
    may_keep_districts,
    may_manage_evaluations,
    may_publish_regulations,
    may_view_evaluation,
    register_may_view,
    register_may_work,
    registers_visible,
)
