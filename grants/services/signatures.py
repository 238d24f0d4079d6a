"""The committee's collective signatures (G6, G7; 003 annexes 3-4): the formal and merit cards of an offer and the
committee's protocol are signed by the committee members present at the meeting – chair, deputy chair,
members – each one personally, not by the Director's office. The presence is recorded by the chair, the deputy
chair or the unit running the competition; a document counts as signed when every member present has signed,
and only while it is still the document they signed (a card revised afterwards is signed again)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mopr.procedures import lock

from .. import permissions
from ..models import (
    Committee,
    CommitteeMember,
    CommitteeSignature,
    CommitteeSigning,
    Competition,
    FormalCard,
    MeritCard,
    Offer,
)
from .committee import card_version
from .common import _require

Kind = CommitteeSigning.Kind


def basis_of(kind: str, *, formal_card=None, merit_cards=(), results_computed_at=None) -> str:
    """The state of a document from what it is made of (see :func:`document_basis`)."""
    if kind == Kind.FORMAL_CARD:
        return card_version(formal_card)
    if kind == Kind.MERIT_CARD:
        stamps = sorted(card.submitted_at.isoformat() for card in merit_cards)
        return f"{len(stamps)}:{stamps[-1]}" if stamps else ""
    return results_computed_at.isoformat() if results_computed_at else ""


def document_basis(competition: Competition, kind: str, offer: Offer | None) -> str:
    """The state of the document to sign, read afresh: the formal card's save time, the merit cards' latest save
    time and number, the time the results were computed. ``""``: there is nothing to sign yet."""
    if kind == Kind.FORMAL_CARD:
        return basis_of(kind, formal_card=FormalCard.objects.filter(offer=offer).first())
    if kind == Kind.MERIT_CARD:
        return basis_of(kind, merit_cards=MeritCard.objects.filter(offer=offer))
    return basis_of(kind, results_computed_at=competition.results_computed_at)


def signing_for(competition: Competition, kind: str, offer: Offer | None = None) -> CommitteeSigning | None:
    return (
        CommitteeSigning.objects.filter(committee__competition=competition, kind=kind, offer=offer)
        .prefetch_related("signatures__member__user")
        .first()
    )


def signing_is_current(signing: CommitteeSigning | None) -> bool:
    """The document was signed by every member present and has not changed since."""
    if signing is None or not signing.is_signed:
        return False
    return signing.basis == document_basis(signing.committee.competition, signing.kind, signing.offer)


def may_record_presence(user, competition: Competition) -> bool:
    """The chair or the deputy chair (having declared no conflict), or the unit running the competition."""
    member = permissions.committee_member(user, competition)
    if member is not None and member.role in (CommitteeMember.Role.CHAIR, CommitteeMember.Role.DEPUTY_CHAIR):
        return member.may_evaluate
    return permissions.can_manage_offers(user, competition)


@transaction.atomic
def committee_presence_record(
    competition: Competition, *, acting_user, kind: str, offer: Offer | None = None, present, held_on: date
) -> CommitteeSigning:
    """G6/G7: the members present at the meeting at which the card (or the protocol) was adopted; each of them
    then signs it personally (:func:`committee_sign`). Recorded again (a new list) while nobody has signed, or
    after the document changed."""
    _require(may_record_presence(acting_user, competition))
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Nieznany rodzaj dokumentu.")})
    committee = Committee.objects.filter(competition=competition).first()
    if committee is None:
        raise ValidationError(_("Konkurs nie ma jeszcze komisji konkursowej."))
    committee = lock(committee)  # one record of presence at a time per committee
    if kind == Kind.PROTOCOL:
        offer = None
    elif offer is None or offer.competition_id != competition.pk:
        raise ValidationError({"offer": _("Wskaż ofertę.")})
    basis = document_basis(competition, kind, offer)
    if not basis:
        raise ValidationError(
            {
                Kind.FORMAL_CARD: _("Oferta nie ma jeszcze karty oceny formalnej."),
                Kind.MERIT_CARD: _("Oferta nie ma jeszcze kart oceny merytorycznej."),
                Kind.PROTOCOL: _("Najpierw należy obliczyć wyniki oceny ofert."),
            }[kind]
        )
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("Data posiedzenia nie może być datą przyszłą.")})
    present = list(present)
    if not present:
        raise ValidationError({"present": _("Wskaż członków komisji obecnych na posiedzeniu.")})
    for member in present:
        if member.committee_id != committee.pk:
            raise ValidationError({"present": _("Podpisują tylko członkowie komisji tego konkursu.")})
        if not member.may_evaluate:
            raise ValidationError(
                {
                    "present": _(
                        "%(name)s nie złożył(a) oświadczenia o braku konfliktu interesów i nie podpisuje "
                        "dokumentów komisji."
                    )
                    % {"name": member.user.get_full_name() or member.user.username}
                }
            )
    signing = CommitteeSigning.objects.filter(committee=committee, kind=kind, offer=offer).first()
    if signing is not None:
        if signing.basis == basis and signing.signatures.filter(signed_at__isnull=False).exists():
            raise ValidationError(_("Członkowie komisji już podpisują ten dokument; obecności nie można już zmienić."))
        signing.signatures.all().delete()
        signing.held_on, signing.basis, signing.completed_at = held_on, basis, None
        signing.opened_by, signing.opened_at = acting_user, timezone.now()
        signing.save()
    else:
        signing = CommitteeSigning.objects.create(
            committee=committee, kind=kind, offer=offer, held_on=held_on, basis=basis, opened_by=acting_user
        )
    CommitteeSignature.objects.bulk_create(CommitteeSignature(signing=signing, member=member) for member in present)
    return signing


@transaction.atomic
def committee_sign(signing: CommitteeSigning, *, acting_user) -> CommitteeSignature:
    """G6/G7: a member present at the meeting signs the card or the protocol personally. The signing's row is
    locked: two members signing at once both land, and the last one marks the document as signed."""
    signing = lock(signing)
    signature = signing.signatures.select_related("member__declaration").filter(member__user=acting_user).first()
    _require(
        signature is not None,
        _("Dokument podpisują osobiście członkowie komisji obecni na posiedzeniu."),
    )
    _require(signature.member.may_evaluate, _("Podpisują członkowie komisji bez konfliktu interesów (G7)."))
    if signature.signed_at is not None:
        raise ValidationError(
            _("Podpisano już ten dokument (%(when)s).")
            % {"when": timezone.localtime(signature.signed_at).strftime("%d.%m.%Y %H:%M")}
        )
    competition = signing.committee.competition
    if signing.basis != document_basis(competition, signing.kind, signing.offer):
        raise ValidationError(
            _(
                "Dokument zmieniono po odnotowaniu obecności; obecność na posiedzeniu należy odnotować ponownie, "
                "a obecni podpisują go od nowa."
            )
        )
    signature.signed_at = timezone.now()
    signature.save()
    if not signing.signatures.filter(signed_at__isnull=True).exists():
        signing.completed_at = signature.signed_at
        signing.save()
    return signature
