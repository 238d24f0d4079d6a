"""Access matrix (B11; ARCHITECTURE "Special categories"): negative cases first. The org chart grants nothing
in this module."""

from datetime import date

import pytest
from django.urls import reverse

from bluecard import permissions as perms
from bluecard import services
from bluecard.models import BlueCard
from mopr.models import AccessLog

from .conftest import make_card, with_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def cards(zi, chart):
    """Card A: group coordinated by pracownik_socjalny with the police officer; card B: group with the teacher."""
    card_a = make_card(zi, person="Anna Pierwsza")
    group_a = with_group(zi, card_a)
    services.group_member_add(
        group_a, user=zi.police, institution_name="Policja", joined_on=date(2026, 3, 3), acting_user=zi.m.social.user
    )
    card_b = make_card(zi, person="Beata Druga")
    group_b = with_group(zi, card_b, coordinator=zi.m.vice)
    services.group_member_add(
        group_b, user=zi.teacher, institution_name="Szkoła", joined_on=date(2026, 3, 3), acting_user=zi.vice
    )
    services.declaration_record(
        team=zi.team, user=zi.teacher, capacity="group_member", declared_on=date(2026, 3, 3), acting_user=zi.chair
    )
    return card_a, card_b


# --- negative first -------------------------------------------------------------------------------------


def test_B11_director_sees_nothing(zi, cards, chart, login):
    card_a, _ = cards
    director = chart.dyrektor
    assert not perms.can_view_card(director, card_a)
    assert not perms.visible_cards(director).exists() and not perms.my_cards(director).exists()
    assert not perms.can_open_module(director)
    client = login(director)
    assert client.get(reverse("bluecard:card", args=[card_a.pk])).status_code == 404
    assert client.get(reverse("bluecard:cards")).status_code == 403
    assert client.get(reverse("bluecard:home")).status_code == 403
    assert not AccessLog.objects.filter(user=director).exists()


def test_B11_dnk_employee_not_in_team_sees_nothing(zi, cards, chart, login):
    card_a, _ = cards
    client = login(chart.dnk_pracownik)
    assert client.get(reverse("bluecard:card", args=[card_a.pk])).status_code == 404
    assert client.get(reverse("bluecard:card_scan", args=[card_a.pk])).status_code == 404
    assert client.get(reverse("bluecard:card_history", args=[card_a.pk])).status_code == 404
    assert client.get(reverse("bluecard:cards")).status_code == 403
    assert "Anna Pierwsza" not in client.get(reverse("home")).content.decode()


def test_B11_deputy_supervising_the_seat_unit_sees_nothing(zi, cards, chart):
    card_a, _ = cards
    assert not perms.can_view_card(chart.zastepca2, card_a)
    assert not perms.visible_cards(chart.zastepca2).exists()


def test_B11_member_of_another_cards_group_cannot_open_this_card(zi, cards, login):
    card_a, card_b = cards
    assert perms.can_view_card(zi.teacher, card_b)
    assert not perms.can_view_card(zi.teacher, card_a)
    client = login(zi.teacher)
    assert client.get(reverse("bluecard:card", args=[card_a.pk])).status_code == 404
    assert client.get(reverse("bluecard:card", args=[card_b.pk])).status_code == 200
    # a group member who is not a Team member does not get the Team's card list
    assert client.get(reverse("bluecard:cards")).status_code == 403


def test_B11_team_member_without_declaration_sees_no_list_and_no_card(zi, cards, login):
    card_a, _ = cards
    undeclared = zi.m.undeclared.user
    services.subteam_decide(
        card_a,
        members=[zi.m.chair, zi.m.undeclared],
        decision="change_group",
        decided_on=date(2026, 3, 4),
        acting_user=zi.chair,
    )
    assert not perms.can_view_card(undeclared, card_a)  # in the subteam, but no declaration yet
    assert not perms.visible_cards(undeclared).exists()
    client = login(undeclared)
    assert client.get(reverse("bluecard:cards")).status_code == 403
    assert client.get(reverse("bluecard:card", args=[card_a.pk])).status_code == 404
    home = client.get(reverse("bluecard:home")).content.decode()
    assert "Nie masz zarejestrowanego oświadczenia" in home
    client.post(reverse("bluecard:declare"), {"declared_on": "2026-03-04", "confirm": "on"})
    assert perms.can_view_card(undeclared, card_a)
    assert client.get(reverse("bluecard:cards")).status_code == 200


