"""Procedures as tables, and the one locked transition helper (ARCHITECTURE "State changes: one door per change").

Each register's procedure is one :class:`Procedure`: for each :class:`Action`, the states it starts from, the
state it leads to, its label, who may take it and the view that offers it. The service, the view (which buttons
to show) and the tests all read that one table.

:func:`transition` moves a record: it locks the row (``SELECT ... FOR UPDATE``), re-checks the current state
inside the transaction, lets the service write its fields, sets the new state and saves once, with who and why
in the history (simple-history). A second identical request (a double click, a replayed POST, a second clerk)
finds the record already moved on and gets a Polish message instead of a second change.

An action that cannot be undone carries a ``consequence`` (Polish: what will happen): its button is a link to a
confirmation page (``mopr.forms.confirm_page``, template ``includes/confirm.html``) that says so and asks for a
required reason (``mopr.forms.ConfirmForm``); the reason goes into the history as the change reason
(``confirmed_reason``: the service's own transition picks it up, the service needs no new parameter).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Action:
    """One row of a procedure table.

    ``sources``: the states the action starts from. ``target``: the state it leads to (``None``: the state does
    not change, e.g. a second request for explanations while explanations are being gathered). ``permission``:
    ``(user, obj) -> bool`` from the app's ``permissions.py``; ``None`` when the service checks it itself (e.g.
    a step taken by a background task). ``url_name``: the view that offers the action (buttons). ``confirm``: the
    action needs no form, its button POSTs at once. ``consequence``: the action cannot be undone; the Polish
    sentence says what will happen, shown on a confirmation page that asks for a reason before the action is
    taken (the button is then a link to that page, never a one-click POST)."""

    name: str
    label: str
    sources: frozenset[str]
    target: str | None = None
    permission: Callable | None = None
    url_name: str = ""
    confirm: bool = False
    consequence: str = ""

    @property
    def needs_confirmation(self) -> bool:
        """Irreversible: offered as a link to a page that says what will happen and asks for a reason."""
        return bool(self.consequence)

    @property
    def one_click(self) -> bool:
        """A POST button on the record's page (no form, nothing irreversible to confirm first)."""
        return self.confirm and not self.needs_confirmation

    def starts_from(self, state: str) -> bool:
        return state in self.sources


class Procedure:
    """A register's procedure: a table of actions over one state field."""

    def __init__(self, name: str, actions: Iterable[Action], *, states: Iterable[str], field: str = "status"):
        self.name = name
        self.field = field
        self.states = list(states)
        self.actions: dict[str, Action] = {}
        for action in actions:
            if action.name in self.actions:
                raise ValueError(f"{name}: action {action.name!r} defined twice")
            unknown = (set(action.sources) | ({action.target} if action.target else set())) - set(self.states)
            if unknown:
                raise ValueError(f"{name}.{action.name}: unknown states {sorted(unknown)}")
            self.actions[action.name] = action

    def __getitem__(self, name: str) -> Action:
        return self.actions[name]

    def __iter__(self) -> Iterator[Action]:
        return iter(self.actions.values())

    def state_of(self, obj) -> str:
        return getattr(obj, self.field)

    def allows(self, obj, name: str) -> bool:
        return self[name].starts_from(self.state_of(obj))

    def available(self, obj, user=None) -> list[Action]:
        """The actions that start from the record's state and that ``user`` may take (the buttons to show)."""
        state = self.state_of(obj)
        return [
            a
            for a in self
            if a.starts_from(state) and (user is None or a.permission is None or a.permission(user, obj))
        ]

    def transitions(self) -> dict[str, set[str]]:
        """State -> states it may move to, derived from the table (for diagrams and tests)."""
        table: dict[str, set[str]] = {state: set() for state in self.states}
        for action in self:
            for source in action.sources:
                table[source].add(action.target or source)
        return table

    def refusal(self, obj, action: Action) -> ValidationError:
        label = _state_label(obj, self.field)
        return ValidationError(
            _(
                "Czynność „%(action)s” nie jest możliwa, gdy stan to „%(state)s”. Jeśli formularz wysłano "
                "ponownie, czynność została już wykonana – odśwież stronę."
            )
            % {"action": action.label, "state": label},
            code="transition_refused",
        )

    def check(self, obj, name: str) -> Action:
        action = self[name]
        if not action.starts_from(self.state_of(obj)):
            raise self.refusal(obj, action)
        return action


def _state_label(obj, field: str) -> str:
    getter = getattr(obj, f"get_{field}_display", None)
    return str(getter()) if getter else str(getattr(obj, field))


def lock(obj):
    """The record re-read under a row lock (inside the caller's transaction)."""
    return type(obj)._default_manager.select_for_update().get(pk=obj.pk)


def record_change(obj, *, acting_user=None, reason: str = "") -> None:
    """Mark the next save's history row with who and why (also outside a request)."""
    if reason:
        obj._change_reason = str(reason)[:100]
    if acting_user is not None:
        obj._history_user = acting_user


def _copy_back(source, target) -> None:
    """Keep the caller's instance in step with the locked copy that was saved."""
    if source is target:
        return
    for f in source._meta.concrete_fields:
        setattr(target, f.attname, getattr(source, f.attname))


# The reason typed on a confirmation page, for the transition of the confirmed action (see ``confirmed_reason``).
_CONFIRMED: ContextVar[tuple[Action, str] | None] = ContextVar("mopr_confirmed_reason", default=None)


@contextmanager
def confirmed_reason(action: Action, reason: str):
    """While the service of a confirmed ``action`` runs (``mopr.forms.confirm_page``), its transition by that
    action writes ``reason`` (the person's words) into the history instead of the service's default reason.
    Other transitions in the same call keep theirs."""
    token = _CONFIRMED.set((action, str(reason)))
    try:
        yield
    finally:
        _CONFIRMED.reset(token)


def _reason_for(action: Action, reason: str) -> str:
    confirmed = _CONFIRMED.get()
    if confirmed is not None and confirmed[0] is action and confirmed[1]:
        return confirmed[1]
    return reason or action.label


@contextmanager
def transition(obj, procedure: Procedure, action_name: str, *, acting_user=None, reason: str = ""):
    """Move ``obj`` by the action ``action_name`` of ``procedure``.

    Use as ``with transition(c, COMPLAINT, "close", acting_user=u) as c: c.outcome = ...``: the body receives
    the locked, freshly read record, writes its fields and may raise (``ValidationError``) to refuse; on exit
    the state is set to the action's target and the record is saved once, with the acting person and the
    reason (default: the action's label; on a confirmation page: the reason typed there) in the history. The
    caller's instance is updated to match."""
    action = procedure[action_name]
    with transaction.atomic():
        locked = lock(obj)
        procedure.check(locked, action_name)
        yield locked
        if action.target is not None:
            setattr(locked, procedure.field, action.target)
        record_change(locked, acting_user=acting_user, reason=_reason_for(action, reason))
        locked.save()
        _copy_back(locked, obj)


def move(obj, procedure: Procedure, action_name: str, *, acting_user=None, reason: str = ""):
    """A transition that writes no field besides the state (e.g. a cancellation, the system's own step):
    ``transition()`` with nothing to do inside the lock."""
    with transition(obj, procedure, action_name, acting_user=acting_user, reason=reason) as locked:
        return locked
