"""The per-request memo (``mopr.memo``): facts about the signed-in person are read once per page, never
carried past the request, and never memoised where the request may change them."""

import pytest
from django.db import transaction
from django.db.models import F
from django.test import RequestFactory

from complaints import permissions as complaint_perms
from mopr.memo import RequestMemoMiddleware, request_memo
from units.models import Unit

pytestmark = pytest.mark.django_db

calls = []


@request_memo
def _fact(user, arg):
    calls.append((user.pk, arg))
    return len(calls)


def _run(method, view):
    request = getattr(RequestFactory(), method)("/")
    return RequestMemoMiddleware(lambda req: view())(request)


def test_memo_answers_repeated_questions_once_within_a_get_request(chart):
    calls.clear()

    def view():
        return [
            _fact(chart.dyrektor, "a"),
            _fact(chart.dyrektor, "a"),
            _fact(chart.dyrektor, "b"),
            _fact(chart.dnk_pracownik, "a"),
        ]

    assert _run("get", view) == [1, 1, 2, 3]


def test_memo_is_not_kept_between_requests_nor_used_outside_them(chart):
    calls.clear()
    first = _run("get", lambda: _fact(chart.dyrektor, "a"))
    second = _run("get", lambda: _fact(chart.dyrektor, "a"))
    assert (first, second) == (1, 2)
    assert _fact(chart.dyrektor, "a") == 3 and _fact(chart.dyrektor, "a") == 4


def test_memo_in_a_request_that_may_change_the_chart_lasts_only_until_its_first_write(chart):
    """A POST answers from the memo while it has written nothing (a refused form), and reads every fact again
    after its first write, whatever it wrote."""
    calls.clear()

    def view():
        before = [_fact(chart.dyrektor, "a"), _fact(chart.dyrektor, "a")]
        Unit.objects.filter(pk=chart.unit("DNK").pk).update(name=F("name"))
        return before + [_fact(chart.dyrektor, "a"), _fact(chart.dyrektor, "a")]

    assert _run("post", view) == [1, 1, 2, 3]


def test_memo_in_a_post_is_off_after_a_locking_read_or_a_rolled_back_attempt(chart):
    calls.clear()

    def locking():
        first = _fact(chart.dyrektor, "a")
        list(Unit.objects.select_for_update().filter(pk=chart.unit("DNK").pk))
        return [first, _fact(chart.dyrektor, "a")]

    def rolled_back():
        first = _fact(chart.dyrektor, "a")
        with transaction.atomic():
            transaction.set_rollback(True)
        return [first, _fact(chart.dyrektor, "a"), _fact(chart.dyrektor, "a")]

    assert _run("post", locking) == [1, 2]
    assert _run("post", rolled_back) == [3, 4, 5]


def test_a_post_that_changes_the_chart_sees_the_change_at_once(chart):
    """The same question before and after a change of the chart inside one POST: the second answer is fresh."""
    from django.utils import timezone

    from units import services
    from units.models import Position
    from units.permissions import recompute_unit_groups

    def view():
        before = complaint_perms.is_register_staff(chart.sok_pracownik)
        assert complaint_perms.is_register_staff(chart.sok_pracownik) == before
        services.membership_create(
            user=chart.sok_pracownik,
            unit=chart.unit("DNK"),
            position=Position.EMPLOYEE,
            valid_from=timezone.localdate(),
        )
        recompute_unit_groups(chart.institution)
        return before, complaint_perms.is_register_staff(chart.sok_pracownik)

    assert _run("post", view) == (False, True)


def test_register_staff_check_sees_a_change_of_the_chart_at_once_outside_a_request(chart):
    """Services and tests call the permission functions directly: no memo, so a person who joins DNK is
    register staff at the next call."""
    from django.utils import timezone

    from units import services
    from units.models import Position
    from units.permissions import recompute_unit_groups

    assert not complaint_perms.is_register_staff(chart.sok_pracownik)
    services.membership_create(
        user=chart.sok_pracownik, unit=chart.unit("DNK"), position=Position.EMPLOYEE, valid_from=timezone.localdate()
    )
    recompute_unit_groups(chart.institution)
    assert complaint_perms.is_register_staff(chart.sok_pracownik)
