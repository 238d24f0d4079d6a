"""Every state change of an open grant competition (G1-G10): one function each, atomic, permission
checked, the rule validated with a Polish message, deadlines, documents and e-mails included."""

from __future__ import annotations

import statistics
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, ROUND_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mopr import calendar
from mopr.deadlines import deadline_meet, deadline_open
from mopr.documents import document_render_now, document_request
from mopr.outbox import outbox_enqueue
from mopr.procedures import lock, transition
from units.models import DocumentKind
from units.permissions import grant_unit_perms, grant_user, revoke_user, unit_group

from . import permissions
from .budget import BudgetData, LineData, budget_problems, fmt_money, money
from .models import (
    FORMAL_CRITERIA,
    MERIT_CRITERIA,
    REQUIRED_ATTACHMENTS,
    Committee,
    CommitteeMember,
    Competition,
    CompetitionStatus,
    ConflictDeclaration,
    CostLine,
    FormalCard,
    MeritCard,
    Offer,
    Offeror,
    OfferPartner,
    OfferStatus,
)
from .procedures import COMPETITION, OFFER

OFFER_DEADLINE_DAYS = 21  # G2, 003 §4.3 (UDPP art. 13: at least 21 days)
OFFER_DEADLINE_TIME = time(15, 30)  # G2, 003 §4.2
DECISION_DAYS = 30  # G8, 003 §5.2.5
WITHDRAWAL_DAYS = 14  # G9, 003 §2.17
DECLARATION_WORKING_DAYS = 3

DOC_ANNOUNCEMENT = "grants_announcement"
DOC_FORMAL_CARD = "grants_formal_card"
DOC_MERIT_CARD = "grants_merit_card"
DOC_RESULTS = "grants_results"
DOC_PROTOCOL = "grants_protocol"
DOC_PUBLIC_RESULTS = "grants_public_results"
# G7: the documents that show offers (cards, results, protocol) reach only whoever may see the offers
OFFER_DOCUMENTS = {DOC_FORMAL_CARD, DOC_MERIT_CARD, DOC_RESULTS, DOC_PROTOCOL}
ANNEX_DOCUMENTS = {
    DOC_FORMAL_CARD: ("pdf/grants/formal_card.html", _("Karta oceny formalnej oferty")),
    DOC_MERIT_CARD: ("pdf/grants/merit_card.html", _("Karta oceny merytorycznej oferty")),
    DOC_RESULTS: ("pdf/grants/results.html", _("Lista ofert z oceną i proponowanymi kwotami dotacji")),
    DOC_PROTOCOL: ("pdf/grants/protocol.html", _("Protokół z prac komisji konkursowej")),
}


def _require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDenied(message or _("Brak uprawnień do tej czynności."))


def _require_manage(user, competition: Competition) -> None:
    _require(permissions.can_manage_competition(user, competition))


def _require_offers(user, competition: Competition) -> None:
    """G7 before the chart: a committee member without a declaration of no conflict reaches no offer."""
    _require(permissions.can_manage_offers(user, competition),
             _("Członek komisji konkursowej ma dostęp do ofert dopiero po złożeniu oświadczenia o braku "
               "konfliktu interesów (G7)."))


def _locked_in(obj, procedure, action_name: str):
    """The record re-read under a row lock, its state re-checked for ``action_name`` (no state change)."""
    locked = lock(obj)
    procedure.check(locked, action_name)
    return locked


# --- G1-G2: the competition ------------------------------------------------------------------------


def offer_deadline_for(published_on: date) -> datetime:
    """G2: the 21st day after publication (the day of publication not counted, K2; moved to the next
    working day, K3), at 15:30 local time."""
    day = calendar.deadline_in_days(published_on, OFFER_DEADLINE_DAYS)
    return timezone.make_aware(datetime.combine(day, OFFER_DEADLINE_TIME))


def decision_due_for(offer_deadline: datetime) -> date:
    """G8: the President decides at the latest 30 days after the offer deadline."""
    return calendar.deadline_in_days(timezone.localtime(offer_deadline).date(), DECISION_DAYS)


def default_attachments() -> list[str]:
    return [str(label) for _key, label in REQUIRED_ATTACHMENTS]


