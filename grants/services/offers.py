"""Offerors and offers (G2-G4, G9): registration with the time of receipt, the budget rules, corrections before
the deadline, the reduced grant and the updated offer or withdrawal after it."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mopr import calendar
from mopr.deadlines import deadline_meet, deadline_move, deadline_open
from mopr.outbox import outbox_enqueue
from mopr.procedures import record_change, transition
from units.permissions import unit_group

from .. import permissions
from ..budget import FORMAL_CARD_RULES, BudgetData, LineData, budget_problems, fmt_money, money
from ..models import (
    Competition,
    CompetitionStatus,
    CostLine,
    Offer,
    Offeror,
    OfferorArea,
    OfferPartner,
    OfferStatus,
    PublicTaskArea,
)
from ..procedures import COMPETITION, OFFER
from .common import DL_WITHDRAWAL, _locked_in, _require, _require_manage, _require_offers, config_for


@transaction.atomic
def offeror_save(offeror: Offeror, *, acting_user, areas=None) -> Offeror:
    """Register or correct an offeror (NIP and REGON checksums validated); G13: ``areas`` (keys of
    ``PublicTaskArea``, art. 4 UDPP) replace its areas of activity when given."""
    _require(permissions.can_create_competition(acting_user))
    offeror.full_clean()
    offeror.save()
    if areas is not None:
        _save_areas(offeror, set(areas), acting_user)
    return offeror


def _save_areas(offeror: Offeror, areas: set[str], acting_user) -> None:
    unknown = areas - set(PublicTaskArea.values)
    if unknown:
        raise ValidationError({"areas": _("Nieznana sfera działalności.")})
    # one row at a time, so that each addition and removal has its history row (no bulk delete)
    for row in offeror.areas.exclude(area__in=areas):
        record_change(row, acting_user=acting_user)
        row.delete()
    existing = set(offeror.areas.values_list("area", flat=True))
    for area in sorted(areas - existing):
        row = OfferorArea(offeror=offeror, area=area)
        record_change(row, acting_user=acting_user)
        row.save()


def _budget_error(problems) -> ValidationError:
    return ValidationError([problem.message for problem in problems])


def _save_lines(offer: Offer, lines: list[LineData]) -> None:
    for line in offer.cost_lines.all():
        line.delete()
    for index, line in enumerate(lines, start=1):
        CostLine.objects.create(
            offer=offer,
            order=index,
            category=line.category,
            name=line.name,
            nature=line.nature or "eligible",
            amount=money(line.amount),
            from_grant=money(line.from_grant),
            persons=line.persons,
            hours=line.hours,
            hourly_rate=line.hourly_rate,
            employment_form=line.employment_form or "",
            fte=line.fte or "",
        )


def _check_joint(is_joint: bool, representation: str, partners) -> None:
    """G3 (003 §2.3): a joint offer names each partner's actions and the representation."""
    if not is_joint:
        return
    errors = {}
    if not partners:
        errors["is_joint"] = _("Oferta wspólna musi wskazywać co najmniej jednego partnera (003 §2.3).")
    if any(not (actions or "").strip() for _offeror, actions in partners):
        errors["is_joint"] = _("Dla każdego partnera oferty wspólnej wskaż jego działania (003 §2.3 pkt 1).")
    if not (representation or "").strip():
        errors["representation"] = _("Wskaż sposób reprezentacji podmiotów wobec organu (003 §2.3 pkt 2).")
    if errors:
        raise ValidationError(errors)


