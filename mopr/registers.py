"""The register engine's core (DOMAIN R1, ARCHITECTURE "Registers as configuration"): what a register's entry
fields are, and everything about them that needs no app.

A register is configuration: a list of field definitions (plain dicts, kept as JSON with the register) and a
list of deadline definitions. This module turns a definition into a form field, validates it, converts a
value to and from its JSON form, shows it to people (Polish dates and amounts), writes it into an export cell,
formats the entry's sign and computes the deadlines' due dates through ``mopr.calendar`` (K2-K3). The concrete
models, services and permissions live in ``units`` (``units.models.registers``, ``units.registers``); this
module imports no app (tests/core/test_layers.py).

A field definition::

    {"key": "amount", "label": "Kwota", "type": "amount", "required": true, "help": "...",
     "choices": [["meeting", "spotkanie"], ...],   # type "choice"
     "register": "orders", "multiple": true,        # type "link": entries of that register
     "multiline": true}                             # type "text": a textarea

Reference types (``person``, ``unit``, ``membership``, ``link``) store primary keys; the caller supplies the
choices (``form_field(..., choices=...)``) and the names to show (``display(..., names=...)``), so that a list
page reads each kind of reference once for the whole page.

A deadline definition (K5)::

    {"kind": "answer", "label": "Odpowiedź na wniosek", "rule": "art. 13 ust. 1 u.d.i.p.",
     "from_field": "received_on", "days": 14,       # or "months": 2, "working_days": 5, or "due_field": "..."
     "extended_field": "extended_to",               # optional: a later due date set by an extension
     "met_field": "answered_on"}                    # the date that meets it
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from . import calendar
from .search import fold

TEXT, DATE, AMOUNT, PERSON, UNIT, MEMBERSHIP, CHOICE, LINK = (
    "text",
    "date",
    "amount",
    "person",
    "unit",
    "membership",
    "choice",
    "link",
)
FIELD_TYPES = {
    TEXT: _lazy("tekst"),
    DATE: _lazy("data"),
    AMOUNT: _lazy("kwota"),
    PERSON: _lazy("osoba"),
    UNIT: _lazy("komórka"),
    MEMBERSHIP: _lazy("przydział osoby do komórki"),
    CHOICE: _lazy("wybór z listy"),
    LINK: _lazy("powiązanie z innym wpisem"),
}
REFERENCE_TYPES = (PERSON, UNIT, MEMBERSHIP, LINK)
TEXT_MAX_LENGTH = 4000
AMOUNT_MAX = Decimal("999999999999.99")
KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
SIGN_PLACEHOLDERS = ("unit", "jrwa", "n", "year", "code")
DEFAULT_SIGN_FORMAT = "{unit}.{jrwa}.{n}.{year}"


# --- definitions -----------------------------------------------------------------------------------------------


def validate_fields(fields) -> None:
    """A register's field list as the administrator typed it: a list of definitions with unique keys, known
    types, choices for a choice field and a register for a link. Raises ValidationError (Polish)."""
    if not isinstance(fields, list) or not fields:
        raise ValidationError(_("Podaj listę pól wpisu (co najmniej jedno pole)."))
    seen: set[str] = set()
    for position, field in enumerate(fields, start=1):
        where = _("pole nr %(n)s") % {"n": position}
        if not isinstance(field, dict):
            raise ValidationError(_("%(where)s: opis pola musi być obiektem.") % {"where": where})
        key = field.get("key")
        if not isinstance(key, str) or not KEY_RE.match(key):
            raise ValidationError(
                _("%(where)s: klucz musi zaczynać się od małej litery i zawierać tylko małe litery, cyfry i _.")
                % {"where": where}
            )
        if key in seen:
            raise ValidationError(_("Klucz pola „%(key)s” powtarza się.") % {"key": key})
        seen.add(key)
        if not str(field.get("label") or "").strip():
            raise ValidationError(_("Pole „%(key)s” nie ma nazwy.") % {"key": key})
        kind = field.get("type")
        if kind not in FIELD_TYPES:
            raise ValidationError(
                _("Pole „%(key)s”: nieznany rodzaj „%(type)s” (dozwolone: %(types)s).")
                % {"key": key, "type": kind, "types": ", ".join(FIELD_TYPES)}
            )
        if kind == CHOICE:
            choices = field.get("choices")
            if not isinstance(choices, list) or not choices or not all(_is_pair(c) for c in choices):
                raise ValidationError(
                    _("Pole „%(key)s”: podaj listę możliwości jako pary [wartość, nazwa].") % {"key": key}
                )
        if kind == LINK and not isinstance(field.get("register"), str):
            raise ValidationError(_("Pole „%(key)s”: wskaż kod rejestru, z którym wiąże wpisy.") % {"key": key})


def _is_pair(choice) -> bool:
    return isinstance(choice, (list, tuple)) and len(choice) == 2 and all(isinstance(x, str) for x in choice)


def validate_deadlines(deadlines, fields) -> None:
    """Deadline definitions refer to date fields of the register and say how the due date is counted."""
    if not isinstance(deadlines, list):
        raise ValidationError(_("Terminy podaje się jako listę."))
    date_keys = {f["key"] for f in fields if isinstance(f, dict) and f.get("type") == DATE}
    kinds: set[str] = set()
    for definition in deadlines:
        if not isinstance(definition, dict) or not isinstance(definition.get("kind"), str):
            raise ValidationError(_("Każdy termin potrzebuje rodzaju („kind”)."))
        kind = definition["kind"]
        if kind in kinds:
            raise ValidationError(_("Rodzaj terminu „%(kind)s” powtarza się.") % {"kind": kind})
        kinds.add(kind)
        for name in ("from_field", "due_field", "met_field", "extended_field"):
            value = definition.get(name)
            if value is not None and value not in date_keys:
                raise ValidationError(
                    _("Termin „%(kind)s”: „%(name)s” musi wskazywać pole z datą.") % {"kind": kind, "name": name}
                )
        counted = [name for name in ("days", "months", "working_days") if definition.get(name) is not None]
        if definition.get("due_field") is None and (definition.get("from_field") is None or len(counted) != 1):
            raise ValidationError(
                _("Termin „%(kind)s”: podaj „due_field” albo „from_field” z jedną z liczb: days, months, working_days.")
                % {"kind": kind}
            )


def validate_sign_format(sign_format: str) -> None:
    """The sign's pattern uses only the known placeholders and includes the number."""
    names = set(re.findall(r"{(\w*)}", sign_format or ""))
    unknown = names - set(SIGN_PLACEHOLDERS)
    if unknown:
        raise ValidationError(
            _("Nieznane pola w formacie znaku: %(names)s (dozwolone: %(allowed)s).")
            % {"names": ", ".join(sorted(unknown)), "allowed": ", ".join(f"{{{p}}}" for p in SIGN_PLACEHOLDERS)}
        )
    if "n" not in names:
        raise ValidationError(_("Format znaku musi zawierać numer kolejny {n}."))


