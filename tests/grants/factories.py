"""Helpers for grant tests: the seed 003 competition, valid offerors, a budget at the G4 boundaries."""

import itertools
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from grants import services
from grants.budget import LineData
from grants.models import FORMAL_CRITERIA, MERIT_CRITERIA, REQUIRED_ATTACHMENTS, CommitteeMember, Offeror

_counter = itertools.count(1)


def nip_for(seed: int) -> str:
    """A valid NIP (checksum per localflavor's algorithm) derived from ``seed``."""
    weights = (6, 5, 7, 2, 3, 4, 5, 6, 7)
    n = seed
    while True:
        digits = f"{(521000000 + n) % 1000000000:09d}"
        check = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
        if check != 10:
            return digits + str(check)
        n += 7919


def regon_for(seed: int) -> str:
    weights = (8, 9, 2, 3, 4, 5, 6, 7)
    digits = f"{(20000000 + seed) % 100000000:08d}"
    check = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    return digits + str(0 if check == 10 else check)


def make_offeror(name=None, **extra) -> Offeror:
    n = next(_counter)
    fields = dict(
        name=name or f"Fundacja Testowa {n}",
        legal_form=Offeror.LegalForm.FOUNDATION,
        krs=f"{n:010d}",
        nip=nip_for(n),
        regon=regon_for(n),
        street="ul. Lipowa 1",
        postal_code="15-001",
        city="Białystok",
        email=f"oferent{n}@example.org",
        representatives="Anna Prezes – prezes zarządu",
    )
    fields.update(extra)
    offeror = Offeror(**fields)
    offeror.full_clean()
    offeror.save()
    return offeror


SEED_TITLE = "Wsparcie rodzinnej pieczy zastępczej poprzez prowadzenie ośrodka konsultacyjno-szkoleniowego"


def competition_fields(**overrides) -> dict:
    fields = dict(
        title=SEED_TITLE,
        number="1/2023",
        scope="wspieranie rodziny i systemu pieczy zastępczej",
        description="Udzielenie wsparcia rodzinom zastępczym oraz prowadzącym rodzinny dom dziecka.",
        addressees="Rodziny zastępcze; wychowankowie rodzinnej pieczy zastępczej.",
        place="Miasto Białystok",
        funds=Decimal("63000.00"),
        year=2023,
        task_start=date(2023, 1, 1),
        task_end=date(2023, 12, 31),
        spending_start=date(2023, 1, 1),
        spending_end=date(2023, 12, 31),
        director_order_number="55/2022",
        director_order_date=date(2022, 11, 16),
        prior_year_1=2021,
        prior_amount_1=Decimal("70000.00"),
        prior_year_2=2022,
        prior_amount_2=Decimal("63000.00"),
    )
    fields.update(overrides)
    return fields


def make_competition(chart, user=None, **overrides):
    return services.competition_create(
        acting_user=user or chart.dnk_pracownik, unit=chart.unit("DNK"), **competition_fields(**overrides)
    )


def published_competition(chart, published_on=date(2022, 11, 16), **overrides):
    competition = make_competition(chart, **overrides)
    services.competition_publish(competition, acting_user=chart.dnk_pracownik, published_on=published_on)
    competition.refresh_from_db()
    return competition


def good_lines(grant=Decimal("63000.00"), total=Decimal("70000.00")):
    """Personnel 40 000 (all from the grant), administrative exactly 15% of the grant, the rest other."""
    admin = (grant * Decimal("0.15")).quantize(Decimal("0.01"))
    personnel = Decimal("40000.00")
    other_grant = grant - admin - personnel
    return [
        LineData(
            category="personnel",
            name="Mentorzy i konsultanci",
            amount=personnel,
            from_grant=personnel,
            persons=2,
            hours=Decimal("800"),
            hourly_rate=Decimal("25.00"),
            employment_form="mandate",
        ),
        LineData(category="administrative", name="Koordynacja i księgowość", amount=admin, from_grant=admin),
        LineData(
            category="other", name="Materiały i wynajem sal", amount=total - personnel - admin, from_grant=other_grant
        ),
    ]


def offer_kwargs(**overrides) -> dict:
    """63 000 grant, 5 000 financial + 100 h x 20 zł personal = 7 000 own: exactly 90% / 10%."""
    kwargs = dict(
        checksum="A1B2C3D4",
        task_title=SEED_TITLE,
        requested_grant=Decimal("63000.00"),
        own_financial=Decimal("5000.00"),
        volunteer_hours=Decimal("100"),
        volunteer_rate=Decimal("20.00"),
        lines=good_lines(),
        attachments={key: True for key, _l in REQUIRED_ATTACHMENTS},
    )
    kwargs.update(overrides)
    return kwargs


def register(chart, competition, offeror=None, received_at=None, **overrides):
    received_at = received_at or timezone.make_aware(datetime(2022, 12, 1, 10, 0))
    return services.offer_register(
        competition,
        acting_user=chart.dnk_pracownik,
        offeror=offeror or make_offeror(),
        received_at=received_at,
        **offer_kwargs(**overrides),
    )


def all_yes():
    return {key: True for key, _label in FORMAL_CRITERIA}


def points(**overrides):
    """Full marks by default; overrides by criterion key."""
    result = {key: maximum for _s, key, _l, maximum in MERIT_CRITERIA}
    result.update(overrides)
    return result


def appoint(chart, competition, chair=None, deputy=None, members=None):
    return services.committee_appoint(
        competition,
        acting_user=chart.dnk_pracownik,
        order_number="60/2022",
        order_date=date(2022, 12, 5),
        chair=chair or chart.dnk_kierownik,
        deputy_chair=deputy or chart.sok_pracownik,
        members=members or [chart.pracownik_socjalny],
    )


def declare_all(competition):
    for member in CommitteeMember.objects.filter(committee__competition=competition).select_related("user"):
        services.conflict_declare(member, acting_user=member.user, no_conflict=True)


def sign_present(competition, kind, offer=None, users=None, acting_user=None, held_on=date(2022, 12, 20)):
    """G6/G7: the members present (``users``; default: every member who declared no conflict) recorded for a
    card or the protocol, each one signing it; returns the signing."""
    members = [
        member
        for member in CommitteeMember.objects.filter(committee__competition=competition).select_related(
            "user", "declaration"
        )
        if member.may_evaluate and (users is None or member.user in users)
    ]
    signing = services.committee_presence_record(
        competition,
        acting_user=acting_user or members[0].user,
        kind=kind,
        offer=offer,
        present=members,
        held_on=held_on,
    )
    for member in members:
        services.committee_sign(signing, acting_user=member.user)
    signing.refresh_from_db()
    return signing
