"""The register's search box: diacritics and case do not matter, visibility still does, PostgreSQL uses an index.

Issue 18 (search at a million records): a clerk types "Kowalczykowna" for "Kowalczykówna"; the search must
not reveal rows (or their count) that the user cannot see; on PostgreSQL the trigram index serves it.
"""

import pytest
from django.db import connection
from django.urls import reverse

from complaints import permissions, services
from complaints.forms import ComplaintFilter
from complaints.models import Complaint
from mopr.search import fold

pytestmark = pytest.mark.django_db


def test_fold_drops_case_and_every_polish_diacritic():
    assert fold("ZAŻÓŁĆ GĘŚLĄ JAŹŃ") == "zazolc gesla jazn"
    assert fold("Kowalczykówna") == "kowalczykowna"
    assert fold(None) is None


def _signs(client, term):
    response = client.get(reverse("complaints:list"), {"q": term})
    assert response.status_code == 200
    return {c.sign for c in response.context["page_obj"].object_list}, response.context["page_obj"].paginator.count


def test_C1_search_finds_a_name_typed_without_diacritics_and_in_any_case(chart, login, register):
    wanted = register(complainant_name="Zofia Kowalczykówna", subject="Odmowa zasiłku celowego")
    other = register(complainant_name="Jan Nowak", subject="Opieszałość w sprawie dodatku")
    client = login(chart.dnk_pracownik)
    assert _signs(client, "kowalczykowna") == ({wanted.sign}, 1)
    assert _signs(client, "KOWALCZYKÓWNA") == ({wanted.sign}, 1)
    assert _signs(client, "opieszalosc") == ({other.sign}, 1)  # subject, typed without diacritics
    assert _signs(client, wanted.sign) == ({wanted.sign}, 1)  # the sign itself
    assert _signs(client, "zasilku") == ({wanted.sign}, 1)


def test_U7_search_never_reveals_entries_or_counts_outside_the_users_visibility(chart, login, register):
    """The head of SOK sees only the entry SOK was asked to explain; searching for the other finds nothing."""
    hidden = register(complainant_name="Ewa Żółkiewska", subject="Sprawa wyłącznie DNK")
    asked = register(complainant_name="Ewa Żółkiewska", subject="Dotyczy SOK", units_concerned=[chart.unit("SOK")])
    services.complaint_request_explanation(asked, acting_user=chart.dnk_pracownik, unit=chart.unit("SOK"))
    head = chart.sok_kierownik
    assert set(permissions.visible_complaints(head)) == {asked}
    assert _signs(login(head), "zolkiewska") == ({asked.sign}, 1)
    assert _signs(login(head), hidden.sign) == (set(), 0)


def test_search_is_served_by_the_trigram_index_on_postgresql(chart, register):
    if connection.vendor != "postgresql":
        pytest.skip("the index exists on PostgreSQL only")
    register(complainant_name="Zofia Kowalczykówna")
    queryset = ComplaintFilter({"q": "kowalczykowna"}, queryset=Complaint.objects.all()).qs.order_by()
    with connection.cursor() as cursor:
        # On a tiny table the planner prefers a scan; forbid scans that ignore the condition, so the plan shows
        # whether the condition itself can be answered from an index.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = queryset.explain()
    assert "complaint_search_trgm" in plan, plan


def test_C1_a_sign_typed_in_any_case_finds_the_entries_whose_sign_begins_with_it(chart, login, register):
    first = register(subject="Pierwsza")
    second = register(subject="Druga")
    client = login(chart.dnk_pracownik)
    assert _signs(client, first.sign.lower()) == ({first.sign}, 1)
    prefix = first.sign.rsplit(".", 2)[0]  # e.g. DNK.1510: both entries
    assert _signs(client, prefix)[0] == {first.sign, second.sign}


def test_sign_search_reads_the_signs_own_index_not_the_trigrams(chart, register):
    """Every sign shares its unit and file-plan symbol, so the trigram index would return the whole register;
    a sign-shaped term is a prefix of the sign, answered by the sign's pattern index."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's plan")
    entry = register()
    queryset = ComplaintFilter({"q": entry.sign}, queryset=Complaint.objects.all()).qs.order_by()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
    assert "sign" in plan and "_like" in plan and "complaint_search_trgm" not in plan, plan
