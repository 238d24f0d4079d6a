"""Load an institution's structure from the seed documents: ``manage.py load_institution bialystok|krasnik``.

Idempotent: a second run changes nothing. Units are matched by symbol; their name, kind, tasks and
parent are brought in line with the data file. Supervision rows are created for the posts that are
filled (``supervision_apply_defaults``); people are not created here (see ``seed_demo``).
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from units.models import Institution, Unit, UnitKind
from units.permissions import recompute_unit_groups
from units.registers import registers_load
from units.services import supervision_apply_defaults

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
ROOT_SYMBOL = "DYR"
SIGNING_FIELDS = ("reserved_document_kinds", "deputy_signs_only_in_absence")


def load(code: str) -> tuple[Institution, int]:
    path = DATA_DIR / f"{code}.json"
    if not path.exists():
        raise CommandError(f"Nieznany ośrodek: {code} (dostępne: bialystok, krasnik)")
    data = json.loads(path.read_text(encoding="utf-8"))
    changed = 0
    signing = {key: data.get("signing", {}).get(key) for key in SIGNING_FIELDS if key in data.get("signing", {})}
    director_title = next((m["title"] for m in data["management"] if m["code"] == "director"), "Dyrektor")
    institution, created = Institution.objects.get_or_create(
        code=data["code"],
        defaults={
            "name": data["name"],
            "short_name": data["short_name"],
            "director_title": director_title,
            "reception_hours": data.get("reception_hours", []),
            "register_keeper": data.get("register_keeper", "DKA"),
            "evaluation_by_director": data.get("evaluation_by_director", False),
            **signing,
        },
    )
    changed += created
    # The signing rules of the seed (001 §22) fill an institution loaded before they were data; a value
    # already set (edited in the admin) is kept.
    unset = [key for key, value in signing.items() if value and not getattr(institution, key)]
    if unset:
        for key in unset:
            setattr(institution, key, signing[key])
        institution.save(update_fields=unset)
        changed += 1
    root, created = Unit.objects.get_or_create(
        institution=institution,
        symbol=ROOT_SYMBOL,
        defaults={
            "name": f"{director_title} i kierownictwo",
            "kind": UnitKind.MANAGEMENT,
            "paragraph": "§5",
            "order": 0,
            "head_title": director_title,
        },
    )
    changed += created
    by_symbol = {ROOT_SYMBOL: root}
    for order, row in enumerate(data["units"], start=1):
        kind = row["kind"] if row["kind"] in UnitKind.values else UnitKind.OTHER
        wanted = {
            "name": row["name"],
            "kind": kind,
            "paragraph": row.get("paragraph") or "",
            "head_title": row.get("head_title") or "",
            "tasks": "\n".join(row.get("tasks") or []),
            "order": order,
            "default_supervisor": row.get("supervised_by") or "",
        }
        unit = Unit.objects.filter(institution=institution, symbol=row["symbol"]).first()
        if unit is None:
            unit = Unit(institution=institution, symbol=row["symbol"], **wanted)
            unit.parent = by_symbol.get(row.get("parent") or ROOT_SYMBOL, root)
            unit.save()
            changed += 1
        else:
            dirty = [field for field, value in wanted.items() if getattr(unit, field) != value]
            parent = by_symbol.get(row.get("parent") or ROOT_SYMBOL, root)
            if unit.parent_id != parent.pk:
                unit.parent = parent
                dirty.append("parent")
            if dirty:
                for field, value in wanted.items():
                    setattr(unit, field, value)
                unit.save()
                changed += 1
        by_symbol[row["symbol"]] = unit
    changed += registers_load(institution, code)  # R1: the registers the regulations name
    return institution, changed


class Command(BaseCommand):
    help = "Wczytuje strukturę organizacyjną ośrodka (bialystok lub krasnik) z dokumentów źródłowych."

    def add_arguments(self, parser):
        parser.add_argument("code", choices=["bialystok", "krasnik"])

    def handle(self, *args, code, **options):
        with transaction.atomic():
            institution, changed = load(code)
            supervisions = supervision_apply_defaults(institution)
        recompute_unit_groups(institution)
        self.stdout.write(
            f"{institution.short_name}: {institution.units.count()} komórek, "
            f"zmienionych {changed}, nowych nadzorów {supervisions}."
        )
