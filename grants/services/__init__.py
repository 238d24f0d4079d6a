"""Every state change of an open grant competition (G1-G10): one function each, atomic, permission checked, the
rule validated with a Polish message, deadlines, documents and e-mails included. By sub-domain:

* ``competition``: conditions, publication with its deadlines, evaluation start, cancellation (G1-G2);
* ``offers``: offerors, registration, the budget rules, corrections, reduced grants and withdrawals (G2-G4, G9);
* ``committee``: appointment, declarations, the formal and merit cards (G5-G7);
* ``signatures``: the members present at a meeting and their own signatures of the cards and the protocol (G6-G7);
* ``results``: scores and ranking, the Director's opinion, the President's decision, publication (G6, G8);
* ``documents``: the annexes handed to the approval flow (U6); ``contexts``: the data of every PDF;
* ``common``: what they share, the institution's configuration (``get_config``), and the deadline and document
  kinds in one place.

Views, the demo, the benchmark and the tests import from here.
"""

from .committee import (
    card_version,
    clerical_correction_answer,
    clerical_correction_request,
    committee_appoint,
    conflict_declare,
    formal_suggestions,
    merit_card_submit,
    offer_formal_evaluate,
)
from .common import (
    DL_DECISION,
    DL_DECLARATION,
    DL_OPINION,
    DL_WITHDRAWAL,
    DOC_ANNOUNCEMENT,
    DOC_FORMAL_CARD,
    DOC_MERIT_CARD,
    DOC_PROTOCOL,
    DOC_PUBLIC_RESULTS,
    DOC_RESULTS,
    OFFER_DOCUMENTS,
    config_for,
    get_config,
)
from .competition import (
    competition_cancel,
    competition_create,
    competition_publish,
    competition_start_evaluation,
    competition_update,
    decision_due_for,
    default_attachments,
    offer_deadline_for,
)
from .contexts import (
    announcement_context,
    committee_rows,
    formal_card_context,
    merit_card_context,
    protocol_context,
    results_context,
)
from .documents import ANNEX_DOCUMENTS, annex_request
from .offers import (
    check_proportion_kept,
    grant_reduce,
    offer_register,
    offer_update,
    offer_withdraw,
    offeror_save,
    reduction_receipt_record,
)
from .programme import (
    DL_PROGRAMME_ADOPTION,
    DL_PROGRAMME_REPORT,
    programme_adopt,
    programme_create,
    programme_report_publish,
    programme_report_submit,
    programme_task_save,
    programme_update,
)
from .results import (
    EVALUATED,
    director_opinion,
    president_decision,
    results_compute,
    results_publication_record,
    results_publications,
    results_publish,
)
from .signatures import (
    basis_of,
    committee_presence_record,
    committee_sign,
    document_basis,
    may_record_presence,
    signing_for,
    signing_is_current,
)

__all__ = [
    "ANNEX_DOCUMENTS",
    "DL_DECISION",
    "DL_DECLARATION",
    "DL_OPINION",
    "DL_WITHDRAWAL",
    "DOC_ANNOUNCEMENT",
    "DOC_FORMAL_CARD",
    "DOC_MERIT_CARD",
    "DOC_PROTOCOL",
    "DOC_PUBLIC_RESULTS",
    "DOC_RESULTS",
    "EVALUATED",
    "OFFER_DOCUMENTS",
    "announcement_context",
    "annex_request",
    "basis_of",
    "card_version",
    "check_proportion_kept",
    "committee_appoint",
    "committee_presence_record",
    "committee_sign",
    "document_basis",
    "may_record_presence",
    "signing_for",
    "signing_is_current",
    "committee_rows",
    "competition_cancel",
    "competition_create",
    "competition_publish",
    "competition_start_evaluation",
    "competition_update",
    "config_for",
    "conflict_declare",
    "decision_due_for",
    "default_attachments",
    "director_opinion",
    "formal_card_context",
    "formal_suggestions",
    "get_config",
    "grant_reduce",
    "merit_card_context",
    "merit_card_submit",
    "offer_deadline_for",
    "offer_formal_evaluate",
    "clerical_correction_answer",
    "clerical_correction_request",
    "offer_register",
    "offer_update",
    "offer_withdraw",
    "reduction_receipt_record",
    "offeror_save",
    "president_decision",
    "protocol_context",
    "results_compute",
    "results_context",
    "results_publish",
    "results_publication_record",
    "results_publications",
]
# G13: the cooperation programme (services/programme.py)
__all__ += [
    "DL_PROGRAMME_ADOPTION",
    "DL_PROGRAMME_REPORT",
    "programme_adopt",
    "programme_create",
    "programme_report_publish",
    "programme_report_submit",
    "programme_task_save",
    "programme_update",
]
