"""Demo data of the register engine (R1), through its services: a few entries in each of MOPR Białystok's
registers, with realistic dates of the current year (``seed_demo`` only)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from .models import Membership, RegisterEntry
from .registers import register_entry_create, register_for
from .registers_procedures import public_info_answer, public_info_extend


def _day(month: int, day: int) -> date:
    """A day of the current year, never in the future (the demo runs on any date)."""
    today = timezone.localdate()
    wanted = date(today.year, month, day)
    return min(wanted, today)


def seed(institution, people) -> None:
    if RegisterEntry.objects.filter(register__institution=institution).exists():
        return
    today = timezone.localdate()
    dka, zgk, dnk, iod = people["dka_kierownik"], people["zgk"], people["dnk_pracownik"], people["iod"]

    orders = register_for(institution, "orders")
    first = register_entry_create(
        orders,
        values={
            "issued_on": _day(1, 5),
            "title": "w sprawie wprowadzenia Regulaminu pracy Miejskiego Ośrodka Pomocy Rodzinie w Białymstoku",
            "in_force_from": _day(1, 7),
            "signed_by": people["dyrektor"],
        },
        acting_user=dka,
    )
    register_entry_create(
        orders,
        values={
            "issued_on": _day(2, 16),
            "title": "w sprawie zmiany Regulaminu pracy",
            "in_force_from": _day(2, 17),
            "amends": [first.pk],
            "signed_by": people["dyrektor"],
        },
        acting_user=dka,
    )
    register_entry_create(
        orders,
        values={
            "issued_on": _day(3, 2),
            "title": "w sprawie powołania komisji konkursowej do opiniowania ofert",
            "in_force_from": _day(3, 2),
            "signed_by": people["dyrektor"],
        },
        acting_user=dka,
    )

    contracts = register_for(institution, "contracts")
    register_entry_create(
        contracts,
        values={
            "kind": "grant",
            "party": "Stowarzyszenie na Rzecz Rodzin Zastępczych „Przystań”",
            "subject": "Wsparcie rodzinnej pieczy zastępczej poprzez prowadzenie ośrodka konsultacyjno-szkoleniowego",
            "amount": Decimal("63000.00"),
            "concluded_on": _day(3, 20),
            "valid_from": _day(4, 1),
            "valid_to": date(today.year, 12, 31),
            "countersigned_by": people["ksiegowa"],
        },
        acting_user=zgk,
    )
    register_entry_create(
        contracts,
        values={
            "kind": "contract",
            "party": "Papiernik Sp. z o.o., ul. Handlowa 6, 15-399 Białystok",
            "subject": "dostawa materiałów biurowych",
            "amount": Decimal("18450.00"),
            "concluded_on": _day(1, 28),
            "valid_from": _day(2, 1),
            "valid_to": date(today.year, 12, 31),
            "countersigned_by": zgk,
        },
        acting_user=zgk,
    )

    inspections = register_for(institution, "inspections")
    register_entry_create(
        inspections,
        values={
            "kind": "external",
            "body": "Regionalna Izba Obrachunkowa w Białymstoku",
            "started_on": _day(2, 9),
            "ended_on": _day(3, 13),
            "scope": "gospodarka finansowa Ośrodka w roku poprzednim",
            "findings": "nieterminowe księgowanie dowodów w dwóch przypadkach",
            "recommendations": "zapewnić księgowanie dowodów w okresie sprawozdawczym, którego dotyczą",
            "recommendations_due": today + timedelta(days=20),
        },
        acting_user=dnk,
    )
    register_entry_create(
        inspections,
        values={
            "kind": "internal",
            "body": "Dział Nadzoru i Kontroli",
            "started_on": _day(4, 14),
            "scope": "terminowość wydawania decyzji w sprawach świadczeń rodzinnych",
        },
        acting_user=dnk,
    )

    public_info = register_for(institution, "public_info")
    answered = register_entry_create(
        public_info,
        values={
            "received_on": today - timedelta(days=20),
            "requester": "Fundacja Watchdog Polska",
            "channel": "email",
            "subject": "liczba decyzji o przyznaniu zasiłku celowego w poprzednim roku",
        },
        acting_user=iod,
    )
    public_info_answer(answered, answered_on=today - timedelta(days=12), how="e-mail", acting_user=iod)
    extended = register_entry_create(
        public_info,
        values={
            "received_on": today - timedelta(days=5),
            "requester": "Jan Nowicki",
            "channel": "letter",
            "subject": "kopie umów dotacyjnych z lat 2023-2025",
        },
        acting_user=iod,
    )
    public_info_extend(
        extended,
        extended_to=today + timedelta(days=30),
        reason="wniosek obejmuje dokumenty kilku działów i wymaga anonimizacji",
        notice_on=today - timedelta(days=2),
        acting_user=iod,
    )
    register_entry_create(
        public_info,
        values={
            "received_on": today - timedelta(days=2),
            "requester": "Redakcja „Kuriera Porannego”",
            "channel": "email",
            "subject": "wydatki na usługi opiekuńcze w bieżącym roku",
        },
        acting_user=iod,
    )

    processing = register_for(institution, "processing")
    activity = register_entry_create(
        processing,
        values={
            "name": "Rozpatrywanie skarg i wniosków",
            "unit": people["dnk_kierownik"].memberships.first().unit_id,
            "purposes": "rozpatrzenie skargi lub wniosku i udzielenie odpowiedzi (KPA dział VIII)",
            "legal_basis": "art. 6 ust. 1 lit. c RODO",
            "data_subjects": "skarżący, wnioskodawcy, osoby wskazane w skardze",
            "data_categories": "imię, nazwisko, adres, treść skargi",
            "retention": "10 lat (kategoria archiwalna B10)",
            "registered_on": _day(1, 2),
        },
        acting_user=iod,
    )
    authorisations = register_for(institution, "data_authorisations")
    membership = Membership.objects.filter(user=dnk).order_by("pk").first()
    if membership is not None:
        register_entry_create(
            authorisations,
            values={
                "membership": membership.pk,
                "scope": "dane osobowe w rejestrze skarg i wniosków",
                "processing": [activity.pk],
                "granted_on": _day(1, 2),
                "granted_by": people["dyrektor"],
            },
            acting_user=iod,
        )

    consultations = register_for(institution, "consultations")
    register_entry_create(
        consultations,
        values={
            "subject": "projekt Programu współpracy MOPR z organizacjami pozarządowymi na rok następny",
            "kind": "act",
            "initiating_unit": people["dnk_kierownik"].memberships.first().unit_id,
            "form": "written",
            "starts_on": _day(9, 1),
            "ends_on": _day(9, 15),
            "comments": "3 uwagi (Bank Żywności, Caritas, Stowarzyszenie „Przystań”)",
        },
        acting_user=dnk,
    )
