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
from .registers import (
    EntryStatus,
    Register,
    RegisterAttachment,
    RegisterCounter,
    RegisterEntry,
    RegisterProcedure,
)
from .signing import COUNTERSIGNED_KINDS, Authorization, DeputySigningScope, DocumentKind
from .staff import (
    AppealOutcome,
    Evaluation,
    EvaluationCriterion,
    EvaluationRound,
    EvaluationScore,
    EvaluationStatus,
    Grade,
    RegulationAcknowledgement,
    RegulationDocument,
    RegulationKind,
)

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
    "EntryStatus",
    "ExplicitGroupObjectPermissionBase",
    "Institution",
    "Membership",
    "Parity",
    "Position",
    "Register",
    "RegisterAttachment",
    "RegisterCounter",
    "RegisterEntry",
    "RegisterProcedure",
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
    # staff (R2, R4)
    "AppealOutcome",
    "Evaluation",
    "EvaluationCriterion",
    "EvaluationRound",
    "EvaluationScore",
    "EvaluationStatus",
    "Grade",
    "RegulationAcknowledgement",
    "RegulationDocument",
    "RegulationKind",
]
