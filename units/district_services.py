"""State changes of the care districts (R3; 001 §21.1-2): a district created, a street (or part of it) assigned to
a district from a date, a social worker appointed to a district by the head's internal order, an appointment
ended, streets imported from TERYT ULIC. Each is atomic, checks the permission (when a person acts; management
commands act as the system) and writes history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from .models import (
    CareDistrict,
    DistrictWorker,
    Institution,
    Membership,
    Parity,
    Street,
    StreetSegment,
    Unit,
    active_on,
)
from .permissions import may_keep_districts

INFINITY = 10**9


def _check(acting_user, institution: Institution) -> None:
    if acting_user is not None and not may_keep_districts(acting_user, institution):
        raise PermissionDenied(
            _("Rejony opiekuńcze ustala kierujący ośrodkiem i kierownicy zespołów pracowników socjalnych.")
        )


def _save(obj, *, acting_user=None, reason: str = ""):
    obj.full_clean()
    if acting_user is not None:
        obj._history_user = acting_user
    if reason:
        obj._change_reason = reason[:100]
    obj.save()
    return obj


def _order(order_number: str, order_date: date) -> str:
    return _("zarządzenie wewnętrzne nr %(n)s z dnia %(d)s") % {
        "n": order_number,
        "d": order_date.strftime("%d.%m.%Y"),
    }


@transaction.atomic
def district_create(
    *,
    institution: Institution,
    number: int,
    name: str = "",
    unit: Unit | None = None,
    description: str = "",
    acting_user,
) -> CareDistrict:
    """R3 (001 §21.2): a new care district, numbered once per institution."""
    _check(acting_user, institution)
    if unit is not None and unit.institution_id != institution.pk:
        raise ValidationError({"unit": _("Komórka prowadząca musi należeć do tego ośrodka.")})
    if number is None or number < 1:
        raise ValidationError({"number": _("Numer rejonu musi być liczbą dodatnią.")})
    if CareDistrict.objects.filter(institution=institution, number=number).exists():
        raise ValidationError({"number": _("Rejon o numerze %(n)s już istnieje.") % {"n": number}})
    district = CareDistrict(institution=institution, number=number, name=name, unit=unit, description=description)
    try:
        with transaction.atomic():
            return _save(district, acting_user=acting_user)
    except IntegrityError:
        raise ValidationError({"number": _("Rejon o numerze %(n)s już istnieje.") % {"n": number}}) from None


# --- streets in districts ----------------------------------------------------------------------------------------


def _bounds(parity: str, number_from: int | None, number_to: int | None) -> tuple[str, int, int]:
    return parity, number_from or 1, number_to if number_to is not None else INFINITY


def numbers_overlap(a: tuple[str, int | None, int | None], b: tuple[str, int | None, int | None]) -> bool:
    """Whether two (parity, from, to) ranges of house numbers share at least one number."""
    pa, lo_a, hi_a = _bounds(*a)
    pb, lo_b, hi_b = _bounds(*b)
    lo, hi = max(lo_a, lo_b), min(hi_a, hi_b)
    if lo > hi:
        return False
    parities = {pa, pb} - {Parity.ALL}
    if len(parities) == 2:
        return False
    if not parities:
        return True
    wanted = 1 if parities == {Parity.ODD} else 0
    first = lo if lo % 2 == wanted else lo + 1
    return first <= hi


def _remainder(old: StreetSegment, parity: str, number_from: int | None, number_to: int | None):
    """The parts of ``old`` that the new (parity, from, to) does not take: (parity, from, to) pieces."""
    pieces = []
    if number_from is not None and (old.number_from or 1) < number_from:
        pieces.append((old.parity, old.number_from, number_from - 1))
    if number_to is not None and (old.number_to is None or old.number_to > number_to):
        pieces.append((old.parity, number_to + 1, old.number_to))
    if old.parity == Parity.ALL and parity != Parity.ALL:
        middle_from = max(old.number_from or 1, number_from or 1)
        middle_to = min(x for x in (old.number_to, number_to, INFINITY) if x is not None)
        other = Parity.EVEN if parity == Parity.ODD else Parity.ODD
        pieces.append((other, None if middle_from == 1 else middle_from, None if middle_to == INFINITY else middle_to))
    return pieces


@transaction.atomic
def street_assign(
    *,
    street: Street,
    district: CareDistrict,
    valid_from: date,
    parity: str = Parity.ALL,
    number_from: int | None = None,
    number_to: int | None = None,
    acting_user,
    reason: str = "",
) -> StreetSegment:
    """R3: the street (or one side, or a range of its numbers) belongs to ``district`` from ``valid_from``.

    A segment in force before that day that covers any of these numbers is ended the day before (the move keeps
    the history; what it covered beyond the new range stays in its district as new segments from the same day).
    Two segments covering the same number from the same day are refused (the street's row is locked, so two
    concurrent requests give one segment and one refusal)."""
    _check(acting_user, district.institution)
    if street.institution_id != district.institution_id:
        raise ValidationError({"street": _("Ulica i rejon muszą należeć do tego samego ośrodka.")})
    if parity not in Parity.values:
        raise ValidationError({"parity": _("Wybierz: wszystkie, nieparzyste albo parzyste numery.")})
    if number_from is not None and number_to is not None and number_from > number_to:
        raise ValidationError({"number_to": _("Numer końcowy nie może być mniejszy niż początkowy.")})
    street = Street.objects.select_for_update().get(pk=street.pk)
    wanted = (parity, number_from, number_to)
    current = StreetSegment.objects.filter(street=street).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
    clashing = [
        s for s in current.select_related("district") if numbers_overlap((s.parity, s.number_from, s.number_to), wanted)
    ]
    same_day = [s for s in clashing if s.valid_from >= valid_from]
    if same_day:
        raise ValidationError(
            _(
                "Od %(d)s te numery należą już do rejonu: %(district)s (%(segment)s). Odcinki jednej ulicy nie "
                "mogą się pokrywać w tym samym dniu – wybierz późniejszą datę przeniesienia albo inne numery."
            )
            % {"d": valid_from.strftime("%d.%m.%Y"), "district": same_day[0].district, "segment": same_day[0]}
        )
    note = reason or _("przeniesienie do rejonu: %(d)s") % {"d": district}
    for old in clashing:
        for piece_parity, piece_from, piece_to in _remainder(old, parity, number_from, number_to):
            _save(
                StreetSegment(
                    street=street,
                    district=old.district,
                    parity=piece_parity,
                    number_from=piece_from,
                    number_to=piece_to,
                    valid_from=valid_from,
                    valid_to=old.valid_to,
                ),
                acting_user=acting_user,
                reason=note,
            )
        old.valid_to = valid_from - timedelta(days=1)
        _save(old, acting_user=acting_user, reason=note)
    return _save(
        StreetSegment(
            street=street,
            district=district,
            parity=parity,
            number_from=number_from,
            number_to=number_to,
            valid_from=valid_from,
        ),
        acting_user=acting_user,
        reason=reason,
    )


# --- workers ----------------------------------------------------------------------------------------------------


@transaction.atomic
def district_worker_assign(
    *,
    district: CareDistrict,
    user,
    valid_from: date,
    order_number: str,
    order_date: date,
    valid_to: date | None = None,
    acting_user,
) -> DistrictWorker:
    """R3 (001 §21.2): the head's internal order names a social worker responsible for the district from a date.
    The person works in the institution on that day; one appointment of a person to a district at a time."""
    _check(acting_user, district.institution)
    order_number = (order_number or "").strip()
    if not order_number:
        raise ValidationError({"order_number": _("Podaj numer zarządzenia wewnętrznego.")})
    if order_date > valid_from:
        raise ValidationError(
            {"order_date": _("Zarządzenie musi być wydane najpóźniej w dniu, od którego obowiązuje przydział.")}
        )
    if valid_to is not None and valid_to < valid_from:
        raise ValidationError({"valid_to": _("Data zakończenia nie może być wcześniejsza niż data rozpoczęcia.")})
    district = CareDistrict.objects.select_for_update().get(pk=district.pk)
    works_there = Membership.objects.filter(
        active_on(valid_from), user=user, unit__institution_id=district.institution_id
    ).exists()
    if not works_there:
        raise ValidationError({"user": _("Ta osoba nie jest zatrudniona w ośrodku w dniu rozpoczęcia przydziału.")})
    overlapping = DistrictWorker.objects.filter(district=district, user=user).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from)
    )
    if valid_to is not None:
        overlapping = overlapping.filter(valid_from__lte=valid_to)
    if overlapping.exists():
        raise ValidationError(
            {"user": _("Ta osoba jest już przydzielona do tego rejonu w tym okresie. Zakończ poprzedni przydział.")}
        )
    return _save(
        DistrictWorker(
            district=district,
            user=user,
            valid_from=valid_from,
            valid_to=valid_to,
            order_number=order_number,
            order_date=order_date,
        ),
        acting_user=acting_user,
        reason=_order(order_number, order_date),
    )


@transaction.atomic
def district_worker_end(
    assignment: DistrictWorker, *, on: date, order_number: str, order_date: date, acting_user
) -> DistrictWorker:
    """R3: a later internal order ends the worker's responsibility for the district on ``on`` (the last day);
    the order is written as the history's reason."""
    _check(acting_user, assignment.district.institution)
    assignment = DistrictWorker.objects.select_for_update().get(pk=assignment.pk)
    order_number = (order_number or "").strip()
    if not order_number:
        raise ValidationError({"order_number": _("Podaj numer zarządzenia wewnętrznego.")})
    if assignment.valid_to is not None and assignment.valid_to <= on:
        raise ValidationError({"on": _("Ten przydział kończy się już wcześniej.")})
    if on < assignment.valid_from:
        raise ValidationError({"on": _("Przydział nie może się skończyć przed swoim początkiem.")})
    assignment.valid_to = on
    return _save(assignment, acting_user=acting_user, reason=_order(order_number, order_date))


