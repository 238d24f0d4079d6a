"""State changes of the Team and the Blue Card procedure, one function each (B1-B13), by sub-domain:

* ``team``: the Team, members, confidentiality declarations, presets (B1, B11, B13);
* ``meetings``: schedule, the ordinary-meeting rhythm, closures on the agenda (B2, B3, B10); ``notices``: the
  notices of a meeting, by e-mail and letter, and their confirmation (B3); ``decisions``: attendance, guests,
  resolutions, urgent decisions (B4, B5); ``protocols``: the protocol and members' remarks (B6);
* ``cards``: register, notification, subteam (B7, B8, B13); ``groups``: working groups and help plans (B9);
  ``closure``: closure and its notices (B10);
* ``reports``: breaches (B11), the chair's deadlines and the annual report (B2, B12);
* ``common``: what they share, and the deadline and document kinds in one place.

Every function checks the permission (PermissionDenied), the rule (ValidationError with a Polish
message), writes the change (history by simple-history), opens/meets deadlines, requests documents and
queues e-mails. Deadline labels and e-mail subjects carry no personal data (at most the card number,
and never in a subject). Views, tasks, commands, the demo and the tests import from here.
"""

from .cards import bluecard_notify_members, bluecard_register, notification_due, open_card_counts, subteam_decide
from .closure import closure_finished, closure_letter_dispatch, closure_propose
from .common import (
    ANNUAL_REPORT_KIND,
    CLOSURE_DOCUMENT_KIND,
    DL_ATTENDANCE,
    DL_GROUP_ASSIGN,
    DL_GROUP_FIRST_MEETING,
    DL_NOTIFICATION,
    DL_ORDINARY_MEETING,
    GROUP_PROTOCOL_KIND,
    MEETING_PROTOCOL_KIND,
    chair_of,
    dl_annual_report,
    leaders_of,
)
from .decisions import attendance_record, guest_admit, resolution_vote, urgent_decision_record, vote_outcome
from .groups import (
    _group_protocol_context,
    group_meeting_record,
    group_member_add,
    group_member_remove,
    help_action_add,
    help_action_complete,
)
from .meetings import meeting_schedule, members_on, ordinary_meeting_warning
from .notices import meeting_notice_confirm, meeting_notice_dispatch
from .protocols import (
    _meeting_protocol_context,
    meeting_protocol_finalise,
    meeting_protocol_finished,
    meeting_protocol_generate,
    protocol_remark_add,
    remarks_deadline,
)
from .reports import (
    annual_report_accept,
    annual_report_deadline_open,
    annual_report_due,
    annual_report_generate,
    breach_report,
    refresh_chair_deadlines,
)
from .team import (
    declaration_record,
    member_appoint,
    member_dismiss,
    team_apply_preset,
    team_create,
    team_notification_content_set,
)

__all__ = [
    "ANNUAL_REPORT_KIND",
    "CLOSURE_DOCUMENT_KIND",
    "DL_ATTENDANCE",
    "DL_GROUP_ASSIGN",
    "DL_GROUP_FIRST_MEETING",
    "DL_NOTIFICATION",
    "DL_ORDINARY_MEETING",
    "GROUP_PROTOCOL_KIND",
    "MEETING_PROTOCOL_KIND",
    "_group_protocol_context",
    "_meeting_protocol_context",
    "annual_report_deadline_open",
    "annual_report_due",
    "annual_report_accept",
    "annual_report_generate",
    "attendance_record",
    "bluecard_notify_members",
    "bluecard_register",
    "breach_report",
    "chair_of",
    "closure_finished",
    "closure_letter_dispatch",
    "closure_propose",
    "declaration_record",
    "dl_annual_report",
    "group_meeting_record",
    "group_member_add",
    "group_member_remove",
    "guest_admit",
    "help_action_add",
    "help_action_complete",
    "leaders_of",
    "meeting_notice_confirm",
    "meeting_notice_dispatch",
    "meeting_protocol_finalise",
    "meeting_protocol_finished",
    "meeting_protocol_generate",
    "meeting_schedule",
    "member_appoint",
    "member_dismiss",
    "members_on",
    "notification_due",
    "open_card_counts",
    "ordinary_meeting_warning",
    "protocol_remark_add",
    "refresh_chair_deadlines",
    "remarks_deadline",
    "resolution_vote",
    "subteam_decide",
    "team_apply_preset",
    "team_create",
    "team_notification_content_set",
    "urgent_decision_record",
    "vote_outcome",
]
