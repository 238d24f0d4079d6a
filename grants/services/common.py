"""What the grants services share: permission checks, the row lock, the institution's configuration, and the
deadline and document kinds in one place."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from mopr.procedures import lock
from units.models import Institution

from .. import permissions
from ..models import Competition, GrantsConfig

# deadline kinds (mopr.deadlines): one obligation each
DL_DECISION = "grants_decision"  # G8: the President's decision, the competition's heads
DL_DECLARATION = "grants_declaration"  # G7: a committee member's declaration of no conflict
DL_WITHDRAWAL = "grants_withdrawal"  # G9: updated offer or withdrawal after a reduced grant
DL_OPINION = "grants_opinion"  # G8 (003 §5.2.2): the Director's opinion for the President on computed results
DL_CORRECTION = "grants_correction"  # G5 (003 §5.1.6): the offeror's correction of an obvious clerical error
DL_REPORT = "grants_report"  # G11 (003 §3.5 pkt 5): a report on the task by the date in the contract
DL_RETURN = "grants_return"  # G11 (003 §3.3): a return of grant money by its due date
DL_CONTROL = "grants_control"  # G11 (003 §3.5 pkt 4): the documents requested for a control
DL_FINDING = "grants_finding"  # G11: a control's recommendation by its deadline
DL_SMALL_DECISION = "grants_small_decision"  # G12 (art. 19a): the decision after the publication for comments

# document kinds (mopr.documents)
DOC_ANNOUNCEMENT = "grants_announcement"
DOC_FORMAL_CARD = "grants_formal_card"
DOC_MERIT_CARD = "grants_merit_card"
DOC_RESULTS = "grants_results"
DOC_PROTOCOL = "grants_protocol"
DOC_PUBLIC_RESULTS = "grants_public_results"
DOC_CONTRACT = "grants_contract"  # G11: the contract, to signature and the Chief Accountant's countersignature
DOC_CONTRACT_ANNEX = "grants_contract_annex"  # G11: an annex to the contract, the same flow
# G7: the documents that show offers (cards, results, protocol) reach only whoever may see the offers
OFFER_DOCUMENTS = {DOC_FORMAL_CARD, DOC_MERIT_CARD, DOC_RESULTS, DOC_PROTOCOL}


def get_config(institution: Institution) -> GrantsConfig:
    """The institution's configuration of competitions (deadline values and budget limits; data, editable in
    the admin), created with seed 003's values on first use."""
    config, _created = GrantsConfig.objects.get_or_create(institution=institution)
    return config


def config_for(competition: Competition) -> GrantsConfig:
    """The configuration of the competition's institution."""
    return get_config(competition.unit.institution)


def _require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDenied(message or _("Brak uprawnień do tej czynności."))


def _require_manage(user, competition: Competition) -> None:
    _require(permissions.can_manage_competition(user, competition))


def _require_offers(user, competition: Competition) -> None:
    """G7 before the chart: a committee member without a declaration of no conflict reaches no offer."""
    _require(
        permissions.can_manage_offers(user, competition),
        _(
            "Członek komisji konkursowej ma dostęp do ofert dopiero po złożeniu oświadczenia o braku "
            "konfliktu interesów (G7)."
        ),
    )


def _locked_in(obj, procedure, action_name: str):
    """The record re-read under a row lock, its state re-checked for ``action_name`` (no state change)."""
    locked = lock(obj)
    procedure.check(locked, action_name)
    return locked