def test_B11_declared_member_outside_subteam_and_group_sees_list_but_not_details(zi, cards, login):
    card_a, card_b = cards
    police_member = zi.m.police.user
    assert perms.visible_cards(police_member).count() == 2
    assert perms.can_view_card(police_member, card_a)  # in card A's group
    assert not perms.can_view_card(police_member, card_b)
    page = login(police_member).get(reverse("bluecard:cards")).content.decode()
    assert "Anna Pierwsza" not in page and "Beata Druga" not in page
    assert reverse("bluecard:card", args=[card_a.pk]) in page
    assert reverse("bluecard:card", args=[card_b.pk]) not in page


def test_B9_leaving_the_group_revokes_the_card(zi, cards, login):
    card_a, _ = cards
    assert perms.can_view_card(zi.police, card_a)
    row = card_a.group.members.get(user=zi.police)
    services.group_member_remove(row, left_on=date(2026, 3, 10), acting_user=zi.m.social.user)
    card_a = BlueCard.objects.get(pk=card_a.pk)
    assert not perms.can_view_card(zi.police, card_a)
    assert login(zi.police).get(reverse("bluecard:card", args=[card_a.pk])).status_code == 404


def test_B1_dismissed_member_loses_access_at_once(zi, cards):
    card_a, _ = cards
    services.member_dismiss(zi.m.social, order_number="Z/9/2026", order_date=date(2026, 3, 10), acting_user=zi.chair)
    card_a = BlueCard.objects.get(pk=card_a.pk)
    assert not perms.visible_cards(zi.m.social.user).exists()
    assert not perms.can_view_card(zi.m.social.user, card_a)


def test_B11_group_member_cannot_manage_the_card(zi, cards, login):
    card_a, _ = cards
    client = login(zi.police)
    assert client.get(reverse("bluecard:subteam", args=[card_a.pk])).status_code == 403
    assert client.get(reverse("bluecard:closure", args=[card_a.pk])).status_code == 403
    assert client.get(reverse("bluecard:card_new")).status_code == 403
    assert client.get(reverse("bluecard:access_log")).status_code == 403


def test_B11_only_chair_vice_and_iod_see_the_access_log(zi, cards, chart, login):
    assert login(zi.m.social.user).get(reverse("bluecard:access_log")).status_code == 403
    assert login(chart.dyrektor).get(reverse("bluecard:access_log")).status_code == 403
    assert login(chart.iod).get(reverse("bluecard:access_log")).status_code == 200
    assert login(zi.vice).get(reverse("bluecard:access_log")).status_code == 200
    # the IOD sees the log, not the cards
    assert not perms.can_view_card(chart.iod, cards[0])


# --- positive -------------------------------------------------------------------------------------------


def test_B11_chair_vice_subteam_and_group_see_the_card(zi, cards):
    card_a, _ = cards
    for user in (zi.chair, zi.vice, zi.m.social.user, zi.police):
        assert perms.can_view_card(user, card_a), user


def test_B7_card_list_is_for_declared_members(zi, cards, login):
    response = login(zi.m.social.user).get(reverse("bluecard:cards"))
    assert response.status_code == 200
    assert "1/2026" in response.content.decode() and "2/2026" in response.content.decode()


def test_B8_new_coordinator_gets_the_card_and_a_later_subteam_replaces_the_earlier_one(zi, cards):
    card_a, _ = cards
    services.subteam_decide(
        card_a,
        members=[zi.m.vice, zi.m.police],
        decision="change_group",
        decided_on=date(2026, 3, 5),
        coordinator=zi.m.police,
        acting_user=zi.chair,
    )
    card_a = BlueCard.objects.get(pk=card_a.pk)
    assert card_a.group.coordinator == zi.m.police
    assert perms.is_coordinator(zi.police, card_a) and perms.can_work_in_group(zi.police, card_a)
    # the former coordinator stays a group member (listed), so still sees the card, but no longer manages it
    assert perms.can_view_card(zi.m.social.user, card_a)
    assert not perms.can_work_in_group(zi.m.social.user, card_a)


def test_B11_list_through_the_team_equals_the_grant_rows(zi, cards, chart):
    """The list and "my cards" read the Team's groups instead of every card's grant rows: for every person
    involved (leaders, members, working-group members, outsiders) the cards are exactly those their guardian
    rows give."""
    from units.permissions import visible

    make_card(zi, person="Celina Trzecia")
    people = [zi.chair, zi.vice, zi.m.social.user, zi.police, zi.teacher, chart.dyrektor, chart.dnk_pracownik]
    for person in people:
        for ours, perm in ((perms.visible_cards, "list_bluecard"), (perms.my_cards, "view_bluecard")):
            expected = set(visible(person, BlueCard.objects.all(), perm).values_list("pk", flat=True))
            assert set(ours(person).values_list("pk", flat=True)) == expected, (person.username, perm)
    assert perms.visible_cards(zi.chair).count() == 3 and perms.my_cards(zi.police).count() == 1
