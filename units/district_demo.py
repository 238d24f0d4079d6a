"""Demo data of the care districts (R3): the sample TERYT ULIC streets of Białystok, three districts of ZPS Nr 1
with their social workers appointed by internal orders, Lipowa split into its odd and even sides, Warszawska by
house numbers, and Mickiewicza moved from district 1 to district 2 on 1 July 2026 (the earlier district still
shown for any day before). Used by ``seed_demo`` and by the tests; a second run changes nothing."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model

from . import district_services as services
from .models import CareDistrict, Membership, Parity, Position, Street, Unit

SAMPLE = Path(__file__).resolve().parent / "data" / "teryt_ulic_sample.csv"
BIALYSTOK_SYM = "0922410"  # from memory; see units/management/commands/import_teryt_ulic.py
START = date(2026, 1, 2)
ORDER_1 = ("ZW.021.1.2026", date(2025, 12, 30))
ORDER_2 = ("ZW.021.14.2026", date(2026, 6, 25))
MOVE_ON = date(2026, 7, 1)

# Two more social workers of the demo (listed with the other demo logins in seed_demo.ROLES).
WORKERS = [
    ("ps_grabowski", "Tomasz", "Grabowski", "ZPS Nr 1"),
    ("ps_pawlowska", "Monika", "Pawłowska", "ZPS Nr 1"),
]


def import_sample(institution, acting_user=None):
    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    return services.streets_import(institution=institution, rows=rows, sym=BIALYSTOK_SYM, acting_user=acting_user)


def _worker(institution, login, first, last, symbol):
    user, created = get_user_model().objects.get_or_create(
        username=login, defaults={"first_name": first, "last_name": last, "email": f"{login}@mopr.demo"}
    )
    if created:
        from mopr.management.commands.seed_demo import DEMO_PASSWORD  # noqa: PLC0415 - seed_demo imports units

        user.set_password(DEMO_PASSWORD)
        user.save()
    unit = Unit.objects.get(institution=institution, symbol=symbol)
    if not Membership.objects.filter(user=user, unit=unit).exists():
        Membership.objects.create(
            user=user, unit=unit, position=Position.EMPLOYEE, title="pracownik socjalny", valid_from=date(2020, 1, 1)
        )
    return user


def seed(institution, people, acting_user=None) -> dict:
    """The demo districts; returns {"districts": [...], "streets": {name_1: Street}}."""
    acting_user = acting_user or people.get("dyrektor")
    import_sample(institution, acting_user=acting_user)
    streets = {street.name_1: street for street in Street.objects.filter(institution=institution)}
    existing = list(CareDistrict.objects.filter(institution=institution).order_by("number"))
    if existing:
        return {"districts": existing, "streets": streets}
    zps = Unit.objects.filter(institution=institution, symbol="ZPS Nr 1").first()
    names = ["Centrum", "Bojary", "Piaski"]
    districts = [
        services.district_create(institution=institution, number=n, name=name, unit=zps, acting_user=acting_user)
        for n, name in enumerate(names, start=1)
    ]
    first, second, third = districts
    workers = [people.get("pracownik_socjalny")] + [_worker(institution, *row) for row in WORKERS]
    number, dated = ORDER_1
    for district, worker in zip(districts, workers, strict=True):
        if worker is not None:
            services.district_worker_assign(
                district=district,
                user=worker,
                valid_from=START,
                order_number=number,
                order_date=dated,
                acting_user=acting_user,
            )
    plan = [
        ("Lipowa", first, Parity.ODD, None, None),
        ("Lipowa", second, Parity.EVEN, None, None),
        ("Sienkiewicza", first, Parity.ALL, None, None),
        ("Mickiewicza", first, Parity.ALL, None, None),
        ("Skłodowskiej-Curie", first, Parity.ALL, None, None),
        ("Warszawska", first, Parity.ALL, 1, 49),
        ("Warszawska", third, Parity.ALL, 50, None),
        ("Jana Pawła II", second, Parity.ALL, None, None),
        ("Świętojańska", second, Parity.ALL, None, None),
        ("3 Maja", second, Parity.ALL, None, None),
        ("Wiejska", third, Parity.ALL, None, None),
        ("Zwierzyniecka", third, Parity.ALL, None, None),
        ("Mazowiecka", third, Parity.ALL, None, None),
        ("Piłsudskiego", first, Parity.ALL, None, None),
        ("Niepodległości", first, Parity.ALL, None, None),
    ]
    for name, district, parity, low, high in plan:
        services.street_assign(
            street=streets[name],
            district=district,
            parity=parity,
            number_from=low,
            number_to=high,
            valid_from=START,
            acting_user=acting_user,
            reason=f"zarządzenie wewnętrzne nr {ORDER_1[0]}",
        )
    services.street_assign(
        street=streets["Mickiewicza"],
        district=second,
        valid_from=MOVE_ON,
        acting_user=acting_user,
        reason=f"zarządzenie wewnętrzne nr {ORDER_2[0]}",
    )
    return {"districts": districts, "streets": streets}
