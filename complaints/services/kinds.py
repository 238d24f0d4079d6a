"""The named kinds of the registers: deadline kinds (``mopr.deadlines``) and document kinds
(``mopr.Document.kind``), in one place: services, views and tests read these names, never the strings."""

from __future__ import annotations

from units.models import DocumentKind

# Deadline kinds (mopr.deadlines).
DL_RESPONSE = "complaint_response"  # C4 / C7
DL_PARLIAMENTARIAN = "complaint_c12"  # C12
DL_COMPLETION = "complaint_completion"  # C9
DL_EXPLANATION = "complaint_explanation"  # C3
DL_WB_ACK = "whistleblower_ack"  # C11
DL_WB_FEEDBACK = "whistleblower_feedback"  # C11
DL_FORWARD = "complaint_forward"  # C5

DEADLINE_KINDS = (DL_RESPONSE, DL_PARLIAMENTARIAN, DL_COMPLETION, DL_EXPLANATION, DL_WB_ACK, DL_WB_FEEDBACK, DL_FORWARD)

# Documents (mopr.Document.kind). The response uses the chart's kind so the approval flow and the
# signing rules of U6/C10 apply to it.
DOC_PROTOCOL = "complaint_protocol"
DOC_RESPONSE = DocumentKind.COMPLAINT_RESPONSE.value
DOC_FORWARD = "complaint_forward_notice"
DOC_COMPLETION = "complaint_completion_request"
DOC_EXTENSION = "complaint_extension_notice"
