"""The staff registers' forms (R2, R4) fuzzed through their real views (Hypothesis): no HTTP 500, nothing
half-written, Polish messages only."""

from datetime import date

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.fuzz import NASTY, assert_polish_errors, dates, integers, text
from units import staff
from units.models import Evaluation, EvaluationRound, Grade, RegulationDocument

pytestmark = pytest.mark.django_db

FUZZ = settings(deadline=None, suppress_health_check=list(HealthCheck))
grades = st.sampled_from([*Grade.values, "", "x", "\x00"])
scores = st.one_of(st.sampled_from(["1", "2", "3", "4", "5", "", "0", "6", "-1"]), st.sampled_from(NASTY))


def _round(chart):
    return staff.evaluation_round_open(
        institution=chart.institution,
        year=2026,
        period_from=date(2026, 1, 1),
        period_to=date(2026, 12, 31),
        acting_user=chart.dka_kierownik,
    )


def _rolled_back(fn):
    savepoint = transaction.savepoint()
    try:
        fn()
    finally:
        transaction.savepoint_rollback(savepoint)


def test_fuzz_R2_round_form(chart, login):
    client = login(chart.dka_kierownik)
    url = reverse("units:staff_rounds")

    @FUZZ
    @given(year=integers, period_from=dates, period_to=dates)
    def run(year, period_from, period_to):
        def check():
            before = EvaluationRound.objects.count()
            response = client.post(url, {"year": year, "period_from": period_from, "period_to": period_to})
            assert_polish_errors(response)
            if response.status_code != 302:
                assert EvaluationRound.objects.count() == before

        _rolled_back(check)

    run()


def test_fuzz_R2_questionnaire(chart, login):
    evaluation = Evaluation.objects.get(round=_round(chart), employee=chart.dnk_pracownik)
    criteria = staff.criteria_for(evaluation)
    client = login(chart.dnk_kierownik)
    url = reverse("units:staff_evaluation_fill", args=[evaluation.pk])

    @FUZZ
    @given(values=st.lists(scores, min_size=len(criteria), max_size=len(criteria)), grade=grades, justification=text)
    def run(values, grade, justification):
        def check():
            data = {f"c_{c.pk}": value for c, value in zip(criteria, values, strict=True)}
            data.update(grade=grade, justification=justification)
            response = client.post(url, data)
            assert_polish_errors(response)
            for score in evaluation.scores.all():
                assert 1 <= score.score <= 5

        _rolled_back(check)

    run()


def test_fuzz_R2_appeal_and_decision(chart, login):
    evaluation = Evaluation.objects.get(round=_round(chart), employee=chart.dnk_pracownik)
    staff.evaluation_fill(
        evaluation,
        scores={c.pk: 3 for c in staff.criteria_for(evaluation)},
        grade=Grade.SATISFACTORY,
        justification="",
        acting_user=chart.dnk_kierownik,
    )
    staff.evaluation_hand(evaluation, acting_user=chart.dnk_kierownik)
    staff.evaluation_acknowledge(evaluation, acting_user=chart.dnk_pracownik)
    employee = login(chart.dnk_pracownik)

    @FUZZ
    @given(reason=text, outcome=st.sampled_from(["upheld", "changed", "", "x"]), new_grade=grades, reasons=text)
    def run(reason, outcome, new_grade, reasons):
        def check():
            response = employee.post(reverse("units:staff_evaluation_appeal", args=[evaluation.pk]), {"reason": reason})
            assert_polish_errors(response)
            evaluation.refresh_from_db()
            if evaluation.status == "appealed":
                employee.force_login(chart.dyrektor, backend="django.contrib.auth.backends.ModelBackend")
                response = employee.post(
                    reverse("units:staff_evaluation_decide", args=[evaluation.pk]),
                    {"outcome": outcome, "new_grade": new_grade, "reasons": reasons},
                )
                assert_polish_errors(response)
                employee.force_login(chart.dnk_pracownik, backend="django.contrib.auth.backends.ModelBackend")

        _rolled_back(check)

    run()


def test_fuzz_R4_publication(chart, login):
    client = login(chart.dka_kierownik)
    url = reverse("units:staff_regulation_publish")

    @FUZZ
    @given(
        kind=st.sampled_from(["regulamin", "zarzadzenie", "inny", "", "x"]),
        title=text,
        version=text,
        body=text,
        read_by_all=st.sampled_from(["on", ""]),
        published_on=dates,
    )
    def run(kind, title, version, body, read_by_all, published_on):
        def check():
            before = RegulationDocument.objects.count()
            response = client.post(
                url,
                {
                    "kind": kind,
                    "title": title,
                    "version": version,
                    "text": body,
                    "read_by_all": read_by_all,
                    "published_on": published_on,
                },
            )
            assert_polish_errors(response)
            if response.status_code != 302:
                assert RegulationDocument.objects.count() == before

        _rolled_back(check)

    run()
