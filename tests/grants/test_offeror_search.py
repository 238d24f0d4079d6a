"""The offerors' search (issue 18): name, KRS, NIP, REGON or town, without regard to case or diacritics."""

import pytest
from django.db import connection
from django.urls import reverse

from grants.models import Offeror
from mopr.search import search_filter

from .factories import make_offeror

pytestmark = pytest.mark.django_db


def _found(client, term):
    response = client.get(reverse("grants:offerors"), {"q": term})
    assert response.status_code == 200
    return {o.pk for o in response.context["offerors"]}


def test_offerors_found_by_a_fragment_of_the_name_without_diacritics_or_by_numbers(chart, login):
    wanted = make_offeror(name="Stowarzyszenie „Pomocna Dłoń” w Łapach", city="Łapy")
    other = make_offeror(name="Fundacja Rodzina")
    client = login(chart.dnk_pracownik)
    assert _found(client, "pomocna dlon") == {wanted.pk}
    assert _found(client, "LAPY") == {wanted.pk}
    assert _found(client, other.nip) == {other.pk}
    assert _found(client, other.krs[-6:]) == {other.pk}
    assert (
        'value="pomocna dlon"'
        in login(chart.dnk_pracownik).get(reverse("grants:offerors"), {"q": "pomocna dlon"}).content.decode()
    )


def test_offerors_search_refused_to_people_who_do_not_run_competitions(chart, login):
    make_offeror(name="Fundacja Rodzina")
    assert login(chart.pracownik_socjalny).get(reverse("grants:offerors"), {"q": "rodzina"}).status_code == 403


def test_offeror_search_is_served_by_the_trigram_index_on_postgresql(chart):
    if connection.vendor != "postgresql":
        pytest.skip("the index exists on PostgreSQL only")
    make_offeror(name="Fundacja Rodzina")
    found = search_filter(Offeror.objects.order_by(), Offeror.SEARCH_FIELDS, "rodzina")
    with connection.cursor() as cursor:
        # On a tiny table the planner prefers a scan; forbid scans that ignore the condition.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = found.explain()
    assert "offeror_search_trgm" in plan, plan