def _check_one_offer(competition: Competition, offeror: Offeror, partners, exclude_pk=None) -> None:
    """G3 (003 §4.4): one offeror submits at most one offer, alone or as a partner of a joint offer."""
    involved = [offeror] + [partner for partner, _actions in partners]
    if len({o.pk for o in involved}) != len(involved):
        raise ValidationError({"is_joint": _("Ten sam podmiot nie może być oferentem i partnerem tej samej oferty.")})
    others = Offer.objects.filter(competition=competition).exclude(pk=exclude_pk)
    for subject in involved:
        if (
            others.filter(offeror=subject).exists()
            or OfferPartner.objects.filter(offer__in=others, offeror=subject).exists()
        ):
            raise ValidationError(
                {
                    "offeror": _(
                        "%(name)s złożył(a) już ofertę w tym konkursie; jeden oferent "
                        "może złożyć najwyżej jedną ofertę (003 §4.4)."
                    )
                    % {"name": subject.name}
                }
            )


def _set_attachments(competition: Competition, attachments: dict | None) -> dict:
    """G1: each attachment of the competition's own list recorded as present or absent."""
    attachments = attachments or {}
    return {key: bool(attachments.get(key)) for key, _label in competition.attachment_items()}


@transaction.atomic
def offer_register(
    competition: Competition,
    *,
    acting_user,
    offeror: Offeror,
    received_at: datetime,
    checksum: str,
    task_title: str,
    requested_grant,
    own_financial=Decimal(0),
    volunteer_hours=Decimal(0),
    volunteer_rate=Decimal(0),
    volunteer_qualified=False,
    lines: list[LineData] | None = None,
    attachments: dict | None = None,
    is_joint=False,
    representation="",
    partners: list | None = None,
    recipients_count=None,
) -> Offer:
    """The secretariat registers an offer with the date and time of receipt.

    G2 (003 §4.8): every offer received is registered; one received after the deadline (the configured hour of
    the configured day, 15:30 of the 21st by default) is kept with a warning and rejected on the formal card.
    G3: one offer per offeror. G4: every budget rule is checked; the 90%/10% rules (criteria of the formal card,
    G5) give warnings with the figures and keep the offer, any other failure refuses the registration.
    ``offer.registration_warnings`` lists the warnings.
    """
    _require_manage(acting_user, competition)
    _require_offers(acting_user, competition)
    partners = partners or []
    lines = lines or []
    if competition.status != CompetitionStatus.PUBLISHED:
        raise ValidationError(_("Oferty przyjmuje się tylko w ogłoszonym konkursie w czasie naboru."))
    # G3 for partners of joint offers has no constraint of its own: registrations of one competition are
    # serialised on the competition's row, so two clerks cannot register the same subject at once.
    competition = _locked_in(competition, COMPETITION, "register_offer")
    if received_at > timezone.now():
        raise ValidationError({"received_at": _("Data wpływu nie może być przyszła.")})
    if competition.published_on and timezone.localtime(received_at).date() < competition.published_on:
        raise ValidationError({"received_at": _("Oferta nie mogła wpłynąć przed ogłoszeniem konkursu.")})
    warnings = []
    if received_at > competition.offer_deadline:
        warnings.append(
            _(
                "Oferta wpłynęła %(received)s, po terminie składania ofert (%(deadline)s); decyduje data wpływu "
                "do sekretariatu – oferta zostaje zarejestrowana i podlega odrzuceniu na karcie oceny formalnej "
                "(003 §4.3, §4.8)."
            )
            % {
                "received": timezone.localtime(received_at).strftime("%d.%m.%Y %H:%M"),
                "deadline": timezone.localtime(competition.offer_deadline).strftime("%d.%m.%Y %H:%M"),
            }
        )
    _check_joint(is_joint, representation, partners)
    _check_one_offer(competition, offeror, partners)
    budget = BudgetData(
        requested_grant=requested_grant,
        own_financial=own_financial,
        volunteer_hours=volunteer_hours,
        volunteer_rate=volunteer_rate,
        volunteer_qualified=volunteer_qualified,
        lines=lines,
    )
    problems = budget_problems(budget, config_for(competition).limits)
    errors = [problem for problem in problems if problem.rule not in FORMAL_CARD_RULES]
    if errors:
        raise _budget_error(errors)
    # G2/G5: the 90%/10% rules are formal criteria: the offer is kept, the card rejects it with the reason
    warnings += [problem.message for problem in problems if problem.rule in FORMAL_CARD_RULES]
    try:
        with transaction.atomic():
            offer = Offer.objects.create(
                competition=competition,
                offeror=offeror,
                received_at=received_at,
                checksum=checksum.strip(),
                task_title=task_title,
                requested_grant=money(requested_grant),
                own_financial=money(own_financial),
                volunteer_hours=volunteer_hours,
                volunteer_rate=money(volunteer_rate),
                volunteer_qualified=volunteer_qualified,
                attachments=_set_attachments(competition, attachments),
                is_joint=is_joint,
                representation=representation if is_joint else "",
                recipients_count=recipients_count,
                registered_by=acting_user,
            )
    except IntegrityError:
        raise ValidationError({"offeror": _("Ten oferent złożył już ofertę w tym konkursie (003 §4.4).")})
    _save_lines(offer, lines)
    for partner, actions in partners if is_joint else []:
        OfferPartner.objects.create(offer=offer, offeror=partner, actions=actions.strip())
    offer.registration_warnings = warnings
    return offer


