"""U7: access mirrors the chart. A matrix of roles x records owned by different units, negative cases first."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.testapp.models import Matter
from units import permissions, services
from units.models import Supervision

pytestmark = pytest.mark.django_db

User = get_user_model()


def _matter(chart, symbol, title=None):
    matter = Matter.objects.create(unit=chart.unit(symbol), title=title or symbol)
    permissions.grant_unit_perms(matter)
    return matter


@pytest.fixture
def matters(chart):
    return {symbol: _matter(chart, symbol) for symbol in ["DNK", "SOK", "SDA", "DSR", "ZPS Nr 1", "DFK", "DKA"]}


# login -> symbols of the matters the person may view
CAN_VIEW = {
    "obcy": set(),
    "iod": set(),
    "pracownik_socjalny": {"ZPS Nr 1"},
    "dnk_pracownik": {"DNK"},
    "sok_pracownik": {"SOK"},
    "dnk_kierownik": {"DNK"},
    "sok_kierownik": {"SOK"},
    "dsr_kierownik": {"DSR", "SOK", "SDA"},
    "zastepca1": {"DSR", "SOK", "SDA", "ZPS Nr 1"},
    "zastepca2": {"DNK"},
    "ksiegowa": {"DFK"},
    "zgk": {"DFK"},
    "dka_kierownik": {"DKA"},
    "dyrektor": {"DNK", "SOK", "SDA", "DSR", "ZPS Nr 1", "DFK", "DKA"},
}

CAN_CHANGE = {
    "zastepca1": set(),  # oversight reads, does not edit
    "dyrektor": set(),
    "obcy": set(),
    "dnk_pracownik": {"DNK"},
    "dsr_kierownik": {"DSR", "SOK", "SDA"},
    "sok_kierownik": {"SOK"},
}


@pytest.mark.parametrize("login", sorted(CAN_VIEW))
def test_U7_view_matrix_visible_and_may_agree(chart, matters, login):
    user = chart.people[login]
    seen = set(permissions.visible(user, Matter.objects.all(), "view_matter").values_list("title", flat=True))
    assert seen == CAN_VIEW[login]
    for symbol, matter in matters.items():
        assert permissions.may(user, "view_matter", matter) == (symbol in CAN_VIEW[login]), symbol


@pytest.mark.parametrize("login", sorted(CAN_CHANGE))
def test_U7_change_matrix(chart, matters, login):
    user = chart.people[login]
    changeable = set(permissions.visible(user, Matter.objects.all(), "change_matter").values_list("title", flat=True))
    assert changeable == CAN_CHANGE[login]
    for symbol, matter in matters.items():
        assert permissions.may(user, "change_matter", matter) == (symbol in CAN_CHANGE[login]), symbol


def test_U7_anonymous_and_inactive_users_see_nothing(chart, matters):
    from django.contrib.auth.models import AnonymousUser

    assert not permissions.visible(AnonymousUser(), Matter.objects.all(), "view_matter").exists()
    chart.dyrektor.is_active = False
    assert not permissions.visible(chart.dyrektor, Matter.objects.all(), "view_matter").exists()
    assert not permissions.may(chart.dyrektor, "view_matter", matters["DNK"])


def test_U7_explicit_grant_to_a_named_person_and_its_revocation(chart, matters):
    matter = matters["DSR"]
    assert not permissions.may(chart.dnk_pracownik, "view_matter", matter)
    permissions.grant_user(chart.dnk_pracownik, "view_matter", matter)
    seen = set(
        permissions.visible(chart.dnk_pracownik, Matter.objects.all(), "view_matter").values_list("title", flat=True)
    )
    assert seen == {"DNK", "DSR"}
    assert permissions.may(chart.dnk_pracownik, "view_matter", matter)
    assert not permissions.may(chart.dnk_pracownik, "change_matter", matter)
    permissions.revoke_user(chart.dnk_pracownik, "view_matter", matter)
    assert not permissions.may(chart.dnk_pracownik, "view_matter", matter)


def test_U7_moving_a_record_moves_its_access(chart, matters):
    matter = matters["SOK"]
    permissions.move_record(matter, chart.unit("DNK"))
    assert not permissions.may(chart.sok_pracownik, "view_matter", matter)
    assert permissions.may(chart.dnk_pracownik, "view_matter", matter)


def test_U3_reassigning_a_unit_to_the_other_deputy_moves_access_at_once_touching_no_record(
    chart, matters, django_capture_on_commit_callbacks
):
    dnk = matters["DNK"]
    assert permissions.may(chart.zastepca2, "view_matter", dnk)
    assert not permissions.may(chart.zastepca1, "view_matter", dnk)
    with CaptureQueriesContext(connection) as ctx, django_capture_on_commit_callbacks(execute=True):
        services.supervision_transfer(
            unit=chart.unit("DNK"),
            to_user=chart.zastepca1,
            on=timezone.localdate(),
            basis="Zarządzenie Dyrektora nr 12/2026",
            acting_user=chart.dyrektor,
        )
    assert not any("testapp_matter" in q["sql"] for q in ctx.captured_queries if not q["sql"].startswith("SELECT"))
    assert sum(q["sql"].startswith("SAVEPOINT") or q["sql"] == "BEGIN" for q in ctx.captured_queries) <= 2
    # fresh user objects: no permission cache
    zastepca1 = User.objects.get(pk=chart.zastepca1.pk)
    zastepca2 = User.objects.get(pk=chart.zastepca2.pk)
    assert permissions.may(zastepca1, "view_matter", dnk)
    assert not permissions.may(zastepca2, "view_matter", dnk)
    assert Supervision.objects.filter(unit=chart.unit("DNK")).count() == 2  # the old one ended, kept in history


def test_U7_visible_issues_two_queries_for_10_and_for_5000_records(chart, django_assert_num_queries):
    """The user's role units, then the records: the same two statements whatever the number of records."""
    user = chart.dsr_kierownik
    units = [chart.unit(s) for s in ["DSR", "SOK", "DNK", "SDA"]]
    Matter.objects.bulk_create([Matter(unit=units[i % 4], title=f"m{i}") for i in range(10)])
    with django_assert_num_queries(2):
        small = len(list(permissions.visible(user, Matter.objects.all(), "view_matter")))
    Matter.objects.bulk_create([Matter(unit=units[i % 4], title=f"m{i}") for i in range(10, 5000)])
    with django_assert_num_queries(2):
        large = len(list(permissions.visible(user, Matter.objects.all(), "view_matter")))
    assert small < large == 3750