def _check_competition(competition: Competition) -> None:
    """G1: the periods make sense."""
    errors = {}
    if competition.task_end < competition.task_start:
        errors["task_end"] = _("Koniec realizacji zadania nie może poprzedzać jej początku.")
    if competition.spending_end < competition.spending_start:
        errors["spending_end"] = _("Koniec okresu wydatków nie może poprzedzać jego początku.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def competition_create(*, acting_user, unit, **fields) -> Competition:
    """G1: a competition with all its conditions, owned by the unit that runs it."""
    _require(unit in permissions.creatable_units(acting_user),
             _("Konkursy ogłasza komórka prowadząca konkursy ofert."))
    fields.setdefault("attachments", default_attachments())
    competition = Competition(unit=unit, created_by=acting_user, **fields)
    _check_competition(competition)
    competition.full_clean()
    competition.save()
    grant_unit_perms(competition)
    return competition


@transaction.atomic
def competition_update(competition: Competition, *, acting_user, **fields) -> Competition:
    """Conditions may change only before publication."""
    _require_manage(acting_user, competition)
    if competition.status != CompetitionStatus.DRAFT:
        raise ValidationError(_("Warunków ogłoszonego konkursu nie można zmieniać."))
    with transition(competition, COMPETITION, "edit", acting_user=acting_user) as locked:
        for name, value in fields.items():
            setattr(locked, name, value)
        _check_competition(locked)
        locked.full_clean()
    return competition


def announcement_context(competition: Competition) -> dict:
    """JSON-serialisable data of the announcement (stored with the PDF)."""
    deadline = timezone.localtime(competition.offer_deadline) if competition.offer_deadline else None
    return {
        "title": competition.title, "number": competition.number, "scope": competition.scope,
        "description": competition.description, "form": competition.get_form_display(),
        "addressees": competition.addressees, "place": competition.place, "funds": fmt_money(competition.funds),
        "year": competition.year,
        "task_period": f"{competition.task_start:%d.%m.%Y} – {competition.task_end:%d.%m.%Y}",
        "spending_period": f"{competition.spending_start:%d.%m.%Y} – {competition.spending_end:%d.%m.%Y}",
        "director_order_number": competition.director_order_number,
        "director_order_date": competition.director_order_date.strftime("%d.%m.%Y")
        if competition.director_order_date else "",
        "attachments": list(competition.attachments or []),
        "prior": [{"year": year, "amount": fmt_money(amount)} for year, amount in (
            (competition.prior_year_1, competition.prior_amount_1),
            (competition.prior_year_2, competition.prior_amount_2)) if year and amount is not None],
        "published_on": competition.published_on.strftime("%d.%m.%Y") if competition.published_on else "",
        "offer_deadline": deadline.strftime("%d.%m.%Y, godz. %H:%M") if deadline else "",
        "institution": competition.unit.institution.name,
        "min_points": competition.min_points,
    }


@transaction.atomic
def competition_publish(competition: Competition, *, acting_user, published_on: date | None = None) -> Competition:
    """G2: publication fixes the offer deadline (21 days, 15:30) and the decision deadline (G8);
    the announcement is rendered as a PDF for the public page."""
    _require_manage(acting_user, competition)
    published_on = published_on or timezone.localdate()
    if published_on > timezone.localdate():
        raise ValidationError({"published_on": _("Data ogłoszenia nie może być datą przyszłą.")})
    if not competition.director_order_number:
        raise ValidationError(_("Podaj numer zarządzenia Dyrektora ogłaszającego konkurs (G1)."))
    with transition(competition, COMPETITION, "publish", acting_user=acting_user) as locked:
        locked.published_on = published_on
        locked.offer_deadline = offer_deadline_for(published_on)
        locked.decision_due = decision_due_for(locked.offer_deadline)
    deadline_open(competition, kind="grants_decision", rule="G8",
                  label=_("Rozstrzygnięcie konkursu ofert: %(title)s") % {"title": competition.title},
                  due=competition.decision_due, responsible_group=unit_group(competition.unit, "heads"))
    document_request(competition, kind=DOC_ANNOUNCEMENT, title=_("Ogłoszenie otwartego konkursu ofert"),
                     template_name="pdf/grants/announcement.html", context=announcement_context(competition),
                     acting_user=acting_user)
    return competition


@transaction.atomic
def competition_start_evaluation(competition: Competition, *, acting_user) -> Competition:
    """G2, 003 §4.9: evaluation starts once the offer deadline has passed."""
    _require_manage(acting_user, competition)
    with transition(competition, COMPETITION, "start_evaluation", acting_user=acting_user) as locked:
        if not locked.deadline_passed:
            raise ValidationError(_("Termin składania ofert jeszcze nie upłynął (%(deadline)s).") % {
                "deadline": timezone.localtime(locked.offer_deadline).strftime("%d.%m.%Y %H:%M")})
    return competition


@transaction.atomic
def competition_cancel(competition: Competition, *, acting_user) -> Competition:
    _require_manage(acting_user, competition)
    with transition(competition, COMPETITION, "cancel", acting_user=acting_user):
        pass
    from mopr.deadlines import deadline_cancel

    deadline_cancel(competition)
    return competition


# --- offerors and offers (G2-G4) -------------------------------------------------------------------


@transaction.atomic
def offeror_save(offeror: Offeror, *, acting_user) -> Offeror:
    """Register or correct an offeror (NIP and REGON checksums validated)."""
    _require(permissions.can_create_competition(acting_user))
    offeror.full_clean()
    offeror.save()
    return offeror


def _budget_error(problems) -> ValidationError:
    return ValidationError([problem.message for problem in problems])


def _save_lines(offer: Offer, lines: list[LineData]) -> None:
    for line in offer.cost_lines.all():
        line.delete()
    for index, line in enumerate(lines, start=1):
        CostLine.objects.create(
            offer=offer, order=index, category=line.category, name=line.name, nature=line.nature or "eligible",
            amount=money(line.amount), from_grant=money(line.from_grant), persons=line.persons, hours=line.hours,
            hourly_rate=line.hourly_rate, employment_form=line.employment_form or "", fte=line.fte or "")


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
        if others.filter(offeror=subject).exists() or OfferPartner.objects.filter(
                offer__in=others, offeror=subject).exists():
            raise ValidationError({"offeror": _("%(name)s złożył(a) już ofertę w tym konkursie; jeden oferent "
                                                "może złożyć najwyżej jedną ofertę (003 §4.4).") % {
                "name": subject.name}})


def _set_attachments(attachments: dict | None) -> dict:
    attachments = attachments or {}
    return {key: bool(attachments.get(key)) for key, _label in REQUIRED_ATTACHMENTS}


@transaction.atomic
def offer_register(competition: Competition, *, acting_user, offeror: Offeror, received_at: datetime, checksum: str,
                   task_title: str, requested_grant, own_financial=Decimal(0), volunteer_hours=Decimal(0),
                   volunteer_rate=Decimal(0), volunteer_qualified=False, lines: list[LineData] | None = None,
                   attachments: dict | None = None, is_joint=False, representation="",
                   partners: list | None = None, recipients_count=None) -> Offer:
    """The secretariat registers an offer with the date and time of receipt.

    G2: received after the deadline (15:30 of the 21st day) -> refused. G3: one offer per offeror.
    G4: every budget rule is checked; any failure refuses the registration with its message.
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
    if received_at > competition.offer_deadline:
        raise ValidationError({"received_at": _(
            "Oferta wpłynęła %(received)s, po terminie składania ofert (%(deadline)s); decyduje data wpływu "
            "do sekretariatu – oferta nie może być przyjęta (003 §4.2-3).") % {
            "received": timezone.localtime(received_at).strftime("%d.%m.%Y %H:%M"),
            "deadline": timezone.localtime(competition.offer_deadline).strftime("%d.%m.%Y %H:%M")}})
    _check_joint(is_joint, representation, partners)
    _check_one_offer(competition, offeror, partners)
    budget = BudgetData(requested_grant=requested_grant, own_financial=own_financial,
                        volunteer_hours=volunteer_hours, volunteer_rate=volunteer_rate,
                        volunteer_qualified=volunteer_qualified, lines=lines)
    problems = budget_problems(budget)
    if problems:
        raise _budget_error(problems)
    try:
        with transaction.atomic():
            offer = Offer.objects.create(
                competition=competition, offeror=offeror, received_at=received_at, checksum=checksum.strip(),
                task_title=task_title, requested_grant=money(requested_grant), own_financial=money(own_financial),
                volunteer_hours=volunteer_hours, volunteer_rate=money(volunteer_rate),
                volunteer_qualified=volunteer_qualified, attachments=_set_attachments(attachments),
                is_joint=is_joint, representation=representation if is_joint else "",
                recipients_count=recipients_count, registered_by=acting_user)
    except IntegrityError:
        raise ValidationError({"offeror": _("Ten oferent złożył już ofertę w tym konkursie (003 §4.4).")})
    _save_lines(offer, lines)
    for partner, actions in partners if is_joint else []:
        OfferPartner.objects.create(offer=offer, offeror=partner, actions=actions.strip())
    return offer


def _min_own_after_reduction(offer: Offer, new_grant: Decimal) -> Decimal:
    """G9: the own contribution keeping the original proportion to the grant, rounded up to the grosz."""
    return (offer.original_own_contribution * new_grant / offer.original_requested_grant).quantize(
        Decimal("0.01"), rounding=ROUND_UP)


def check_proportion_kept(offer: Offer, new_grant: Decimal, new_own: Decimal) -> str | None:
    """G9 (003 §2.16 pkt 1, §2.19): after a reduction the own contribution may fall at most in proportion to
    the grant; the only allowed change of the proportion is a higher own contribution."""
    if new_own * offer.original_requested_grant < offer.original_own_contribution * new_grant:
        return _("Wkład własny zmniejszono bardziej niż proporcjonalnie do dotacji: było %(own)s przy dotacji "
                 "%(grant)s, teraz %(new_own)s przy dotacji %(new_grant)s (wymagane co najmniej %(min)s). "
                 "Umowa nie może zostać zawarta (003 §2.19).") % {
            "own": fmt_money(offer.original_own_contribution), "grant": fmt_money(offer.original_requested_grant),
            "new_own": fmt_money(new_own), "new_grant": fmt_money(new_grant),
            "min": fmt_money(_min_own_after_reduction(offer, new_grant))}
    return None


@transaction.atomic
def offer_update(offer: Offer, *, acting_user, requested_grant, own_financial, volunteer_hours, volunteer_rate,
                 volunteer_qualified, lines: list[LineData], task_title: str | None = None) -> Offer:
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
        _offer_update(locked, competition, requested_grant=requested_grant, own_financial=own_financial,
                      volunteer_hours=volunteer_hours, volunteer_rate=volunteer_rate,
                      volunteer_qualified=volunteer_qualified, lines=lines, task_title=task_title)
    _save_lines(offer, lines)
    return offer


def _offer_update(offer: Offer, competition: Competition, *, requested_grant, own_financial, volunteer_hours,
                  volunteer_rate, volunteer_qualified, lines, task_title) -> None:
    reduced = offer.reduction_notified_on is not None
    if not reduced and competition.deadline_passed:
        raise ValidationError(_("Po upływie terminu składania ofert oferty nie podlegają korekcie (003 §4.9)."))
    budget = BudgetData(requested_grant=requested_grant, own_financial=own_financial,
                        volunteer_hours=volunteer_hours, volunteer_rate=volunteer_rate,
                        volunteer_qualified=volunteer_qualified, lines=lines)
    if reduced:
        if money(requested_grant) != offer.granted_amount:
            raise ValidationError({"requested_grant": _(
                "W ofercie zaktualizowanej dotacja musi być równa kwocie przyznanej: %(granted)s (003 §2.18).") % {
                "granted": fmt_money(offer.granted_amount)}})
        problem = check_proportion_kept(offer, money(requested_grant), budget.own_contribution)
        if problem:
            raise ValidationError({"own_financial": problem})
    problems = budget_problems(budget)
    if problems:
        raise _budget_error(problems)
    if reduced:
        if offer.updated_on:
            raise ValidationError(_("Oferent złożył już ofertę zaktualizowaną."))
        offer.updated_on = timezone.localdate()
        deadline_meet(offer, "grants_withdrawal")
    offer.requested_grant = money(requested_grant)
    offer.own_financial = money(own_financial)
    offer.volunteer_hours = volunteer_hours
    offer.volunteer_rate = money(volunteer_rate)
    offer.volunteer_qualified = volunteer_qualified
    if task_title:
        offer.task_title = task_title


# --- the committee (G7) ----------------------------------------------------------------------------


@transaction.atomic
def committee_appoint(competition: Competition, *, acting_user, order_number: str, order_date: date, chair,
                      deputy_chair, members) -> Committee:
    """G7: the committee by the Director's order – chair, deputy chair, members. Each member is asked for the
    no-conflict declaration; nobody sees offers before making it."""
    _require_manage(acting_user, competition)
    if competition.status not in (CompetitionStatus.DRAFT, CompetitionStatus.PUBLISHED,
                                  CompetitionStatus.EVALUATION):
        raise ValidationError(_("Na tym etapie konkursu nie można powoływać komisji."))
    # one appointment at a time per competition (and none while the results are being computed)
    competition = _locked_in(competition, COMPETITION, "appoint_committee")
    members = [member for member in members if member not in (chair, deputy_chair)]
    if chair is None or deputy_chair is None or chair == deputy_chair:
        raise ValidationError({"deputy_chair": _("Przewodniczący i jego zastępca to dwie różne osoby.")})
    if not members:
        raise ValidationError({"members": _("Powołaj co najmniej jednego członka komisji poza przewodniczącym "
                                            "i jego zastępcą.")})
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
            from mopr.deadlines import deadline_cancel

            deadline_cancel(member)
            member.delete()
    people = {person.pk: person for person in [chair, deputy_chair, *members]}
    # one chair and one deputy chair per committee (constraints): whoever changes function is first made a
    # member, so that a swap of the chair and the deputy never holds two chairs for a moment
    for member in committee.members.exclude(role=CommitteeMember.Role.MEMBER):
        if wanted.get(member.user_id) != member.role:
            member.role = CommitteeMember.Role.MEMBER
            member.save()
    start = max(timezone.localdate(), timezone.localtime(competition.offer_deadline).date()
                if competition.offer_deadline else timezone.localdate())
    for user_id, role in wanted.items():
        member, created = CommitteeMember.objects.get_or_create(committee=committee, user_id=user_id,
                                                                defaults={"role": role})
        if not created and member.role != role:
            member.role = role
            member.save()
        if created:
            deadline_open(member, kind="grants_declaration", rule="G7",
                          label=_("Oświadczenie o braku konfliktu interesów – konkurs: %(title)s") % {
                              "title": competition.title},
                          due=calendar.add_working_days(start, DECLARATION_WORKING_DAYS),
                          responsible_user=people[user_id], url=_declaration_url(competition))
            person = people[user_id]
            if person.email:
                outbox_enqueue(
                    key=f"grants:committee:{committee.pk}:{user_id}", to=person.email, user=person,
                    subject=_("Powołanie do komisji konkursowej"),
                    body_text=_("Zarządzeniem nr %(number)s z dnia %(date)s powołano Panią/Pana do komisji "
                                "konkursowej w konkursie „%(title)s” (funkcja: %(role)s). Przed zapoznaniem się "
                                "z ofertami proszę złożyć oświadczenie o braku konfliktu interesów.") % {
                        "number": order_number, "date": order_date.strftime("%d.%m.%Y"),
                        "title": competition.title, "role": CommitteeMember.Role(role).label})
    return committee


def _declaration_url(competition: Competition) -> str:
    from django.urls import reverse

    return reverse("grants:declaration", args=[competition.pk])


@transaction.atomic
def conflict_declare(member: CommitteeMember, *, acting_user, no_conflict: bool,
                     remarks: str = "") -> ConflictDeclaration:
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
    deadline_meet(member, "grants_declaration")
    return declaration


# --- evaluation (G5, G6) ---------------------------------------------------------------------------


def _require_evaluation(user, competition: Competition) -> CommitteeMember:
    member = permissions.committee_member(user, competition)
    _require(member is not None and member.may_evaluate and permissions.can_evaluate(user, competition),
             _("Oferty oceniają członkowie komisji po złożeniu oświadczenia o braku konfliktu interesów (G7)."))
    # the competition's row under lock: no card is written while the results are computed (or after)
    competition = lock(competition)
    if competition.status != CompetitionStatus.EVALUATION:
        raise ValidationError(_("Oceny dokonuje się na etapie oceny ofert."))
    if competition.results_computed_at:
        raise ValidationError(_("Wyniki zostały już obliczone; oceny nie można zmienić."))
    return member


def formal_suggestions(offer: Offer) -> dict:
    """What the register already knows for annex 3: receipt on time (G2), the attachments recorded at
    registration (003 §4.7) and the two budget criteria (G4). The committee still answers each one."""
    from .budget import (
        BudgetData,
        check_grant_at_most_90_percent,
        check_own_contribution_at_least_10_percent,
    )

    data = BudgetData.from_offer(offer)
    suggestions = {"on_time": offer.received_at <= offer.competition.offer_deadline,
                   "grant_max_90": check_grant_at_most_90_percent(data.requested_grant, data.total) is None,
                   "own_min_10": check_own_contribution_at_least_10_percent(data.own_contribution, data.total) is None}
    for key, _label in REQUIRED_ATTACHMENTS:
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
    raise ValidationError(_("Kartę zapisano w międzyczasie (%(when)s). Jeśli formularz wysłano ponownie, karta "
                            "została już zapisana – odśwież stronę i sprawdź ją przed poprawieniem.") % {
        "when": timezone.localtime(card.evaluated_at if isinstance(card, FormalCard) else card.submitted_at)
        .strftime("%d.%m.%Y %H:%M:%S")}, code="stale")


@transaction.atomic
def offer_formal_evaluate(offer: Offer, *, acting_user, answers: dict, remarks: str = "",
                          version: str | None = None) -> FormalCard:
    """G5 (annex 3): each formal criterion yes/no; an offer failing any is not evaluated on merit,
    and the reason (the failed criteria) is recorded.

    The first card moves a registered offer (``formal_pass``/``formal_fail``); a later one corrects it
    (``formal_revise_*``). ``version`` is the card the form was based on (:func:`card_version`); without it,
    the caller's ``offer`` tells: a registered offer means a first card, so a replayed first card is refused."""
    competition = offer.competition
    _require_evaluation(acting_user, competition)
    if offer.status == OfferStatus.WITHDRAWN:
        raise ValidationError(_("Oferta została wycofana."))
    missing = [str(label) for key, label in FORMAL_CRITERIA if answers.get(key) not in (True, False)]
    if missing:
        raise ValidationError(_("Odpowiedz „tak” albo „nie” na każde kryterium: %(missing)s") % {
            "missing": "; ".join(missing)})
    failed = [str(label) for key, label in FORMAL_CRITERIA if answers.get(key) is False]
    revising = bool(version) if version is not None else offer.status != OfferStatus.REGISTERED
    action = ("formal_revise_" if revising else "formal_") + ("fail" if failed else "pass")
    with transition(offer, OFFER, action, acting_user=acting_user) as locked:
        _check_version(FormalCard.objects.filter(offer=locked).first(), version)
        if failed and locked.merit_cards.exists():
            raise ValidationError(_("Oferta ma już karty oceny merytorycznej; nie można jej odrzucić formalnie."))
        card, _created = FormalCard.objects.update_or_create(offer=locked, defaults={
            "answers": {key: bool(answers[key]) for key, _label in FORMAL_CRITERIA},
            "passed": not failed,
            "reason": "\n".join(failed),
            "remarks": remarks.strip(), "evaluated_by": acting_user, "evaluated_at": timezone.now()})
    return card


@transaction.atomic
def merit_card_submit(offer: Offer, *, acting_user, points: dict, justification: str = "",
                      version: str | None = None) -> MeritCard:
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
                "label": label, "value": number, "max": maximum}
            continue
        clean[key] = number
    if errors:
        raise ValidationError(errors)
    with transition(offer, OFFER, "merit_card", acting_user=acting_user) as locked:
        _check_version(MeritCard.objects.filter(offer=locked, member=member).first(), version)
        card, _created = MeritCard.objects.update_or_create(offer=locked, member=member, defaults={
            "points": clean, "total": sum(clean.values()), "justification": justification.strip(),
            "submitted_at": timezone.now()})
    return card


