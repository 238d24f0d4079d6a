"""The procedure of a periodic evaluation (R2, 001 §23-28) as a table: the service, the buttons and the tests
read this one place."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from mopr.procedures import Action, Procedure

from . import permissions
from .models import EvaluationStatus as S

EVALUATION = Procedure(
    "evaluation",
    [
        Action(
            "fill",
            _("Wypełnij kwestionariusz"),
            frozenset({S.DRAFT}),
            None,
            permissions.may_fill_evaluation,
            "units:staff_evaluation_fill",
        ),
        Action(
            "hand",
            _("Przekaż ocenę pracownikowi"),
            frozenset({S.DRAFT}),
            S.HANDED,
            permissions.may_fill_evaluation,
            "units:staff_evaluation_hand",
            confirm=True,
        ),
        Action(
            "acknowledge",
            _("Potwierdzam zapoznanie się z oceną"),
            frozenset({S.HANDED}),
            S.ACKNOWLEDGED,
            permissions.may_acknowledge_evaluation,
            "units:staff_evaluation_acknowledge",
            confirm=True,
        ),
        Action(
            "appeal",
            _("Odwołaj się do kierującego ośrodkiem"),
            frozenset({S.ACKNOWLEDGED}),
            S.APPEALED,
            permissions.may_acknowledge_evaluation,
            "units:staff_evaluation_appeal",
        ),
        Action(
            "decide",
            _("Rozstrzygnij odwołanie"),
            frozenset({S.APPEALED}),
            S.DECIDED,
            permissions.may_decide_appeal,
            "units:staff_evaluation_decide",
        ),
    ],
    states=S.values,
)