def test_U4_acting_director_gains_the_directors_oversight_for_the_day(chart, matters):
    today = timezone.localdate()
    services.absence_register(
        user=chart.dyrektor,
        date_from=today,
        date_to=today + timedelta(days=5),
        substitute=chart.zastepca1,
        reason="urlop",
    )
    permissions.recompute_unit_groups(chart.institution, today)
    zastepca1 = User.objects.get(pk=chart.zastepca1.pk)
    assert permissions.may(zastepca1, "view_matter", matters["DKA"])  # a Director's unit
    permissions.recompute_unit_groups(chart.institution, today + timedelta(days=6))
    zastepca1 = User.objects.get(pk=chart.zastepca1.pk)
    assert not permissions.may(zastepca1, "view_matter", matters["DKA"])


def test_U7_a_person_who_leaves_the_unit_loses_access(chart, matters, django_capture_on_commit_callbacks):
    membership = chart.dnk_pracownik.memberships.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_end(membership, on=date(2021, 1, 1))
    assert not permissions.may(User.objects.get(pk=chart.dnk_pracownik.pk), "view_matter", matters["DNK"])


def test_U7_iod_group_gets_access_log_permission(chart):
    assert permissions.is_iod(chart.iod)
    assert not permissions.is_iod(chart.dyrektor)
    assert User.objects.get(pk=chart.iod.pk).has_perm("mopr.view_accesslog")
    assert not User.objects.get(pk=chart.dyrektor.pk).has_perm("mopr.view_accesslog")


def test_U7_explicit_group_grant_to_another_units_heads(chart, matters, django_assert_num_queries):
    """A record of DNK shared with the heads of DSR (e.g. asked to explain): they see it, DSR staff do not."""
    from units.models import UnitRole

    matter = matters["DNK"]
    permissions.grant_group(permissions.unit_group(chart.unit("DSR"), UnitRole.HEADS), "view_matter", matter)
    head = User.objects.get(pk=chart.sok_kierownik.pk)  # SOK's head is among DSR's heads? no: heads go upwards
    dsr_head = User.objects.get(pk=chart.dsr_kierownik.pk)
    with django_assert_num_queries(2):
        seen = set(permissions.visible(dsr_head, Matter.objects.all(), "view_matter").values_list("title", flat=True))
    assert "DNK" in seen
    assert permissions.may(dsr_head, "view_matter", matter)
    assert "DNK" not in set(
        permissions.visible(head, Matter.objects.all(), "view_matter").values_list("title", flat=True)
    )
    assert not permissions.may(chart.sok_pracownik, "view_matter", matter)


def test_U7_visible_reads_explicit_grants_as_indexable_arrays_on_postgresql(chart):
    """Every branch of the visibility condition can use an index: the role units as a literal list, the
    explicit grants as ``= ANY(ARRAY(subquery))`` (an ``IN (subquery)`` inside an OR is a per-row filter)."""
    from django.db import connection

    sql = str(permissions.visible(chart.dsr_kierownik, Matter.objects.all(), "view_matter").query)
    if connection.vendor == "postgresql":
        assert sql.count("= ANY(ARRAY(SELECT") == 2
    else:
        assert "ANY(ARRAY" not in sql
    assert "units_unitgroup" not in sql  # the role units were resolved before, once per request


def test_U7_visible_starts_from_the_users_own_groups_as_a_literal_list(chart, matters):
    """Issue 18 (sparse readers): the explicit group grants are read for the user's few groups, given as a literal
    list, so PostgreSQL reads only their grants through the (group, permission, record) index instead of
    probing the membership table once for every explicit grant of the permission."""
    from units.models import UnitRole

    head = User.objects.get(pk=chart.dsr_kierownik.pk)
    own = sorted(head.groups.values_list("pk", flat=True))
    assert own
    sql = str(permissions.visible(head, Matter.objects.all(), "view_matter").query)
    assert "auth_user_groups" not in sql
    assert f"IN ({', '.join(map(str, own))})" in sql
    # and the grant to another unit's heads still reaches them, and nobody else
    permissions.grant_group(permissions.unit_group(chart.unit("DSR"), UnitRole.HEADS), "view_matter", matters["DNK"])
    assert permissions.visible(head, Matter.objects.filter(pk=matters["DNK"].pk), "view_matter").exists()
    assert not permissions.visible(
        User.objects.get(pk=chart.sok_pracownik.pk), Matter.objects.filter(pk=matters["DNK"].pk), "view_matter"
    ).exists()