# --- results (G6, G8) ------------------------------------------------------------------------------


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
    threshold (70) get nothing; the highest-scoring offers receive proposed amounts that together do not
    exceed the competition's funds. ``proposed_amounts`` (offer id -> amount) overrides the proposal.

    The competition's row is locked for the whole computation (no card is written meanwhile, two clerks
    computing at once compute one after the other); each offer passed on merit becomes ``scored``."""
    _require_manage(acting_user, competition)
    _require_offers(acting_user, competition)
    if competition.status != CompetitionStatus.EVALUATION:
        raise ValidationError(_("Wyniki oblicza się na etapie oceny ofert."))
    with transition(competition, COMPETITION, "compute_results", acting_user=acting_user) as locked:
        ranked = _compute(locked, acting_user, proposed_amounts)
        locked.results_computed_at = timezone.now()
    return ranked


def _compute(competition: Competition, acting_user, proposed_amounts) -> list[Offer]:
    offers = list(competition.offers.exclude(status=OfferStatus.WITHDRAWN).select_related("offeror")
                  .prefetch_related("merit_cards"))
    if not offers:
        raise ValidationError(_("W konkursie nie ma ofert."))
    unevaluated = [offer for offer in offers if offer.status == OfferStatus.REGISTERED]
    if unevaluated:
        raise ValidationError(_("Nie wszystkie oferty mają kartę oceny formalnej: %(names)s.") % {
            "names": ", ".join(offer.offeror.name for offer in unevaluated)})
    evaluators = set(CommitteeMember.objects.filter(committee__competition=competition,
                                                    declaration__no_conflict=True).values_list("pk", flat=True))
    if not evaluators:
        raise ValidationError(_("Żaden członek komisji nie złożył oświadczenia o braku konfliktu interesów."))
    passed = [offer for offer in offers if offer.status in EVALUATED]
    for offer in passed:
        missing = evaluators - {card.member_id for card in offer.merit_cards.all()}
        if missing:
            raise ValidationError(_("Oferta %(name)s nie ma kart oceny merytorycznej wszystkich członków komisji "
                                    "(brakuje %(count)s).") % {"name": offer.offeror.name, "count": len(missing)})
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
            errors.append(_("%(name)s: proponowana kwota %(amount)s musi mieścić się między 0 a wnioskowaną "
                            "dotacją %(requested)s.") % {"name": offer.offeror.name, "amount": fmt_money(amount),
                                                          "requested": fmt_money(offer.requested_grant)})
        if amount > 0 and offer.score < competition.min_points:
            errors.append(_("%(name)s: oferta uzyskała %(score)s pkt, mniej niż %(min)s – dotacji nie można "
                            "zaproponować (003 §5.2.3).") % {"name": offer.offeror.name, "score": offer.score,
                                                            "min": competition.min_points})
        offer.proposed_amount = amount
    total = sum((offer.proposed_amount for offer in ranked), Decimal(0))
    if total > competition.funds:
        errors.append(_("Proponowane kwoty razem (%(total)s) przekraczają środki konkursu (%(funds)s).") % {
            "total": fmt_money(total), "funds": fmt_money(competition.funds)})
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def director_opinion(competition: Competition, *, acting_user, opinion: str, on: date | None = None) -> Competition:
    """G8 (003 §5.2.2): the Director presents the committee's opinion on all offers, with points and proposed
    amounts, to the President."""
    _require(permissions.can_give_director_opinion(acting_user, competition),
             _("Opinię Prezydentowi przedstawia Dyrektor lub osoba go zastępująca."))
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
    return competition


@transaction.atomic
def president_decision(competition: Competition, *, acting_user, order_number: str, order_date: date,
                       granted: dict | None = None) -> Competition:
    """G8: the President's order (number, date) chooses offers and grants; at the latest 30 days after the
    offer deadline (003 §5.2.5); no appeal (§5.2.8). A grant lower than requested opens G9's window."""
    _require_manage(acting_user, competition)
    _require_offers(acting_user, competition)
    if not (order_number or "").strip():
        raise ValidationError({"order_number": _("Podaj numer zarządzenia Prezydenta.")})
    if competition.decision_due and order_date > competition.decision_due:
        raise ValidationError({"order_date": _(
            "Rozstrzygnięcie musi nastąpić nie później niż 30 dni po terminie składania ofert, tj. do %(due)s "
            "(003 §5.2.5).") % {"due": competition.decision_due.strftime("%d.%m.%Y")}})
    if competition.offer_deadline and order_date < timezone.localtime(competition.offer_deadline).date():
        raise ValidationError({"order_date": _("Zarządzenie nie może poprzedzać terminu składania ofert.")})
    granted = granted or {}
    with transition(competition, COMPETITION, "decide", acting_user=acting_user) as locked:
        offers = list(locked.offers.filter(status=OfferStatus.SCORED).select_related("offeror"))
        total = Decimal(0)
        for offer in offers:
            amount = money(granted.get(offer.pk, offer.proposed_amount or 0))
            if amount < 0 or amount > offer.requested_grant:
                raise ValidationError(_("%(name)s: przyznana kwota musi mieścić się między 0 a wnioskowaną "
                                        "dotacją.") % {"name": offer.offeror.name})
            offer.granted_amount = amount
            total += amount
        if total > locked.funds:
            raise ValidationError(_("Przyznane dotacje razem (%(total)s) przekraczają środki konkursu "
                                    "(%(funds)s).") % {"total": fmt_money(total), "funds": fmt_money(locked.funds)})
        for offer in offers:
            # G8: the President's order chooses the offers with a grant; the others are not chosen
            with transition(offer, OFFER, "choose" if offer.granted_amount > 0 else "not_choose",
                            acting_user=acting_user, reason=_("Zarządzenie Prezydenta nr %(number)s") % {
                                "number": order_number.strip()}) as chosen:
                chosen.granted_amount = offer.granted_amount
        locked.president_order_number = order_number.strip()
        locked.president_order_date = order_date
    deadline_meet(competition, "grants_decision")
    for offer in offers:
        if Decimal(0) < offer.granted_amount < offer.requested_grant:
            grant_reduce(offer, acting_user=acting_user, notified_on=order_date)
    return competition


