"""State changes of the complaints register and of the whistleblower register, by sub-domain:

* ``complaint``: registration (C1, C4, C12), attachments, forwarding (C5), completion and leaving without
  consideration (C9), and the helpers the complaint steps share;
* ``explanations``: the units' explanations (C3) and who may give them (C6);
* ``response``: the response and its signature (C10), sending (C4), a new date (C7), closing (C8, C14);
* ``whistleblower``: reports of breaches of law (C11);
* ``register``: configuration access, the keeping unit, numbering per year and the case sign's format (C1);
* ``kinds``: the deadline and document kinds (``DL_*``, ``DOC_*``).

Callers keep writing ``from complaints import services; services.complaint_register(...)``: the public names
are re-exported here.
"""

from mopr.uploads import validate_upload
from units.selectors import is_superior

from .complaint import (
    complaint_add_attachment,
    complaint_completion_received,
    complaint_forward,
    complaint_leave_without_consideration,
    complaint_record_completion_delivery,
    complaint_register,
    complaint_request_completion,
    forward_limit,
)
from .explanations import check_c6, complaint_request_explanation, explanation_responders, explanation_submit
from .kinds import (
    DL_COMPLETION,
    DL_EXPLANATION,
    DL_FORWARD,
    DL_PARLIAMENTARIAN,
    DL_RESPONSE,
    DL_WB_ACK,
    DL_WB_FEEDBACK,
    DOC_COMPLETION,
    DOC_EXTENSION,
    DOC_FORWARD,
    DOC_PROTOCOL,
    DOC_RESPONSE,
)
from .register import EARLIEST, RESPONSE_MONTHS, format_sign, get_config, register_unit
from .response import (
    complaint_close,
    complaint_draft_response,
    complaint_extend,
    complaint_mark_sent,
    on_response_flow_finished,
)
from .whistleblower import (
    WB_PERMS,
    whistleblower_acknowledge,
    whistleblower_assign,
    whistleblower_close,
    whistleblower_feedback,
    whistleblower_register,
    whistleblower_start_proceedings,
    whistleblower_unassign,
)

__all__ = [
    "DL_COMPLETION",
    "DL_EXPLANATION",
    "DL_FORWARD",
    "DL_PARLIAMENTARIAN",
    "DL_RESPONSE",
    "DL_WB_ACK",
    "DL_WB_FEEDBACK",
    "DOC_COMPLETION",
    "DOC_EXTENSION",
    "DOC_FORWARD",
    "DOC_PROTOCOL",
    "DOC_RESPONSE",
    "EARLIEST",
    "RESPONSE_MONTHS",
    "WB_PERMS",
    "check_c6",
    "complaint_add_attachment",
    "complaint_close",
    "complaint_completion_received",
    "complaint_record_completion_delivery",
    "complaint_draft_response",
    "complaint_extend",
    "complaint_forward",
    "complaint_leave_without_consideration",
    "complaint_mark_sent",
    "complaint_register",
    "complaint_request_completion",
    "complaint_request_explanation",
    "explanation_responders",
    "explanation_submit",
    "format_sign",
    "forward_limit",
    "get_config",
    "is_superior",
    "on_response_flow_finished",
    "register_unit",
    "validate_upload",
    "whistleblower_acknowledge",
    "whistleblower_assign",
    "whistleblower_close",
    "whistleblower_feedback",
    "whistleblower_register",
    "whistleblower_start_proceedings",
    "whistleblower_unassign",
]
