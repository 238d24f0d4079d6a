"""The organisational chart (U1-U8), by sub-domain: the chart (institution, units, positions, memberships,
supervision), absences, signing (document kinds, Deputies' scopes, authorisations), unit-role groups and
approval flows. Everything is re-exported here: ``from units.models import X`` is the one import path."""

from .absences import Absence
from .approvals import ApprovalFlow, ApprovalStep
from .chart import (
    LEADING_POSITIONS,
    MANAGEMENT_POSITIONS,
    SINGLE_POSITIONS,
    DatedQuerySet,
    Institution,
    Membership,
    Position,
    Supervision,
    Unit,
    UnitKind,
    _overlap,
    active_on,
)
from .districts import CareDistrict, DistrictWorker, Parity, Street, StreetSegment
from .groups import ExplicitGroupObjectPermissionBase, UnitGroup, UnitRole, explicit_grant_index
from .signing import COUNTERSIGNED_KINDS, Authorization, DeputySigningScope, DocumentKind

__all__ = [
    "COUNTERSIGNED_KINDS",
    "LEADING_POSITIONS",
    "MANAGEMENT_POSITIONS",
    "SINGLE_POSITIONS",
    "Absence",
    "ApprovalFlow",
    "ApprovalStep",
    "Authorization",
    "CareDistrict",
    "DatedQuerySet",
    "DeputySigningScope",
    "DistrictWorker",
    "DocumentKind",
    "ExplicitGroupObjectPermissionBase",
    "Institution",
    "Membership",
    "Parity",
    "Position",
    "Street",
    "StreetSegment",
    "Supervision",
    "Unit",
    "UnitGroup",
    "UnitKind",
    "UnitRole",
    "_overlap",
    "active_on",
    "explicit_grant_index",
]