def results_context(competition: Competition) -> dict:
    offers = competition.offers.select_related("offeror").order_by("rank", "received_at", "pk")
    return {
        "title": competition.title, "year": competition.year, "funds": fmt_money(competition.funds),
        "director_order_number": competition.director_order_number,
        "president_order_number": competition.president_order_number,
        "president_order_date": competition.president_order_date.strftime("%d.%m.%Y")
        if competition.president_order_date else "",
        "min_points": competition.min_points,
        "offers": [{
            "rank": offer.rank or "", "offeror": offer.offeror.name, "address": offer.offeror.address,
            "task_title": offer.task_title, "requested": fmt_money(offer.requested_grant),
            "score": str(offer.score).replace(".", ",") if offer.score is not None else "",
            "status": offer.get_status_display(),
            "proposed": fmt_money(offer.proposed_amount) if offer.proposed_amount is not None else "",
            "granted": fmt_money(offer.granted_amount) if offer.granted_amount is not None else "",
        } for offer in offers],
    }


@transaction.atomic
def results_publish(competition: Competition, *, acting_user, on: date | None = None) -> Competition:
    """G8 (003 §5.2.7): the results are published – on the public page and as a PDF."""
    _require_manage(acting_user, competition)
    with transition(competition, COMPETITION, "publish_results", acting_user=acting_user) as locked:
        locked.results_published_on = on or timezone.localdate()
    document_request(competition, kind=DOC_PUBLIC_RESULTS, title=_("Wyniki otwartego konkursu ofert"),
                     template_name="pdf/grants/public_results.html", context=results_context(competition),
                     acting_user=acting_user)
    for offer in competition.offers.select_related("offeror").exclude(offeror__email=""):
        granted = offer.granted_amount or Decimal(0)
        outcome = (_("przyznano dotację w wysokości %(amount)s") % {"amount": fmt_money(granted)} if granted > 0
                   else _("dotacji nie przyznano (%(status)s)") % {"status": offer.get_status_display()})
        outbox_enqueue(
            key=f"grants:results:{competition.pk}:{offer.pk}", to=offer.offeror.email,
            subject=_("Wyniki otwartego konkursu ofert"),
            body_text=_("Rozstrzygnięto konkurs „%(title)s” (zarządzenie Prezydenta nr %(number)s z dnia %(date)s). "
                        "Dla oferty %(name)s %(outcome)s. Od rozstrzygnięcia nie stosuje się trybu odwoławczego "
                        "(003 §5.2.8).") % {
                "title": competition.title, "number": competition.president_order_number,
                "date": competition.president_order_date.strftime("%d.%m.%Y"), "name": offer.offeror.name,
                "outcome": outcome})
    return competition


