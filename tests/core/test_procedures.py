"""The shared procedure table and locked transition helper (ARCHITECTURE "State changes")."""

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from mopr.forms import ConfirmForm, confirm_page
from mopr.procedures import Action, Procedure, confirmed_reason, move, transition
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

    moved = move(matter, MATTER, "start", acting_user=chart.dnk_pracownik, reason="bez zmian pól")
    assert moved.status == "working" and matter.status == "working"
    assert matter.history.latest().history_change_reason == "bez zmian pól"
    stale = Matter.objects.get(pk=matter.pk)
    stale.status = "open"
    with pytest.raises(ValidationError, match="została już wykonana"):
        move(stale, MATTER, "start", acting_user=chart.dnk_pracownik)


# --- issue 15: irreversible actions ask first (Action.consequence, mopr.forms.confirm_page) -------------------

CLOSE = Action("close", "Zakończ", frozenset({"working"}), "closed", consequence="Sprawa zostanie zamknięta na zawsze.")
CONFIRMED = Procedure("confirmed", [CLOSE], states=["open", "working", "closed"])


def _confirm_request(method, data=None, user=None):
    request = getattr(RequestFactory(), method)("/potwierdz/", data or {})
    request.session = {}
    request._messages = FallbackStorage(request)
    request.user = user
    return request


def _run_confirm_page(request, matter):
    matter.get_absolute_url = lambda: "/sprawa/"
    return confirm_page(
        request,
        matter,
        CLOSE,
        # a service without a reason parameter: its transition takes the typed reason (confirmed_reason)
        lambda reason: move(matter, CONFIRMED, "close", acting_user=request.user, reason="zamknięto"),
        template="includes/confirm.html",
        success="Zamknięto.",
    )


def test_issue15_an_action_with_a_consequence_needs_confirmation_and_is_never_one_click():
    assert CLOSE.needs_confirmation and not CLOSE.one_click
    assert not MATTER["close"].needs_confirmation
    assert Action("x", "X", frozenset({"open"}), confirm=True).one_click
    assert not Action("x", "X", frozenset({"open"}), confirm=True, consequence="Nieodwracalne.").one_click


def test_issue15_confirm_form_requires_a_reason_in_polish_and_fits_the_history_column():
    for reason in ("", "   "):
        form = ConfirmForm({"confirm-reason": reason})
        assert not form.is_valid()
        assert form.errors["reason"] == ["Podaj powód – tej czynności nie można cofnąć."]
    assert not ConfirmForm({"confirm-reason": "x" * 101}).is_valid()
    form = ConfirmForm({"confirm-reason": " Decyzja kierownika. ", "reason": "pole formularza czynności"})
    assert form.is_valid() and form.cleaned_data["reason"] == "Decyzja kierownika."


def test_issue15_confirm_page_shows_the_consequence_then_moves_with_the_reason_and_refuses_a_replay(matter, chart):
    matter.status = "working"
    matter.save()
    page = _run_confirm_page(_confirm_request("get", user=chart.dnk_pracownik), matter)
    body = page.content.decode()
    assert page.status_code == 200 and "Sprawa zostanie zamknięta na zawsze." in body
    assert 'name="confirm-reason"' in body and ">Zakończ</button>" in body and 'href="/sprawa/"' in body
    refused = _run_confirm_page(_confirm_request("post", {"confirm-reason": ""}, chart.dnk_pracownik), matter)
    assert refused.status_code == 200 and "Podaj powód" in refused.content.decode()
    matter.refresh_from_db()
    assert matter.status == "working"
    done = _run_confirm_page(
        _confirm_request("post", {"confirm-reason": "Wniosek wycofany"}, chart.dnk_pracownik), matter
    )
    assert done.status_code == 302 and done["Location"] == "/sprawa/"
    matter.refresh_from_db()
    assert matter.status == "closed"
    assert matter.history.latest().history_change_reason == "Wniosek wycofany"
    assert matter.history.latest().history_user == chart.dnk_pracownik
    rows = matter.history.count()
    stale = Matter.objects.get(pk=matter.pk)
    stale.status = "working"  # a second tab, or the same POST replayed
    replay = _run_confirm_page(
        _confirm_request("post", {"confirm-reason": "Wniosek wycofany"}, chart.dnk_pracownik), stale
    )
    assert replay.status_code == 200 and "została już wykonana" in replay.content.decode()
    assert matter.history.count() == rows


def test_issue15_the_confirmed_reason_goes_only_to_the_confirmed_actions_transition(matter, chart):
    with confirmed_reason(MATTER["start"], "Decyzja kierownika"):
        move(matter, MATTER, "start", acting_user=chart.dnk_pracownik, reason="domyślny powód usługi")
        move(matter, MATTER, "note", acting_user=chart.dnk_pracownik, reason="notatka")
    reasons = list(matter.history.order_by("history_id").values_list("history_change_reason", flat=True))
    assert reasons[-2:] == ["Decyzja kierownika", "notatka"]
    move(matter, MATTER, "close", acting_user=chart.dnk_pracownik)
    assert matter.history.latest().history_change_reason == "Zakończ"  # outside the block: the action's label
