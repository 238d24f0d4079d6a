"""Who acts and who signs (U4-U6), computed for a given day from the chart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    COUNTERSIGNED_KINDS,
    Absence,
    Authorization,
    DeputySigningScope,
    DocumentKind,
    Institution,
    Membership,
    Position,
    Supervision,
    Unit,
    active_on,
)

User = get_user_model()


def holders(institution: Institution, position: str, day: date) -> list:
    """The people holding a position on ``day`` (deputies in the order they were appointed)."""
    memberships = (
        Membership.objects.filter(active_on(day), unit__institution=institution, position=position)
        .select_related("user")
        .order_by("valid_from", "pk")
    )
    return [m.user for m in memberships]


def absent_user_ids(day: date) -> set[int]:
    return set(Absence.objects.filter(date_from__lte=day, date_to__gte=day).values_list("user_id", flat=True))


def is_absent(user, day: date) -> bool:
    return Absence.objects.filter(user=user, date_from__lte=day, date_to__gte=day).exists()


def acting_for_director(institution: Institution, day: date | None = None):
    """U4 (000 §5.7; 001 §4.4-5): the Director if present; else the Deputy the Director designated;
    else another present Deputy; when the Director and every Deputy are absent, the Chief Accountant."""
    day = day or timezone.localdate()
    absent = absent_user_ids(day)
    directors = holders(institution, Position.DIRECTOR, day)
    director = directors[0] if directors else None
    if director is not None and director.pk not in absent:
        return director
    deputies = holders(institution, Position.DEPUTY_DIRECTOR, day)
    if director is not None:
        designation = (
            Absence.objects.filter(user=director, date_from__lte=day, date_to__gte=day, substitute__isnull=False)
            .select_related("substitute")
            .first()
        )
        if designation and designation.substitute.pk not in absent and designation.substitute in deputies:
            return designation.substitute
    for deputy in deputies:
        if deputy.pk not in absent:
            return deputy
    for accountant in holders(institution, Position.CHIEF_ACCOUNTANT, day):
        if accountant.pk not in absent:
            return accountant
    return None


def supervisor_of(unit: Unit, day: date):
    """The nearest active supervisor of the unit or of a unit above it."""
    for node in [unit, *unit.ancestors()]:
        supervision = Supervision.objects.filter(active_on(day), unit=node).select_related("supervisor").first()
        if supervision:
            return supervision.supervisor
    return None


@dataclass
class SigningAnswer:
    allowed: bool
    reason: str
    acting_for: object = None  # the Director, when the signer acts in the Director's place


def may_sign(user, kind: str, day: date | None = None, institution: Institution | None = None) -> SigningAnswer:
    """U6 (000 §38.1, §39; 001 §22): the Director (or whoever acts for the Director), the Deputies,
    or an employee holding a valid authorisation covering the kind. Internal correspondence needs none."""
    day = day or timezone.localdate()
    if kind == DocumentKind.INTERNAL:
        return SigningAnswer(True, _("Korespondencja wewnętrzna nie wymaga upoważnienia (§39)."))
    institution = institution or _institution_of(user, day)
    if institution is None:
        return SigningAnswer(False, _("Osoba nie jest zatrudniona w żadnej komórce ośrodka."))
    if is_absent(user, day):
        return SigningAnswer(False, _("Osoba jest nieobecna w tym dniu."))
    directors = holders(institution, Position.DIRECTOR, day)
    if user in directors:
        return SigningAnswer(True, _("%(title)s.") % {"title": institution.director_title})
    acting = acting_for_director(institution, day)
    reserved = kind in (institution.reserved_document_kinds or [])
    if acting == user and not reserved:
        return SigningAnswer(
            True,
            _("Zastępuje %(title)s w tym dniu (U4).") % {"title": institution.director_title},
            acting_for=directors[0] if directors else None,
        )
    is_deputy = user in holders(institution, Position.DEPUTY_DIRECTOR, day)
    deputy_may = is_deputy and not reserved and not institution.deputy_signs_only_in_absence
    scope = deputy_scope(user, day) if deputy_may else None
    if deputy_may and (scope is None or kind in (scope.kinds or [])):
        if scope is None:
            return SigningAnswer(True, _("Zastępca Dyrektora (§38 ust. 1)."))
        return SigningAnswer(
            True, _("Zastępca Dyrektora w zakresie: %(basis)s (§5 ust. 8, §8).") % {"basis": scope.basis}
        )
    authorization = valid_authorization(user, kind, day, institution)
    if authorization is not None:
        return SigningAnswer(True, _("Na podstawie: %(auth)s.") % {"auth": authorization})
    if reserved:
        return SigningAnswer(
            False,
            _("Sprawa zastrzeżona do podpisu przez %(title)s (Kraśnik §22.3).") % {"title": institution.director_title},
        )
    if scope is not None:
        return SigningAnswer(
            False,
            _("Rodzaj „%(kind)s” jest poza zakresem podpisywania Zastępcy (%(basis)s; §5 ust. 8, §8).")
            % {"kind": DocumentKind(kind).label, "basis": scope.basis},
        )
    if is_deputy:
        return SigningAnswer(
            False,
            _(
                "Zastępca podpisuje tylko w czasie odnotowanej nieobecności: %(title)s jest w tym dniu obecny "
                "(Kraśnik §22.3), a pisemnego upoważnienia obejmującego ten rodzaj dokumentu brak (§22.4-5)."
            )
            % {"title": institution.director_title},
        )
    return SigningAnswer(
        False,
        _("Brak upoważnienia do podpisywania dokumentów rodzaju „%(kind)s” w dniu %(day)s.")
        % {"kind": DocumentKind(kind).label, "day": day.strftime("%d.%m.%Y")},
    )


def authorised_signatories(institution: Institution, kind: str, day: date | None = None) -> list:
    """U5-U6: the people present on ``day`` whose valid authorisation covers ``kind``: a document may be
    routed to one of them for signature (``approval_start(..., signatory=...)``)."""
    day = day or timezone.localdate()
    absent = absent_user_ids(day)
    people = []
    for authorization in Authorization.objects.filter(institution=institution).select_related("holder"):
        holder = authorization.holder
        if (
            authorization.is_valid_on(day)
            and kind in (authorization.scope or [])
            and holder.pk not in absent
            and holder not in people
        ):
            people.append(holder)
    return people


def deputy_scope(deputy, day: date) -> DeputySigningScope | None:
    """The scope the Director's order gives the Deputy on ``day`` (000 §5.8, §8); None: no order recorded,
    the Deputy signs everything not reserved to the Director."""
    return DeputySigningScope.objects.filter(active_on(day), deputy=deputy).order_by("-valid_from").first()


def valid_authorization(user, kind: str, day: date, institution: Institution) -> Authorization | None:
    """The user's authorisation valid on ``day`` whose scope covers ``kind`` (U5), if any."""
    for authorization in Authorization.objects.filter(holder=user, institution=institution):
        if authorization.is_valid_on(day) and kind in (authorization.scope or []):
            return authorization
    return None


