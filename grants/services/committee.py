"""The committee and the evaluation (G5-G7): appointment by the Director's order, each member's declaration of
no conflict of interest, the formal card (annex 3) and the members' merit cards (annex 4)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mopr import calendar
from mopr.deadlines import deadline_cancel, deadline_meet, deadline_open
from mopr.outbox import outbox_enqueue
from mopr.procedures import lock, transition
from units.permissions import grant_user, revoke_user, unit_group

from .. import permissions
from ..budget import BudgetData, check_grant_at_most_90_percent, check_own_contribution_at_least_10_percent
from ..models import (
    MERIT_CRITERIA,
    Committee,
    CommitteeMember,
    Competition,
    CompetitionStatus,
    ConflictDeclaration,
    FormalCard,
    MeritCard,
    Offer,
    OfferStatus,
    formal_criteria,
)
from ..procedures import COMPETITION, OFFER
from .common import DL_CORRECTION, DL_DECLARATION, _locked_in, _require, _require_manage, config_for


@transaction.atomic
def committee_appoint(
    competition: Competition, *, acting_user, order_number: str, order_date: date, chair, deputy_chair, members
) -> Committee:
    """G7: the committee by the Director's order – chair, deputy chair, members. Each member is asked for the
    no-conflict declaration; nobody sees offers before making it."""
    _require_manage(acting_user, competition)
    if competition.status not in (CompetitionStatus.DRAFT, CompetitionStatus.PUBLISHED, CompetitionStatus.EVALUATION):
        raise ValidationError(_("Na tym etapie konkursu nie można powoływać komisji."))
    # one appointment at a time per competition (and none while the results are being computed)
    competition = _locked_in(competition, COMPETITION, "appoint_committee")
    members = [member for member in members if member not in (chair, deputy_chair)]
    if chair is None or deputy_chair is None or chair == deputy_chair:
        raise ValidationError({"deputy_chair": _("Przewodniczący i jego zastępca to dwie różne osoby.")})
    if not members:
        raise ValidationError(
            {"members": _("Powołaj co najmniej jednego członka komisji poza przewodniczącym i jego zastępcą.")}
        )
    committee = Committee.objects.filter(competition=competition).first()
    if committee and MeritCard.objects.filter(member__committee=committee).exists():
        raise ValidationError(_("Komisja rozpoczęła ocenę merytoryczną; jej skład nie może się już zmienić."))
    if committee is None:
        committee = Committee(competition=competition)
    committee.order_number, committee.order_date, committee.appointed_by = order_number, order_date, acting_user
    committee.save()
    wanted = {chair.pk: CommitteeMember.Role.CHAIR, deputy_chair.pk: CommitteeMember.Role.DEPUTY_CHAIR}
    wanted.update({member.pk: CommitteeMember.Role.MEMBER for member in members})
    for member in list(committee.members.select_related("user")):
        if member.user_id not in wanted:
            revoke_user(member.user, "view_competition", competition)
            revoke_user(member.user, "evaluate_competition", competition)
            deadline_cancel(member)
            member.delete()
    people = {person.pk: person for person in [chair, deputy_chair, *members]}
    # one chair and one deputy chair per committee (constraints): whoever changes function is first made a
    # member, so that a swap of the chair and the deputy never holds two chairs for a moment
    for member in committee.members.exclude(role=CommitteeMember.Role.MEMBER):
        if wanted.get(member.user_id) != member.role:
            member.role = CommitteeMember.Role.MEMBER
            member.save()
    declaration_days = config_for(competition).declaration_working_days
    start = max(
        timezone.localdate(),
        timezone.localtime(competition.offer_deadline).date() if competition.offer_deadline else timezone.localdate(),
    )
    for user_id, role in wanted.items():
        member, created = CommitteeMember.objects.get_or_create(
            committee=committee, user_id=user_id, defaults={"role": role}
        )
        if not created and member.role != role:
            member.role = role
            member.save()
        if created:
            deadline_open(
                member,
                kind=DL_DECLARATION,
                rule="G7",
                label=_("Oświadczenie o braku konfliktu interesów – konkurs: %(title)s") % {"title": competition.title},
                due=calendar.add_working_days(start, declaration_days),
                responsible_user=people[user_id],
                url=_declaration_url(competition),
            )
            person = people[user_id]
            if person.email:
                outbox_enqueue(
                    key=f"grants:committee:{committee.pk}:{user_id}",
                    to=person.email,
                    user=person,
                    subject=_("Powołanie do komisji konkursowej"),
                    body_text=_(
                        "Zarządzeniem nr %(number)s z dnia %(date)s powołano Panią/Pana do komisji "
                        "konkursowej w konkursie „%(title)s” (funkcja: %(role)s). Przed zapoznaniem się "
                        "z ofertami proszę złożyć oświadczenie o braku konfliktu interesów."
                    )
                    % {
                        "number": order_number,
                        "date": order_date.strftime("%d.%m.%Y"),
                        "title": competition.title,
                        "role": CommitteeMember.Role(role).label,
                    },
                )
    return committee


def _declaration_url(competition: Competition) -> str:
    return reverse("grants:declaration", args=[competition.pk])


@transaction.atomic
def conflict_declare(
    member: CommitteeMember, *, acting_user, no_conflict: bool, remarks: str = ""
) -> ConflictDeclaration:
    """G7 (UDPP art. 15 ust. 2f): the member's own declaration, once, before seeing offers. Only a member
    with no conflict receives access to the competition's offers (explicit grant)."""
    _require(acting_user == member.user, _("Oświadczenie składa osobiście członek komisji."))
    lock(member)  # a double click declares once: the second waits here, then finds the declaration
    if ConflictDeclaration.objects.filter(member=member).exists():
        raise ValidationError(_("Oświadczenie zostało już złożone."))
    declaration = ConflictDeclaration.objects.create(member=member, no_conflict=no_conflict, remarks=remarks.strip())
    competition = member.committee.competition
    if no_conflict:
        grant_user(member.user, "view_competition", competition)
        grant_user(member.user, "evaluate_competition", competition)
    deadline_meet(member, DL_DECLARATION)
    return declaration