def _min_own_after_reduction(offer: Offer, new_grant: Decimal) -> Decimal:
    """G9: the own contribution keeping the original proportion to the grant, rounded up to the grosz."""
    return (offer.original_own_contribution * new_grant / offer.original_requested_grant).quantize(
        Decimal("0.01"), rounding=ROUND_UP
    )


def check_proportion_kept(offer: Offer, new_grant: Decimal, new_own: Decimal) -> str | None:
    """G9 (003 §2.16 pkt 1, §2.19): after a reduction the own contribution may fall at most in proportion to
    the grant; the only allowed change of the proportion is a higher own contribution."""
    if new_own * offer.original_requested_grant < offer.original_own_contribution * new_grant:
        return _(
            "Wkład własny zmniejszono bardziej niż proporcjonalnie do dotacji: było %(own)s przy dotacji "
            "%(grant)s, teraz %(new_own)s przy dotacji %(new_grant)s (wymagane co najmniej %(min)s). "
            "Umowa nie może zostać zawarta (003 §2.19)."
        ) % {
            "own": fmt_money(offer.original_own_contribution),
            "grant": fmt_money(offer.original_requested_grant),
            "new_own": fmt_money(new_own),
            "new_grant": fmt_money(new_grant),
            "min": fmt_money(_min_own_after_reduction(offer, new_grant)),
        }
    return None


@transaction.atomic
def offer_update(
    offer: Offer,
    *,
    acting_user,
    requested_grant,
    own_financial,
    volunteer_hours,
    volunteer_rate,
    volunteer_qualified,
    lines: list[LineData],
    task_title: str | None = None,
) -> Offer:
    """Change an offer's budget.

    Before the offer deadline: a correction by the secretariat. After it, offers are not corrected
    (003 §4.9) – except the updated offer after a reduced grant (G9): the grant must equal the amount
    granted and the own contribution may fall at most proportionally (else the contract is refused).
    """
    competition = offer.competition
    _require_manage(acting_user, competition)
    _require_offers(acting_user, competition)
    if offer.status == OfferStatus.WITHDRAWN:
        raise ValidationError(_("Oferta została wycofana."))
    with transition(offer, OFFER, "update", acting_user=acting_user) as locked:
        _offer_update(
            locked,
            competition,
            requested_grant=requested_grant,
            own_financial=own_financial,
            volunteer_hours=volunteer_hours,
            volunteer_rate=volunteer_rate,
            volunteer_qualified=volunteer_qualified,
            lines=lines,
            task_title=task_title,
        )
    _save_lines(offer, lines)
    return offer


