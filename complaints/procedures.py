"""The two procedures of DNK's registers as tables (ARCHITECTURE "Procedures are tables").

``COMPLAINT``: the register of complaints and motions (C1-C10, C12, C14). ``WHISTLEBLOWER``: the register of
reports of breaches of law (C11). For each action: the states it starts from, the state it leads to, its label,
who may take it and the page that offers it. The services move records only through
``mopr.procedures.transition(record, TABLE, action, ...)``; the detail pages draw their buttons from
``TABLE.available(record, user)``; the tests read the same tables. Registration creates a record and is not a
transition.

Actions with a ``consequence`` close the record for good: their page says so and asks for a reason, which goes
into the history (mopr.procedures).

Actions without ``url_name`` are steps the system takes on its own (the last explanation arrives, the approval
flow ends): they are in the table so that the states they join are written down once, but they are never
buttons. Actions with ``target=None`` keep the state and still go through the locked helper (the row lock, the
state check and the history row with who and why).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from mopr.procedures import Action, Procedure

from . import permissions
from .models import Status, WhistleblowerStatus

S = Status
W = WhistleblowerStatus

# Every state in which the entry is still being handled (a new deadline may be set, C7).
_BEFORE_SENDING = frozenset({S.REGISTERED, S.COMPLETION_REQUESTED, S.EXPLAINING, S.READY, S.IN_APPROVAL, S.SIGNED})


def _work(user, complaint) -> bool:
    return permissions.can_work_on_complaint(user, complaint)


COMPLAINT = Procedure(
    "complaint",
    [
        Action(
            "uzupelnienie",
            _("Wezwij do uzupełnienia"),
            frozenset({S.REGISTERED}),
            S.COMPLETION_REQUESTED,
            permission=_work,
            url_name="complaints:action",
        ),
        # The state stays: the delivery of the request is recorded and the 7 days run from it (C9).
        Action(
            "doreczenie",
            _("Odnotuj doręczenie wezwania"),
            frozenset({S.COMPLETION_REQUESTED}),
            None,
            permission=_work,
            url_name="complaints:action",
        ),
        Action(
            "uzupelniono",
            _("Odnotuj uzupełnienie"),
            frozenset({S.COMPLETION_REQUESTED}),
            S.REGISTERED,
            permission=_work,
            url_name="complaints:action",
        ),
        Action(
            "przekaz",
            _("Przekaż według właściwości"),
            frozenset({S.REGISTERED, S.COMPLETION_REQUESTED}),
            S.CLOSED,
            permission=_work,
            url_name="complaints:action",
            consequence=_(
                "Sprawa zostanie zamknięta jako przekazana do organu właściwego, a wnoszący dostanie zawiadomienie "
                "o przekazaniu. Zamkniętej sprawy nie można otworzyć ponownie."
            ),
        ),
        # Also after units were asked: an anonymous entry may be found out only then (§8 ust. 1).
        Action(
            "bez-rozpoznania",
            _("Pozostaw bez rozpoznania"),
            frozenset({S.REGISTERED, S.COMPLETION_REQUESTED, S.EXPLAINING, S.READY}),
            S.CLOSED,
            permission=_work,
            url_name="complaints:action",
            consequence=_(
                "Sprawa zostanie zamknięta bez rozpoznania, a jej terminy anulowane. Zamkniętej sprawy nie można "
                "otworzyć ponownie."
            ),
        ),
        # From "w wyjaśnianiu" the state stays: one more unit is asked (C3).
        Action(
            "wyjasnienia",
            _("Poproś komórkę o wyjaśnienia"),
            frozenset({S.REGISTERED, S.EXPLAINING, S.READY}),
            S.EXPLAINING,
            permission=_work,
            url_name="complaints:action",
        ),
        # The last unit's explanation arrived (explanation_submit): the system's step, not a button.
        Action("komplet-wyjasnien", _("komplet wyjaśnień"), frozenset({S.EXPLAINING}), S.READY),
        Action(
            "odpowiedz",
            _("Przygotuj odpowiedź do podpisu"),
            frozenset({S.REGISTERED, S.READY}),
            S.IN_APPROVAL,
            permission=_work,
            url_name="complaints:action",
        ),
        # The approval flow ended (on_response_flow_finished, U6/C10): signed, or returned for corrections.
        Action("podpisano", _("odpowiedź podpisana"), frozenset({S.IN_APPROVAL}), S.SIGNED),
        Action("zwrocono", _("odpowiedź zwrócona do poprawy"), frozenset({S.IN_APPROVAL}), S.READY),
        Action(
            "wyslano",
            _("Odnotuj wysłanie odpowiedzi"),
            frozenset({S.SIGNED}),
            S.SENT,
            permission=_work,
            url_name="complaints:action",
        ),
        # After the response was sent; before it, only by a note under C8 (the service checks which outcome).
        Action(
            "zakoncz",
            _("Zakończ sprawę"),
            frozenset({S.SENT, S.REGISTERED, S.EXPLAINING, S.READY, S.COMPLETION_REQUESTED}),
            S.CLOSED,
            permission=_work,
            url_name="complaints:action",
            consequence=_(
                "Sprawa zostanie zamknięta z wybranym sposobem załatwienia, a jej terminy anulowane. Zamkniętej "
                "sprawy nie można otworzyć ponownie."
            ),
        ),
        Action(
            "termin",
            _("Wyznacz nowy termin"),
            _BEFORE_SENDING,
            None,
            permission=_work,
            url_name="complaints:action",
        ),
        Action(
            "zalacznik", _("Dodaj załącznik"), frozenset(S.values), None, permission=_work, url_name="complaints:action"
        ),
    ],
    states=S.values,
)


def _assign(user, report) -> bool:
    return permissions.can_assign_whistleblower(user, report)


def _handle(user, report) -> bool:
    return permissions.can_handle_whistleblower(user, report)


WHISTLEBLOWER = Procedure(
    "whistleblower",
    [
        Action(
            "przydziel",
            _("Przydziel osobę"),
            frozenset(W.values),
            None,
            permission=_assign,
            url_name="complaints:wb_action",
        ),
        Action("odwolaj", _("Odwołaj osobę"), frozenset(W.values), None, permission=_assign),
        Action(
            "potwierdz",
            _("Potwierdź przyjęcie zgłoszenia"),
            frozenset({W.RECEIVED}),
            W.ACKNOWLEDGED,
            permission=_handle,
            url_name="complaints:wb_action",
        ),
        Action(
            "postepowanie",
            _("Wszczęcie postępowania wyjaśniającego"),
            frozenset({W.ACKNOWLEDGED}),
            W.PROCEEDINGS,
            permission=_handle,
            url_name="complaints:wb_action",
        ),
        Action(
            "informacja",
            _("Informacja zwrotna dla zgłaszającego"),
            frozenset({W.ACKNOWLEDGED, W.PROCEEDINGS}),
            W.FEEDBACK_GIVEN,
            permission=_handle,
            url_name="complaints:wb_action",
        ),
        Action(
            "zamknij",
            _("Zamknij zgłoszenie"),
            frozenset({W.FEEDBACK_GIVEN}),
            W.CLOSED,
            permission=_handle,
            url_name="complaints:wb_action",
            consequence=_(
                "Zgłoszenie zostanie zamknięte, a jego terminy anulowane. Zamkniętego zgłoszenia nie można "
                "otworzyć ponownie."
            ),
        ),
    ],
    states=W.values,
)


def buttons(procedure: Procedure, obj, user) -> list[Action]:
    """The actions the detail page offers ``user`` now: the table's available actions that have a page."""
    return [action for action in procedure.available(obj, user) if action.url_name]