# --- evaluation (G5, G6) ---------------------------------------------------------------------------


def _require_evaluation(user, competition: Competition) -> CommitteeMember:
    member = permissions.committee_member(user, competition)
    _require(
        member is not None and member.may_evaluate and permissions.can_evaluate(user, competition),
        _("Oferty oceniają członkowie komisji po złożeniu oświadczenia o braku konfliktu interesów (G7)."),
    )
    # the competition's row under lock: no card is written while the results are computed (or after)
    competition = lock(competition)
    if competition.status != CompetitionStatus.EVALUATION:
        raise ValidationError(_("Oceny dokonuje się na etapie oceny ofert."))
    if competition.results_computed_at:
        raise ValidationError(_("Wyniki zostały już obliczone; oceny nie można zmienić."))
    return member


def formal_suggestions(offer: Offer) -> dict:
    """What the register already knows for annex 3: receipt on time (G2), the attachments of the competition's
    list recorded at registration (G1, 003 §4.7) and the two budget criteria (G4). The committee still answers
    each one."""
    data = BudgetData.from_offer(offer)
    limits = config_for(offer.competition).limits
    suggestions = {
        "on_time": offer.received_at <= offer.competition.offer_deadline,
        "grant_max_90": check_grant_at_most_90_percent(data.requested_grant, data.total, limits.grant_max_percent)
        is None,
        "own_min_10": check_own_contribution_at_least_10_percent(
            data.own_contribution, data.total, limits.own_min_percent
        )
        is None,
    }
    for key, _label in offer.competition.attachment_items():  # G1: the competition's own list
        suggestions[f"att_{key}"] = bool((offer.attachments or {}).get(key))
    return suggestions


def card_version(card) -> str:
    """What a card form was based on (a hidden field): the time the card was last saved, "" for no card."""
    if card is None:
        return ""
    stamp = card.evaluated_at if isinstance(card, FormalCard) else card.submitted_at
    return stamp.isoformat()


