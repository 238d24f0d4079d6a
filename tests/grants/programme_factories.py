"""G13 helpers: decided competitions with known grants, and a programme with tasks."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from grants import services

from .factories import all_yes, appoint, declare_all, make_offeror, points, published_competition, register


def decided_competition(chart, *, year: int, grants: list[tuple], funds=Decimal("300000.00"), **fields):
    """A competition for tasks of ``year`` decided by the President's order: ``grants`` is a list of
    (offeror or None, granted amount) – amount 0 means the offer was not chosen."""
    competition = published_competition(
        chart,
        year=year,
        funds=funds,
        max_grantees=len(grants),
        task_start=date(year, 1, 1),
        task_end=date(year, 12, 31),
        spending_start=date(year, 1, 1),
        spending_end=date(year, 12, 31),
        **fields,
    )
    offers = []
    for minute, (offeror, _amount) in enumerate(grants):
        offers.append(
            register(
                chart,
                competition,
                offeror=offeror or make_offeror(),
                received_at=timezone.make_aware(datetime(2022, 12, 1, 9, minute)),
            )
        )
    appoint(chart, competition)
    declare_all(competition)
    services.competition_start_evaluation(competition, acting_user=chart.dnk_pracownik)
    for offer in offers:
        services.offer_formal_evaluate(offer, acting_user=chart.dnk_kierownik, answers=all_yes())
        for user in (chart.dnk_kierownik, chart.sok_pracownik, chart.pracownik_socjalny):
            services.merit_card_submit(offer, acting_user=user, points=points())
    services.results_compute(competition, acting_user=chart.dnk_pracownik)
    services.director_opinion(competition, acting_user=chart.dyrektor, opinion="Pozytywna.")
    services.president_decision(
        competition,
        acting_user=chart.dnk_pracownik,
        order_number=f"{competition.pk}/2022",
        order_date=date(2022, 12, 20),
        granted={offer.pk: Decimal(amount) for offer, (_o, amount) in zip(offers, grants, strict=True)},
    )
    competition.refresh_from_db()
    return competition, offers


def make_programme(chart, year=2023, tasks=(("Wspieranie rodzinnej pieczy zastępczej", "63000.00"),)):
    programme = services.programme_create(
        acting_user=chart.dnk_pracownik,
        institution=chart.unit("DNK").institution,
        year=year,
        priorities="Wsparcie rodziny i pieczy zastępczej",
    )
    created = [
        services.programme_task_save(
            programme,
            acting_user=chart.dnk_pracownik,
            name=name,
            priority="Rodzina",
            area="family_foster_care",
            planned_amount=Decimal(amount),
        )
        for name, amount in tasks
    ]
    return programme, created
