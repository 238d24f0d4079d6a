"""R2, R4 under real concurrency on PostgreSQL: one confirmation per person and version, one round per year, one
acknowledgement of an evaluation, whatever the number of simultaneous requests."""

from datetime import date

import pytest
from django.urls import reverse

from tests.concurrency import errors, oks, post_concurrently, race
from units import regulations, staff
from units.models import Evaluation, EvaluationRound, Grade, RegulationAcknowledgement

pytestmark = pytest.mark.django_db(transaction=True)

N = 4


def test_R4_concurrent_confirmations_give_one_row(chart):
    document = regulations.regulation_publish(
        institution=chart.institution,
        title="Regulamin Organizacyjny",
        version="2026",
        kind="regulamin",
        text="Tekst.",
        acting_user=chart.dka_kierownik,
    )
    codes = post_concurrently(
        N, chart.dnk_pracownik, reverse("units:staff_regulation_acknowledge", args=[document.pk]), {}
    )
    assert codes == [302] * N
    assert RegulationAcknowledgement.objects.filter(document=document, user=chart.dnk_pracownik).count() == 1


def test_R2_concurrent_round_openings_give_one_round_and_one_acknowledgement(chart):
    def open_round(i):
        return staff.evaluation_round_open(
            institution=chart.institution,
            year=2026,
            period_from=date(2026, 1, 1),
            period_to=date(2026, 12, 31),
            acting_user=chart.dka_kierownik,
        )

    results = race(N, open_round)
    assert len(oks(results)) == 1 and len(errors(results)) == N - 1
    assert EvaluationRound.objects.count() == 1
    evaluation = Evaluation.objects.get(employee=chart.dnk_pracownik)
    assert Evaluation.objects.filter(employee=chart.dnk_pracownik).count() == 1
    staff.evaluation_fill(
        evaluation,
        scores={c.pk: 3 for c in staff.criteria_for(evaluation)},
        grade=Grade.SATISFACTORY,
        justification="",
        acting_user=chart.dnk_kierownik,
    )
    staff.evaluation_hand(evaluation, acting_user=chart.dnk_kierownik)
    codes = post_concurrently(
        N, chart.dnk_pracownik, reverse("units:staff_evaluation_acknowledge", args=[evaluation.pk]), {}
    )
    assert codes == [302] * N
    assert evaluation.history.filter(status="acknowledged").count() == 1