# --- reduced grant (G9) ----------------------------------------------------------------------------


@transaction.atomic
def grant_reduce(offer: Offer, *, acting_user, notified_on: date, granted_amount=None) -> Offer:
    """G9 (003 §2.16-17): the offeror is told the grant is lower than requested; from that day it has 14 days
    to withdraw in writing, or it submits an updated offer keeping the proportion of own contribution."""
    competition = offer.competition
    _require_manage(acting_user, competition)
    _require_offers(acting_user, competition)
    with transition(offer, OFFER, "reduce", acting_user=acting_user) as locked:
        if granted_amount is not None:
            locked.granted_amount = money(granted_amount)
        if locked.granted_amount is None or not (Decimal(0) < locked.granted_amount < locked.requested_grant):
            raise ValidationError(_("Dotacja niższa od wnioskowanej musi być większa od zera i mniejsza od "
                                    "%(requested)s.") % {"requested": fmt_money(locked.requested_grant)})
        locked.original_requested_grant = locked.requested_grant
        locked.original_own_contribution = locked.own_contribution
        locked.reduction_notified_on = notified_on
        locked.withdrawal_due = calendar.deadline_in_days(notified_on, WITHDRAWAL_DAYS)
    deadline_open(offer, kind="grants_withdrawal", rule="G9",
                  label=_("Dotacja niższa od wnioskowanej – oferta zaktualizowana albo wycofanie: %(name)s") % {
                      "name": offer.offeror.name},
                  due=offer.withdrawal_due, responsible_group=unit_group(competition.unit, "staff"))
    if offer.offeror.email:
        outbox_enqueue(
            key=f"grants:reduced:{offer.pk}:{notified_on.isoformat()}", to=offer.offeror.email,
            subject=_("Przyznana dotacja niższa od wnioskowanej"),
            body_text=_("W konkursie „%(title)s” przyznano dotację %(granted)s (wnioskowano %(requested)s). "
                        "W terminie do %(due)s można pisemnie wycofać ofertę albo złożyć ofertę zaktualizowaną, "
                        "zachowując proporcję wkładu własnego do dotacji (003 §2.16-19).") % {
                "title": competition.title, "granted": fmt_money(offer.granted_amount),
                "requested": fmt_money(offer.requested_grant), "due": offer.withdrawal_due.strftime("%d.%m.%Y")})
    return offer


