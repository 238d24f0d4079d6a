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
from .models import (
    FORMAL_CRITERIA,
    MERIT_CRITERIA,
    REQUIRED_ATTACHMENTS,
    Competition,
    CooperationProgramme,
    Offeror,
)

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
    # Dates relative to today: announced 30 days ago, so the offer deadline (21 days) has passed and
    # the decision (30 days after it) and the committee's declarations are still ahead, never overdue.
    today = timezone.localdate()
    published = today - timedelta(days=30)
    year = today.year + 1
    if Competition.objects.filter(title=TITLE, year=year).exists():
        seed_programme(institution, people)
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
    seed_programme(institution, people)


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


# --- G13: the NGO database and the cooperation programme -----------------------------------------------------------

# The areas of activity of the demo offerors (art. 4 UDPP), by NIP.
AREAS = {
    "5420000015": ["family_foster_care", "social_assistance"],
    "9660000011": ["family_foster_care", "volunteering"],
}

MORE_OFFERORS = [
    (
        dict(
            name="Stowarzyszenie Pomocy Seniorom „Złota Jesień”",
            legal_form="association",
            krs="0000287654",
            street="ul. Mickiewicza 21",
            postal_code="15-213",
            city="Białystok",
            email="biuro@zlotajesien.example",
            phone="85 744 12 30",
            representatives="Halina Dobrowolska – prezes\nStanisław Kruk – skarbnik",
        ),
        ["seniors", "social_assistance", "health"],
    ),
    (
        dict(
            name="Fundacja „Bezpieczny Dom”",
            legal_form="foundation",
            krs="0000512398",
            street="ul. Warszawska 44",
            postal_code="15-077",
            city="Białystok",
            email="kontakt@bezpiecznydom.example",
            representatives="Marta Leszczyńska – prezes zarządu",
        ),
        ["family_child_rights", "addictions", "social_assistance"],
    ),
    (
        dict(
            name="Stowarzyszenie na rzecz Osób z Niepełnosprawnością „Razem”",
            legal_form="association",
            krs="0000198231",
            street="ul. Świętojańska 3",
            postal_code="15-082",
            city="Białystok",
            email="razem@razem.example",
            representatives="Piotr Sokołowski – prezes",
        ),
        ["disability", "social_integration"],
    ),
]

PREVIOUS_TITLE = "Prowadzenie mieszkań treningowych dla usamodzielniających się wychowanków pieczy zastępczej"


def _nip(seed: int) -> str:
    """A valid demo NIP (checksum as localflavor computes it) derived from ``seed``."""
    weights = (6, 5, 7, 2, 3, 4, 5, 6, 7)
    n = seed
    while True:
        digits = f"{(542100000 + n) % 1000000000:09d}"
        check = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
        if check != 10:
            return digits + str(check)
        n += 7919


def _seed_offerors(clerk) -> list[Offeror]:
    for nip, areas in AREAS.items():
        offeror = Offeror.objects.filter(nip=nip).first()
        if offeror and not offeror.areas.exists():
            services.offeror_save(offeror, acting_user=clerk, areas=areas)
    created = []
    for index, (fields, areas) in enumerate(MORE_OFFERORS, start=1):
        offeror = Offeror.objects.filter(krs=fields["krs"]).first() or services.offeror_save(
            Offeror(**fields, nip=_nip(index)), acting_user=clerk, areas=areas
        )
        created.append(offeror)
    return created


def _seed_decided(unit, clerk, people, year: int, offerors: list[Offeror]):
    """A competition for ``year`` decided at the end of the year before: the source of the previous year's
    programme report (two offers, one chosen with a reduced grant, one below the threshold)."""
    competition = Competition.objects.filter(title=PREVIOUS_TITLE, year=year).first()
    if competition:
        return competition
    published = date(year - 1, 11, 14)
    competition = services.competition_create(
        acting_user=clerk,
        unit=unit,
        title=PREVIOUS_TITLE,
        number=f"3/{year}",
        scope="wspieranie rodziny i systemu pieczy zastępczej",
        description="Prowadzenie dwóch mieszkań treningowych z wsparciem trenera usamodzielnienia.",
        addressees="pełnoletni wychowankowie rodzinnej i instytucjonalnej pieczy zastępczej",
        place="Miasto Białystok",
        funds=Decimal("60000.00"),
        year=year,
        task_start=date(year, 1, 1),
        task_end=date(year, 12, 31),
        spending_start=date(year, 1, 1),
        spending_end=date(year, 12, 31),
        director_order_number=f"61/{year - 1}",
        director_order_date=published,
    )
    services.competition_publish(competition, acting_user=clerk, published_on=published)
    offers = []
    for minute, offeror in enumerate(offerors):
        grant, financial, hours, rate = Decimal("60000.00"), Decimal("4000.00"), Decimal("100"), Decimal("20.00")
        offers.append(
            services.offer_register(
                competition,
                acting_user=clerk,
                offeror=offeror,
                received_at=timezone.make_aware(datetime.combine(published + timedelta(days=10), time(10, minute))),
                checksum=f"{offeror.pk:04d}-B2C1-{minute}",
                task_title=PREVIOUS_TITLE,
                requested_grant=grant,
                own_financial=financial,
                volunteer_hours=hours,
                volunteer_rate=rate,
                lines=_lines(grant, grant + financial + hours * rate),
                attachments={key: True for key, _label in REQUIRED_ATTACHMENTS},
                recipients_count=12,
            )
        )
    member = _user("komisja_um", "Tomasz", "Urzędniczy")
    services.committee_appoint(
        competition,
        acting_user=clerk,
        order_number=f"63/{year - 1}",
        order_date=published + timedelta(days=15),
        chair=people["dnk_kierownik"],
        deputy_chair=people["zastepca2"],
        members=[member],
    )
    for committee_member in competition.committee.members.select_related("user"):
        services.conflict_declare(committee_member, acting_user=committee_member.user, no_conflict=True)
    services.competition_start_evaluation(competition, acting_user=clerk)
    full = {key: maximum for _section, key, _label, maximum in MERIT_CRITERIA}
    for offer, missing in zip(offers, (8, 35), strict=False):
        services.offer_formal_evaluate(
            offer, acting_user=people["dnk_kierownik"], answers={key: True for key, _l in FORMAL_CRITERIA}
        )
        points = dict(full)
        for key in list(points)[:missing]:
            points[key] = max(0, points[key] - 3)
        for user in (people["dnk_kierownik"], people["zastepca2"], member):
            services.merit_card_submit(offer, acting_user=user, points=points)
    services.results_compute(competition, acting_user=clerk)
    services.director_opinion(
        competition, acting_user=people["dyrektor"], opinion="Opiniuję pozytywnie wybór oferty najwyżej ocenionej."
    )
    services.president_decision(
        competition,
        acting_user=clerk,
        order_number=f"{year - 1}/1287",
        order_date=date(year - 1, 12, 18),
        granted={offers[0].pk: Decimal("55000.00")},
    )
    # G9: the chosen offeror answered the reduced grant with an updated offer (a little more of its own money,
    # so the grant stays within 90%), so no withdrawal period of last year stays open on the dashboard
    chosen = offers[0]
    chosen.refresh_from_db()
    if chosen.updated_on is None:
        grant, own = Decimal("55000.00"), Decimal("4200.00")
        services.offer_update(
            chosen,
            acting_user=clerk,
            requested_grant=grant,
            own_financial=own,
            volunteer_hours=chosen.volunteer_hours,
            volunteer_rate=chosen.volunteer_rate,
            volunteer_qualified=chosen.volunteer_qualified,
            lines=_lines(grant, grant + own + chosen.volunteer_hours * chosen.volunteer_rate),
        )
    return competition


