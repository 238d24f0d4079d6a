"""Issue 15, Blue Card part: the irreversible steps ask first – "Zakończ udział" in a working group (B9), the
dismissal of a Team member (B1) and the closure of a procedure (B10). The page says what will happen
(``consequence`` in bluecard/procedures.py), a reason is required, and the reason is the change reason in the
history (``mopr.forms.confirm_page``); none of them is a one-click POST button."""

from datetime import date

import pytest
from django.urls import reverse

from bluecard import services
from bluecard.models import BlueCard, CardStatus, Closure, TeamMember, WorkingGroupMember
from bluecard.procedures import CARD, MEMBER_DISMISS

from .conftest import make_card, with_group

pytestmark = pytest.mark.django_db

WHY = "Zmiana instytucji prowadzącej pracę z rodziną"


@pytest.fixture
def group_card(zi):
    card = make_card(zi, received_on=date(2026, 3, 2))
    group = with_group(zi, card)
    police = services.group_member_add(
        group, user=zi.police, institution_name="Policja", joined_on=date(2026, 3, 3), acting_user=zi.chair
    )
    return card, police


def test_issue15_irreversible_bluecard_steps_need_confirmation():
    for action in (CARD["zakoncz"], CARD["zakoncz-udzial"], MEMBER_DISMISS):
        assert action.needs_confirmation and not action.one_click, action.name
    assert CARD["powiadom"].one_click  # reversible and harmless: still one click


def test_B9_ending_participation_asks_first_and_writes_the_reason_into_the_history(zi, group_card, login):
    card, police = group_card
    client = login(zi.m.social.user)  # the coordinator
    group_page = client.get(reverse("bluecard:group", args=[card.pk])).content.decode()
    url = reverse("bluecard:group_member_leave", args=[card.pk, police.pk])
    assert url in group_page and 'value="remove"' not in group_page  # a link to the question, no one-click POST
    page = client.get(url).content.decode()
    assert "Tej czynności nie można cofnąć." in page and "dostęp do karty odebrany" in page
    refused = client.post(url, {"confirm-reason": "  "})
    assert refused.status_code == 200 and "Podaj powód" in refused.content.decode()
    assert WorkingGroupMember.objects.get(pk=police.pk).left_on is None
    response = client.post(url, {"confirm-reason": WHY})
    assert response.status_code == 302 and response["Location"] == reverse("bluecard:group", args=[card.pk])
    row = WorkingGroupMember.objects.get(pk=police.pk)
    assert row.left_on is not None
    assert row.history.latest().history_change_reason == WHY
    assert BlueCard.objects.get(pk=card.pk).history.latest().history_change_reason == WHY
    # a replayed POST finds the person gone
    assert client.post(url, {"confirm-reason": WHY}).status_code == 404


def test_B9_the_coordinator_is_not_ended_here(zi, group_card, login):
    card, _ = group_card
    coordinator_row = card.group.members.get(user=zi.m.social.user)
    url = reverse("bluecard:group_member_leave", args=[card.pk, coordinator_row.pk])
    response = login(zi.chair).post(url, {"confirm-reason": WHY})
    assert response.status_code == 200 and "Koordynatora zmienia podzespół" in response.content.decode()
    assert WorkingGroupMember.objects.get(pk=coordinator_row.pk).left_on is None


def test_B1_dismissal_asks_first_and_writes_the_reason_into_the_history(zi, login):
    client = login(zi.chair)
    url = reverse("bluecard:member_dismiss", args=[zi.m.police.pk])
    page = client.get(url).content.decode()
    assert "Tej czynności nie można cofnąć." in page and "nowego zarządzenia o powołaniu" in page
    order = {"order_number": "Zarz. 12/2026", "order_date": "2026-03-10"}
    refused = client.post(url, order)
    assert refused.status_code == 200 and "Podaj powód" in refused.content.decode()
    assert TeamMember.objects.get(pk=zi.m.police.pk).is_active
    response = client.post(url, {**order, "confirm-reason": WHY})
    assert response.status_code == 302 and response["Location"] == reverse("bluecard:home")
    member = TeamMember.objects.get(pk=zi.m.police.pk)
    assert not member.is_active and member.dismissing_order_number == "Zarz. 12/2026"
    assert member.history.latest().history_change_reason == WHY


def test_B10_closure_asks_first_and_writes_the_reason_into_the_card_history(zi, group_card, login):
    card, _ = group_card
    client = login(zi.m.social.user)
    url = reverse("bluecard:closure", args=[card.pk])
    card_page = client.get(reverse("bluecard:card", args=[card.pk])).content.decode()
    assert f'href="{url}"' in card_page and f'action="{url}"' not in card_page
    page = client.get(url).content.decode()
    assert "Tej czynności nie można cofnąć." in page and "zakończona na stałe" in page
    data = {"reason": "groundless", "forum": "group", "decided_on": "2026-03-20", "actions_summary": "Rozmowy"}
    refused = client.post(url, data)
    assert refused.status_code == 200 and not Closure.objects.filter(card=card).exists()
    response = client.post(url, {**data, "confirm-reason": WHY})
    assert response.status_code == 302 and response["Location"] == card.get_absolute_url()
    card.refresh_from_db()
    assert card.status == CardStatus.CLOSING and Closure.objects.filter(card=card).count() == 1
    assert card.history.latest().history_change_reason == WHY


def test_B10_the_chair_who_closes_goes_on_to_the_signature(zi, group_card, login):
    card, _ = group_card
    data = {"reason": "groundless", "forum": "team", "decided_on": "2026-03-20", "actions_summary": "Rozmowy"}
    response = login(zi.chair).post(reverse("bluecard:closure", args=[card.pk]), {**data, "confirm-reason": WHY})
    assert response.status_code == 302 and "/struktura/obieg/" in response["Location"]