def format_sign(sign_format: str, *, unit: str, jrwa: str, number: int, year: int, code: str = "") -> str:
    """The entry's sign, e.g. ``DKA.0210.12.2026`` for ``{unit}.{jrwa}.{n}.{year}`` (000 §18: orders)."""
    sign = sign_format.format(unit=unit, jrwa=jrwa, n=number, year=year, code=code)
    return re.sub(r"\.{2,}", ".", sign).strip(".")


# --- forms ------------------------------------------------------------------------------------------


def form_field(definition: dict, *, choices: Iterable | None = None) -> forms.Field:
    """The Django form field for one definition. Reference types take ``choices`` ((pk, label) pairs)."""
    kind = definition["type"]
    common = {
        "label": definition["label"],
        "required": bool(definition.get("required")),
        "help_text": definition.get("help", ""),
    }
    if kind == TEXT:
        widget = forms.Textarea(attrs={"rows": 3}) if definition.get("multiline") else None
        return forms.CharField(max_length=TEXT_MAX_LENGTH, widget=widget, strip=True, **common)
    if kind == DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **common)
    if kind == AMOUNT:
        return forms.DecimalField(
            min_value=Decimal("0"),
            max_value=AMOUNT_MAX,
            max_digits=14,
            decimal_places=2,
            localize=True,
            widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            **common,
        )
    if kind == CHOICE:
        options = [("", _("— wybierz —"))] + [tuple(c) for c in definition["choices"]]
        return forms.ChoiceField(choices=options, **common)
    options = [(str(pk), label) for pk, label in (choices or [])]
    if kind == LINK and definition.get("multiple"):
        return forms.TypedMultipleChoiceField(
            choices=options, coerce=int, widget=forms.SelectMultiple(attrs={"size": 6}), **common
        )
    return forms.TypedChoiceField(choices=[("", _("— wybierz —")), *options], coerce=int, empty_value=None, **common)


# --- values: JSON, display, export ---------------------------------------------------------------------------------


