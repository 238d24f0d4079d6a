"""Demo data after the results (G11) and of small grants (G12): last season's competition run to the end – the
contract signed with the Chief Accountant's countersignature, two tranches, the partial report accepted, the final
report accepted, an unused remainder returned – and a small-grant offer (art. 19a) in its publication for comments.

Idempotent: nothing is created twice. Called from ``grants.demo.seed``."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from units.models import ApprovalFlow
from units.services import approval_approve

from . import services
from .budget import LineData
from .models import (
    REQUIRED_ATTACHMENTS,
    CommitteeMember,
    Competition,
    GrantYearBudget,
    Offeror,
    SmallGrantOffer,
    SmallGrantPlace,
)

AFTER_TITLE = "Organizacja wypoczynku letniego dla wychowanków rodzinnej pieczy zastępczej"
SMALL_TITLE = "Warsztaty kulinarne „Samodzielny start” dla usamodzielnianych wychowanków"

OFFEROR = dict(
    name="Stowarzyszenie „Wspólna Przystań”",
    legal_form="association",
    krs="0000456789",
    nip="5423000010",
    regon="200450004",
    street="ul. Warszawska 44",
    postal_code="15-077",
    city="Białystok",
    email="biuro@wspolnaprzystan.example",
    representatives="Marta Kowalczyk – prezes zarządu\nPiotr Zieliński – skarbnik",
)
SMALL_OFFEROR = dict(
    name="Fundacja „Pierwsze Mieszkanie”",
    legal_form="foundation",
    krs="0000567890",
    nip="9662000015",
    regon="050220004",
    street="ul. Mickiewicza 12",
    postal_code="15-213",
    city="Białystok",
    email="kontakt@pierwszemieszkanie.example",
    representatives="Joanna Nowicka – prezes fundacji",
)


def _offeror(fields, clerk) -> Offeror:
    return Offeror.objects.filter(nip=fields["nip"]).first() or services.offeror_save(
        Offeror(**fields), acting_user=clerk
    )


def _lines(grant: Decimal, total: Decimal) -> list[LineData]:
    admin = (grant * Decimal("0.10")).quantize(Decimal("0.01"))
    personnel = Decimal("12000.00")
    return [
        LineData(
            category="personnel",
            name="Wychowawcy wypoczynku",
            amount=personnel,
            from_grant=personnel,
            persons=3,
            hours=Decimal("480"),
            hourly_rate=Decimal("25.00"),
            employment_form="mandate",
        ),
        LineData(category="administrative", name="Koordynacja i księgowość", amount=admin, from_grant=admin),
        LineData(
            category="other",
            name="Zakwaterowanie, wyżywienie, transport",
            amount=total - personnel - admin,
            from_grant=grant - personnel - admin,
        ),
    ]


def _approve_all(document_owner) -> None:
    from mopr.documents import documents_for  # noqa: PLC0415 - demo only

    flow = ApprovalFlow.objects.filter(document__in=documents_for(document_owner)).latest("pk")
    while (step := flow.current_step()) is not None:
        approval_approve(step, acting_user=step.assignee)
        flow.refresh_from_db()


def seed(unit, people, user_factory) -> None:
    clerk = people["dnk_pracownik"]
    today = timezone.localdate()
    GrantYearBudget.objects.get_or_create(
        institution=unit.institution, year=today.year, defaults={"planned_amount": Decimal("850000.00")}
    )
    with transaction.atomic():  # all or nothing: a half-seeded competition would be skipped on the next run
        _seed_competition(unit, people, user_factory, clerk, today)
    with transaction.atomic():
        _seed_small(unit, clerk, today)


def _seed_competition(unit, people, user_factory, clerk, today: date) -> None:
    if Competition.objects.filter(title=AFTER_TITLE).exists():
        return
    published = today - timedelta(days=200)
    task_start, task_end = today - timedelta(days=150), today - timedelta(days=10)
    competition = services.competition_create(
        acting_user=clerk,
        unit=unit,
        title=AFTER_TITLE,
        number=f"3/{task_start.year}",
        scope="wspieranie rodziny i systemu pieczy zastępczej",
        description="Dwutygodniowy wypoczynek letni z zajęciami integracyjnymi i opieką wychowawców.",
        addressees="wychowankowie rodzinnej pieczy zastępczej w wieku 7-17 lat",
        place="Miasto Białystok; ośrodek wypoczynkowy w Augustowie",
        funds=Decimal("27000.00"),
        year=task_start.year,
        task_start=task_start,
        task_end=task_end,
        spending_start=task_start,
        spending_end=task_end,
        director_order_number=f"31/{published.year}",
        director_order_date=published,
        prior_year_1=task_start.year - 2,
        prior_amount_1=Decimal("25000.00"),
        prior_year_2=task_start.year - 1,
        prior_amount_2=Decimal("26000.00"),
    )
    services.competition_publish(competition, acting_user=clerk, published_on=published)
    grant, financial, hours, rate = Decimal("27000.00"), Decimal("2000.00"), Decimal("50"), Decimal("20.00")
    total = grant + financial + hours * rate
    offer = services.offer_register(
        competition,
        acting_user=clerk,
        offeror=_offeror(OFFEROR, clerk),
        received_at=timezone.make_aware(datetime.combine(published + timedelta(days=9), time(10, 40))),
        checksum="7C1E-44B2-A0F9",
        task_title=AFTER_TITLE,
        requested_grant=grant,
        own_financial=financial,
        volunteer_hours=hours,
        volunteer_rate=rate,
        lines=_lines(grant, total),
        attachments={key: True for key, _label in REQUIRED_ATTACHMENTS},
        recipients_count=40,
    )
    services.committee_appoint(
        competition,
        acting_user=clerk,
        order_number=f"34/{published.year}",
        order_date=published + timedelta(days=20),
        chair=people["dnk_kierownik"],
        deputy_chair=people["zastepca2"],
        members=[user_factory("komisja_um", "Tomasz", "Urzędniczy")],
    )
    for member in CommitteeMember.objects.filter(committee__competition=competition).select_related("user"):
        services.conflict_declare(member, acting_user=member.user, no_conflict=True)
    services.competition_start_evaluation(competition, acting_user=clerk)
    services.offer_formal_evaluate(
        offer, acting_user=people["dnk_kierownik"], answers={key: True for key, _label in services_formal()}
    )
    for member in CommitteeMember.objects.filter(committee__competition=competition).select_related("user"):
        services.merit_card_submit(offer, acting_user=member.user, points=_points())
    services.results_compute(competition, acting_user=clerk)
    services.director_opinion(competition, acting_user=people["dyrektor"], opinion="Opinia pozytywna komisji.")
    services.president_decision(
        competition, acting_user=clerk, order_number=f"412/{published.year}", order_date=published + timedelta(days=40)
    )
    services.results_publish(competition, acting_user=clerk)
    offer.refresh_from_db()
    kwargs = services.contract_defaults(offer)
    kwargs.update(partial_report_due=task_start + timedelta(days=70), final_report_due=today + timedelta(days=20))
    contract = services.contract_draft(offer, acting_user=clerk, **kwargs)
    services.contract_send(contract, acting_user=clerk)
    _approve_all(contract)
    contract.refresh_from_db()
    services.payment_record(contract, acting_user=clerk, amount=Decimal("18000.00"), paid_on=today)
    services.payment_record(contract, acting_user=clerk, amount=Decimal("9000.00"), paid_on=today)
    lines = list(contract.lines.all())
    partial = contract.reports.get(kind="partial")
    _submit(partial, clerk, lines, Decimal("0.5"), task_start, partial.due, today)
    services.report_accept(partial, acting_user=clerk, accepted_on=today)
    final = contract.reports.get(kind="final")
    _submit(final, clerk, lines, Decimal("0.97"), task_start, task_end, today)
    services.report_accept(final, acting_user=clerk, accepted_on=today)
    figures = services.settlement_of(contract)
    unused = figures.paid - figures.accepted
    item = services.return_record(
        contract,
        acting_user=clerk,
        reason="unused",
        amount=unused,
        due=today + timedelta(days=15),
        note="Umowa nie przewiduje odsetek innych niż ustawowe od zwrotu po terminie.",
    )
    services.return_paid(item, acting_user=clerk, paid_on=today)


def services_formal():
    from .models import FORMAL_CRITERIA  # noqa: PLC0415

    return FORMAL_CRITERIA


def _points() -> dict:
    from .models import MERIT_CRITERIA  # noqa: PLC0415

    return {key: maximum - (1 if index % 3 == 0 else 0) for index, (_s, key, _l, maximum) in enumerate(MERIT_CRITERIA)}


def _submit(report, clerk, lines, ratio, start, end, today) -> None:
    actual = []
    for index, line in enumerate(lines):
        own = line.amount - line.from_grant
        actual.append(
            services.ActualLine(
                contract_line_id=line.pk,
                from_grant=(line.from_grant * ratio).quantize(Decimal("0.01")),
                own_financial=(own * ratio).quantize(Decimal("0.01")) if index else Decimal(0),
            )
        )
    personal = (report.contract.own_personal * ratio).quantize(Decimal("0.01"))
    actual[-1].own_financial -= personal
    actual[0].own_personal = personal
    actual[0].volunteer_hours = (report.contract.volunteer_hours * ratio).quantize(Decimal("0.1"))
    services.report_submit(
        report,
        acting_user=clerk,
        submitted_on=today,
        period_start=start,
        period_end=end,
        results_achieved="38 wychowanków uczestniczyło w wypoczynku; 12 zajęć integracyjnych; ankieta: 92% "
        "zadowolonych.",
        actions="Rekrutacja uczestników, dwa turnusy w Augustowie, zajęcia sportowe i warsztaty, spotkanie z "
        "rodzinami.",
        lines=actual,
        additional_info="Zadanie zrealizowano zgodnie z harmonogramem.",
    )


def _seed_small(unit, clerk, today: date) -> None:
    if SmallGrantOffer.objects.filter(task_title=SMALL_TITLE).exists():
        return
    offer = services.small_grant_register(
        acting_user=clerk,
        unit=unit,
        offeror=_offeror(SMALL_OFFEROR, clerk),
        received_at=timezone.make_aware(datetime.combine(today - timedelta(days=6), time(9, 15))),
        task_title=SMALL_TITLE,
        description="Osiem spotkań warsztatowych: planowanie budżetu domowego, zakupy, gotowanie, w mieszkaniu "
        "treningowym fundacji przy ul. Mickiewicza.",
        task_start=today + timedelta(days=14),
        task_end=today + timedelta(days=73),
        requested_grant=Decimal("8500.00"),
        own_financial=Decimal("1000.00"),
        volunteer_hours=Decimal("20"),
        volunteer_rate=Decimal("25.00"),
        lines=[
            LineData(
                category="administrative",
                name="Koordynacja warsztatów",
                amount=Decimal("800.00"),
                from_grant=Decimal("800.00"),
            ),
            LineData(
                category="other",
                name="Produkty spożywcze i materiały",
                amount=Decimal("9200.00"),
                from_grant=Decimal("7700.00"),
            ),
        ],
    )
    for place, days_ago, address in (
        (SmallGrantPlace.BIP, 4, "bip.mopr.bialystok.pl"),
        (SmallGrantPlace.WEBSITE, 4, "mopr.bialystok.pl/ogloszenia"),
        (SmallGrantPlace.NOTICE_BOARD, 3, "tablica ogłoszeń, ul. Malmeda 8"),
    ):
        services.small_grant_publish(
            offer, acting_user=clerk, place=place, published_on=today - timedelta(days=days_ago), address=address
        )
    services.small_grant_comment(
        offer,
        acting_user=clerk,
        received_on=today - timedelta(days=1),
        author="Rada Osiedla Centrum",
        content="Prosimy o udostępnienie warsztatów także mieszkańcom osiedla.",
    )