def _seed_programmes(institution, clerk, people, offerors):
    today = timezone.localdate()
    demo_year = today.year + 1
    previous = today.year - 1
    # the previous year: adopted, its report submitted and published in BIP
    if not CooperationProgramme.objects.filter(institution=institution, year=previous).exists():
        unit = Unit.objects.get(institution=institution, symbol="DNK")
        decided = _seed_decided(unit, clerk, people, previous, offerors[:2])
        programme = services.programme_create(
            acting_user=clerk,
            institution=institution,
            year=previous,
            priorities="Wspieranie rodziny i rodzinnej pieczy zastępczej; usamodzielnianie wychowanków pieczy; "
            "aktywność osób starszych.",
        )
        services.programme_task_save(
            programme,
            acting_user=clerk,
            name="Usamodzielnianie wychowanków pieczy zastępczej",
            priority="Rodzina i piecza zastępcza",
            area="family_foster_care",
            planned_amount=Decimal("60000.00"),
            competitions=[decided],
        )
        services.programme_task_save(
            programme,
            acting_user=clerk,
            name="Aktywizacja i integracja osób starszych",
            priority="Seniorzy",
            area="seniors",
            planned_amount=Decimal("20000.00"),
        )
        services.programme_adopt(
            programme, acting_user=clerk, resolution_number="XIX/245/24", resolution_date=date(previous - 1, 11, 25)
        )
        submitted = min(date(previous + 1, 5, 26), today)
        services.programme_report_submit(programme, acting_user=clerk, submitted_on=submitted)
        services.programme_report_publish(
            programme, acting_user=clerk, published_on=min(submitted + timedelta(days=4), today)
        )
    # this year: adopted, the report due next May
    if not CooperationProgramme.objects.filter(institution=institution, year=today.year).exists():
        programme = services.programme_create(
            acting_user=clerk,
            institution=institution,
            year=today.year,
            priorities="Wspieranie rodziny; przeciwdziałanie przemocy domowej; seniorzy.",
        )
        services.programme_task_save(
            programme,
            acting_user=clerk,
            name="Wsparcie rodzin zastępczych – grupy wsparcia i superwizje",
            priority="Rodzina i piecza zastępcza",
            area="family_foster_care",
            planned_amount=Decimal("40000.00"),
        )
        services.programme_adopt(
            programme,
            acting_user=clerk,
            resolution_number="XXXI/402/25",
            resolution_date=min(date(today.year - 1, 11, 24), today),
        )
    # the demo year: a draft whose tasks match the demo competitions
    if not CooperationProgramme.objects.filter(institution=institution, year=demo_year).exists():
        programme = services.programme_create(
            acting_user=clerk,
            institution=institution,
            year=demo_year,
            priorities="Rodzinna piecza zastępcza: ośrodek konsultacyjno-szkoleniowy, grupy wsparcia i superwizje; "
            "seniorzy.",
        )
        services.programme_task_save(
            programme,
            acting_user=clerk,
            name="Wspieranie rodzinnej pieczy zastępczej",
            priority="Rodzina i piecza zastępcza",
            area="family_foster_care",
            planned_amount=Decimal("103000.00"),
            competitions=Competition.objects.filter(title__in=[TITLE, OPEN_TITLE], year=demo_year),
        )
        services.programme_task_save(
            programme,
            acting_user=clerk,
            name="Kluby seniora i wolontariat osób starszych",
            priority="Seniorzy",
            area="seniors",
            planned_amount=Decimal("25000.00"),
        )


def seed_programme(institution, people):
    """G13: offerors with KRS and areas, the programmes of the previous, this and the demo year."""
    clerk = people["dnk_pracownik"]
    offerors = _seed_offerors(clerk)
    _seed_programmes(institution, clerk, people, offerors)
