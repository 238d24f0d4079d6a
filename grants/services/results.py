"""Results (G6, G8): the committee's scores and ranking with the proposed amounts, the Director's opinion, the
President's decision (a reduced grant opens G9) and the publication of the results."""

from __future__ import annotations

import statistics
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mopr.deadlines import deadline_meet, deadline_open
from mopr.documents import document_request
from mopr.outbox import outbox_enqueue
from mopr.procedures import transition
from units.signing import acting_for_director

from .. import permissions
from ..budget import fmt_money, money
from ..models import (
    CommitteeMember,
    Competition,
    CompetitionStatus,
    Offer,
    OfferStatus,
    PublicationPlace,
    ResultsPublication,
)
from ..procedures import COMPETITION, OFFER
from .common import DL_DECISION, DL_OPINION, DOC_PUBLIC_RESULTS, _require, _require_manage, _require_offers
from .contexts import results_context
from .offers import grant_reduce


def _score(totals: list[int], method: str) -> Decimal:
    if method == Competition.ScoreMethod.MEDIAN:
        value = Decimal(str(statistics.median(totals)))
    else:
        value = Decimal(sum(totals)) / Decimal(len(totals))
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


EVALUATED = (OfferStatus.FORMAL_PASSED, OfferStatus.SCORED)  # on merit: before and after the score


@transaction.atomic
def results_compute(competition: Competition, *, acting_user, proposed_amounts: dict | None = None) -> list[Offer]:
    """G6: each offer's score is the mean (configurable) of the members' totals; the ranking; offers below the
    threshold (the competition's minimum, 70 by default from the configuration) get nothing; the highest-scoring
    offers receive proposed amounts that together do not exceed the competition's funds.
    ``proposed_amounts`` (offer id -> amount) overrides the proposal.

    The competition's row is locked for the whole computation (no card is written meanwhile, two clerks
    computing at once compute one after the other); each offer passed on merit becomes ``scored``."""
    _require_manage(acting_user, competition)
    _require_offers(acting_user, competition)
    if competition.status != CompetitionStatus.EVALUATION:
        raise ValidationError(_("Wyniki oblicza się na etapie oceny ofert."))
    with transition(competition, COMPETITION, "compute_results", acting_user=acting_user) as locked:
        ranked = _compute(locked, acting_user, proposed_amounts)
        locked.results_computed_at = timezone.now()
    # G8 (003 §5.2.2): the Director (or whoever acts for the Director today) now owes the President an opinion,
    # before the decision's date; it is on the Director's dashboard and in the digest until given.
    director = acting_for_director(competition.unit.institution, timezone.localdate())
    if director is not None and competition.decision_due:
        deadline_open(
            competition,
            kind=DL_OPINION,
            rule="G8",
            label=_("Opinia dla Prezydenta o wynikach konkursu: %(title)s") % {"title": competition.title},
            due=competition.decision_due,
            responsible_user=director,
            url=reverse("grants:opinion", args=[competition.pk]),
        )
    return ranked


def _compute(competition: Competition, acting_user, proposed_amounts) -> list[Offer]:
    offers = list(
        competition.offers.exclude(status=OfferStatus.WITHDRAWN)
        .select_related("offeror")
        .prefetch_related("merit_cards")
    )
    if not offers:
        raise ValidationError(_("W konkursie nie ma ofert."))
    unevaluated = [offer for offer in offers if offer.status == OfferStatus.REGISTERED]
    if unevaluated:
        raise ValidationError(
            _("Nie wszystkie oferty mają kartę oceny formalnej: %(names)s.")
            % {"names": ", ".join(offer.offeror.name for offer in unevaluated)}
        )
    evaluators = set(
        CommitteeMember.objects.filter(committee__competition=competition, declaration__no_conflict=True).values_list(
            "pk", flat=True
        )
    )
    if not evaluators:
        raise ValidationError(_("Żaden członek komisji nie złożył oświadczenia o braku konfliktu interesów."))
    passed = [offer for offer in offers if offer.status in EVALUATED]
    for offer in passed:
        missing = evaluators - {card.member_id for card in offer.merit_cards.all()}
        if missing:
            raise ValidationError(
                _("Oferta %(name)s nie ma kart oceny merytorycznej wszystkich członków komisji (brakuje %(count)s).")
                % {"name": offer.offeror.name, "count": len(missing)}
            )
        offer.score = _score([card.total for card in offer.merit_cards.all()], competition.score_method)
    ranked = sorted(passed, key=lambda o: (-o.score, o.received_at, o.pk))
    remaining = competition.funds
    chosen = 0
    for position, offer in enumerate(ranked, start=1):
        offer.rank = position
        if offer.score >= competition.min_points and chosen < competition.max_grantees and remaining > 0:
            offer.proposed_amount = min(offer.requested_grant, remaining)
            remaining -= offer.proposed_amount
            chosen += 1
        else:
            offer.proposed_amount = Decimal("0.00")
    if proposed_amounts is not None:
        _apply_proposals(competition, ranked, proposed_amounts)
    for offer in ranked:
        with transition(offer, OFFER, "score", acting_user=acting_user) as locked:
            locked.score, locked.rank, locked.proposed_amount = offer.score, offer.rank, offer.proposed_amount
    return ranked


