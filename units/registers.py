"""The register engine's services (DOMAIN R1): one door for every change of a register's entries.

Public API (other modules call exactly this; G11 registers grant contracts here)::

    register_for(institution, code) -> Register
    register_entry_create(register, *, values: dict, acting_user, links=()) -> RegisterEntry

An entry is numbered per register and year without gaps: the year's counter row is locked (``SELECT … FOR
UPDATE``) while the next number is taken, in the same transaction that writes the entry, so a refused or failed
registration gives its number back and two concurrent ones never share one. Values are checked against the
register's field definitions (``mopr.registers``); the deadlines the register defines are opened, moved and met
through ``mopr.deadlines`` (K5) with the keeper unit's staff responsible.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mopr import registers as engine
from mopr.deadlines import deadline_cancel, deadline_meet, deadline_open
from mopr.documents import document_request
from mopr.models import Deadline
from mopr.procedures import record_change
from mopr.uploads import validate_upload

from .models import (
    EntryStatus,
    Membership,
    Register,
    RegisterAttachment,
    RegisterCounter,
    RegisterEntry,
    RegisterProcedure,
    Unit,
    UnitRole,
    active_on,
)
from .permissions import register_may_work, unit_group

# The public-information procedure's own values (units.registers_procedures): changed only through its actions.
PROCEDURE_KEYS = ("answered_on", "extended_to", "extension_reason", "notice_on", "decision_on", "decision_number")


def register_for(institution, code: str) -> Register:
    """The register ``code`` of the institution (``orders``, ``contracts``, ``inspections``, ``public_info``,
    ``processing``, ``data_authorisations``, ``consultations``). Raises ``Register.DoesNotExist``."""
    return Register.objects.select_related("keeper", "institution").get(institution=institution, code=code)


def _require_keeper(user, register: Register) -> None:
    if user is None or not register_may_work(user, register):
        raise PermissionDenied(
            _("Wpisy do rejestru „%(name)s” wprowadza %(unit)s.") % {"name": register.name, "unit": register.keeper}
        )


# --- references: names for people, choices for forms -------------------------------------------------------------


def reference_names(register: Register, rows: Iterable[dict]) -> dict[str, dict[int, str]]:
    """Names of everything a page of entries refers to: one query per kind of reference, whatever the rows."""
    wanted = engine.reference_ids(register.fields, rows)
    names: dict[str, dict[int, str]] = {}
    if wanted[engine.PERSON]:
        names[engine.PERSON] = {
            user.pk: user.get_full_name() or user.username
            for user in get_user_model()
            .objects.filter(pk__in=wanted[engine.PERSON])
            .only("pk", "first_name", "last_name", "username")
        }
    if wanted[engine.UNIT]:
        names[engine.UNIT] = {
            pk: f"{symbol} – {name}"
            for pk, symbol, name in Unit.objects.filter(pk__in=wanted[engine.UNIT]).values_list("pk", "symbol", "name")
        }
    if wanted[engine.MEMBERSHIP]:
        names[engine.MEMBERSHIP] = {
            m.pk: _membership_label(m)
            for m in Membership.objects.filter(pk__in=wanted[engine.MEMBERSHIP]).select_related("user", "unit")
        }
    if wanted[engine.LINK]:
        names[engine.LINK] = dict(RegisterEntry.objects.filter(pk__in=wanted[engine.LINK]).values_list("pk", "sign"))
    return names


def _membership_label(membership: Membership) -> str:
    person = membership.user.get_full_name() or membership.user.username
    return f"{person} – {membership.display_title} ({membership.unit.symbol})"


def reference_choices(register: Register, definition: dict) -> list[tuple[int, str]]:
    """The choices a form offers for a reference field: people and units of the institution, today's
    memberships, the entries of the linked register."""
    kind = definition["type"]
    institution = register.institution_id
    today = timezone.localdate()
    if kind == engine.PERSON:
        people = get_user_model().objects.filter(is_active=True, memberships__unit__institution_id=institution)
        if definition.get("positions"):
            people = get_user_model().objects.filter(
                pk__in=Membership.objects.filter(
                    active_on(today), unit__institution_id=institution, position__in=definition["positions"]
                ).values("user_id")
            )
        people = people.distinct().order_by("last_name", "first_name", "pk")
        return [(u.pk, u.get_full_name() or u.username) for u in people]
    if kind == engine.UNIT:
        return list(
            (pk, f"{symbol} – {name}")
            for pk, symbol, name in Unit.objects.filter(institution_id=institution, is_active=True).values_list(
                "pk", "symbol", "name"
            )
        )
    if kind == engine.MEMBERSHIP:
        memberships = (
            Membership.objects.filter(active_on(today), unit__institution_id=institution)
            .select_related("user", "unit")
            .order_by("user__last_name", "user__first_name", "unit__symbol")
        )
        return [(m.pk, _membership_label(m)) for m in memberships]
    if kind == engine.LINK:
        entries = RegisterEntry.objects.filter(
            register__institution_id=institution, register__code=definition["register"]
        ).order_by("-year", "-number")[:500]
        return [(e.pk, e.sign) for e in entries.only("pk", "sign")]
    return []


# --- values ---------------------------------------------------------------------------------------------------------


def _pk(value):
    value = getattr(value, "pk", value)
    if isinstance(value, bool):
        raise ValueError
    return int(value)


def clean_values(register: Register, values: dict, *, partial_of: dict | None = None) -> dict:
    """The values checked against the register's definitions and converted to their JSON form. Unknown keys,
    missing required values and values of the wrong kind are refused with a Polish message by the field.
    References must exist in the institution (one query per kind of reference)."""
    defined = {f["key"]: f for f in register.fields}
    unknown = set(values) - set(defined)
    if unknown:
        raise ValidationError(_("Nieznane pola rejestru: %(keys)s.") % {"keys": ", ".join(sorted(unknown))})
    merged = {**(partial_of or {}), **values}
    errors: dict[str, list[str]] = {}
    result: dict = {}
    refs: dict[str, dict[str, list[int]]] = {}
    for key, definition in defined.items():
        raw = merged.get(key)
        kind = definition["type"]
        if raw in (None, "", [], ()):
            if definition.get("required"):
                errors[key] = [_("To pole jest wymagane.")]
            continue
        try:
            if kind == engine.TEXT:
                text = str(raw).strip()
                if len(text) > engine.TEXT_MAX_LENGTH:
                    raise ValidationError(_("Tekst może mieć najwyżej %(n)s znaków.") % {"n": engine.TEXT_MAX_LENGTH})
                if "\x00" in text:
                    raise ValueError
                if text:
                    result[key] = text
                elif definition.get("required"):
                    errors[key] = [_("To pole jest wymagane.")]
            elif kind == engine.DATE:
                day = raw if isinstance(raw, date) else date.fromisoformat(str(raw))
                result[key] = day.isoformat()
            elif kind == engine.AMOUNT:
                amount = Decimal(str(raw))
                if not amount.is_finite() or amount < 0 or amount > engine.AMOUNT_MAX:
                    raise ValidationError(_("Podaj kwotę od 0 do %(max)s zł.") % {"max": engine.AMOUNT_MAX})
                result[key] = str(amount.quantize(Decimal("0.01")))
            elif kind == engine.CHOICE:
                if str(raw) not in {c[0] for c in definition["choices"]}:
                    raise ValidationError(_("Wybierz jedną z możliwości z listy."))
                result[key] = str(raw)
            else:
                many = isinstance(raw, (list, tuple, set)) or (kind == engine.LINK and definition.get("multiple"))
                pks = sorted({_pk(v) for v in raw}) if isinstance(raw, (list, tuple, set)) else [_pk(raw)]
                if not pks:
                    continue
                refs.setdefault(kind, {})[key] = pks
                result[key] = pks if many else pks[0]
        except ValidationError as error:
            errors[key] = error.messages
        except (ValueError, TypeError, InvalidOperation):
            errors[key] = [_("Nieprawidłowa wartość.")]
    for kind, by_key in refs.items():
        wanted = {pk for pks in by_key.values() for pk in pks}
        found = _existing(register, kind, wanted, by_key)
        for key, pks in by_key.items():
            if not set(pks) <= found:
                errors[key] = [
                    _("Wskazana osoba nie zajmuje wymaganego stanowiska: %(what)s.")
                    % {"what": register.field(key)["label"]}
                    if register.field(key).get("positions")
                    else _("Wskazany wpis, osoba lub komórka nie istnieje w tym ośrodku.")
                ]
    if errors:
        raise ValidationError(errors)
    return result


def _existing(register: Register, kind: str, wanted: set[int], by_key: dict[str, list[int]]) -> set[int]:
    institution = register.institution_id
    if kind == engine.PERSON:
        found = set(get_user_model().objects.filter(pk__in=wanted).values_list("pk", flat=True))
        for key, pks in by_key.items():
            positions = register.field(key).get("positions")
            if positions:
                # U6: e.g. the countersignature only by the Chief Accountant or the Deputy Chief Accountant.
                holders = set(
                    Membership.objects.filter(
                        active_on(timezone.localdate()),
                        user_id__in=pks,
                        position__in=positions,
                        unit__institution_id=institution,
                    ).values_list("user_id", flat=True)
                )
                found -= set(pks) - holders
        return found
    if kind == engine.UNIT:
        return set(Unit.objects.filter(pk__in=wanted, institution_id=institution).values_list("pk", flat=True))
    if kind == engine.MEMBERSHIP:
        return set(
            Membership.objects.filter(pk__in=wanted, unit__institution_id=institution).values_list("pk", flat=True)
        )
    found: set[int] = set()
    for key, pks in by_key.items():
        target = register.field(key).get("register")
        found |= set(
            RegisterEntry.objects.filter(
                pk__in=pks, register__institution_id=institution, register__code=target
            ).values_list("pk", flat=True)
        )
    return found


def _refresh_text(entry: RegisterEntry) -> None:
    names = reference_names(entry.register, [entry.values])
    entry.search_text = engine.search_text(entry.register.fields, entry.values, names)


def _link_ids(register: Register, values: dict, links: Iterable) -> set[int]:
    ids = {_pk(link) for link in links}
    for definition in register.fields:
        if definition["type"] == engine.LINK and values.get(definition["key"]) not in (None, []):
            raw = values[definition["key"]]
            ids |= set(raw if isinstance(raw, list) else [raw])
    return ids


# --- numbering (R1) -------------------------------------------------------------------------------------------------


def _next_number(register: Register, year: int) -> int:
    """The next number of ``register`` in ``year``: the counter row is created if missing (INSERT … ON CONFLICT
    DO NOTHING), then locked until the caller's transaction ends."""
    RegisterCounter.objects.bulk_create([RegisterCounter(register=register, year=year)], ignore_conflicts=True)
    counter = RegisterCounter.objects.select_for_update().get(register=register, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


# --- entries --------------------------------------------------------------------------------------------------------


def _initial_status(register: Register) -> str:
    if register.procedure == RegisterProcedure.PUBLIC_INFO:
        return EntryStatus.RECEIVED
    if any(f["type"] == engine.MEMBERSHIP for f in register.fields):
        return EntryStatus.ACTIVE
    return ""


def _membership_of(register: Register, values: dict) -> Membership | None:
    key = next((f["key"] for f in register.fields if f["type"] == engine.MEMBERSHIP), None)
    if key is None or values.get(key) is None:
        return None
    return Membership.objects.select_related("user", "unit").get(pk=values[key])


@transaction.atomic
def register_entry_create(
    register: Register, *, values: dict, acting_user, links=(), origin: str | None = None
) -> RegisterEntry:
    """R1: a new entry of ``register``, numbered in the current year under the counter's row lock, with its sign
    (``register.sign_format``), its deadlines (K5) and its history. Only the keeper unit's staff register (U7),
    except an entry that another procedure makes as its own consequence (``origin``: e.g. a grant contract
    concluded through its approval flow, G11): that procedure checked its people, and the history names it."""
    if origin is None:
        _require_keeper(acting_user, register)
    cleaned = clean_values(register, values)
    membership = _membership_of(register, cleaned)
    if membership is not None and membership.valid_to and membership.valid_to < timezone.localdate():
        raise ValidationError(
            {
                _membership_key(register): _(
                    "Przydział tej osoby zakończył się %(day)s: upoważnienie wygasłoby z nim (RODO art. 29)."
                )
                % {"day": membership.valid_to.strftime("%d.%m.%Y")}
            }
        )
    year = timezone.localdate().year
    number = _next_number(register, year)
    entry = RegisterEntry(
        register=register,
        year=year,
        number=number,
        sign=engine.format_sign(
            register.sign_format,
            unit=register.keeper.symbol,
            jrwa=register.jrwa,
            number=number,
            year=year,
            code=register.code,
        ),
        values=cleaned,
        status=_initial_status(register),
        membership=membership,
        created_by=acting_user,
    )
    if membership is not None and membership.valid_to:
        entry.ended_on = membership.valid_to
    _refresh_text(entry)
    reason = _("Wpis do rejestru") if origin is None else _("Wpis do rejestru: %(origin)s") % {"origin": origin}
    record_change(entry, acting_user=acting_user, reason=reason)
    entry.save()
    entry.links.set(_link_ids(register, cleaned, links))
    _sync_deadlines(entry)
    return entry


def _membership_key(register: Register) -> str:
    return next((f["key"] for f in register.fields if f["type"] == engine.MEMBERSHIP), "__all__")


@transaction.atomic
def register_entry_update(
    entry: RegisterEntry, *, values: dict, acting_user, links: Iterable | None = None, reason: str = ""
) -> RegisterEntry:
    """R1: change an entry's values (the sign and number never change); the history keeps who, when and why,
    and the deadlines follow the new dates."""
    entry = RegisterEntry.objects.select_for_update().select_related("register__keeper").get(pk=entry.pk)
    register = entry.register
    _require_keeper(acting_user, register)
    cleaned = clean_values(register, values, partial_of=entry.values)
    if register.procedure == RegisterProcedure.PUBLIC_INFO:
        # The procedure's own fields change only through its actions.
        for key in PROCEDURE_KEYS:
            if cleaned.get(key) != entry.values.get(key):
                raise ValidationError(
                    {key: _("To pole zmienia się tylko czynnością procedury (udostępnienie, przedłużenie, odmowa).")}
                )
    membership = _membership_of(register, cleaned)
    if membership is not None and entry.membership_id and membership.pk != entry.membership_id:
        raise ValidationError({_membership_key(register): _("Upoważnienia nie przenosi się na inną osobę.")})
    entry.values = cleaned
    _refresh_text(entry)
    record_change(entry, acting_user=acting_user, reason=reason or _("Zmiana wpisu"))
    entry.save()
    if links is not None or any(f["type"] == engine.LINK for f in register.fields):
        entry.links.set(_link_ids(register, cleaned, links or ()))
    _sync_deadlines(entry)
    return entry


def _sync_deadlines(entry: RegisterEntry) -> None:
    """K5: each deadline the register defines is opened for the keeper unit's staff when its date is known,
    moved when the date changes, met on the date its ``met_field`` records (K6 compares the two), cancelled
    when its date is removed."""
    register = entry.register
    group = unit_group(register.keeper, UnitRole.STAFF)
    for definition in register.deadlines or []:
        kind = f"register:{definition['kind']}"
        due = engine.deadline_due(definition, entry.values, register.fields)
        met = engine.deadline_met_on(definition, entry.values, register.fields)
        if entry.status in definition.get("met_statuses", []):
            met = met or timezone.localdate()
        rows = Deadline.objects.for_object(entry).filter(kind=kind, cancelled_at__isnull=True)
        current = rows.order_by("-pk").first()
        if due is None:
            deadline_cancel(entry, kind)
            continue
        if current is not None and current.met_at is not None and met is not None:
            continue
        label = f"{definition.get('label') or register.name}: {entry.sign}"
        deadline_open(
            entry,
            kind=kind,
            label=label,
            due=due,
            rule=str(definition.get("rule", ""))[:32],
            responsible_group=group,
            url=entry.get_absolute_url(),
        )
        if met is not None:
            deadline_meet(entry, kind, when=met)


# --- attachments and documents --------------------------------------------------------------------------------------


@transaction.atomic
def register_attachment_add(entry: RegisterEntry, *, kind: str, title: str, file, acting_user) -> RegisterAttachment:
    """R1: a document of the entry (a scanned order, a signed contract), of a type and size the register allows."""
    _require_keeper(acting_user, entry.register)
    validate_upload(file, "file", extensions=entry.register.attachment_extensions or None)
    if kind not in RegisterAttachment.Kind.values:
        raise ValidationError({"kind": _("Wybierz rodzaj załącznika z listy.")})
    attachment = RegisterAttachment(entry=entry, kind=kind, title=(title or "").strip() or file.name, file=file)
    attachment.uploaded_by = acting_user
    attachment.full_clean(exclude=["file", "uploaded_by", "entry"])
    record_change(attachment, acting_user=acting_user, reason=_("Dodanie załącznika"))
    attachment.save()
    return attachment


def register_entry_card_request(entry: RegisterEntry, *, acting_user):
    """The entry's card (karta wpisu) as a PDF through the shared renderer (``mopr.documents``)."""
    _require_keeper(acting_user, entry.register)
    names = reference_names(entry.register, [entry.values])
    rows = [(f["label"], engine.display(f, entry.values.get(f["key"]), names) or "—") for f in entry.register.fields]
    return document_request(
        entry,
        kind="register_entry",
        title=f"{entry.register.name}: {entry.sign}",
        template_name="pdf/register_entry.html",
        context={
            "register": entry.register.name,
            "institution": entry.register.institution.name,
            "sign": entry.sign,
            "rows": rows,
            "status": entry.get_status_display() if entry.status else "",
        },
        acting_user=acting_user,
    )


# --- definitions loaded with the institution -----------------------------------------------------------------------


def registers_load(institution, code: str) -> int:
    """R1: the registers the institution's regulations name (``units/data/registers_<code>.json``), created when
    missing; a register already in the database keeps what the administrator set. Returns how many were created."""
    path = Path(__file__).resolve().parent / "data" / f"registers_{code}.json"
    if not path.exists():
        return 0
    created = 0
    units = {unit.symbol: unit for unit in Unit.objects.filter(institution=institution)}
    for row in json.loads(path.read_text(encoding="utf-8"))["registers"]:
        if Register.objects.filter(institution=institution, code=row["code"]).exists():
            continue
        register = Register(
            institution=institution,
            keeper=units[row["keeper"]],
            **{key: value for key, value in row.items() if key != "keeper"},
        )
        register.full_clean()
        record_change(register, reason=_("Wczytanie rejestrów ośrodka"))
        register.save()
        created += 1
    return created
