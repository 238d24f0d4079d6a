"""The registers themselves: configuration access, the keeping unit, numbering per year (C1) and the case
sign's format, plus the small helpers every step of both procedures shares."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from mopr.procedures import record_change
from units.models import Institution, Membership, Unit, UnitKind, active_on

from ..models import RegisterConfig, RegisterCounter, default_register_unit_symbol

# Dates before this are typing errors, not entries of the register.
EARLIEST = date(2000, 1, 1)

# C4 (KPA art. 237 §1): a complaint or motion is answered within one month of receipt. Statutory, so a constant
# (the configurable values are RegisterConfig's fields).
RESPONSE_MONTHS = 1


def get_config(institution: Institution) -> RegisterConfig:
    """The institution's register configuration (deadline values and sign formats; data, editable in the admin)."""
    config, _created = RegisterConfig.objects.get_or_create(
        institution=institution, defaults={"register_unit_symbol": default_register_unit_symbol(institution)}
    )
    return config


def register_unit(institution: Institution) -> Unit:
    """The unit keeping the registers (``RegisterConfig.register_unit_symbol``: DNK in Białystok, 000 §19.1; the
    Kierownik's management unit in Kraśnik, 001 §21.5). When the configured unit is not in the structure, the
    head of the institution keeps the registers (C1)."""
    symbol = get_config(institution).register_unit_symbol
    unit = Unit.objects.filter(institution=institution, symbol=symbol).first()
    if unit is None:
        unit = (
            Unit.objects.filter(institution=institution, kind=UnitKind.MANAGEMENT, parent__isnull=True)
            .order_by("pk")
            .first()
        )
    if unit is None:
        raise ValidationError(
            _("W strukturze ośrodka brak komórki %(symbol)s prowadzącej rejestr.") % {"symbol": symbol}
        )
    return unit


def institution_of(user) -> Institution:
    membership = (
        Membership.objects.filter(active_on(timezone.localdate()), user=user)
        .select_related("unit__institution")
        .first()
    )
    if membership is None:
        raise PermissionDenied(_("Osoba nie jest zatrudniona w ośrodku."))
    return membership.unit.institution


def next_number(unit: Unit, register: str, year: int) -> int:
    """C1: the next number in the register and year, taken under a row lock (no gaps, no doubles)."""
    RegisterCounter.objects.get_or_create(unit=unit, register=register, year=year)
    counter = RegisterCounter.objects.select_for_update().get(unit=unit, register=register, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def format_sign(template: str, *, unit: Unit, number: int, year: int) -> str:
    """C1: the case sign from the configured format ({unit}, {number}, {year})."""
    try:
        return template.format(unit=unit.symbol, number=number, year=year)
    except (KeyError, IndexError, ValueError):
        raise ValidationError(_("Nieprawidłowy format znaku sprawy w konfiguracji: %(f)s") % {"f": template})


def save_with_reason(obj, reason: str = "", user=None):
    """Save a new record (or one outside the procedure tables) with the reason and the acting person in the
    history. Records of a procedure change only through ``mopr.procedures.transition`` and the tables in
    ``complaints.procedures``."""
    record_change(obj, acting_user=user, reason=reason)
    obj.save()
    return obj


def today_or(day: date | None) -> date:
    return day or timezone.localdate()
