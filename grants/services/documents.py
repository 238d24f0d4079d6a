"""The annexes as PDFs: the committee's collective documents (formal and merit cards, protocol) signed by its
members present (G6/G7), and the results list handed to initials and signature (U6)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from mopr.documents import document_render_now
from units.models import DocumentKind
from units.services import approval_start

from .. import permissions
from ..models import CommitteeSigning, Competition, Offer
from .common import DOC_FORMAL_CARD, DOC_MERIT_CARD, DOC_PROTOCOL, DOC_RESULTS, _require_manage, _require_offers
from .contexts import formal_card_context, merit_card_context, protocol_context, results_context
from .signatures import signing_for, signing_is_current

ANNEX_DOCUMENTS = {
    DOC_FORMAL_CARD: ("pdf/grants/formal_card.html", _lazy("Karta oceny formalnej oferty")),
    DOC_MERIT_CARD: ("pdf/grants/merit_card.html", _lazy("Karta oceny merytorycznej oferty")),
    DOC_RESULTS: ("pdf/grants/results.html", _lazy("Lista ofert z oceną i proponowanymi kwotami dotacji")),
    DOC_PROTOCOL: ("pdf/grants/protocol.html", _lazy("Protokół z prac komisji konkursowej")),
}

# G6/G7: the committee's own documents, signed by its members present (grants.services.signatures)
COLLECTIVE_DOCUMENTS = {
    DOC_FORMAL_CARD: CommitteeSigning.Kind.FORMAL_CARD,
    DOC_MERIT_CARD: CommitteeSigning.Kind.MERIT_CARD,
    DOC_PROTOCOL: CommitteeSigning.Kind.PROTOCOL,
}


@transaction.atomic
def annex_request(competition: Competition, *, acting_user, kind: str, offer: Offer | None = None):
    """Render an annex. The formal and merit cards and the committee's protocol are collective (G6/G7): rendered
    with the signature table once every committee member present has signed them. The results list starts
    its approval flow (initials, signature of the acting signatory – U6)."""
    _require_manage(acting_user, competition)
    _require_offers(acting_user, competition)
    if kind not in ANNEX_DOCUMENTS:
        raise ValidationError(_("Nieznany rodzaj dokumentu."))
    template_name, title = ANNEX_DOCUMENTS[kind]
    if kind in (DOC_FORMAL_CARD, DOC_MERIT_CARD):
        if offer is None or offer.competition_id != competition.pk:
            raise ValidationError(_("Wskaż ofertę."))
        if kind == DOC_FORMAL_CARD and not hasattr(offer, "formal_card"):
            raise ValidationError(_("Oferta nie ma jeszcze karty oceny formalnej."))
        if kind == DOC_MERIT_CARD and not offer.merit_cards.exists():
            raise ValidationError(_("Oferta nie ma jeszcze kart oceny merytorycznej."))
        context = formal_card_context(offer) if kind == DOC_FORMAL_CARD else merit_card_context(offer)
        context["offer_id"] = offer.pk
        title = f"{title}: {offer.offeror.name}"
    else:
        if not competition.results_computed_at:
            raise ValidationError(_("Najpierw należy obliczyć wyniki oceny ofert."))
        context = protocol_context(competition) if kind == DOC_PROTOCOL else results_context(competition)
    if kind in COLLECTIVE_DOCUMENTS:
        # G6/G7 (003 annexes 3-4): the committee members present sign the cards and the protocol themselves;
        # the PDF carries their signature table and goes to no one else's signature
        if not signing_is_current(signing_for(competition, COLLECTIVE_DOCUMENTS[kind], offer)):
            raise ValidationError(
                _(
                    "Dokument komisji podpisują osobiście członkowie komisji obecni na posiedzeniu; nie podpisali "
                    "go jeszcze wszyscy obecni (albo zmieniono go po podpisaniu)."
                )
            )
        return document_render_now(
            competition,
            kind=kind,
            title=str(title),
            template_name=template_name,
            context=context,
            acting_user=acting_user,
        )
    document = document_render_now(
        competition, kind=kind, title=str(title), template_name=template_name, context=context, acting_user=acting_user
    )
    flow = approval_start(
        document=document, document_kind=DocumentKind.PROTOCOL, unit=competition.unit, acting_user=acting_user
    )
    # G7: the flow hands the document (offers, points) to the author's superiors – often the committee's chair
    # and deputy chair; none of them may receive it before declaring no conflict of interest
    for step in flow.steps.select_related("assignee"):
        if permissions.barred_by_declaration(step.assignee, competition):
            raise ValidationError(
                _(
                    "Dokument trafiłby do podpisu lub parafy osoby %(name)s, członka komisji konkursowej bez "
                    "oświadczenia o braku konfliktu interesów (G7). Najpierw oświadczenie, potem obieg dokumentu."
                )
                % {"name": step.assignee.get_full_name() or step.assignee.username}
            )
    return document