def to_json(definition: dict, value):
    """A cleaned form value as it is stored in the entry's JSON."""
    if value in (None, "", []):
        return None
    kind = definition["type"]
    if kind == DATE:
        return value.isoformat() if isinstance(value, date) else str(value)
    if kind == AMOUNT:
        return str(Decimal(value).quantize(Decimal("0.01")))
    if kind in REFERENCE_TYPES:
        if isinstance(value, (list, tuple, set)):
            return sorted({int(getattr(v, "pk", v)) for v in value})
        pk = int(getattr(value, "pk", value))
        return [pk] if kind == LINK and definition.get("multiple") else pk
    return str(value)


def from_json(definition: dict, raw):
    """The stored value as Python (a date, a Decimal, a pk or a list of pks, a string)."""
    if raw in (None, "", []):
        return None
    kind = definition["type"]
    try:
        if kind == DATE:
            return date.fromisoformat(raw)
        if kind == AMOUNT:
            return Decimal(raw)
    except (ValueError, TypeError, InvalidOperation):
        return None
    return raw


def reference_ids(fields: list[dict], rows: Iterable[dict]) -> dict[str, set[int]]:
    """Every pk a page of entries refers to, by reference type (to read each type once for the page)."""
    wanted: dict[str, set[int]] = {kind: set() for kind in REFERENCE_TYPES}
    for values in rows:
        for definition in fields:
            raw = values.get(definition["key"])
            if raw in (None, "", []) or definition["type"] not in REFERENCE_TYPES:
                continue
            for pk in raw if isinstance(raw, list) else [raw]:
                if isinstance(pk, int):
                    wanted[definition["type"]].add(pk)
    return wanted


def polish_amount(value: Decimal) -> str:
    """46 000,00 zł (the same form as the ``zl`` template filter)."""
    whole, _dot, cents = f"{value:.2f}".partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{chr(160).join(groups)},{cents}\u00a0zł"


def display(definition: dict, raw, names: dict[str, dict[int, str]] | None = None) -> str:
    """The value as people read it: Polish dates and amounts, choices by label, references by name."""
    value = from_json(definition, raw)
    if value is None:
        return ""
    kind = definition["type"]
    if kind == DATE:
        return value.strftime("%d.%m.%Y")
    if kind == AMOUNT:
        return polish_amount(value)
    if kind == CHOICE:
        return str(dict(tuple(c) for c in definition.get("choices", [])).get(value, value))
    if kind in REFERENCE_TYPES:
        known = (names or {}).get(kind, {})
        return ", ".join(known.get(pk, f"#{pk}") for pk in (value if isinstance(value, list) else [value]))
    return str(value)


def export_value(definition: dict, raw, names: dict[str, dict[int, str]] | None = None):
    """A typed spreadsheet cell: dates stay dates, amounts numbers, everything else the displayed text."""
    value = from_json(definition, raw)
    if definition["type"] in (DATE, AMOUNT):
        return value
    return display(definition, raw, names)


def search_text(fields: list[dict], values: dict, names: dict[str, dict[int, str]] | None = None) -> str:
    """What the register's search box matches besides the sign: every value as displayed, folded."""
    parts = [display(definition, values.get(definition["key"]), names) for definition in fields]
    return fold(" ".join(part for part in parts if part))[:20000]


# --- deadlines (K2-K5) --------------------------------------------------------------------------------


def deadline_due(definition: dict, values: dict, fields: list[dict]) -> date | None:
    """The due date of a deadline definition for an entry's values, counted by ``mopr.calendar`` (K2-K3);
    an extension (``extended_field``) replaces it."""
    by_key = {f["key"]: f for f in fields}

    def date_of(key):
        if not key or key not in by_key:
            return None
        return from_json(by_key[key], values.get(key))

    extended = date_of(definition.get("extended_field"))
    if extended:
        return extended
    if definition.get("due_field"):
        return date_of(definition["due_field"])
    start = date_of(definition.get("from_field"))
    if start is None:
        return None
    if definition.get("days") is not None:
        return calendar.deadline_in_days(start, int(definition["days"]))
    if definition.get("months") is not None:
        return calendar.deadline_in_months(start, int(definition["months"]))
    return calendar.deadline_in_working_days(start, int(definition["working_days"]))


def deadline_met_on(definition: dict, values: dict, fields: list[dict]) -> date | None:
    key = definition.get("met_field")
    by_key = {f["key"]: f for f in fields}
    if not key or key not in by_key:
        return None
    return from_json(by_key[key], values.get(key))