def _offer_update(
    offer: Offer,
    competition: Competition,
    *,
    requested_grant,
    own_financial,
    volunteer_hours,
    volunteer_rate,
    volunteer_qualified,
    lines,
    task_title,
) -> None:
    reduced = offer.reduction_notified_on is not None
    if not reduced and competition.deadline_passed:
        raise ValidationError(_("Po upływie terminu składania ofert oferty nie podlegają korekcie (003 §4.9)."))
    budget = BudgetData(
        requested_grant=requested_grant,
        own_financial=own_financial,
        volunteer_hours=volunteer_hours,
        volunteer_rate=volunteer_rate,
        volunteer_qualified=volunteer_qualified,
        lines=lines,
    )
    if reduced:
        if money(requested_grant) != offer.granted_amount:
            raise ValidationError(
                {
                    "requested_grant": _(
                        "W ofercie zaktualizowanej dotacja musi być równa kwocie przyznanej: %(granted)s (003 §2.18)."
                    )
                    % {"granted": fmt_money(offer.granted_amount)}
                }
            )
        problem = check_proportion_kept(offer, money(requested_grant), budget.own_contribution)
        if problem:
            raise ValidationError({"own_financial": problem})
    problems = budget_problems(budget, config_for(competition).limits)
    if problems:
        raise _budget_error(problems)
    if reduced:
        if offer.updated_on:
            raise ValidationError(_("Oferent złożył już ofertę zaktualizowaną."))
        offer.updated_on = timezone.localdate()
        deadline_meet(offer, DL_WITHDRAWAL)
    offer.requested_grant = money(requested_grant)
    offer.own_financial = money(own_financial)
    offer.volunteer_hours = volunteer_hours
    offer.volunteer_rate = money(volunteer_rate)
    offer.volunteer_qualified = volunteer_qualified
    if task_title:
        offer.task_title = task_title


@transaction.atomic
def grant_reduce(offer: Offer, *, acting_user, notified_on: date, granted_amount=None) -> Offer:
    """G9 (003 §2.16-17): the offeror is told the grant is lower than requested; from that day it has 14 days
    to withdraw in writing (the configured number of days), or it submits an updated offer keeping the proportion of
    own contribution."""
    competition = offer.competition
    _require_manage(acting_user, competition)
    _require_offers(acting_user, competition)
    with transition(offer, OFFER, "reduce", acting_user=acting_user) as locked:
        if granted_amount is not None:
            locked.granted_amount = money(granted_amount)
        if locked.granted_amount is None or not (Decimal(0) < locked.granted_amount < locked.requested_grant):
            raise ValidationError(
                _("Dotacja niższa od wnioskowanej musi być większa od zera i mniejsza od %(requested)s.")
                % {"requested": fmt_money(locked.requested_grant)}
            )
        locked.original_requested_grant = locked.requested_grant
        locked.original_own_contribution = locked.own_contribution
        locked.reduction_notified_on = notified_on
        locked.withdrawal_due = calendar.deadline_in_days(notified_on, config_for(competition).withdrawal_days)
    deadline_open(
        offer,
        kind=DL_WITHDRAWAL,
        rule="G9",
        label=_("Dotacja niższa od wnioskowanej – oferta zaktualizowana albo wycofanie: %(name)s")
        % {"name": offer.offeror.name},
        due=offer.withdrawal_due,
        responsible_group=unit_group(competition.unit, "staff"),
    )
    if offer.offeror.email:
        outbox_enqueue(
            key=f"grants:reduced:{offer.pk}:{notified_on.isoformat()}",
            to=offer.offeror.email,
            subject=_("Przyznana dotacja niższa od wnioskowanej"),
            body_text=_(
                "W konkursie „%(title)s” przyznano dotację %(granted)s (wnioskowano %(requested)s). "
                "W terminie do %(due)s można pisemnie wycofać ofertę albo złożyć ofertę zaktualizowaną, "
                "zachowując proporcję wkładu własnego do dotacji (003 §2.16-19)."
            )
            % {
                "title": competition.title,
                "granted": fmt_money(offer.granted_amount),
                "requested": fmt_money(offer.requested_grant),
                "due": offer.withdrawal_due.strftime("%d.%m.%Y"),
            },
        )
    return offer


