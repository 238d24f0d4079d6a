"""The card list's search (issue 18): by number or signature for whoever sees the list, by name only among the
cards the person may read (B7, 004 §51 pkt 2), each card found by a name written to the access log (B11)."""

import pytest
from django.db import connection
from django.urls import reverse

from bluecard import permissions as perms
from bluecard import selectors
from bluecard.models import BlueCard
from mopr.models import AccessLog
from mopr.search import search_filter

from .conftest import appoint_reader, make_card

pytestmark = pytest.mark.django_db


def _found(client, term):
    response = client.get(reverse("bluecard:cards"), {"q": term})
    assert response.status_code == 200
    return {c.pk for c in response.context["cards"]}


def test_B7_reader_finds_a_card_by_a_name_typed_without_diacritics_and_each_find_is_logged(zi, login):
    wanted = make_card(zi, person="Żaneta Wróblewska")
    make_card(zi, person="Anna Testowa")
    reader = appoint_reader(zi)
    client = login(reader)
    assert _found(client, "zaneta wroblewska") == {wanted.pk}
    logged = AccessLog.objects.filter(user=reader, action="search")
    assert list(logged.values_list("object_id", flat=True)) == [wanted.pk]
    assert _found(client, "Testowy") == set(BlueCard.objects.values_list("pk", flat=True))  # persons suspected
    # every card found by the name is logged (one INSERT for the page's cards)
    assert set(logged.values_list("object_id", flat=True)) == set(BlueCard.objects.values_list("pk", flat=True))


def test_B7_number_and_signature_search_logs_no_content_read(zi, login):
    first = make_card(zi)
    second = make_card(zi)
    client = login(zi.m.police.user)
    assert _found(client, str(second.number)) == {second.pk}
    assert _found(client, f"{first.number}/{first.year}") == {first.pk}
    assert _found(client, f"{first.number}/1999") == set()
    assert not AccessLog.objects.filter(action="search").exists()


def test_B11_a_name_is_never_matched_among_cards_the_person_may_not_read(zi):
    """Only the readable cards are searched by name: with nothing readable, a name finds nothing, even where the
    list itself would show the card's number."""
    card = make_card(zi, person="Żaneta Wróblewska")
    listed = BlueCard.objects.filter(pk=card.pk)
    found, by_name = selectors.card_search(listed, BlueCard.objects.none(), "Wróblewska")
    assert by_name and not found.exists()
    found, by_name = selectors.card_search(listed, BlueCard.objects.none(), str(card.number))
    assert not by_name and list(found) == [card]


def test_B11_outsiders_and_undeclared_members_cannot_search(zi, login, chart):
    make_card(zi, person="Żaneta Wróblewska")
    for user in (chart.obcy, zi.m.undeclared.user):
        assert not perms.can_list_cards(user, zi.team)
        assert login(user).get(reverse("bluecard:cards"), {"q": "wroblewska"}).status_code == 403
    assert not AccessLog.objects.filter(action="search").exists()


def test_card_search_by_name_is_served_by_the_trigram_index_on_postgresql(zi):
    if connection.vendor != "postgresql":
        pytest.skip("the index exists on PostgreSQL only")
    make_card(zi, person="Żaneta Wróblewska")
    found = search_filter(BlueCard.objects.order_by(), BlueCard.SEARCH_FIELDS, "wroblewska")
    with connection.cursor() as cursor:
        # On a tiny table the planner prefers a scan; forbid scans that ignore the condition.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = found.explain()
    assert "bluecard_search_trgm" in plan, plan
