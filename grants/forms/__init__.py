"""The grants forms by sub-domain: ``competition`` (conditions, publication), ``offers`` (offerors, offers and
their cost estimate, withdrawals, reduced grants), ``committee`` (appointment, declarations, the formal and merit
cards, correction requests) and ``results`` (opinion, proposals, decision, annexes). Every name is re-exported
here, so ``grants.forms.X`` keeps working."""

from .committee import (
    YES_NO,
    CommitteeForm,
    CorrectionAnswerForm,
    CorrectionRequestForm,
    DeclarationForm,
    FormalCardForm,
    MemberChoiceField,
    MeritCardForm,
    PresenceForm,
)
from .common import DATE, DATETIME, PeopleChoiceField, PersonChoiceField, people
from .competition import CompetitionForm, PublicationForm, PublishForm
from .offers import (
    BudgetFieldsMixin,
    CostLineForm,
    CostLineFormSet,
    OfferForm,
    OfferorForm,
    OfferUpdateForm,
    ReductionReceiptForm,
    WithdrawForm,
    cost_line_initial,
    validate_budget,
)
from .programme import (
    AdoptForm,
    OfferorFilter,
    ProgrammeCreateForm,
    ProgrammeEditForm,
    ProgrammeTaskForm,
    ReportPublishForm,
    ReportSubmitForm,
)
from .results import AnnexForm, DecisionForm, OpinionForm, ProposalForm

__all__ = [
    "AdoptForm",
    "OfferorFilter",
    "ProgrammeCreateForm",
    "ProgrammeEditForm",
    "ProgrammeTaskForm",
    "ReportPublishForm",
    "ReportSubmitForm",
    "DATE",
    "DATETIME",
    "YES_NO",
    "AnnexForm",
    "BudgetFieldsMixin",
    "CommitteeForm",
    "CompetitionForm",
    "CorrectionAnswerForm",
    "CorrectionRequestForm",
    "CostLineForm",
    "CostLineFormSet",
    "DecisionForm",
    "DeclarationForm",
    "FormalCardForm",
    "MemberChoiceField",
    "MeritCardForm",
    "OfferForm",
    "OfferUpdateForm",
    "OfferorForm",
    "OpinionForm",
    "PeopleChoiceField",
    "PersonChoiceField",
    "ProposalForm",
    "PresenceForm",
    "PublicationForm",
    "PublishForm",
    "ReductionReceiptForm",
    "WithdrawForm",
    "cost_line_initial",
    "people",
    "validate_budget",
]