def _check_version(card, version: str | None) -> None:
    """A second identical submission (a double click, a replay, a second member's tab) was based on a card that
    no longer is the current one: refused instead of overwriting it."""
    if version is None or card_version(card) == version:
        return
    if card is None:
        raise ValidationError(_("Karta, którą poprawiano, już nie istnieje – odśwież stronę."), code="stale")
    raise ValidationError(
        _(
            "Kartę zapisano w międzyczasie (%(when)s). Jeśli formularz wysłano ponownie, karta "
            "została już zapisana – odśwież stronę i sprawdź ją przed poprawieniem."
        )
        % {
            "when": timezone.localtime(
                card.evaluated_at if isinstance(card, FormalCard) else card.submitted_at
            ).strftime("%d.%m.%Y %H:%M:%S")
        },
        code="stale",
    )


@transaction.atomic
def offer_formal_evaluate(
    offer: Offer, *, acting_user, answers: dict, remarks: str = "", version: str | None = None
) -> FormalCard:
    """G5 (annex 3): each formal criterion yes/no, one line per attachment of the competition's list (G1); an
    offer failing any is not evaluated on merit,
    and the reason (the failed criteria) is recorded.

    The first card moves a registered offer (``formal_pass``/``formal_fail``); a later one corrects it
    (``formal_revise_*``). ``version`` is the card the form was based on (:func:`card_version`); without it,
    the caller's ``offer`` tells: a registered offer means a first card, so a replayed first card is refused."""
    competition = offer.competition
    _require_evaluation(acting_user, competition)
    if offer.status == OfferStatus.WITHDRAWN:
        raise ValidationError(_("Oferta została wycofana."))
    criteria = formal_criteria(config_for(competition).limits, competition.attachments)
    missing = [label for key, label in criteria if answers.get(key) not in (True, False)]
    if missing:
        raise ValidationError(
            _("Odpowiedz „tak” albo „nie” na każde kryterium: %(missing)s") % {"missing": "; ".join(missing)}
        )
    failed = [label for key, label in criteria if answers.get(key) is False]
    revising = bool(version) if version is not None else offer.status != OfferStatus.REGISTERED
    action = ("formal_revise_" if revising else "formal_") + ("fail" if failed else "pass")
    with transition(offer, OFFER, action, acting_user=acting_user) as locked:
        _check_version(FormalCard.objects.filter(offer=locked).first(), version)
        if failed and locked.merit_cards.exists():
            raise ValidationError(_("Oferta ma już karty oceny merytorycznej; nie można jej odrzucić formalnie."))
        card, _created = FormalCard.objects.update_or_create(
            offer=locked,
            defaults={
                "answers": {key: bool(answers[key]) for key, _label in criteria},
                "passed": not failed,
                "reason": "\n".join(failed),
                "remarks": remarks.strip(),
                "evaluated_by": acting_user,
                "evaluated_at": timezone.now(),
            },
        )
    return card


@transaction.atomic
def merit_card_submit(
    offer: Offer, *, acting_user, points: dict, justification: str = "", version: str | None = None
) -> MeritCard:
    """G6 (annex 4): the member's points for each criterion within its scale (0-5 or 0-10); max 100.
    Only offers that passed the formal evaluation are scored (G5). ``version``: the member's card the form was
    based on (:func:`card_version`, "" for none), so a replayed submission does not write twice."""
    member = _require_evaluation(acting_user, offer.competition)
    if offer.status != OfferStatus.FORMAL_PASSED:
        raise ValidationError(_("Ocenie merytorycznej podlegają tylko oferty spełniające wymogi formalne (G5)."))
    errors = {}
    clean = {}
    for _section, key, label, maximum in MERIT_CRITERIA:
        value = points.get(key)
        try:
            number = int(value)
            if number != Decimal(str(value)):
                raise ValueError
        except (TypeError, ValueError, ArithmeticError):
            errors[key] = _("Podaj liczbę całkowitą punktów od 0 do %(max)s.") % {"max": maximum}
            continue
        if not 0 <= number <= maximum:
            errors[key] = _("„%(label)s”: %(value)s pkt poza skalą 0–%(max)s.") % {
                "label": label,
                "value": number,
                "max": maximum,
            }
            continue
        clean[key] = number
    if errors:
        raise ValidationError(errors)
    with transition(offer, OFFER, "merit_card", acting_user=acting_user) as locked:
        _check_version(MeritCard.objects.filter(offer=locked, member=member).first(), version)
        card, _created = MeritCard.objects.update_or_create(
            offer=locked,
            member=member,
            defaults={
                "points": clean,
                "total": sum(clean.values()),
                "justification": justification.strip(),
                "submitted_at": timezone.now(),
            },
        )
    return card


