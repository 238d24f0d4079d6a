"""The one permission entry point of the grants app (built on units.permissions).

* Staff and heads of the owning unit (DNK in Białystok) run the competition: view and change.
* Oversight of that unit (the supervising Deputy, the Director) view it.
* A committee member sees only the competitions they sit on, and only after declaring no conflict of
  interest (G7): ``conflict_declare`` grants them ``view_competition`` and ``evaluate_competition`` explicitly.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from units.permissions import may, visible
from units.selectors import active_memberships

from .models import CommitteeMember, Competition

# Configuration: the units whose staff may open competitions (003: DNK runs the competitions).
DEFAULT_GRANT_UNITS = ["DNK"]


def grant_unit_symbols() -> list[str]:
    return list(getattr(settings, "GRANTS_UNIT_SYMBOLS", DEFAULT_GRANT_UNITS))


def creatable_units(user):
    """Units in which the user may open a competition: their own units among the grant units."""
    if not user.is_authenticated:
        return []
    return [membership.unit for membership in active_memberships(user)
            if membership.unit.symbol in grant_unit_symbols()]


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
    return (CommitteeMember.objects.select_related("declaration")
            .filter(committee__competition=competition, user=user).first())


def can_declare(user, competition) -> bool:
    member = committee_member(user, competition)
    return member is not None and not hasattr(member, "declaration")


def can_give_director_opinion(user, competition) -> bool:
    """G8: the Director (or whoever acts for the Director today) presents the opinion to the President."""
    from units.signing import acting_for_director

    return user.is_authenticated and acting_for_director(competition.unit.institution,
                                                         timezone.localdate()) == user


def can_open_module(user) -> bool:
    if not user.is_authenticated:
        return False
    if can_create_competition(user):
        return True
    return visible_competitions(user).exists() or CommitteeMember.objects.filter(user=user).exists()


def requires_second_factor(user) -> bool:
    """Issue 7: committee members read offers before the results are public: TOTP required (mopr/otp.py)."""
    from .models import CommitteeMember

    return CommitteeMember.objects.filter(user=user).exists()
