"""Read-only queries of the grants app shared by pages, reports and exports.

``year_grants`` and ``year_small_grants`` are the one place that says which grants belong to a year (G13): the
programme's report and its exports read them.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from .models import Competition, CompetitionStatus, Offer, OfferStatus, SmallGrantOffer, SmallGrantStatus

DECIDED = (CompetitionStatus.DECIDED, CompetitionStatus.RESULTS_PUBLISHED)


def year_competitions(institution, year: int):
    """G13: the institution's competitions for tasks carried out in ``year`` that the President's order decided
    (003 §5.2.5), with their number of offers."""
    return (
        Competition.objects.filter(unit__institution=institution, year=year, status__in=DECIDED)
        .annotate(offer_count=Count("offers", distinct=True))
        .order_by("pk")
    )


def year_grants(institution, year: int):
    """G13: the grants of ``year``: the granted amount of each chosen offer (G8) of a decided competition whose
    task is carried out in that year (``Competition.year``, rok realizacji – the programme for a year covers the
    tasks carried out in it, though their competitions are decided at the end of the year before).

    A chosen offer later withdrawn after a reduced grant (G9) is not a grant. Small grants (art. 19a UDPP):
    ``year_small_grants``."""
    return (
        Offer.objects.filter(
            competition__in=year_competitions(institution, year).values("pk"),
            status=OfferStatus.CHOSEN,
            granted_amount__gt=0,
        )
        .select_related("offeror", "competition")
        .order_by("competition_id", "pk")
    )


def year_small_offers(institution, year: int):
    """G12, G13: the small-grant offers (art. 19a UDPP) of the institution whose task is carried out in ``year``
    (it starts then: at most 90 days)."""
    return SmallGrantOffer.objects.filter(unit__institution=institution, task_start__year=year)


def year_small_grants(institution, year: int):
    """G12, G13: the small grants of ``year``: the granted amount of each offer granted outside a competition."""
    return (
        year_small_offers(institution, year)
        .filter(status=SmallGrantStatus.GRANTED, granted_amount__gt=0)
        .select_related("offeror")
        .order_by("pk")
    )


def _row(name, area="", planned=None) -> dict:
    return {
        "name": str(name),
        "area": str(area),
        "planned": planned,
        "granted": Decimal("0.00"),
        "competitions": 0,
        "offers": 0,
        "ngos": set(),
    }


def programme_figures(programme) -> dict:
    """G13: the report's figures: per task of the programme the planned amount, the granted amount, the number
    of competitions, of offers and of NGOs supported (distinct offerors with a grant); the competitions of the
    year linked to no task of this programme in their own row, the small grants (art. 19a) in theirs;
    totals (NGOs counted once across tasks).

    Amounts are strings (the figures are frozen as JSON in ``ProgrammeReport.figures``)."""
    tasks = list(programme.tasks.all())
    rows = {task.pk: _row(task.name, task.get_area_display(), task.planned_amount) for task in tasks}
    other = _row(_("Konkursy poza zadaniami programu"))
    for competition in year_competitions(programme.institution, programme.year):
        row = rows.get(competition.programme_task_id, other)
        row["competitions"] += 1
        row["offers"] += competition.offer_count
    all_ngos = set()
    for offer in year_grants(programme.institution, programme.year):
        row = rows.get(offer.competition.programme_task_id, other)
        row["granted"] += offer.granted_amount
        row["ngos"].add(offer.offeror_id)
        all_ngos.add(offer.offeror_id)
    small = _row(_("Małe granty poza konkursem (art. 19a)"))
    small["offers"] = year_small_offers(programme.institution, programme.year).count()
    for offer in year_small_grants(programme.institution, programme.year):
        small["granted"] += offer.granted_amount
        small["ngos"].add(offer.offeror_id)
        all_ngos.add(offer.offeror_id)
    listed = [rows[task.pk] for task in tasks]
    if other["competitions"]:
        listed.append(other)
    if small["offers"]:
        listed.append(small)
    totals = {
        "planned": sum((task.planned_amount for task in tasks), Decimal("0.00")),
        "granted": sum((row["granted"] for row in listed), Decimal("0.00")),
        "competitions": sum(row["competitions"] for row in listed),
        "offers": sum(row["offers"] for row in listed),
        "ngos": len(all_ngos),
    }

    def out(row):
        return {
            **row,
            "planned": None if row["planned"] is None else str(row["planned"]),
            "granted": str(row["granted"]),
            "ngos": len(row["ngos"]) if isinstance(row["ngos"], set) else row["ngos"],
        }

    return {
        "year": programme.year,
        "tasks": [out(row) for row in listed],
        "totals": {**totals, "planned": str(totals["planned"]), "granted": str(totals["granted"])},
    }


def offeror_history(offeror) -> dict:
    """G13 (the NGO database): the offeror's offers (own and as a partner of a joint offer) with their
    competitions, and its grants per year."""
    offers = list(
        Offer.objects.filter(Q(offeror=offeror) | Q(partners__offeror=offeror))
        .distinct()
        .select_related("competition", "offeror")
        .order_by("-competition__year", "-received_at")
    )
    per_year: dict[int, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for offer in offers:
        if offer.offeror_id == offeror.pk and offer.status == OfferStatus.CHOSEN and offer.granted_amount:
            per_year[offer.competition.year] += offer.granted_amount
    return {"offers": offers, "grants": sorted(per_year.items(), reverse=True)}
