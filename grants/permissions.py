"""The one permission entry point of the grants app (built on units.permissions).

* Staff and heads of the owning unit (DNK in Białystok) run the competition: view and change.
* Oversight of that unit (the supervising Deputy, the Director) view it.
* A committee member sees only the competitions they sit on, and only after declaring no conflict of
  interest (G7): ``conflict_declare`` grants them ``view_competition`` and ``evaluate_competition`` explicitly.
* G7 (UDPP art. 15 ust. 2f) wins over the chart: for a person on the committee of a competition, access to its
  offers (lists, details, cards, annexes, PDFs) follows the declaration alone – none before declaring, none
  after declaring a conflict – whatever their unit role (the chair is often the head of the owning unit).
  Every view and service reaches offers through ``can_view_offers`` / ``can_manage_offers``.
"""

from __future__ import annotations

from django.utils import timezone

from mopr.memo import request_memo
from units.models import Position
from units.permissions import may, visible
from units.selectors import active_memberships
from units.signing import acting_for_director

from .models import CommitteeMember, Competition, CooperationProgramme, GrantsConfig


def grant_unit_symbols(institution_ids) -> dict[int, set[str]]:
    """The units that run competitions in each institution (``GrantsConfig.unit_symbols``; 003: DNK), read
    without creating a configuration: an institution without one has the defaults."""
    institution_ids = set(institution_ids)
    configs = {
        config.institution_id: config for config in GrantsConfig.objects.filter(institution_id__in=institution_ids)
    }
    return {pk: configs.get(pk, GrantsConfig()).unit_symbol_set for pk in institution_ids}


@request_memo
def creatable_units(user):
    """Units in which the user may open a competition: their own units among the institution's grant units."""
    if not user.is_authenticated:
        return []
    units = [membership.unit for membership in active_memberships(user)]
    symbols = grant_unit_symbols(unit.institution_id for unit in units)
    return [unit for unit in units if unit.symbol in symbols[unit.institution_id]]


def can_create_competition(user) -> bool:
    return bool(creatable_units(user))


def visible_competitions(user, queryset=None):
    return visible(user, queryset if queryset is not None else Competition.objects.all(), "view_competition")


def can_view_competition(user, competition) -> bool:
    return may(user, "view_competition", competition)


def can_manage_competition(user, competition) -> bool:
    """The secretariat's work: edit, publish, register offers, appoint the committee, compute, record."""
    return may(user, "change_competition", competition)


def can_evaluate(user, competition) -> bool:
    """A committee member who declared no conflict (G7)."""
    return may(user, "evaluate_competition", competition)


def committee_member(user, competition) -> CommitteeMember | None:
    if not user.is_authenticated:
        return None
    return (
        CommitteeMember.objects.select_related("declaration")
        .filter(committee__competition=competition, user=user)
        .first()
    )


def _declared_no_conflict(member: CommitteeMember) -> bool:
    declaration = getattr(member, "declaration", None) if hasattr(member, "declaration") else None
    return declaration is not None and declaration.no_conflict


@request_memo
def barred_by_declaration(user, competition) -> bool:
    """G7: the user sits on this competition's committee and has not declared no conflict of interest
    (not yet, or declared a conflict): no offer of the competition reaches them, whatever their unit role."""
    member = committee_member(user, competition)
    return member is not None and not _declared_no_conflict(member)


def can_view_offers(user, competition) -> bool:
    """The competition's offers, their cards and the documents about them (G7 first, then the chart)."""
    return not barred_by_declaration(user, competition) and can_view_competition(user, competition)


def can_manage_offers(user, competition) -> bool:
    """The secretariat's work on offers (register, correct, withdraw, results, annexes), G7 first."""
    return not barred_by_declaration(user, competition) and can_manage_competition(user, competition)


def can_declare(user, competition) -> bool:
    member = committee_member(user, competition)
    return member is not None and not hasattr(member, "declaration")


def can_give_director_opinion(user, competition) -> bool:
    """G8: the Director (or whoever acts for the Director today) presents the opinion to the President."""
    return user.is_authenticated and acting_for_director(competition.unit.institution, timezone.localdate()) == user


def can_open_module(user) -> bool:
    if not user.is_authenticated:
        return False
    if can_create_competition(user) or can_view_programmes(user):  # G13: the Director and Deputies read programmes
        return True
    return visible_competitions(user).exists() or CommitteeMember.objects.filter(user=user).exists()


