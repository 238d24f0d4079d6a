"""Demo data: the competition of seed 003 (Zarządzenie nr 55/2022), its committee and two offers.

Idempotent: nothing is created twice. Called by ``manage.py seed_demo``.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from units.models import Unit

from . import demo_after, services
from .budget import LineData
from .models import REQUIRED_ATTACHMENTS, Competition, Offeror

TITLE = "Wsparcie rodzinnej pieczy zastępczej poprzez prowadzenie ośrodka konsultacyjno-szkoleniowego"
DEMO_PASSWORD = "Demo-MOPR-2026!"

OFFERORS = [
    dict(
        name="Fundacja „Rodzina z Wyboru”",
        legal_form="foundation",
        krs="0000123456",
        nip="5420000015",
        regon="200000005",
        street="ul. Lipowa 10",
        postal_code="15-424",
        city="Białystok",
        email="fundacja@rodzinazwyboru.example",
        representatives="Anna Mentor – prezes zarządu\nJan Superwizor – członek zarządu",
    ),
    dict(
        name="Stowarzyszenie Pomocy Rodzinom Zastępczym",
        legal_form="association",
        krs="0000654321",
        nip="9660000011",
        regon="050000001",
        street="ul. Sienkiewicza 5",
        postal_code="15-092",
        city="Białystok",
        email="biuro@sprz.example",
        representatives="Ewa Opiekun – prezes",
    ),
]


def _lines(grant: Decimal, total: Decimal) -> list[LineData]:
    admin = (grant * Decimal("0.10")).quantize(Decimal("0.01"))
    personnel = Decimal("38000.00")
    return [
        LineData(
            category="personnel",
            name="Mentorzy i konsultanci specjalistyczni",
            amount=personnel,
            from_grant=personnel,
            persons=3,
            hours=Decimal("1520"),
            hourly_rate=Decimal("25.00"),
            employment_form="mandate",
        ),
        LineData(category="administrative", name="Koordynacja i obsługa księgowa", amount=admin, from_grant=admin),
        LineData(
            category="other",
            name="Szkolenia, superwizje, spotkania integracyjne",
            amount=total - personnel - admin,
            from_grant=grant - personnel - admin,
        ),
    ]


def _user(username, first, last):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last, "email": f"{username}@mopr.demo"}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


OPEN_TITLE = "Prowadzenie grup wsparcia i superwizji dla rodzin zastępczych"


def seed(institution, people):
    unit = Unit.objects.get(institution=institution, symbol="DNK")
    clerk = people["dnk_pracownik"]
    _seed_open(unit, clerk)
    demo_after.seed(unit, people, _user)  # G11/G12: a contract settled to its return; a small grant in publication
    # Dates relative to today (issue 15): announced 30 days ago, so the offer deadline (21 days) has passed and
    # the decision (30 days after it) and the committee's declarations are still ahead, never overdue.
    today = timezone.localdate()
    published = today - timedelta(days=30)
    year = today.year + 1
    if Competition.objects.filter(title=TITLE, year=year).exists():
        return
    competition = services.competition_create(
        acting_user=clerk,
        unit=unit,
        title=TITLE,
        number=f"1/{year}",
        scope="wspieranie rodziny i systemu pieczy zastępczej",
        description=(
            "Udzielenie wsparcia rodzinom zastępczym oraz prowadzącym rodzinny dom dziecka w zapewnieniu "
            "dziecku opieki i wychowania oraz przygotowanie do samodzielności wychowanków rodzinnej "
            "pieczy zastępczej: mentoring, grupy wsparcia, superwizje indywidualne, konsultacje "
            "specjalistyczne, szkolenia, spotkania integracyjne, zajęcia wspomagające."
        ),
        addressees=(
            "osoby pełniące funkcje rodzin zastępczych zawodowych, niezawodowych i spokrewnionych oraz "
            "prowadzące rodzinny dom dziecka; wychowankowie rodzinnej pieczy zastępczej"
        ),
        place="Miasto Białystok",
        funds=Decimal("63000.00"),
        year=year,
        task_start=date(year, 1, 1),
        task_end=date(year, 12, 31),
        spending_start=date(year, 1, 1),
        spending_end=date(year, 12, 31),
        director_order_number=f"55/{published.year}",
        director_order_date=published,
        prior_year_1=year - 2,
        prior_amount_1=Decimal("70000.00"),
        prior_year_2=year - 1,
        prior_amount_2=Decimal("63000.00"),
    )
    services.competition_publish(competition, acting_user=clerk, published_on=published)
    offers_data = [
        (
            OFFERORS[0],
            Decimal("63000.00"),
            Decimal("5000.00"),
            Decimal("100"),
            Decimal("20.00"),
            datetime.combine(published + timedelta(days=5), time(11, 20)),
        ),
        (
            OFFERORS[1],
            Decimal("60000.00"),
            Decimal("6000.00"),
            Decimal("200"),
            Decimal("25.00"),
            datetime.combine(published + timedelta(days=7), time(14, 55)),
        ),
    ]
    for fields, grant, financial, hours, rate, received in offers_data:
        offeror = Offeror.objects.filter(nip=fields["nip"]).first() or services.offeror_save(
            Offeror(**fields), acting_user=clerk
        )
        total = grant + financial + hours * rate
        services.offer_register(
            competition,
            acting_user=clerk,
            offeror=offeror,
            received_at=timezone.make_aware(received),
            checksum=f"{offeror.pk:04d}-A7F3-9C21",
            task_title=TITLE,
            requested_grant=grant,
            own_financial=financial,
            volunteer_hours=hours,
            volunteer_rate=rate,
            lines=_lines(grant, total),
            attachments={key: True for key, _label in REQUIRED_ATTACHMENTS},
            recipients_count=120,
        )
    member_1 = _user("komisja_um", "Tomasz", "Urzędniczy")
    member_2 = _user("komisja_ngo", "Halina", "Społeczna")
    services.committee_appoint(
        competition,
        acting_user=clerk,
        order_number=f"58/{today.year}",
        order_date=today,
        chair=people["dnk_kierownik"],
        deputy_chair=people["zastepca2"],
        members=[member_1, member_2],
    )
    services.competition_start_evaluation(competition, acting_user=clerk)


def _seed_open(unit, clerk):
    """A competition announced a few days ago, so the public page has an open call for offers."""
    if Competition.objects.filter(title=OPEN_TITLE).exists():
        return
    today = timezone.localdate()
    year = today.year + 1
    competition = services.competition_create(
        acting_user=clerk,
        unit=unit,
        title=OPEN_TITLE,
        number=f"2/{year}",
        scope="wspieranie rodziny i systemu pieczy zastępczej",
        description="Grupy wsparcia i superwizje indywidualne dla rodzin zastępczych i prowadzących rodzinne "
        "domy dziecka.",
        addressees="rodziny zastępcze i prowadzący rodzinne domy dziecka",
        place="Miasto Białystok",
        funds=Decimal("40000.00"),
        year=year,
        task_start=date(year, 1, 1),
        task_end=date(year, 12, 31),
        spending_start=date(year, 1, 1),
        spending_end=date(year, 12, 31),
        director_order_number=f"70/{today.year}",
        director_order_date=today,
        prior_year_1=today.year - 1,
        prior_amount_1=Decimal("38000.00"),
        prior_year_2=today.year,
        prior_amount_2=Decimal("40000.00"),
    )
    services.competition_publish(competition, acting_user=clerk, published_on=today)
