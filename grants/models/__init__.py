"""Otwarte konkursy ofert (G1-G10): competitions, offerors, offers with their cost estimate, the committee,
the formal and merit cards, results, the President's decision and reduced grants.

Sources: seed 003 (Zarządzenie nr 55/2022 Dyrektora MOPR with its conditions and annexes 1-4),
UDPP art. 11-19.

The models live in ``competition``, ``offers``, ``committee`` and ``config`` (the institution's configuration);
the annexes' fixed structure in ``criteria``. Every name is re-exported here, so ``grants.models.X`` (imports,
migrations, ``apps.get_model``) keeps working.
"""

from .committee import (
    Committee,
    CommitteeMember,
    CommitteeSignature,
    CommitteeSigning,
    ConflictDeclaration,
    FormalCard,
    MeritCard,
)
from .competition import (
    Competition,
    CompetitionGroupObjectPermission,
    CompetitionStatus,
    CompetitionUserObjectPermission,
    PublicationPlace,
    ResultsPublication,
)
from .config import GrantsConfig, default_attachments
from .criteria import (
    FORMAL_CRITERIA,
    MERIT_CRITERIA,
    MERIT_MAX,
    MERIT_SECTIONS,
    MONEY,
    REQUIRED_ATTACHMENTS,
    CostCategory,
    CostNature,
    EmploymentForm,
    attachment_items,
    attachment_key,
    duplicate_attachments,
    formal_criteria,
)
from .offers import CostLine, Offer, Offeror, OfferPartner, OfferStatus
from .programme import (
    CooperationProgramme,
    OfferorArea,
    ProgrammeReport,
    ProgrammeStatus,
    ProgrammeTask,
    PublicTaskArea,
)

__all__ = [
    "CooperationProgramme",
    "OfferorArea",
    "ProgrammeReport",
    "ProgrammeStatus",
    "ProgrammeTask",
    "PublicTaskArea",
    "PublicationPlace",
    "ResultsPublication",
    "FORMAL_CRITERIA",
    "MERIT_CRITERIA",
    "MERIT_MAX",
    "MERIT_SECTIONS",
    "MONEY",
    "REQUIRED_ATTACHMENTS",
    "Committee",
    "CommitteeMember",
    "CommitteeSignature",
    "CommitteeSigning",
    "Competition",
    "CompetitionGroupObjectPermission",
    "CompetitionStatus",
    "CompetitionUserObjectPermission",
    "ConflictDeclaration",
    "CostCategory",
    "CostLine",
    "CostNature",
    "EmploymentForm",
    "FormalCard",
    "GrantsConfig",
    "MeritCard",
    "Offer",
    "OfferPartner",
    "OfferStatus",
    "Offeror",
    "attachment_items",
    "attachment_key",
    "default_attachments",
    "duplicate_attachments",
    "formal_criteria",
]
