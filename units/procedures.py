"""The small procedures of the register engine's registers (R1), as tables (``mopr.procedures``).

The register of requests for public information (IOD, 000 §33 pkt 10) follows the act on access to public
information (ustawa o dostępie do informacji publicznej): the information is made available without undue
delay and at the latest within 14 days of the request (art. 13 ust. 1); if it cannot be, the requester is told
within that time why, and when it will be, at most 2 months from the request (art. 13 ust. 2); a refusal is a
decision (art. 16). Each is recorded once, by the keeper unit."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from mopr.procedures import Action, Procedure

from .models import EntryStatus
from .permissions import register_may_work


def _keeper(user, entry) -> bool:
    return register_may_work(user, entry.register)


OPEN = frozenset({EntryStatus.RECEIVED, EntryStatus.EXTENDED})

PUBLIC_INFO = Procedure(
    "public_info",
    [
        Action(
            "answer",
            _("Udostępnij informację"),
            OPEN,
            EntryStatus.ANSWERED,
            permission=_keeper,
            url_name="units:public_info_answer",
        ),
        Action(
            "extend",
            _("Przedłuż termin (zawiadomienie)"),
            frozenset({EntryStatus.RECEIVED}),
            EntryStatus.EXTENDED,
            permission=_keeper,
            url_name="units:public_info_extend",
        ),
        Action(
            "refuse",
            _("Odmów decyzją"),
            OPEN,
            EntryStatus.REFUSED,
            permission=_keeper,
            url_name="units:public_info_refuse",
            consequence=_(
                "Wniosek zostanie zamknięty decyzją odmowną (art. 16 u.d.i.p.). Termin zostanie uznany za "
                "załatwiony datą decyzji; zamkniętego wniosku nie można ponownie otworzyć."
            ),
        ),
    ],
    states=[s for s in EntryStatus.values],
)