def _apply_proposals(competition: Competition, ranked: list[Offer], proposed: dict) -> None:
    errors = []
    for offer in ranked:
        amount = money(proposed.get(offer.pk, offer.proposed_amount))
        if amount < 0 or amount > offer.requested_grant:
            errors.append(
                _(
                    "%(name)s: proponowana kwota %(amount)s musi mieścić się między 0 a wnioskowaną "
                    "dotacją %(requested)s."
                )
                % {
                    "name": offer.offeror.name,
                    "amount": fmt_money(amount),
                    "requested": fmt_money(offer.requested_grant),
                }
            )
        if amount > 0 and offer.score < competition.min_points:
            errors.append(
                _(
                    "%(name)s: oferta uzyskała %(score)s pkt, mniej niż %(min)s – dotacji nie można "
                    "zaproponować (003 §5.2.3)."
                )
                % {"name": offer.offeror.name, "score": offer.score, "min": competition.min_points}
            )
        offer.proposed_amount = amount
    total = sum((offer.proposed_amount for offer in ranked), Decimal(0))
    if total > competition.funds:
        errors.append(
            _("Proponowane kwoty razem (%(total)s) przekraczają środki konkursu (%(funds)s).")
            % {"total": fmt_money(total), "funds": fmt_money(competition.funds)}
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def director_opinion(competition: Competition, *, acting_user, opinion: str, on: date | None = None) -> Competition:
    """G8 (003 §5.2.2): the Director presents the committee's opinion on all offers, with points and proposed
    amounts, to the President."""
    _require(
        permissions.can_give_director_opinion(acting_user, competition),
        _("Opinię Prezydentowi przedstawia Dyrektor lub osoba go zastępująca."),
    )
    if not competition.results_computed_at:
        raise ValidationError(_("Najpierw należy obliczyć wyniki oceny ofert."))
    if not (opinion or "").strip():
        raise ValidationError({"opinion": _("Wpisz treść opinii.")})
    with transition(competition, COMPETITION, "opinion", acting_user=acting_user) as locked:
        if not locked.results_computed_at:
            raise ValidationError(_("Najpierw należy obliczyć wyniki oceny ofert."))
        locked.director_opinion = opinion.strip()
        locked.director_opinion_on = on or timezone.localdate()
        locked.director_opinion_by = acting_user
    deadline_meet(competition, DL_OPINION)
    return competition


@transaction.atomic
def president_decision(
    competition: Competition, *, acting_user, order_number: str, order_date: date, granted: dict | None = None
) -> Competition:
    """G8: the President's order (number, date) chooses offers and grants; at the latest 30 days (the configured
    number, fixed in ``decision_due`` at publication) after the offer deadline (003 §5.2.5): a later order is
    recorded and flagged as late (``decision_late``); no appeal (§5.2.8).
    A grant lower than requested opens G9's window."""
    _require_manage(acting_user, competition)
    _require_offers(acting_user, competition)
    if not (order_number or "").strip():
        raise ValidationError({"order_number": _("Podaj numer zarządzenia Prezydenta.")})
    # G8: an order after the 30 days is still recorded, and flagged as late (Competition.decision_late)
    if competition.offer_deadline and order_date < timezone.localtime(competition.offer_deadline).date():
        raise ValidationError({"order_date": _("Zarządzenie nie może poprzedzać terminu składania ofert.")})
    granted = granted or {}
    with transition(competition, COMPETITION, "decide", acting_user=acting_user) as locked:
        offers = list(locked.offers.filter(status=OfferStatus.SCORED).select_related("offeror"))
        total = Decimal(0)
        for offer in offers:
            amount = money(granted.get(offer.pk, offer.proposed_amount or 0))
            if amount < 0 or amount > offer.requested_grant:
                raise ValidationError(
                    _("%(name)s: przyznana kwota musi mieścić się między 0 a wnioskowaną dotacją.")
                    % {"name": offer.offeror.name}
                )
            if amount > 0 and (offer.score is None or offer.score < locked.min_points):
                raise ValidationError(
                    _(
                        "%(name)s: oferta uzyskała %(score)s pkt, mniej niż wymagane %(min)s pkt – w zarządzeniu "
                        "nie można przyznać jej dotacji (003 §5.2.3)."
                    )
                    % {"name": offer.offeror.name, "score": offer.score or 0, "min": locked.min_points}
                )
            offer.granted_amount = amount
            total += amount
        chosen_count = sum(1 for offer in offers if offer.granted_amount > 0)
        if chosen_count > locked.max_grantees:
            raise ValidationError(
                ngettext(
                    "Zarządzenie wybiera %(count)s ofertę, a konkurs ogłosił wybór najwyżej %(max)s (003 §5.2.3).",
                    "Zarządzenie wybiera %(count)s ofert, a konkurs ogłosił wybór najwyżej %(max)s (003 §5.2.3).",
                    chosen_count,
                )
                % {"count": chosen_count, "max": locked.max_grantees}
            )
        if total > locked.funds:
            raise ValidationError(
                _("Przyznane dotacje razem (%(total)s) przekraczają środki konkursu (%(funds)s).")
                % {"total": fmt_money(total), "funds": fmt_money(locked.funds)}
            )
        for offer in offers:
            # G8: the President's order chooses the offers with a grant; the others are not chosen
            with transition(
                offer,
                OFFER,
                "choose" if offer.granted_amount > 0 else "not_choose",
                acting_user=acting_user,
                reason=_("Zarządzenie Prezydenta nr %(number)s") % {"number": order_number.strip()},
            ) as chosen:
                chosen.granted_amount = offer.granted_amount
        locked.president_order_number = order_number.strip()
        locked.president_order_date = order_date
    deadline_meet(competition, DL_DECISION, when=order_date)
    for offer in offers:
        if Decimal(0) < offer.granted_amount < offer.requested_grant:
            grant_reduce(offer, acting_user=acting_user, notified_on=order_date)
    return competition


@transaction.atomic
def results_publish(competition: Competition, *, acting_user, on: date | None = None) -> Competition:
    """G8 (003 §5.2.7): the results are published – on the public page and as a PDF."""
    _require_manage(acting_user, competition)
    with transition(competition, COMPETITION, "publish_results", acting_user=acting_user) as locked:
        locked.results_published_on = on or timezone.localdate()
    document_request(
        competition,
        kind=DOC_PUBLIC_RESULTS,
        title=_("Wyniki otwartego konkursu ofert"),
        template_name="pdf/grants/public_results.html",
        context=results_context(competition),
        acting_user=acting_user,
    )
    for offer in competition.offers.select_related("offeror").exclude(offeror__email=""):
        granted = offer.granted_amount or Decimal(0)
        outcome = (
            _("przyznano dotację w wysokości %(amount)s") % {"amount": fmt_money(granted)}
            if granted > 0
            else _("dotacji nie przyznano (%(status)s)") % {"status": offer.get_status_display()}
        )
        outbox_enqueue(
            key=f"grants:results:{competition.pk}:{offer.pk}",
            to=offer.offeror.email,
            subject=_("Wyniki otwartego konkursu ofert"),
            body_text=_(
                "Rozstrzygnięto konkurs „%(title)s” (zarządzenie Prezydenta nr %(number)s z dnia %(date)s). "
                "Dla oferty %(name)s %(outcome)s. Od rozstrzygnięcia nie stosuje się trybu odwoławczego "
                "(003 §5.2.8)."
            )
            % {
                "title": competition.title,
                "number": competition.president_order_number,
                "date": competition.president_order_date.strftime("%d.%m.%Y"),
                "name": offer.offeror.name,
                "outcome": outcome,
            },
        )
    return competition


@transaction.atomic
def results_publication_record(competition: Competition, *, acting_user, place: str, on: date) -> ResultsPublication:
    """G8 (003 §5.2.7): the results published in one of the places the announcement names, with its date
    (a correction of the date replaces the earlier one)."""
    _require_manage(acting_user, competition)
    if place not in PublicationPlace.values:
        raise ValidationError({"place": _("Wybierz miejsce publikacji wymienione w ogłoszeniu (003 §5.2.7).")})
    if not competition.president_order_date:
        raise ValidationError(_("Wyniki publikuje się po zarządzeniu Prezydenta."))
    if on < competition.president_order_date:
        raise ValidationError(
            {
                "on": _("Publikacja nie może poprzedzać zarządzenia Prezydenta (%(date)s).")
                % {"date": competition.president_order_date.strftime("%d.%m.%Y")}
            }
        )
    if on > timezone.localdate():
        raise ValidationError({"on": _("Data publikacji nie może być przyszła.")})
    publication, _created = ResultsPublication.objects.update_or_create(
        competition=competition, place=place, defaults={"published_on": on, "recorded_by": acting_user}
    )
    return publication


def results_publications(competition: Competition) -> list[dict]:
    """Every place of 003 §5.2.7 with its recorded date (or none yet)."""
    recorded = {p.place: p.published_on for p in competition.publications.all()}
    return [{"place": label, "published_on": recorded.get(value)} for value, label in PublicationPlace.choices]