def requires_second_factor(user) -> bool:
    """G7: committee members read offers before the results are public, so they sign in with a second factor
    (TOTP, mopr.site.otp)."""
    return CommitteeMember.objects.filter(user=user).exists()


# --- after the results (G11) and small grants (G12) -----------------------------------------------------------
# Whoever runs the competition (or the small-grant offer) runs its contract, reports, controls and returns; the
# Chief Accountant and the Deputy Chief Accountant (the countersignatories, U6) see every contract and return of
# their institution.


def is_accountant(user, institution) -> bool:
    """The Chief Accountant or the Deputy Chief Accountant today (000 §38.2)."""
    from units.models import Position  # noqa: PLC0415 - keep the module's imports as they were
    from units.signing import holders  # noqa: PLC0415

    if not user.is_authenticated:
        return False
    day = timezone.localdate()
    return any(
        user in holders(institution, position, day)
        for position in (Position.CHIEF_ACCOUNTANT, Position.DEPUTY_CHIEF_ACCOUNTANT)
    )


def visible_small_grants(user, queryset=None):
    from .models import SmallGrantOffer  # noqa: PLC0415

    return visible(user, queryset if queryset is not None else SmallGrantOffer.objects.all(), "view_smallgrantoffer")


def can_create_small_grant(user) -> bool:
    """G12: the units that run competitions also take offers outside a competition (art. 19a)."""
    return can_create_competition(user)


def can_view_small_grant(user, offer) -> bool:
    return may(user, "view_smallgrantoffer", offer)


def can_manage_small_grant(user, offer) -> bool:
    return may(user, "change_smallgrantoffer", offer)


def can_view_contract(user, contract) -> bool:
    if contract.offer_id:
        allowed = can_view_offers(user, contract.offer.competition)
    else:
        allowed = can_view_small_grant(user, contract.small_offer)
    return allowed or is_accountant(user, contract.unit.institution)


def can_manage_contract(user, contract) -> bool:
    if contract.offer_id:
        return can_manage_offers(user, contract.offer.competition)
    return can_manage_small_grant(user, contract.small_offer)


def visible_contracts(user, queryset=None):
    """The contracts of the competitions and small-grant offers the user sees; all of the institution's for its
    accountants."""
    from django.db.models import Q  # noqa: PLC0415

    from .models import Contract  # noqa: PLC0415

    queryset = queryset if queryset is not None else Contract.objects.all()
    if not user.is_authenticated:
        return queryset.none()
    institutions = [
        membership.unit.institution for membership in active_memberships(user) if membership.unit_id is not None
    ]
    accountant_of = [inst.pk for inst in {i.pk: i for i in institutions}.values() if is_accountant(user, inst)]
    return queryset.filter(
        Q(offer__competition__in=visible_competitions(user).values("pk"))
        | Q(small_offer__in=visible_small_grants(user).values("pk"))
        | Q(unit__institution_id__in=accountant_of)
    )


# --- G13: the cooperation programme and the NGO database -----------------------------------------------------


@request_memo
def programme_manager_institutions(user) -> set[int]:
    """G13: the institutions whose programme the user prepares: those where they work in a unit that runs
    competitions (``GrantsConfig.unit_symbols``; DNK in Białystok)."""
    return {unit.institution_id for unit in creatable_units(user)}


@request_memo
def programme_reader_institutions(user) -> set[int]:
    """G13: the institutions whose programme the user reads: the units that prepare it, and the Director and
    the Deputy Directors (000 §5: they direct the whole centre)."""
    if not user.is_authenticated:
        return set()
    management = {
        membership.unit.institution_id
        for membership in active_memberships(user)
        if membership.position in (Position.DIRECTOR, Position.DEPUTY_DIRECTOR)
    }
    return management | programme_manager_institutions(user)


def visible_programmes(user):
    return CooperationProgramme.objects.filter(institution_id__in=programme_reader_institutions(user))


def can_view_programmes(user) -> bool:
    return bool(programme_reader_institutions(user))


def can_create_programme(user) -> bool:
    return bool(programme_manager_institutions(user))


def can_view_programme(user, programme) -> bool:
    return programme.institution_id in programme_reader_institutions(user)


def can_manage_programme(user, programme) -> bool:
    return programme.institution_id in programme_manager_institutions(user)


def can_view_ngos(user) -> bool:
    """G13: the NGO database: those who register offerors, and the Director and the Deputies (read only)."""
    return can_create_competition(user) or bool(programme_reader_institutions(user))


def can_manage_ngos(user) -> bool:
    return can_create_competition(user)
