"""The one permission entry point of the complaints app, built on ``units.permissions``.

* DNK (the register's unit) staff and heads see and work on every entry (``UNIT_ROLE_PERMS``).
* The Director, whoever acts for the Director and the Deputy supervising DNK see every entry (DNK's oversight).
* The heads of a unit asked to explain see that entry and may explain it (an explicit grant to the unit's
  heads group, C3); the unit's oversight (its supervising Deputy, the Director) sees it from then on.
* A person named under C6 instead of the unit's heads gets an explicit personal grant.
* Everyone else sees nothing.
Whistleblower reports (C11): DNK's heads see the register and assign; the reporter's identity and the
handling need an explicit personal grant (``view_reporter_identity``, ``handle_whistleblowerreport``).
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce

from mopr.memo import request_memo
from units.models import Unit, UnitGroup, UnitRole
from units.permissions import may, unit_group, visible

from .models import DEFAULT_REGISTER_KEEPER, Complaint, RegisterConfig, Status, WhistleblowerReport


@request_memo
def _in_group(user, unit: Unit | None, role: str) -> bool:
    if unit is None or not user.is_authenticated:
        return False
    return user.groups.filter(pk=unit_group(unit, role).pk).exists()


def _register_staff_groups(user):
    """The user's staff/heads groups of the register's unit of their institution (``RegisterConfig``, DNK by
    default)."""
    register_symbol = Coalesce(
        Subquery(
            RegisterConfig.objects.filter(institution=OuterRef("unit__institution"))
            .order_by("pk")
            .values("register_unit_symbol")[:1]
        ),
        # C1: without a configuration row yet, the keeper that comes with the structure (Kraśnik: the Kierownik).
        Case(
            *[
                When(unit__institution__code=code, then=Value(symbol))
                for code, symbol in DEFAULT_REGISTER_KEEPER.items()
            ],
            default=Value("DNK"),
        ),
    )
    return UnitGroup.objects.filter(
        group__user=user, role__in=[UnitRole.STAFF, UnitRole.HEADS], unit__symbol=register_symbol
    )


@request_memo
def module_access(user) -> dict[str, bool]:
    """What the module shows this person, asked in one statement (``SELECT EXISTS(…), EXISTS(…), EXISTS(…)``):
    register staff, any visible entry, any visible whistleblower report. Memoised per request: the menu, the
    list and its tabs all ask."""
    parts = {
        "register_staff": _register_staff_groups(user),
        "complaints": visible_complaints(user),
        "whistleblower": visible_whistleblower_reports(user),
    }
    if not user.is_authenticated:
        return dict.fromkeys(parts, False)
    selects, params, answers = [], [], {}
    for name, queryset in parts.items():
        try:
            sql, sql_params = queryset.values("pk")[:1].query.sql_with_params()
        except EmptyResultSet:
            answers[name] = False
            continue
        selects.append((name, f"EXISTS({sql})"))
        params.extend(sql_params)
    if selects:
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(sql for _name, sql in selects), params)
            answers.update(zip((name for name, _sql in selects), map(bool, cursor.fetchone()), strict=True))
    return answers


def is_register_staff(user) -> bool:
    """DNK's staff or heads: they register and work on entries."""
    return module_access(user)["register_staff"]


def has_visible_complaints(user) -> bool:
    return module_access(user)["complaints"]


def sees_whistleblower_reports(user) -> bool:
    """The whistleblower tab: DNK registers reports; others see the ones granted to them."""
    return module_access(user)["register_staff"] or module_access(user)["whistleblower"]


def can_open_module(user) -> bool:
    if not user.is_authenticated:
        return False
    return any(module_access(user).values())


def can_register_complaint(user) -> bool:
    return is_register_staff(user)


def can_view_complaint(user, complaint: Complaint) -> bool:
    return may(user, "view_complaint", complaint)


def can_work_on_complaint(user, complaint: Complaint) -> bool:
    """Register staff acting on the procedure (forward, ask, draft, send, close, extend)."""
    return may(user, "change_complaint", complaint)


def can_explain_complaint(user, complaint: Complaint, explanation=None) -> bool:
    """C3: the heads of the unit asked (or the person named under C6) answer their own request only."""
    if complaint.status == Status.CLOSED:
        return False
    if not may(user, "explain_complaint", complaint):
        return False
    if explanation is None:
        return True
    return is_explanation_responder(user, explanation)


def visible_complaints(user, queryset=None):
    """The entries the user may see, in one SQL statement after the user's role units (the unit's roles,
    explicit personal grants and the explicit grants to other units' heads and oversight groups made under C3)."""
    return visible(user, queryset if queryset is not None else Complaint.objects.all(), "view_complaint")


def is_explanation_responder(user, explanation) -> bool:
    """The person named in the request, or a member of the asked unit's heads group."""
    if explanation.assignee_id:
        return explanation.assignee_id == user.pk
    return _in_group(user, explanation.unit, "heads")


def can_view_statistics(user) -> bool:
    return is_register_staff(user) or has_visible_complaints(user)


# --- whistleblower reports (C11) ---


def can_register_whistleblower(user) -> bool:
    return is_register_staff(user)


def can_view_whistleblower(user, report: WhistleblowerReport) -> bool:
    return may(user, "view_whistleblowerreport", report)


def can_assign_whistleblower(user, report: WhistleblowerReport) -> bool:
    return may(user, "change_whistleblowerreport", report)


def can_handle_whistleblower(user, report: WhistleblowerReport) -> bool:
    return may(user, "handle_whistleblowerreport", report)


def can_see_reporter(user, report: WhistleblowerReport) -> bool:
    return may(user, "view_reporter_identity", report)


def visible_whistleblower_reports(user, queryset=None):
    return visible(
        user, queryset if queryset is not None else WhistleblowerReport.objects.all(), "view_whistleblowerreport"
    )