@transaction.atomic
def offer_withdraw(offer: Offer, *, acting_user, withdrawn_on: date) -> Offer:
    """G9 (003 §2.16 pkt 2): the offeror withdraws in writing within 14 days of the notice of a reduced grant."""
    _require_manage(acting_user, offer.competition)
    _require_offers(acting_user, offer.competition)
    if offer.status == OfferStatus.WITHDRAWN:
        raise ValidationError(_("Oferta została już wycofana."))
    if offer.reduction_notified_on is None:
        raise ValidationError(_("Wycofanie w tym trybie dotyczy oferty z dotacją niższą od wnioskowanej (G9)."))
    with transition(offer, OFFER, "withdraw", acting_user=acting_user) as locked:
        if withdrawn_on < locked.reduction_notified_on:
            raise ValidationError({"withdrawn_on": _("Wycofanie nie może poprzedzać zawiadomienia.")})
        if withdrawn_on > locked.withdrawal_due:
            raise ValidationError({"withdrawn_on": _(
                "Termin na wycofanie oferty upłynął %(due)s (14 dni od zawiadomienia, 003 §2.16).") % {
                "due": locked.withdrawal_due.strftime("%d.%m.%Y")}})
        if locked.updated_on:
            raise ValidationError(_("Oferent złożył już ofertę zaktualizowaną."))
        locked.withdrawn_on = withdrawn_on
    deadline_meet(offer, "grants_withdrawal")
    return offer


