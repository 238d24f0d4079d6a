"""Demo data of the staff registers (R2, R4): this year's round of periodic evaluations with evaluations in
several states, and a published version of the organisational regulations with a few confirmations."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from . import regulations, staff
from .models import Evaluation, EvaluationRound, RegulationDocument


def seed(institution, people) -> None:
    today = timezone.localdate()
    if EvaluationRound.objects.filter(institution=institution, year=today.year).exists():
        return
    dka = people["dka_kierownik"]
    rnd = staff.evaluation_round_open(
        institution=institution,
        year=today.year,
        period_from=date(today.year, 1, 1),
        period_to=date(today.year, 12, 31),
        acting_user=dka,
    )

    def fill(login, grade, justification=""):
        evaluation = Evaluation.objects.get(round=rnd, employee=people[login])
        scores = {
            c.pk: {"dobry": 4, "wybitny": 5, "zadowalajacy": 3}.get(grade, 2) for c in staff.criteria_for(evaluation)
        }
        staff.evaluation_fill(
            evaluation, scores=scores, grade=grade, justification=justification, acting_user=evaluation.evaluator
        )
        return evaluation

    # Jan Zieliński (DNK): evaluated, handed over, waiting for his acknowledgement.
    evaluation = fill("dnk_pracownik", "dobry", "Rzetelnie prowadzi rejestr skarg i wniosków.")
    staff.evaluation_hand(evaluation, acting_user=evaluation.evaluator)
    # Joanna Dąbrowska (SOK): acknowledged.
    evaluation = fill("sok_pracownik", "wybitny", "Wzorowa obsługa klientów, inicjatywa w usprawnieniu kolejki.")
    staff.evaluation_hand(evaluation, acting_user=evaluation.evaluator)
    staff.evaluation_acknowledge(evaluation, acting_user=evaluation.employee)
    # Magdalena Jankowska (ZPS Nr 1): an unsatisfactory grade, appealed to the Director.
    evaluation = fill(
        "pracownik_socjalny", "niezadowalajacy", "Opóźnienia w sporządzaniu wywiadów środowiskowych w II kwartale."
    )
    staff.evaluation_hand(evaluation, acting_user=evaluation.evaluator)
    staff.evaluation_acknowledge(evaluation, acting_user=evaluation.employee)
    staff.evaluation_appeal(
        evaluation,
        reason="Opóźnienia wynikały z długotrwałego zastępstwa za nieobecną koleżankę w rejonie nr 4.",
        acting_user=evaluation.employee,
    )
    # The others stay drafts for their evaluators.

    if not RegulationDocument.objects.filter(institution=institution).exists():
        published = today - timedelta(days=3)
        document = RegulationDocument.objects.create(
            institution=institution,
            kind="regulamin",
            title="Regulamin Organizacyjny Miejskiego Ośrodka Pomocy Rodzinie w Białymstoku",
            version="tekst jednolity " + str(today.year),
            text=(
                "Zmiany: nowy podział nadzoru Zastępców Dyrektora nad komórkami organizacyjnymi; "
                "doprecyzowanie zadań Działu Kadr i Administracji w zakresie okresowych ocen pracowników."
            ),
            read_by_all=True,
            published_on=published,
            in_force_from=RegulationDocument.in_force_after(published),
            published_by=people["dyrektor"],
        )
        for login in ("dyrektor", "dka_kierownik", "dnk_kierownik", "sok_pracownik"):
            regulations.regulation_acknowledge(document, acting_user=people[login])