# --- TERYT ULIC import ------------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0


STREET_FIELDS = ("sym", "cecha", "name_1", "name_2", "state_on")


@transaction.atomic
def streets_import(*, institution: Institution, rows, sym: str | None = None, acting_user=None) -> ImportResult:
    """R3: streets from the TERYT ULIC catalogue (dicts with the file's column names), idempotent: a street is
    found by its SYM_UL and its name updated; only rows of the locality ``sym`` are taken when given."""
    result = ImportResult()
    existing = {street.sym_ul: street for street in Street.objects.filter(institution=institution)}
    for row in rows:
        if sym and (row.get("SYM") or "").strip() != sym:
            result.skipped += 1
            continue
        sym_ul = (row.get("SYM_UL") or "").strip()
        name_1 = (row.get("NAZWA_1") or "").strip()
        if not sym_ul or not name_1:
            result.skipped += 1
            continue
        raw_date = (row.get("STAN_NA") or "").strip()
        try:
            state_on = date.fromisoformat(raw_date) if raw_date else None
        except ValueError:
            state_on = None
        values = {
            "sym": (row.get("SYM") or "").strip(),
            "cecha": (row.get("CECHA") or "").strip(),
            "name_1": name_1,
            "name_2": (row.get("NAZWA_2") or "").strip(),
            "state_on": state_on,
        }
        street = existing.get(sym_ul)
        if street is None:
            street = Street(institution=institution, sym_ul=sym_ul, **values)
            _save(street, acting_user=acting_user, reason=_("import TERYT ULIC"))
            existing[sym_ul] = street
            result.created += 1
            continue
        if all(getattr(street, name) == value for name, value in values.items()):
            result.unchanged += 1
            continue
        for name, value in values.items():
            setattr(street, name, value)
        _save(street, acting_user=acting_user, reason=_("import TERYT ULIC"))
        result.updated += 1
    return result