# --- annex PDFs through the approval flow ----------------------------------------------------------


def formal_card_context(offer: Offer) -> dict:
    card = getattr(offer, "formal_card", None)
    return {
        "title": offer.competition.title, "number": offer.competition.number,
        "offeror": offer.offeror.name, "address": offer.offeror.address,
        "rows": [{"label": str(label), "answer": (card.answers.get(key) if card else None),
                  "attachment": key.startswith("att_"), "first_attachment": key == "att_register_extract"}
                 for key, label in FORMAL_CRITERIA],
        "passed": card.passed if card else None, "reason": card.reason if card else "",
        "remarks": card.remarks if card else "",
        "date": card.evaluated_at.strftime("%d.%m.%Y") if card else "",
        "committee": committee_rows(offer.competition),
    }


def committee_rows(competition: Competition) -> list[dict]:
    committee = Committee.objects.filter(competition=competition).first()
    if committee is None:
        return []
    members = sorted(committee.members.select_related("user"), key=lambda m: (CommitteeMember.ROLE_ORDER[m.role],
                                                                              m.user.last_name))
    return [{"role": member.get_role_display(), "name": member.user.get_full_name() or member.user.username}
            for member in members]


def merit_card_context(offer: Offer) -> dict:
    cards = list(offer.merit_cards.select_related("member__user").order_by("member__pk"))
    sections = []
    for code, section_label in _merit_sections():
        rows = []
        for section, key, label, maximum in MERIT_CRITERIA:
            if section == code:
                rows.append({"label": str(label), "max": maximum,
                             "points": [card.points.get(key, "") for card in cards]})
        sections.append({"code": code, "label": str(section_label), "rows": rows})
    return {
        "title": offer.competition.title, "number": offer.competition.number, "offeror": offer.offeror.name,
        "address": offer.offeror.address,
        "members": [card.member.user.get_full_name() or card.member.user.username for card in cards],
        "totals": [card.total for card in cards], "sections": sections,
        "score": str(offer.score).replace(".", ",") if offer.score is not None else "",
        "proposed": fmt_money(offer.proposed_amount) if offer.proposed_amount is not None else "",
        "positive": bool(offer.score is not None and offer.score >= offer.competition.min_points),
        "justifications": [card.justification for card in cards if card.justification],
        "committee": committee_rows(offer.competition),
    }


