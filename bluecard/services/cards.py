"""The Blue Card procedure: register and notify, the subteam, working groups, the help plan and closure
(B7-B10, B13)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mopr import calendar
from mopr.deadlines import deadline_meet, deadline_open
from mopr.outbox import outbox_enqueue
from mopr.procedures import transition
from units.permissions import grant_group, grant_user, revoke_user

from .. import permissions as perms
from ..models import (
    BlueCard,
    BlueCardUserObjectPermission,
    CardStatus,
    ConfidentialityDeclaration,
    NotificationContent,
    SubteamDecision,
    Team,
    TeamMember,
    WorkingGroup,
    WorkingGroupMember,
)
from ..procedures import CARD, SUBTEAM_ACTIONS
from .common import (
    DL_GROUP_ASSIGN,
    DL_GROUP_FIRST_MEETING,
    DL_NOTIFICATION,
    _chair_user,
    _declared_ids,
    _require,
    _site,
    _today,
)
from .reports import annual_report_deadline_open


def notification_due(card: BlueCard) -> date:
    """B7 (004 §23): members are told within ``Team.notification_days`` of receipt (3 in both presets; K2, K3)."""
    return calendar.deadline_in_days(card.received_on, card.team.notification_days)


@transaction.atomic
def bluecard_register(
    *,
    team: Team,
    received_on: date,
    initiating_institution: str,
    initiating_body: str = "",
    person_experiencing: str,
    persons_suspected: str,
    children: str = "",
    family_address: str = "",
    scan=None,
    acting_user,
    today: date | None = None,
) -> BlueCard:
    """B7 (004 §21-23): the next sequential number of the year; the chair's notification deadline
    (``Team.notification_days``). B13 (2023 preset): the chair passes the card to a group within
    ``Team.group_assign_working_days``."""
    _require(perms.can_register_card(acting_user, team))
    if received_on > _today(today):
        raise ValidationError({"received_on": _("Data wpływu nie może być z przyszłości.")})
    Team.objects.select_for_update().get(pk=team.pk)  # serialises numbering within the Team
    year = received_on.year
    number = (BlueCard.objects.filter(team=team, year=year).aggregate(m=Max("number"))["m"] or 0) + 1
    card = BlueCard(
        team=team,
        year=year,
        number=number,
        received_on=received_on,
        initiating_institution=initiating_institution,
        initiating_body=initiating_body,
        person_experiencing=person_experiencing,
        persons_suspected=persons_suspected,
        children=children,
        family_address=family_address,
        registered_by=acting_user,
    )
    if scan:
        card.scan = scan
    card.save()
    grant_group(team.leaders_group, "view_bluecard", card)
    grant_group(team.leaders_group, "change_bluecard", card)
    grant_group(team.declared_group, "list_bluecard", card)
    chair = _chair_user(team)
    deadline_open(
        card,
        kind=DL_NOTIFICATION,
        rule="B7",
        due=notification_due(card),
        label=_("Powiadomienie członków Zespołu o karcie nr %(n)s") % {"n": card.signature},
        responsible_user=chair,
    )
    if team.group_assign_working_days:
        deadline_open(
            card,
            kind=DL_GROUP_ASSIGN,
            rule="B13",
            due=calendar.deadline_in_working_days(received_on, team.group_assign_working_days),
            label=_("Przekazanie karty nr %(n)s grupie") % {"n": card.signature},
            responsible_user=chair,
        )
    annual_report_deadline_open(team, year)
    return card


@transaction.atomic
def bluecard_notify_members(card: BlueCard, *, acting_user) -> BlueCard:
    """B7 (004 §23): e-mail every member: the card number and the name of the person experiencing violence, or,
    if the Team so configured (``Team.notification_content``), a link to the card in the system instead of the
    name (B11: the name only to members with a recorded declaration); never either in the subject; records that
    it was sent."""
    _require(perms.can_manage_card(acting_user, card))
    if card.notification_sent_at:
        raise ValidationError(_("Powiadomienie o tej karcie zostało już wysłane."))
    with transition(card, CARD, "powiadom", acting_user=acting_user) as locked:
        if locked.notification_sent_at:  # a second request that waited for the lock
            raise ValidationError(_("Powiadomienie o tej karcie zostało już wysłane."))
        declared = _declared_ids(locked.team)
        for member in TeamMember.objects.filter(team=locked.team, dismissing_order_date__isnull=True).select_related(
            "user"
        ):
            # B11: the name goes only to members whose confidentiality declaration is recorded.
            body = render_to_string(
                "bluecard/email/card_notification.txt",
                {
                    "card": locked,
                    "team": locked.team,
                    "declared": member.user_id in declared,
                    "with_name": locked.team.notification_content == NotificationContent.NAME
                    and member.user_id in declared,
                    "link": _site(reverse("bluecard:card", args=[locked.pk]))
                    if locked.team.notification_content == NotificationContent.LINK
                    else "",
                },
            )
            outbox_enqueue(
                key=f"bluecard:card:{locked.pk}:member:{member.pk}",
                to=member.email,
                user=member.user,
                subject=_("Zespół Interdyscyplinarny – wpłynął formularz"),
                body_text=body,
            )
        locked.notification_sent_at = timezone.now()
        locked.notification_sent_by = acting_user
        deadline_meet(locked, DL_NOTIFICATION)
    return card


def _sync_card_grants(card: BlueCard) -> None:
    """Explicit per-card grants: the latest subteam (active members) and the working group (active members and
    the coordinator) get ``view_bluecard``; the coordinator also ``change_bluecard``. Only declared persons
    (B11). Anything else held by a user on this card is revoked."""
    team = card.team
    declared = set(ConfidentialityDeclaration.objects.filter(team=team).values_list("user_id", flat=True))
    view, change = set(), set()
    decision = card.subteam_decisions.order_by("-decided_on", "-pk").first()
    if decision is not None:
        view |= {m.user_id for m in decision.members.all() if m.is_active}
    group = WorkingGroup.objects.filter(card=card).select_related("coordinator").first()
    if group is not None:
        view |= set(group.members.filter(left_on__isnull=True).values_list("user_id", flat=True))
        if group.coordinator.is_active:
            view.add(group.coordinator.user_id)
            change.add(group.coordinator.user_id)
    view &= declared
    change &= declared
    users = {
        u.pk: u
        for u in get_user_model().objects.filter(
            pk__in=view
            | change
            | set(BlueCardUserObjectPermission.objects.filter(content_object=card).values_list("user_id", flat=True))
        )
    }
    for codename, wanted in (("view_bluecard", view), ("change_bluecard", change)):
        current = set(
            BlueCardUserObjectPermission.objects.filter(content_object=card, permission__codename=codename).values_list(
                "user_id", flat=True
            )
        )
        for user_id in wanted - current:
            grant_user(users[user_id], codename, card)
        for user_id in current - wanted:
            revoke_user(users[user_id], codename, card)


@transaction.atomic
def subteam_decide(
    card: BlueCard,
    *,
    members,
    decision: str,
    decided_on: date,
    note: str = "",
    coordinator: TeamMember | None = None,
    acting_user,
    today: date | None = None,
) -> SubteamDecision:
    """B8 (004 §24-26): a subteam of at least two, including the chair or vice-chair, decides: a working group
    (with its coordinator from the Team's members) or leaving the case to the Team; later it may create the
    group or change its members. B13 (2023 preset): a group is mandatory."""
    _require(perms.can_manage_card(acting_user, card))
    members = list(members)
    errors = {}
    if decided_on > _today(today) or decided_on < card.received_on:
        errors["decided_on"] = _("Data decyzji musi przypadać między wpływem karty a dniem dzisiejszym.")
    if len({m.pk for m in members}) < 2:
        errors["members"] = _("Podzespół liczy co najmniej 2 osoby (B8, 004 §24).")
    elif not any(m.is_leader for m in members):
        errors["members"] = _("W skład podzespołu wchodzi Przewodniczący lub Zastępca Przewodniczącego (B8, 004 §24).")
    elif any(m.team_id != card.team_id or not m.is_active for m in members):
        errors["members"] = _("Podzespół tworzą członkowie Zespołu.")
    if card.status == CardStatus.CLOSED:
        errors["decision"] = _("Procedura jest zakończona.")
    elif decision == SubteamDecision.Decision.LEAVE_TO_TEAM and card.team.group_mandatory:
        errors["decision"] = _("Według ustawień Zespołu (reforma 2023) każda karta trafia do grupy (B13).")
    elif decision == SubteamDecision.Decision.LEAVE_TO_TEAM and card.status != CardStatus.REGISTERED:
        errors["decision"] = _("Sprawę można pozostawić Zespołowi tylko przed powołaniem grupy.")
    has_group = WorkingGroup.objects.filter(card=card).exists()
    if decision == SubteamDecision.Decision.WORKING_GROUP:
        if has_group:
            errors["decision"] = _("Grupa dla tej karty już istnieje – wybierz zmiany osobowe w grupie.")
        elif coordinator is None:
            errors["coordinator"] = _(
                "Powołując grupę, podzespół wyznacza koordynatora spośród członków Zespołu (B9, 004 §26)."
            )
        elif coordinator.team_id != card.team_id or not coordinator.is_active:
            errors["coordinator"] = _("Koordynatorem może być tylko członek Zespołu.")
    if decision == SubteamDecision.Decision.CHANGE_GROUP and not has_group:
        errors["decision"] = _("Nie powołano jeszcze grupy.")
    if decision not in SUBTEAM_ACTIONS:
        errors["decision"] = _("Wybierz decyzję podzespołu.")
    if errors:
        raise ValidationError(errors)
    with transition(card, CARD, SUBTEAM_ACTIONS[decision], acting_user=acting_user) as locked:
        row = SubteamDecision.objects.create(
            card=locked, decision=decision, decided_on=decided_on, note=note, recorded_by=acting_user
        )
        row.members.set(members)
        if decision == SubteamDecision.Decision.WORKING_GROUP:
            if WorkingGroup.objects.filter(card=locked).exists():  # a second request that waited for the lock
                raise ValidationError({"decision": _("Grupa dla tej karty już istnieje.")})
            group = WorkingGroup.objects.create(card=locked, coordinator=coordinator, created_on=decided_on)
            WorkingGroupMember.objects.create(
                group=group,
                user=coordinator.user,
                joined_on=decided_on,
                institution_name=coordinator.represented_institution,
            )
            deadline_meet(locked, DL_GROUP_ASSIGN)
            if locked.team.group_first_meeting_working_days:
                deadline_open(
                    locked,
                    kind=DL_GROUP_FIRST_MEETING,
                    rule="B13",
                    due=calendar.deadline_in_working_days(decided_on, locked.team.group_first_meeting_working_days),
                    label=_("Pierwsze spotkanie grupy – karta nr %(n)s") % {"n": locked.signature},
                    responsible_user=coordinator.user,
                )
        elif decision == SubteamDecision.Decision.CHANGE_GROUP and coordinator is not None:
            group = WorkingGroup.objects.get(card=locked)
            if coordinator.pk != group.coordinator_id:
                group.coordinator = coordinator
                group.save(update_fields=["coordinator"])
                if not group.members.filter(user=coordinator.user, left_on__isnull=True).exists():
                    WorkingGroupMember.objects.create(
                        group=group,
                        user=coordinator.user,
                        joined_on=decided_on,
                        institution_name=coordinator.represented_institution,
                    )
        _sync_card_grants(locked)
    return row


def open_card_counts(team: Team) -> dict[int, int]:
    """B9 (004 §27): each member's current number of open cards as coordinator, in one query."""
    rows = (
        WorkingGroup.objects.filter(card__team=team)
        .exclude(card__status=CardStatus.CLOSED)
        .values("coordinator_id")
        .annotate(n=Count("pk"))
    )
    return {row["coordinator_id"]: row["n"] for row in rows}
