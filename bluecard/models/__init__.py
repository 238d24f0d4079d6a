"""Zespół Interdyscyplinarny and the Niebieska Karta procedure (B1-B13; seed 004).

Access is NOT derived from the org chart: no model here declares ``UNIT_ROLE_PERMS``. Each Team has
two guardian groups kept by the services: ``declared`` (active members with a confidentiality declaration,
who may see the list of cards) and ``leaders`` (chair and vice-chair with a declaration, who see every card).
Subteam and working-group members get explicit per-card user grants (granted and revoked by the services).

The models live in ``team``, ``meetings`` and ``cards``; every one is re-exported here, so ``bluecard.models.X``
(imports, migrations, ``apps.get_model``) keeps working.
"""

from .cards import (
    BlueCard,
    BlueCardGroupObjectPermission,
    BlueCardUserObjectPermission,
    CardStatus,
    Closure,
    ClosureForum,
    ClosureNotice,
    ClosureReason,
    GroupMeeting,
    HelpAction,
    InitiatingInstitution,
    SubteamDecision,
    WorkingGroup,
    WorkingGroupMember,
)
from .meetings import (
    Attendance,
    ChairVote,
    Meeting,
    MeetingKind,
    MeetingNotice,
    MeetingStatus,
    ProtocolRemark,
    Requester,
    Resolution,
    _token,
)
from .team import (
    PRESETS,
    AnnualReport,
    BreachReport,
    ConfidentialityDeclaration,
    DeclarationCapacity,
    MemberRole,
    NotificationContent,
    Team,
    TeamMember,
    TerminologyPreset,
)

__all__ = [
    "AnnualReport",
    "Attendance",
    "BlueCard",
    "BlueCardGroupObjectPermission",
    "BlueCardUserObjectPermission",
    "BreachReport",
    "CardStatus",
    "ChairVote",
    "Closure",
    "ClosureNotice",
    "ClosureForum",
    "ClosureReason",
    "ConfidentialityDeclaration",
    "DeclarationCapacity",
    "GroupMeeting",
    "HelpAction",
    "InitiatingInstitution",
    "Meeting",
    "MeetingKind",
    "MeetingNotice",
    "MeetingStatus",
    "MemberRole",
    "PRESETS",
    "ProtocolRemark",
    "Requester",
    "Resolution",
    "SubteamDecision",
    "Team",
    "TeamMember",
    "NotificationContent",
    "TerminologyPreset",
    "WorkingGroup",
    "WorkingGroupMember",
    "_token",
]