def _merit_sections():
    from .models import MERIT_SECTIONS

    return MERIT_SECTIONS


def protocol_context(competition: Competition) -> dict:
    context = results_context(competition)
    committee = Committee.objects.filter(competition=competition).first()
    context.update({
        "committee": committee_rows(competition),
        "committee_order": committee.order_number if committee else "",
        "committee_order_date": committee.order_date.strftime("%d.%m.%Y") if committee else "",
        "declarations": [{"name": m.user.get_full_name(), "no_conflict": m.declaration.no_conflict}
                         for m in CommitteeMember.objects.filter(committee__competition=competition)
                         .select_related("user", "declaration") if hasattr(m, "declaration")],
        "offer_deadline": timezone.localtime(competition.offer_deadline).strftime("%d.%m.%Y %H:%M")
        if competition.offer_deadline else "",
        "formal": [{"offeror": offer.offeror.name, "passed": offer.formal_card.passed,
                    "reason": offer.formal_card.reason}
                   for offer in competition.offers.select_related("offeror", "formal_card")
                   if hasattr(offer, "formal_card")],
    })
    return context


@transaction.atomic
def annex_request(competition: Competition, *, acting_user, kind: str, offer: Offer | None = None):
    """Render an annex (formal card, merit card, results list, committee protocol) and start its approval
    flow (initials, signature of the acting signatory – U6)."""
    from units.services import approval_start

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
    document = document_render_now(competition, kind=kind, title=str(title), template_name=template_name,
                                   context=context, acting_user=acting_user)
    flow = approval_start(document=document, document_kind=DocumentKind.PROTOCOL, unit=competition.unit,
                          acting_user=acting_user)
    # G7: the flow hands the document (offers, points) to the author's superiors – often the committee's chair
    # and deputy chair; none of them may receive it before declaring no conflict of interest
    for step in flow.steps.select_related("assignee"):
        if permissions.barred_by_declaration(step.assignee, competition):
            raise ValidationError(_(
                "Dokument trafiłby do podpisu lub parafy osoby %(name)s, członka komisji konkursowej bez "
                "oświadczenia o braku konfliktu interesów (G7). Najpierw oświadczenie, potem obieg dokumentu.") % {
                "name": step.assignee.get_full_name() or step.assignee.username})
    return document
