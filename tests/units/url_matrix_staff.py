"""URL permission matrix entries of the staff registers (R2, R4), merged into tests/units/url_matrix.py.

Negative cases first. An evaluation is seen by the employee (own only), the evaluator, the head of the
institution and DKA; a colleague of another unit, another unit's head, the Deputies (the one supervising the
employee's unit too), the IOD and chart.obcy are all refused."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from tests.security.url_matrix import Entry

# Not the employee (dnk_pracownik), the evaluator (dnk_kierownik), the Director or DKA.
STRANGERS = ["obcy", "sok_pracownik", "dsr_kierownik", "zastepca1", "zastepca2", "iod", "ksiegowa"]
NOT_MANAGERS = ["obcy", "dnk_pracownik", "dnk_kierownik", "zastepca1", "zastepca2", "iod"]


def _round(chart):
    from units import staff

    return staff.evaluation_round_open(
        institution=chart.institution,
        year=2026,
        period_from=date(2026, 1, 1),
        period_to=date(2026, 12, 31),
        acting_user=chart.dka_kierownik,
    )


def _evaluation(chart, state="draft"):
    from units import staff
    from units.models import Evaluation

    rnd = _round(chart)
    evaluation = Evaluation.objects.get(round=rnd, employee=chart.dnk_pracownik)
    scores = {c.pk: 4 for c in staff.criteria_for(evaluation)}
    staff.evaluation_fill(evaluation, scores=scores, grade="dobry", justification="", acting_user=chart.dnk_kierownik)
    if state in ("handed", "acknowledged", "appealed"):
        staff.evaluation_hand(evaluation, acting_user=chart.dnk_kierownik)
    if state in ("acknowledged", "appealed"):
        staff.evaluation_acknowledge(evaluation, acting_user=chart.dnk_pracownik)
    if state == "appealed":
        staff.evaluation_appeal(evaluation, reason="Nie zgadzam się.", acting_user=chart.dnk_pracownik)
    return {"evaluation": evaluation, "round": rnd}


def _regulation(chart):
    from units import regulations

    return {
        "document": regulations.regulation_publish(
            institution=chart.institution,
            title="Regulamin Organizacyjny",
            version="2026",
            kind="regulamin",
            text="Tekst.",
            acting_user=chart.dka_kierownik,
        )
    }


def _ev_url(name):
    return lambda c, o: reverse(f"units:{name}", args=[o["evaluation"].pk])


VIEWERS = ["dnk_pracownik", "dnk_kierownik", "dyrektor", "dka_kierownik"]

MATRIX: dict[str, Entry] = {
    "units:staff_evaluations": Entry(
        lambda c, o: reverse("units:staff_evaluations"), allowed=["dnk_pracownik", "obcy"], denied=[]
    ),
    "units:staff_rounds": Entry(
        lambda c, o: reverse("units:staff_rounds"), allowed=["dka_kierownik", "dyrektor"], denied=NOT_MANAGERS
    ),
    "units:staff_round": Entry(
        lambda c, o: reverse("units:staff_round", args=[o["round"].pk]),
        allowed=["dka_kierownik", "dyrektor"],
        denied=NOT_MANAGERS,
        setup=_evaluation,
    ),
    "units:staff_evaluation": Entry(
        _ev_url("staff_evaluation"),
        allowed=VIEWERS,
        denied=STRANGERS,
        setup=lambda chart: _evaluation(chart, "handed"),
    ),
    "units:staff_evaluation_pdf": Entry(
        _ev_url("staff_evaluation_pdf"),
        allowed=VIEWERS,
        denied=STRANGERS,
        setup=lambda chart: _evaluation(chart, "handed"),
    ),
    "units:staff_evaluation_history": Entry(
        _ev_url("staff_evaluation_history"),
        allowed=VIEWERS,
        denied=STRANGERS,
        setup=lambda chart: _evaluation(chart, "handed"),
    ),
    "units:staff_evaluation_fill": Entry(
        _ev_url("staff_evaluation_fill"),
        allowed=["dnk_kierownik"],
        denied=[*STRANGERS, "dnk_pracownik", "dyrektor", "dka_kierownik"],
        setup=_evaluation,
    ),
    "units:staff_evaluation_hand": Entry(
        _ev_url("staff_evaluation_hand"),
        allowed=["dnk_kierownik"],
        denied=[*STRANGERS, "dnk_pracownik", "dyrektor", "dka_kierownik"],
        setup=_evaluation,
        method="post",
        allowed_status=(302,),
    ),
    "units:staff_evaluation_acknowledge": Entry(
        _ev_url("staff_evaluation_acknowledge"),
        allowed=["dnk_pracownik"],
        denied=[*STRANGERS, "dnk_kierownik", "dyrektor", "dka_kierownik"],
        setup=lambda chart: _evaluation(chart, "handed"),
        method="post",
        allowed_status=(302,),
    ),
    "units:staff_evaluation_appeal": Entry(
        _ev_url("staff_evaluation_appeal"),
        allowed=["dnk_pracownik"],
        denied=[*STRANGERS, "dnk_kierownik", "dyrektor", "dka_kierownik"],
        setup=lambda chart: _evaluation(chart, "acknowledged"),
    ),
    "units:staff_evaluation_decide": Entry(
        _ev_url("staff_evaluation_decide"),
        allowed=["dyrektor"],
        denied=[*STRANGERS, "dnk_pracownik", "dnk_kierownik", "dka_kierownik"],
        setup=lambda chart: _evaluation(chart, "appealed"),
    ),
    "units:staff_regulations": Entry(
        lambda c, o: reverse("units:staff_regulations"), allowed=["dnk_pracownik", "obcy"], denied=[]
    ),
    "units:staff_regulation_publish": Entry(
        lambda c, o: reverse("units:staff_regulation_publish"),
        allowed=["dka_kierownik", "dyrektor"],
        denied=NOT_MANAGERS,
    ),
    "units:staff_regulation": Entry(
        lambda c, o: reverse("units:staff_regulation", args=[o["document"].pk]),
        allowed=["dnk_pracownik", "dnk_kierownik", "dka_kierownik"],
        denied=["obcy"],
        setup=_regulation,
    ),
    "units:staff_regulation_acknowledge": Entry(
        lambda c, o: reverse("units:staff_regulation_acknowledge", args=[o["document"].pk]),
        allowed=["dnk_pracownik"],
        denied=["obcy"],
        setup=_regulation,
        method="post",
        allowed_status=(302,),
    ),
}