@transaction.atomic
def reduction_receipt_record(offer: Offer, *, acting_user, received_on: date) -> Offer:
    """G9 (003 §2.16 pkt 2): the 14 days (the configured number) to withdraw run from the offeror's receipt of the
    notice of a reduced grant: recording the receipt moves the withdrawal deadline."""
    _require_manage(acting_user, offer.competition)
    _require_offers(acting_user, offer.competition)
    if offer.reduction_notified_on is None:
        raise ValidationError(_("Oferta nie ma zawiadomienia o dotacji niższej od wnioskowanej (G9)."))
    with transition(offer, OFFER, "reduction_received", acting_user=acting_user) as locked:
        if received_on < locked.reduction_notified_on:
            raise ValidationError(
                {
                    "received_on": _("Doręczenie nie może poprzedzać wysłania zawiadomienia (%(sent)s).")
                    % {"sent": locked.reduction_notified_on.strftime("%d.%m.%Y")}
                }
            )
        if received_on > timezone.localdate():
            raise ValidationError({"received_on": _("Data doręczenia nie może być przyszła.")})
        if locked.withdrawn_on or locked.updated_on:
            raise ValidationError(_("Oferent już wycofał ofertę albo złożył ofertę zaktualizowaną."))
        locked.reduction_received_on = received_on
        locked.withdrawal_due = calendar.deadline_in_days(received_on, config_for(offer.competition).withdrawal_days)
    deadline_move(offer, DL_WITHDRAWAL, locked.withdrawal_due)
    offer.reduction_received_on, offer.withdrawal_due = locked.reduction_received_on, locked.withdrawal_due
    return offer


@transaction.atomic
def offer_withdraw(offer: Offer, *, acting_user, withdrawn_on: date, late_reason: str = "") -> Offer:
    """G9 (003 §2.16 pkt 2): the offeror withdraws in writing within 14 days (the configured number) of receiving
    the notice of a reduced grant; later only in a particularly justified case, whose reason is recorded."""
    _require_manage(acting_user, offer.competition)
    _require_offers(acting_user, offer.competition)
    if offer.status == OfferStatus.WITHDRAWN:
        raise ValidationError(_("Oferta została już wycofana."))
    if offer.reduction_notified_on is None:
        raise ValidationError(_("Wycofanie w tym trybie dotyczy oferty z dotacją niższą od wnioskowanej (G9)."))
    with transition(offer, OFFER, "withdraw", acting_user=acting_user) as locked:
        if withdrawn_on < locked.reduction_notified_on:
            raise ValidationError({"withdrawn_on": _("Wycofanie nie może poprzedzać zawiadomienia.")})
        late_reason = (late_reason or "").strip()
        if withdrawn_on > locked.withdrawal_due and not late_reason:
            raise ValidationError(
                {
                    "withdrawn_on": _(
                        "Termin na wycofanie oferty upłynął %(due)s (%(days)s dni od otrzymania zawiadomienia, "
                        "003 §2.16 pkt 2); późniejsze oświadczenie przyjmuje się tylko w szczególnie uzasadnionym "
                        "przypadku – podaj jego uzasadnienie."
                    )
                    % {
                        "due": locked.withdrawal_due.strftime("%d.%m.%Y"),
                        "days": config_for(offer.competition).withdrawal_days,
                    }
                }
            )
        if locked.updated_on:
            raise ValidationError(_("Oferent złożył już ofertę zaktualizowaną."))
        locked.withdrawn_on = withdrawn_on
        if withdrawn_on > locked.withdrawal_due:
            locked.late_withdrawal_reason = late_reason
    deadline_meet(offer, DL_WITHDRAWAL)
    return offer
