"""The shared procedure table and locked transition helper (ARCHITECTURE "State changes")."""

import pytest
from django.core.exceptions import ValidationError

from mopr.procedures import Action, Procedure, transition
from tests.concurrency import errors, oks, race
from tests.testapp.models import Matter

MATTER = Procedure(
    "matter",
    [
        Action("start", "Rozpocznij", frozenset({"open"}), "working"),
        Action("note", "Notatka", frozenset({"open", "working"})),
        Action("close", "Zakończ", frozenset({"working"}), "closed"),
    ],
    states=["open", "working", "closed"],
)


@pytest.fixture
def matter(chart):
    return Matter.objects.create(unit=chart.unit("DNK"), title="Sprawa")


def test_table_rejects_unknown_states_and_duplicate_actions():
    with pytest.raises(ValueError):
        Procedure("x", [Action("a", "A", frozenset({"nowhere"}), "open")], states=["open"])
    with pytest.raises(ValueError):
        Procedure("x", [Action("a", "A", frozenset({"open"})), Action("a", "A", frozenset({"open"}))], states=["open"])


def test_transitions_and_buttons_are_derived_from_the_one_table(matter, chart):
    assert MATTER.transitions() == {"open": {"working", "open"}, "working": {"working", "closed"}, "closed": set()}
    assert [a.name for a in MATTER.available(matter)] == ["start", "note"]


def test_transition_writes_state_who_and_why_in_one_history_row(matter, chart):
    with transition(matter, MATTER, "start", acting_user=chart.dnk_pracownik, reason="z urzędu") as locked:
        locked.note = "przyjęto"
    matter.refresh_from_db()
    assert (matter.status, matter.note) == ("working", "przyjęto")
    record = matter.history.latest()
    assert record.history_user == chart.dnk_pracownik
    assert record.history_change_reason == "z urzędu"


def test_second_identical_request_is_refused_in_polish_and_changes_nothing(matter, chart):
    with transition(matter, MATTER, "start", acting_user=chart.dnk_pracownik):
        pass
    rows = matter.history.count()
    stale = Matter.objects.get(pk=matter.pk)
    stale.status = "open"  # what a second browser tab still believes
    with pytest.raises(ValidationError, match="została już wykonana"):
        with transition(stale, MATTER, "start", acting_user=chart.dnk_pracownik):
            pass
    assert matter.history.count() == rows


def test_a_refusal_inside_the_body_saves_nothing(matter, chart):
    with pytest.raises(ValidationError):
        with transition(matter, MATTER, "start", acting_user=chart.dnk_pracownik) as locked:
            locked.note = "pół zapisu"
            raise ValidationError("nie")
    matter.refresh_from_db()
    assert (matter.status, matter.note) == ("open", "")


@pytest.mark.django_db(transaction=True)
def test_five_concurrent_transitions_on_postgresql_make_exactly_one_change():
    from tests.conftest import build_chart

    chart = build_chart()
    matter = Matter.objects.create(unit=chart.unit("DNK"), title="Sprawa")

    def attempt(i):
        with transition(
            Matter.objects.get(pk=matter.pk), MATTER, "start", acting_user=chart.dnk_pracownik, reason=f"próba {i}"
        ):
            pass

    results = race(5, attempt)
    assert len(oks(results)) == 1
    assert all(isinstance(e, ValidationError) for e in errors(results))
    assert matter.history.filter(status="working").count() == 1


def test_move_changes_only_the_state_and_refuses_a_replay(matter, chart):
    from mopr.procedures import move

    moved = move(matter, MATTER, "start", acting_user=chart.dnk_pracownik, reason="bez zmian pól")
    assert moved.status == "working" and matter.status == "working"
    assert matter.history.latest().history_change_reason == "bez zmian pól"
    stale = Matter.objects.get(pk=matter.pk)
    stale.status = "open"
    with pytest.raises(ValidationError, match="została już wykonana"):
        move(stale, MATTER, "start", acting_user=chart.dnk_pracownik)
