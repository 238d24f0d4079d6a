"""Read-side queries of the Team and the Blue Card procedure."""

from __future__ import annotations

import re

from django.db.models import Avg, Count, F, Q

from mopr.search import search_filter

from .models import (
    BlueCard,
    CardStatus,
    Closure,
    ClosureReason,
    InitiatingInstitution,
    Team,
    WorkingGroup,
    WorkingGroupMember,
)

_SIGNATURE = re.compile(r"^\s*(\d{1,7})\s*(?:/\s*(\d{4}))?\s*$")


def card_search(cards, readable, term: str):
    """The list narrowed by what was typed: a number ("12") or a signature ("12/2026") among the cards the list
    shows; anything else is a name, looked up only among the cards the person may read (B7: names are the
    content of a card), so the search never tells who else has a card. Returns (cards, found_by_name)."""
    term = (term or "").strip()
    if not term:
        return cards, False
    match = _SIGNATURE.match(term)
    if match:
        number, year = match.groups()
        cards = cards.filter(number=int(number))
        return (cards.filter(year=int(year)) if year else cards), False
    return cards.filter(pk__in=search_filter(readable, BlueCard.SEARCH_FIELDS, term).values("pk")), True


def card_list(team: Team, queryset):
    """The card list: numbers, dates, state, initiating institution, coordinator — no personal data."""
    return (
        queryset.filter(team=team)
        .select_related("group__coordinator__user")
        .only(
            "pk",
            "team_id",
            "year",
            "number",
            "received_on",
            "status",
            "initiating_institution",
            "notification_sent_at",
            "group__id",
            "group__card_id",
            "group__coordinator__id",
            "group__coordinator__user__first_name",
            "group__coordinator__user__last_name",
            "group__coordinator__user__username",
        )
        .order_by("-year", "-number")
    )


def statistics(team: Team, year: int) -> dict:
    """B12 (004 §54): cards received, sent to groups, by initiating institution, by outcome, durations,
    the groups' composition. JSON-serialisable (it goes into the annual report)."""
    cards = BlueCard.objects.filter(team=team, year=year)
    by_institution = dict(cards.values_list("initiating_institution").annotate(n=Count("pk")))
    closures = Closure.objects.filter(card__team=team, status=Closure.Status.SIGNED, decided_on__year=year)
    by_reason = dict(closures.values_list("reason").annotate(n=Count("pk")))
    by_forum = dict(closures.values_list("forum").annotate(n=Count("pk")))
    durations = [(c.decided_on - c.card.received_on).days for c in closures.select_related("card")]
    groups = WorkingGroup.objects.filter(card__team=team, created_on__year=year)
    members = WorkingGroupMember.objects.filter(group__in=groups)
    composition = dict(members.values_list("institution_name").annotate(n=Count("pk")).order_by("-n"))
    avg_size = groups.annotate(n=Count("members")).aggregate(a=Avg("n"))["a"]
    return {
        "year": year,
        "received": cards.count(),
        "sent_to_groups": groups.count(),
        "left_to_team": cards.filter(subteam_decisions__decision="leave_to_team").distinct().count(),
        "open_at_end": BlueCard.objects.filter(team=team, year__lte=year)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__year__gt=year))
        .exclude(status=CardStatus.CLOSED)
        .count(),
        "by_institution": [
            {"label": str(label), "count": by_institution.get(value, 0)}
            for value, label in InitiatingInstitution.choices
        ],
        "closed": closures.count(),
        "by_reason": [
            {"label": str(label), "count": by_reason.get(value, 0)} for value, label in ClosureReason.choices
        ],
        "by_forum": [
            {"label": str(label), "count": by_forum.get(value, 0)}
            for value, label in Closure._meta.get_field("forum").choices
        ],
        "duration_avg_days": round(sum(durations) / len(durations), 1) if durations else None,
        "duration_max_days": max(durations) if durations else None,
        "group_avg_size": round(float(avg_size), 1) if avg_size is not None else None,
        "group_composition": [{"institution": k, "count": v} for k, v in composition.items()],
        "group_meetings": groups.aggregate(n=Count("meetings"))["n"] or 0,
        "coordinators": list(
            groups.values(name=F("coordinator__user__last_name")).annotate(n=Count("pk")).order_by("-n")
        ),
    }
