"""The Blue Card module at realistic scale, for ``manage.py benchmark`` (see mopr/benchmark.py).

``seed`` writes, with bulk inserts only: the Team (if none) with its members and their confidentiality
declarations, Team meetings, ``n_cards`` Blue Cards over ten years with subteam decisions, working groups,
their members and meetings, and the guardian rows the services would write — the Team's group grants
(``explicit=True``, as ``grant_group`` flags them) and the per-card user grants of ``_sync_card_grants``.
History rows are not written (bulk inserts bypass simple-history); the pages do not read them.
``pages`` lists the card list and a card's details for the chair and for a member who coordinates cards.
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

BATCH = 5000
TEAM_NAME = "Zespół Interdyscyplinarny ds. Przeciwdziałania Przemocy w Białymstoku (benchmark)"
CHAIR, VICE, MEMBER = "oik_kierownik", "zps1_kierownik", "pracownik_socjalny"
TEAM_SIZE = 24  # Team members besides the three personas
GROUP_POOL = 300  # people from other institutions who sit in working groups


def _bulk(model, rows):
    for start in range(0, len(rows), BATCH):
        model.objects.bulk_create(rows[start : start + BATCH], batch_size=BATCH)


def _log(message: str) -> None:
    print(message, flush=True)


def _team(world, rng: random.Random):
    """The Team, its members (declared) and its access groups, as the services leave them."""
    from bluecard.models import PRESETS, ConfidentialityDeclaration, MemberRole, Team, TeamMember, TerminologyPreset
    from units.models import Unit

    team = Team.objects.filter(institution=world.institution).order_by("pk").first()
    if team is not None:
        return team
    stamp = timezone.now().timestamp()
    declared = Group.objects.create(name=f"bluecard:bench:{stamp}:declared")
    leaders = Group.objects.create(name=f"bluecard:bench:{stamp}:leaders")
    values = PRESETS[TerminologyPreset.ORG_2016]
    team = Team.objects.create(
        institution=world.institution,
        seat_unit=Unit.objects.get(institution=world.institution, symbol="OIK"),
        name=TEAM_NAME,
        seat="Ośrodek Interwencji Kryzysowej, Białystok",
        preset=TerminologyPreset.ORG_2016,
        declared_group=declared,
        leaders_group=leaders,
        **{
            k: values[k]
            for k in (
                "notification_days",
                "extraordinary_notice_working_days",
                "ordinary_notice_months",
                "ordinary_interval_months",
                "remarks_days",
                "group_assign_working_days",
                "group_first_meeting_working_days",
            )
        },
    )
    declared.name, leaders.name = f"bluecard:team:{team.pk}:declared", f"bluecard:team:{team.pk}:leaders"
    declared.save()
    leaders.save()
    appointed = timezone.localdate().replace(month=1, day=1) - timedelta(days=3650)
    roster = [
        (world.personas[CHAIR], MemberRole.CHAIR),
        (world.personas[VICE], MemberRole.VICE_CHAIR),
        (world.personas[MEMBER], MemberRole.MEMBER),
    ]
    taken = {u.pk for u, _role in roster}
    roster += [
        (u, MemberRole.MEMBER)
        for u in rng.sample([u for u in world.users if u.pk not in taken], min(TEAM_SIZE, len(world.users)))
    ]
    _bulk(
        TeamMember,
        [
            TeamMember(
                team=team,
                user=u,
                role=role,
                represented_institution="MOPR w Białymstoku",
                email=u.email or f"{u.username}@bench.local",
                appointing_order_number=f"{i + 1}/ZI",
                appointing_order_date=appointed,
            )
            for i, (u, role) in enumerate(roster)
        ],
    )
    chair = world.personas[CHAIR]
    _bulk(
        ConfidentialityDeclaration,
        [
            ConfidentialityDeclaration(team=team, user=u, capacity="member", declared_on=appointed, recorded_by=chair)
            for u, _role in roster
        ],
    )
    declared.user_set.add(*(u for u, _role in roster))
    leaders.user_set.add(*(u for u, role in roster if role != MemberRole.MEMBER))
    return team


def seed(world, n_cards: int, rng: random.Random) -> list[int]:
    """Bulk-insert the Team and ``n_cards`` cards with everything the pages read; returns the card ids."""
    from bluecard.models import (
        BlueCard,
        BlueCardGroupObjectPermission,
        BlueCardUserObjectPermission,
        CardStatus,
        ConfidentialityDeclaration,
        GroupMeeting,
        InitiatingInstitution,
        Meeting,
        MeetingKind,
        SubteamDecision,
        TeamMember,
        WorkingGroup,
        WorkingGroupMember,
    )

    t0 = time.perf_counter()
    with transaction.atomic():
        team = _team(world, rng)
    have = BlueCard.objects.filter(team=team).count()
    if have >= n_cards:
        return list(BlueCard.objects.filter(team=team).values_list("pk", flat=True))
    today = timezone.localdate()
    first_year = today.year - 9
    chair = world.personas[CHAIR]
    members = list(TeamMember.objects.filter(team=team, dismissing_order_date__isnull=True).select_related("user"))
    leaders = [m for m in members if m.is_leader]
    coordinators = [m for m in members if not m.is_leader]
    member_user_ids = {m.user_id for m in members}
    pool = [u for u in world.users if u.pk not in member_user_ids][:GROUP_POOL]
    declared = set(ConfidentialityDeclaration.objects.filter(team=team).values_list("user_id", flat=True))
    _bulk(
        ConfidentialityDeclaration,
        [
            ConfidentialityDeclaration(
                team=team, user=u, capacity="group_member", declared_on=date(first_year, 1, 2), recorded_by=chair
            )
            for u in pool
            if u.pk not in declared
        ],
    )
    perms = {
        p.codename: p
        for p in Permission.objects.filter(
            content_type__app_label="bluecard", codename__in=["view_bluecard", "change_bluecard", "list_bluecard"]
        )
    }
    kinds = InitiatingInstitution.values

    # Team meetings: one ordinary meeting a quarter over the ten years (B2).
    if not Meeting.objects.filter(team=team).exists():
        _bulk(
            Meeting,
            [
                Meeting(
                    team=team,
                    kind=MeetingKind.ORDINARY,
                    date=date(year, month, 15),
                    time=timezone.datetime(2000, 1, 1, 10).time(),
                    place=team.seat,
                    agenda="1. Informacja o kartach.",
                    scheduled_on=date(year, month, 1) - timedelta(31),
                    created_by=chair,
                )
                for year in range(first_year, today.year + 1)
                for month in (1, 4, 7, 10)
                if date(year, month, 15) <= today
            ],
        )

    per_year = max(1, -(-n_cards // 10))
    last_number = dict(BlueCard.objects.filter(team=team).values_list("year").annotate(m=Max("number")))
    for start in range(have, n_cards, BATCH):
        stop = min(n_cards, start + BATCH)
        cards = []
        for i in range(start, stop):
            year = first_year + i // per_year
            received = min(today, date(year, 1, 1) + timedelta(days=rng.randrange(0, 365)))
            age = (today - received).days
            if age > 365:
                status = rng.choice([CardStatus.CLOSED] * 8 + [CardStatus.WORKING_GROUP, CardStatus.LEFT_TO_TEAM])
            elif age > 10:
                status = rng.choice([CardStatus.WORKING_GROUP] * 3 + [CardStatus.LEFT_TO_TEAM])
            else:
                status = CardStatus.REGISTERED
            last_number[year] = last_number.get(year, 0) + 1
            cards.append(
                BlueCard(
                    team=team,
                    year=year,
                    number=last_number[year],
                    received_on=received,
                    initiating_institution=rng.choice(kinds),
                    initiating_body="Komenda Miejska Policji",
                    person_experiencing=f"Osoba {i}",
                    persons_suspected=f"Osoba podejrzewana {i}",
                    status=status,
                    notification_sent_at=timezone.now(),
                    notification_sent_by=chair,
                    closed_on=received + timedelta(days=rng.randrange(60, 300))
                    if status == CardStatus.CLOSED
                    else None,
                    registered_by=chair,
                )
            )
        BlueCard.objects.bulk_create(cards, batch_size=BATCH)
        # The Team's group grants of bluecard_register (explicit, like grant_group).
        BlueCardGroupObjectPermission.objects.bulk_create(
            [
                BlueCardGroupObjectPermission(
                    group=group, permission=perms[codename], content_object=card, explicit=True
                )
                for card in cards
                for group, codename in (
                    (team.leaders_group, "view_bluecard"),
                    (team.leaders_group, "change_bluecard"),
                    (team.declared_group, "list_bluecard"),
                )
            ],
            batch_size=BATCH,
        )
        # Subteam decisions, working groups, their members, meetings and the per-card user grants.
        decisions, groups, plans = [], [], []
        for card in cards:
            if card.status == CardStatus.REGISTERED:
                continue
            leader = rng.choice(leaders)
            decided = card.received_on + timedelta(days=2)
            if card.status == CardStatus.LEFT_TO_TEAM:
                decisions.append(
                    (
                        SubteamDecision(card=card, decision="leave_to_team", decided_on=decided, recorded_by=chair),
                        [leader, rng.choice(coordinators)],
                    )
                )
                continue
            coordinator = rng.choice(coordinators)
            decisions.append(
                (
                    SubteamDecision(card=card, decision="working_group", decided_on=decided, recorded_by=chair),
                    [leader, coordinator],
                )
            )
            groups.append(WorkingGroup(card=card, coordinator=coordinator, created_on=decided))
            plans.append((card, coordinator, rng.sample(pool, min(len(pool), rng.randint(1, 3))), decided))
        SubteamDecision.objects.bulk_create([d for d, _m in decisions], batch_size=BATCH)
        through = SubteamDecision.members.through
        through.objects.bulk_create(
            [through(subteamdecision_id=d.pk, teammember_id=m.pk) for d, chosen in decisions for m in chosen],
            batch_size=BATCH,
        )
        WorkingGroup.objects.bulk_create(groups, batch_size=BATCH)
        group_members, meetings, grants = [], [], []
        for group, (card, coordinator, others, decided) in zip(groups, plans, strict=True):
            group_members.append(
                WorkingGroupMember(
                    group=group,
                    user_id=coordinator.user_id,
                    joined_on=decided,
                    institution_name=coordinator.represented_institution,
                )
            )
            group_members += [
                WorkingGroupMember(group=group, user=u, joined_on=decided, institution_name="Szkoła Podstawowa")
                for u in others
            ]
            meetings.append(
                GroupMeeting(
                    group=group,
                    held_on=min(today, decided + timedelta(days=7)),
                    place=team.seat,
                    findings="Ustalenia grupy.",
                    recorded_by=chair,
                    protocol_sent_at=timezone.now(),
                )
            )
            viewers = {coordinator.user_id, *(u.pk for u in others)}
            for user_id in viewers:
                grants.append(
                    BlueCardUserObjectPermission(
                        user_id=user_id, permission=perms["view_bluecard"], content_object=card
                    )
                )
            grants.append(
                BlueCardUserObjectPermission(
                    user_id=coordinator.user_id, permission=perms["change_bluecard"], content_object=card
                )
            )
        WorkingGroupMember.objects.bulk_create(group_members, batch_size=BATCH)
        GroupMeeting.objects.bulk_create(meetings, batch_size=BATCH)
        by_group = {}
        for row in group_members:
            by_group.setdefault(row.group_id, []).append(row)
        attendees = GroupMeeting.attendees.through
        attendees.objects.bulk_create(
            [
                attendees(groupmeeting_id=m.pk, workinggroupmember_id=row.pk)
                for m in meetings
                for row in by_group[m.group_id]
            ],
            batch_size=BATCH,
        )
        BlueCardUserObjectPermission.objects.bulk_create(grants, batch_size=BATCH, ignore_conflicts=True)
        if (stop - have) % (BATCH * 4) < BATCH or stop == n_cards:
            _log(f"    Blue Cards: {stop}/{n_cards} ({time.perf_counter() - t0:.1f} s)")
    return list(BlueCard.objects.filter(team=team).values_list("pk", flat=True))


def pages(world):
    """(label, persona login, url): the card list and one card's details, for the chair and for a member."""
    from bluecard.models import BlueCard, WorkingGroup

    member = world.personas[MEMBER]
    yield "NK: lista kart", CHAIR, reverse("bluecard:cards")
    yield "NK: lista kart", MEMBER, reverse("bluecard:cards")
    card = (
        BlueCard.objects.filter(pk__in=WorkingGroup.objects.filter(coordinator__user=member).values("card_id"))
        .order_by("-year", "-number")
        .first()
    )
    if card is None:
        card = BlueCard.objects.order_by("-year", "-number").first()
        if card is None:
            return
    yield "NK: szczegóły karty", CHAIR, reverse("bluecard:card", args=[card.pk])
    if WorkingGroup.objects.filter(card=card, coordinator__user=member).exists():
        yield "NK: szczegóły karty", MEMBER, reverse("bluecard:card", args=[card.pk])