def _institution_of(user, day: date):
    membership = Membership.objects.filter(active_on(day), user=user).select_related("unit__institution").first()
    return membership.unit.institution if membership else None


def acting_signatory(unit: Unit, kind: str, day: date | None = None):
    """Who signs a document of ``kind`` prepared in ``unit`` on ``day``: the Deputy supervising the unit
    when present (and the matter is not reserved), else whoever acts for the Director (U4, U6, C10)."""
    day = day or timezone.localdate()
    institution = unit.institution
    reserved = kind in (institution.reserved_document_kinds or [])
    supervisor = supervisor_of(unit, day)
    if (
        not reserved
        and not institution.deputy_signs_only_in_absence
        and supervisor is not None
        and supervisor in holders(institution, Position.DEPUTY_DIRECTOR, day)
        and not is_absent(supervisor, day)
        and may_sign(supervisor, kind, day, institution).allowed
    ):
        return supervisor
    if reserved or institution.deputy_signs_only_in_absence:
        directors = holders(institution, Position.DIRECTOR, day)
        if directors and not is_absent(directors[0], day):
            return directors[0]
    if reserved:
        return None
    return acting_for_director(institution, day)


def requires_countersignature(kind: str) -> bool:
    """U6 (000 §38.2): documents that may create financial obligations."""
    return kind in COUNTERSIGNED_KINDS


def countersignatory(institution: Institution, day: date | None = None):
    """The Chief Accountant, or the Deputy Chief Accountant when the Chief Accountant is absent."""
    day = day or timezone.localdate()
    for position in (Position.CHIEF_ACCOUNTANT, Position.DEPUTY_CHIEF_ACCOUNTANT):
        for person in holders(institution, position, day):
            if not is_absent(person, day):
                return person
    return None


def superiors_chain(author, unit: Unit, day: date | None = None) -> list:
    """U6 (000 §40): the author's superiors who initial before the signatory: the heads of the unit
    and the units above it (excluding the author), nearest first."""
    day = day or timezone.localdate()
    chain = []
    for node in [unit, *unit.ancestors()]:
        head = (
            Membership.objects.filter(active_on(day), unit=node, position=Position.HEAD).select_related("user").first()
        )
        if head and head.user != author and head.user not in chain:
            chain.append(head.user)
    return chain
