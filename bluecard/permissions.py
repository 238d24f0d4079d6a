"""Who may do what in the Team and the Blue Card procedure (B11; ARCHITECTURE "Special categories").

The org chart grants nothing here: the Director or a head of unit who is not in the Team sees nothing.
* Team pages (members, meetings): active Team members.
* The list of cards: Team members with a recorded declaration (guardian group ``declared`` holds
  ``list_bluecard`` on every card of the Team) — read through the Team (``_through_team_group``).
* A card's content, read-only (B7, 004 §51 pkt 2): every Team member with a recorded declaration, during the
  procedure and after it (``can_read_card``, ``readable_cards``); each read is logged (``views.common.card_for``).
* A card's actions: the chair and vice-chair (group ``leaders``), the card's subteam and the card's
  working group (explicit user grants), and only once their declaration is recorded (grants are
  given only to declared persons) — ``can_view_card`` and the stricter checks built on it.
* Access log of cards: the chair, the vice-chair and the IOD.
"""

from __future__ import annotations

from django.db.models import Q

from mopr.memo import request_memo
from units.permissions import is_iod, may

from .models import (
    BlueCard,
    BlueCardUserObjectPermission,
    ConfidentialityDeclaration,
    MemberRole,
    Team,
    TeamMember,
    WorkingGroupMember,
)


@request_memo
def active_member(user, team: Team | None) -> TeamMember | None:
    if team is None or not user.is_authenticated:
        return None
    return TeamMember.objects.filter(team=team, user=user, dismissing_order_date__isnull=True).first()


@request_memo
def has_declaration(user, team: Team | None) -> bool:
    if team is None or not user.is_authenticated:
        return False
    return ConfidentialityDeclaration.objects.filter(team=team, user=user).exists()


@request_memo
def is_group_member(user, team: Team | None) -> bool:
    if team is None or not user.is_authenticated:
        return False
    return WorkingGroupMember.objects.filter(group__card__team=team, user=user, left_on__isnull=True).exists()


def is_leader(user, team: Team | None) -> bool:
    """Chair or vice-chair, in office and declared (004 §6-7)."""
    member = active_member(user, team)
    return bool(member and member.is_leader and has_declaration(user, team))


def is_chair(user, team: Team | None) -> bool:
    member = active_member(user, team)
    return bool(member and member.role == MemberRole.CHAIR and has_declaration(user, team))


@request_memo
def team_for(user) -> Team | None:
    """The Team the person belongs to (as member or working-group member), or, for the IOD, the first Team."""
    if not user.is_authenticated:
        return None
    member = TeamMember.objects.filter(user=user, dismissing_order_date__isnull=True).select_related("team").first()
    if member:
        return member.team
    group_member = (
        WorkingGroupMember.objects.filter(user=user, left_on__isnull=True).select_related("group__card__team").first()
    )
    if group_member:
        return group_member.group.card.team
    if is_iod(user):
        return Team.objects.order_by("pk").first()
    return None


def can_open_module(user) -> bool:
    team = team_for(user)
    return team is not None


def can_view_team(user, team: Team) -> bool:
    return active_member(user, team) is not None


def can_declare(user, team: Team) -> bool:
    return active_member(user, team) is not None or is_group_member(user, team)


def can_record_declaration_for_others(user, team: Team) -> bool:
    return is_leader(user, team)


def can_manage_team(user, team: Team) -> bool:
    """Schedule meetings, record attendance and votes, appoint and dismiss members (chair, vice-chair)."""
    return is_leader(user, team)


def is_declared_member(user, team: Team | None) -> bool:
    """A Team member in office with a recorded confidentiality declaration (004 §43-44, §51)."""
    return active_member(user, team) is not None and has_declaration(user, team)


def can_list_cards(user, team: Team) -> bool:
    return is_declared_member(user, team)


def _through_team_group(user, queryset, group_field: str, perm: str):
    """Cards of the Teams whose ``group_field`` group the person is in, plus their personal grants of ``perm``.

    The Team's ``declared`` group holds ``list_bluecard`` and its ``leaders`` group ``view_bluecard`` on every card
    of the Team (``bluecard_register``), so reading the Team gives the same cards as reading the grant rows one
    by one (``test_B11_list_through_the_team_equals_the_grant_rows``) — without building the set of every card
    id of the Team first: at 100 000 cards that set cost 150–200 ms a page. Personal grants (subteam, working
    group) stay object rows, read as an indexable array.
    """
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    teams = Team.objects.filter(**{f"{group_field}__user": user}).values("pk")
    personal = BlueCardUserObjectPermission.objects.filter(user_id=user.pk, permission__codename=perm)
    return queryset.filter(Q(team__in=teams) | Q(pk__any_of=personal.values("content_object_id")))


def visible_cards(user, queryset=None):
    """Cards on the Team's list for this person: members with a declaration (the ``declared`` group)."""
    queryset = BlueCard.objects.all() if queryset is None else queryset
    return _through_team_group(user, queryset, "declared_group", "list_bluecard")


def my_cards(user, queryset=None):
    """Cards of this person's own procedures, where they act (leaders, subteam, working group)."""
    queryset = BlueCard.objects.all() if queryset is None else queryset
    return _through_team_group(user, queryset, "leaders_group", "view_bluecard")


def readable_cards(user, queryset=None):
    """Cards whose content this person may read (B7, 004 §51 pkt 2): every card of a Team where they are a declared
    member (the ``declared`` group), plus the cards of their own subteam and working group (personal grants)."""
    queryset = BlueCard.objects.all() if queryset is None else queryset
    return _through_team_group(user, queryset, "declared_group", "view_bluecard")


def can_view_card(user, card: BlueCard) -> bool:
    """The card's procedure is this person's: leaders, the card's subteam and working group (the actions' gate)."""
    return may(user, "view_bluecard", card)


def can_read_card(user, card: BlueCard) -> bool:
    """B7 (004 §51 pkt 2): read the card's content, read-only — the people of its procedure, and every declared
    member of its Team, during the procedure and after it. Working-group members outside the Team read only
    their own card; a member without a declaration reads none (B11)."""
    return can_view_card(user, card) or is_declared_member(user, card.team)


def can_register_card(user, team: Team) -> bool:
    return is_leader(user, team)


def can_manage_card(user, card: BlueCard) -> bool:
    """Subteam decisions and closure: the chair or vice-chair (004 §24)."""
    return is_leader(user, card.team) and can_view_card(user, card)


def can_work_in_group(user, card: BlueCard) -> bool:
    """Record group meetings, help-plan actions, members: the coordinator, chair or vice-chair."""
    if not can_view_card(user, card):
        return False
    return is_leader(user, card.team) or is_coordinator(user, card)


def is_coordinator(user, card: BlueCard) -> bool:
    try:
        group = card.group
    except BlueCard.group.RelatedObjectDoesNotExist:
        return False
    return group.coordinator.user_id == user.pk and group.coordinator.is_active


def can_see_access_log(user, team: Team) -> bool:
    return is_leader(user, team) or is_iod(user)


def can_see_statistics(user, team: Team) -> bool:
    return is_leader(user, team)


def can_report_breach(user, team: Team) -> bool:
    return can_declare(user, team)


def can_see_breaches(user, team: Team) -> bool:
    return is_leader(user, team) or is_iod(user)


def requires_second_factor(user) -> bool:
    """ARCHITECTURE "Special categories": Team members (not dismissed) see the most sensitive data, so they sign in
    with a second factor (``mopr.site.otp`` asks each domain app's ``requires_second_factor``)."""
    return TeamMember.objects.filter(user=user, dismissing_order_date__isnull=True).exists()
