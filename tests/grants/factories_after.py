"""Helpers for the tests after the results (G11) and of small grants (G12)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from grants import services
from grants.budget import LineData
from grants.models import Contract, GrantYearBudget, SmallGrantPlace
from units.models import ApprovalFlow
from units.services import approval_approve

from .factories import all_yes, appoint, declare_all, make_offeror, points, published_competition, register


def chosen_offer(chart, **competition_overrides):
    """A competition run to the published results, its one offer chosen with the full grant."""
    competition = published_competition(chart, **competition_overrides)
    offer = register(chart, competition, received_at=timezone.make_aware(datetime(2022, 12, 1, 9, 0)))
    appoint(chart, competition)
    declare_all(competition)
    services.competition_start_evaluation(competition, acting_user=chart.dnk_pracownik)
    services.offer_formal_evaluate(offer, acting_user=chart.dnk_kierownik, answers=all_yes())
    for member in competition.committee.members.select_related("user"):
        services.merit_card_submit(offer, acting_user=member.user, points=points())
    services.results_compute(competition, acting_user=chart.dnk_pracownik)
    services.director_opinion(competition, acting_user=chart.dyrektor, opinion="Pozytywna.")
    services.president_decision(
        competition, acting_user=chart.dnk_pracownik, order_number="3/23", order_date=date(2022, 12, 20)
    )
    offer.refresh_from_db()
    return offer


def contract_kwargs(source, **overrides) -> dict:
    kwargs = services.contract_defaults(source)
    kwargs.update(
        final_report_due=kwargs["task_end"] + timedelta(days=30),
        partial_report_due=kwargs["task_start"] + timedelta(days=180)
        if (kwargs["task_end"] - kwargs["task_start"]).days > 200
        else None,
    )
    kwargs.update(overrides)
    return kwargs


def approve_all(flow: ApprovalFlow) -> None:
    """Every step of the flow approved by its assignee, in order (initials, signature, countersignature)."""
    while True:
        flow.refresh_from_db()
        step = flow.current_step()
        if step is None:
            return
        approval_approve(step, acting_user=step.assignee)


def flow_of(obj) -> ApprovalFlow:
    from mopr.documents import documents_for

    return ApprovalFlow.objects.filter(document__in=documents_for(obj)).latest("pk")


def signed_contract(chart, source=None, **overrides) -> Contract:
    source = source or chosen_offer(chart)
    contract = services.contract_draft(source, acting_user=chart.dnk_pracownik, **contract_kwargs(source, **overrides))
    services.contract_send(contract, acting_user=chart.dnk_pracownik)
    approve_all(flow_of(contract))
    contract.refresh_from_db()
    return contract


def actual_lines(contract, ratio=Decimal("1")):
    """The report's lines spending the planned amounts times ``ratio`` from the grant; the own contribution as
    planned (financial on the last line, personal on the first)."""
    lines = list(contract.lines.all())
    result = []
    for index, line in enumerate(lines):
        own = line.amount - line.from_grant
        result.append(
            services.ActualLine(
                contract_line_id=line.pk,
                from_grant=(line.from_grant * ratio).quantize(Decimal("0.01")),
                own_financial=own if index else Decimal(0),
                own_personal=Decimal(0),
                volunteer_hours=Decimal(0),
            )
        )
    # the volunteers' work (100 h x 20 zł) is the personal contribution of the first line
    result[0].own_personal = contract.own_personal
    result[0].volunteer_hours = contract.volunteer_hours
    result[-1].own_financial -= contract.own_personal if result[-1].own_financial >= contract.own_personal else 0
    return result


def submit(chart, report, ratio=Decimal("1"), **overrides):
    contract = report.contract
    kwargs = dict(
        acting_user=chart.dnk_pracownik,
        submitted_on=timezone.localdate(),
        period_start=contract.task_start,
        period_end=contract.task_end if report.kind == "final" else report.due,
        results_achieved="120 rodzin objętych wsparciem.",
        actions="Grupy wsparcia, superwizje, szkolenia.",
        lines=actual_lines(contract, ratio),
    )
    kwargs.update(overrides)
    return services.report_submit(report, **kwargs)


# --- G12 ----------------------------------------------------------------------------------------------------


def small_lines(grant=Decimal("9000.00"), total=Decimal("10000.00")):
    admin = (grant * Decimal("0.10")).quantize(Decimal("0.01"))
    return [
        LineData(category="administrative", name="Koordynacja", amount=admin, from_grant=admin),
        LineData(category="other", name="Warsztaty i materiały", amount=total - admin, from_grant=grant - admin),
    ]


def small_kwargs(chart, **overrides) -> dict:
    today = timezone.localdate()
    kwargs = dict(
        acting_user=chart.dnk_pracownik,
        unit=chart.unit("DNK"),
        offeror=overrides.pop("offeror", None) or make_offeror(),
        received_at=timezone.now() - timedelta(days=20),
        task_title="Letnie warsztaty dla wychowanków pieczy zastępczej",
        description="Cykl warsztatów usamodzielnienia na osiedlu Bojary.",
        task_start=today + timedelta(days=10),
        task_end=today + timedelta(days=69),
        requested_grant=Decimal("9000.00"),
        own_financial=Decimal("1000.00"),
        lines=small_lines(),
    )
    kwargs.update(overrides)
    return kwargs


def year_budget(chart, year=None, planned=Decimal("500000.00")):
    year = year or timezone.localdate().year
    return GrantYearBudget.objects.update_or_create(
        institution=chart.institution, year=year, defaults={"planned_amount": planned}
    )[0]


def published_small(chart, published_on=None, **overrides):
    """A small-grant offer published in the three places ``published_on`` (default: 14 days ago)."""
    offer = services.small_grant_register(**small_kwargs(chart, **overrides))
    published_on = published_on or timezone.localdate() - timedelta(days=14)  # the 7 days end before today (K3)
    for place in SmallGrantPlace.values:
        services.small_grant_publish(offer, acting_user=chart.dnk_pracownik, place=place, published_on=published_on)
    offer.refresh_from_db()
    return offer


def granted_small(chart, amount=None, **overrides):
    GrantYearBudget.objects.get_or_create(
        institution=chart.institution, year=timezone.localdate().year, defaults={"planned_amount": Decimal("500000")}
    )
    offer = published_small(chart, **overrides)
    services.small_grant_decide(
        offer, acting_user=chart.dnk_pracownik, grant=True, decided_on=timezone.localdate(), amount=amount
    )
    offer.refresh_from_db()
    return offer
