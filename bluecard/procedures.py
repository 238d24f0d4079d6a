"""The two procedures of the Team's registers as tables (ARCHITECTURE "Procedures are tables").

``CARD``: the Blue Card procedure (B7-B10, B13). ``MEETING``: a Team meeting's lifecycle (B2-B6). For each action:
the states it starts from, the state it leads to, its label, who may take it and the page that offers it. The
services move records only through ``mopr.procedures.transition(record, TABLE, action, ...)`` (row lock, state
re-checked inside the transaction, one history row with who and why); the card and meeting pages draw their
buttons and forms from ``TABLE.available(record, user)``; the tests read the same tables. Registering a card and
calling a meeting create the record and are not transitions.

Actions without ``url_name`` are steps taken on a page's form or by the system (the chair's signature ends the
approval flow): they are in the table so that the states they join are written down once, never as buttons.
Actions with ``target=None`` keep the state and still go through the locked helper.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from mopr.procedures import Action, Procedure

from . import permissions
from .models import CardStatus, MeetingStatus

C = CardStatus
M = MeetingStatus

_OPEN = frozenset({C.REGISTERED, C.LEFT_TO_TEAM, C.WORKING_GROUP})


def _manage_card(user, card) -> bool:
    return permissions.can_manage_card(user, card)


def _notify(user, card) -> bool:
    return card.notification_sent_at is None and permissions.can_manage_card(user, card)


def _work(user, card) -> bool:
    return permissions.can_work_in_group(user, card)


CARD = Procedure(
    "bluecard",
    [
        Action(
            "powiadom",
            _("Powiadom członków Zespołu"),
            _OPEN | {C.CLOSING},
            None,
            permission=_notify,
            url_name="bluecard:card_notify",
            confirm=True,
        ),
        # B8 (004 §24-26): the subteam's three decisions, one form and one button (``?decyzja=`` preselects the
        # decision when only one is possible).
        Action(
            "powolaj-grupe",
            _("Decyzja podzespołu: powołanie grupy"),
            frozenset({C.REGISTERED, C.LEFT_TO_TEAM}),
            C.WORKING_GROUP,
            permission=_manage_card,
            url_name="bluecard:subteam",
        ),
        Action(
            "pozostaw-zespolowi",
            _("Decyzja podzespołu: pozostawienie sprawy Zespołowi"),
            frozenset({C.REGISTERED}),
            C.LEFT_TO_TEAM,
            permission=_manage_card,
            url_name="bluecard:subteam",
        ),
        Action(
            "zmien-grupe",
            _("Decyzja podzespołu: zmiany osobowe w grupie"),
            frozenset({C.WORKING_GROUP}),
            None,
            permission=_manage_card,
            url_name="bluecard:subteam",
        ),
        # B9: the group's work.
        Action(
            "sklad-grupy",
            _("Skład grupy"),
            frozenset({C.WORKING_GROUP}),
            None,
            permission=_work,
            url_name="bluecard:group",
        ),
        Action(
            "spotkanie-grupy",
            _("Zapisz spotkanie grupy"),
            frozenset({C.WORKING_GROUP}),
            None,
            permission=_work,
            url_name="bluecard:group_meeting_new",
        ),
        # B9 (004 §25), irreversible: a person's participation in the group ends (per person, from the group page).
        Action(
            "zakoncz-udzial",
            _("Zakończ udział w grupie"),
            frozenset({C.WORKING_GROUP}),
            None,
            permission=_work,
            consequence=_(
                "Udział tej osoby w grupie zostanie zakończony z dzisiejszą datą, a jej dostęp do karty odebrany od "
                "razu. Zakończenia udziału nie można cofnąć – osobę można jedynie dodać do grupy ponownie."
            ),
        ),
        Action("plan-pomocy", _("Dodaj działanie do planu pomocy"), _OPEN, None, permission=_work),
        # B10 (004 §32-34): the closure protocol goes to the chair's signature ...
        # Irreversible, so its page says what will happen and asks for a reason (the card's history).
        Action(
            "zakoncz",
            _("Zakończ procedurę"),
            _OPEN,
            C.CLOSING,
            permission=_work,
            url_name="bluecard:closure",
            consequence=_(
                "Protokół zakończenia trafi do podpisu Przewodniczącego Zespołu; po podpisie procedura zostaje "
                "zakończona na stałe, a podmioty uczestniczące w procedurze zostaną o tym powiadomione (004 §34-36)."
            ),
        ),
        # ... and the approval flow ends it (signed), or puts the card back where it was (returned).
        Action("podpisano", _("protokół zakończenia podpisany"), frozenset({C.CLOSING}), C.CLOSED),
        Action("zwrocono-do-grupy", _("protokół zakończenia zwrócony"), frozenset({C.CLOSING}), C.WORKING_GROUP),
        Action("zwrocono-do-zespolu", _("protokół zakończenia zwrócony"), frozenset({C.CLOSING}), C.LEFT_TO_TEAM),
        Action("zwrocono", _("protokół zakończenia zwrócony"), frozenset({C.CLOSING}), C.REGISTERED),
    ],
    states=C.values,
)

# B1 (004 §49), irreversible: the dismissal of a Team member is not a state of a procedure, but it cannot be undone, so
# it asks first like the table's irreversible actions (``mopr.forms.confirm_page``).
MEMBER_DISMISS = Action(
    "odwolaj-czlonka",
    _("Odwołaj członka Zespołu"),
    frozenset(),
    consequence=_(
        "Członek Zespołu zostanie odwołany zarządzeniem: traci od razu dostęp do Zespołu, kart i grup, w których "
        "był. Odwołania nie można cofnąć – ponowny udział wymaga nowego zarządzenia o powołaniu (004 §49)."
    ),
)

# The subteam's decisions (SubteamDecision.Decision) -> their row in CARD.
SUBTEAM_ACTIONS = {
    "working_group": "powolaj-grupe",
    "leave_to_team": "pozostaw-zespolowi",
    "change_group": "zmien-grupe",
}


def _manage_team(user, meeting) -> bool:
    return permissions.can_manage_team(user, meeting.team)


def _remark(user, meeting) -> bool:
    """B6, B11: a member with a confidentiality declaration (the protocol names nobody without one)."""
    return permissions.active_member(user, meeting.team) is not None and permissions.has_declaration(user, meeting.team)


MEETING = Procedure(
    "bluecard_meeting",
    [
        # 004 §19, B4, B11: the attendance list (members with a declaration; guests who undertook confidentiality).
        Action(
            "attendance", _("Zapisz listę obecności"), frozenset({M.SCHEDULED, M.HELD}), M.HELD, permission=_manage_team
        ),
        Action(
            "guest", _("Dopisz osobę zaproszoną"), frozenset({M.SCHEDULED, M.HELD}), M.HELD, permission=_manage_team
        ),
        # B5 (004 §16-17): votes need the attendance (quorum); an urgent decision needs only that the meeting began.
        Action("resolution", _("Zapisz wynik głosowania"), frozenset({M.HELD}), None, permission=_manage_team),
        Action("urgent", _("Zapisz decyzję pilną"), frozenset({M.SCHEDULED, M.HELD}), None, permission=_manage_team),
        # B6 (004 §18-20): the draft protocol, members' remarks within 7 days, the final protocol to the signature.
        Action("protocol", _("Sporządź protokół (PDF)"), frozenset({M.HELD}), None, permission=_manage_team),
        Action("remark", _("Dołącz uwagę do protokołu"), frozenset({M.SCHEDULED, M.HELD}), None, permission=_remark),
        Action(
            "finalise",
            _("Protokół ostateczny – do podpisu"),
            frozenset({M.HELD}),
            M.IN_SIGNATURE,
            permission=_manage_team,
        ),
        # The approval flow ended: signed, or returned for corrections.
        Action("signed", _("protokół podpisany"), frozenset({M.IN_SIGNATURE}), M.SIGNED),
        Action("returned", _("protokół zwrócony do poprawy"), frozenset({M.IN_SIGNATURE}), M.HELD),
    ],
    states=M.values,
)