@transaction.atomic
def clerical_correction_request(
    offer: Offer, *, acting_user, scope: str, due: date, requested_on: date | None = None
) -> Offer:
    """G5 (003 §5.1.6): the committee may ask the offeror to correct an obvious clerical error, with a deadline;
    the request is recorded on the offer and its deadline is tracked."""
    competition = offer.competition
    _require_evaluation(acting_user, competition)
    requested_on = requested_on or timezone.localdate()
    if not (scope or "").strip():
        raise ValidationError({"scope": _("Opisz oczywisty błąd pisarski, którego dotyczy wezwanie.")})
    if due <= requested_on:
        raise ValidationError(
            {
                "due": _("Termin na poprawienie musi przypadać po dniu wezwania (%(on)s).")
                % {"on": requested_on.strftime("%d.%m.%Y")}
            }
        )
    with transition(offer, OFFER, "correction_request", acting_user=acting_user) as locked:
        if locked.correction_requested_on and not locked.correction_answered_on:
            raise ValidationError(_("Oferent został już wezwany do poprawienia błędu; czeka się na odpowiedź."))
        locked.correction_requested_on, locked.correction_scope = requested_on, scope.strip()
        locked.correction_due, locked.correction_answered_on = due, None
    deadline_open(
        offer,
        kind=DL_CORRECTION,
        rule="G5",
        label=_("Poprawienie oczywistego błędu pisarskiego: %(name)s") % {"name": offer.offeror.name},
        due=due,
        responsible_group=unit_group(competition.unit, "staff"),
    )
    if offer.offeror.email:
        outbox_enqueue(
            key=f"grants:correction:{offer.pk}:{requested_on.isoformat()}",
            to=offer.offeror.email,
            subject=_("Wezwanie do poprawienia oczywistego błędu pisarskiego w ofercie"),
            body_text=_(
                "Komisja konkursowa w konkursie „%(title)s” wzywa do poprawienia oczywistego błędu pisarskiego "
                "w ofercie: %(scope)s. Termin: %(due)s (003 §5.1.6)."
            )
            % {"title": competition.title, "scope": scope.strip(), "due": due.strftime("%d.%m.%Y")},
        )
    return offer


@transaction.atomic
def clerical_correction_answer(offer: Offer, *, acting_user, answered_on: date, corrected: str) -> Offer:
    """G5 (003 §5.1.6): the offeror's correction received – what was corrected and the date it came in – recorded
    by a committee member or the unit running the competition; the deadline is met (late when after it)."""
    competition = offer.competition
    if permissions.can_evaluate(acting_user, competition) and permissions.committee_member(acting_user, competition):
        _require_evaluation(acting_user, competition)
    else:
        _require_manage(acting_user, competition)
        _require(permissions.can_manage_offers(acting_user, competition))
        if lock(competition).status != CompetitionStatus.EVALUATION:
            raise ValidationError(_("Poprawienie oferty odnotowuje się na etapie oceny ofert."))
    if not (corrected or "").strip():
        raise ValidationError({"corrected": _("Opisz, co oferent poprawił.")})
    if answered_on > timezone.localdate():
        raise ValidationError({"answered_on": _("Data wpływu nie może być datą przyszłą.")})
    with transition(offer, OFFER, "correction_answer", acting_user=acting_user) as locked:
        if not locked.correction_requested_on or locked.correction_answered_on:
            raise ValidationError(_("Oferent nie został wezwany do poprawienia błędu albo już odpowiedział."))
        if answered_on < locked.correction_requested_on:
            raise ValidationError({"answered_on": _("Odpowiedź nie może poprzedzać wezwania.")})
        locked.correction_answered_on, locked.correction_made = answered_on, corrected.strip()
    deadline_meet(offer, DL_CORRECTION, when=answered_on)
    return offer
