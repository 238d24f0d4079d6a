"""R2 (periodic evaluation of employees; 001 §23-28, 000 §18) and R4 (acquaintance with the regulations;
001 §33.2, 000 §42). Each test cites its rule; visibility is tested negative-first."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from mopr import calendar
from mopr.models import Deadline, OutboxEmail
from units import permissions, regulations, staff
from units.models import (
    Evaluation,
    EvaluationCriterion,
    EvaluationRound,
    EvaluationStatus,
    Grade,
    Institution,
    RegulationAcknowledgement,
    RegulationDocument,
)

pytestmark = pytest.mark.django_db


def _round(chart, year=2026):
    return staff.evaluation_round_open(
        institution=chart.institution,
        year=year,
        period_from=date(year, 1, 1),
        period_to=date(year, 12, 31),
        acting_user=chart.dka_kierownik,
    )


def _evaluation_of(rnd, user):
    return Evaluation.objects.get(round=rnd, employee=user)


def _fill_and_hand(evaluation, grade, justification="Uzasadnienie oceny."):
    scores = {c.pk: 3 for c in staff.criteria_for(evaluation)}
    staff.evaluation_fill(
        evaluation, scores=scores, grade=grade, justification=justification, acting_user=evaluation.evaluator
    )
    staff.evaluation_hand(evaluation, acting_user=evaluation.evaluator)
    return evaluation


def _acknowledged(chart, rnd, grade, user=None):
    evaluation = _fill_and_hand(_evaluation_of(rnd, user or chart.dnk_pracownik), grade)
    staff.evaluation_acknowledge(evaluation, acting_user=evaluation.employee)
    return evaluation


# --- R2: the round, the questionnaire, the evaluator from the chart ------------------------------------------------


def test_R2_round_opened_by_DKA_with_the_default_statutory_criteria(chart):
    rnd = _round(chart)
    names = list(EvaluationCriterion.objects.filter(institution=chart.institution).values_list("name", flat=True))
    for statutory in ("Sumienność", "Sprawność", "Bezstronność", "Umiejętność stosowania odpowiednich przepisów"):
        assert statutory in names
    assert EvaluationCriterion.objects.filter(statutory=True, managers_only=True).count() == 1
    # every person on the chart except the Director has a draft
    assert rnd.evaluations.filter(status=EvaluationStatus.DRAFT).count() == len(chart.people) - 2  # obcy, dyrektor
    assert not rnd.evaluations.filter(employee=chart.dyrektor).exists()


def test_R2_round_is_opened_by_DKA_or_the_Director_only_once_a_year(chart):
    for person in (chart.dnk_kierownik, chart.zastepca1, chart.obcy):
        with pytest.raises(PermissionDenied):
            staff.evaluation_round_open(
                institution=chart.institution,
                year=2026,
                period_from=date(2026, 1, 1),
                period_to=date(2026, 12, 31),
                acting_user=person,
            )
    _round(chart)
    with pytest.raises(ValidationError):
        _round(chart)


def test_R2_evaluator_is_the_head_of_the_unit_and_for_a_head_the_supervisor(chart):
    assert staff.evaluator_for(chart.dnk_pracownik, chart.institution) == chart.dnk_kierownik
    assert staff.evaluator_for(chart.sok_pracownik, chart.institution) == chart.sok_kierownik
    # a head: the head of the unit above (SOK is a section of DSR), else the Deputy supervising the unit
    assert staff.evaluator_for(chart.sok_kierownik, chart.institution) == chart.dsr_kierownik
    assert staff.evaluator_for(chart.dnk_kierownik, chart.institution) == chart.zastepca2
    assert staff.evaluator_for(chart.zastepca1, chart.institution) == chart.dyrektor
    assert staff.evaluator_for(chart.dyrektor, chart.institution) is None


def test_R2_krasnik_the_kierownik_evaluates_everyone(chart):
    """001 §23: "okresowych ocen ... których dokonuje Kierownik Ośrodka"."""
    chart.institution.evaluation_by_director = True
    chart.institution.save()
    assert staff.evaluator_for(chart.dnk_pracownik, chart.institution) == chart.dyrektor
    assert staff.evaluator_for(chart.sok_kierownik, chart.institution) == chart.dyrektor


def test_R2_krasnik_loaded_with_the_kierownik_as_the_evaluator(db):
    """001 §23 is data: the Kraśnik seed sets ``evaluation_by_director``; Białystok keeps the chart's heads."""
    from units.management.commands.load_institution import load

    krasnik, _ = load("krasnik")
    assert krasnik.evaluation_by_director
    assert not Institution.objects.get(code="bialystok").evaluation_by_director


def test_R2_manager_criteria_only_for_heads(chart):
    rnd = _round(chart)
    employee_criteria = staff.criteria_for(_evaluation_of(rnd, chart.dnk_pracownik))
    head_criteria = staff.criteria_for(_evaluation_of(rnd, chart.sok_kierownik))
    assert len(head_criteria) == len(employee_criteria) + 1


# --- R2: visibility, negative first ---------------------------------------------------------------------------------


def test_R2_evaluation_visible_only_to_employee_evaluator_director_and_DKA(chart, login):
    rnd = _round(chart)
    evaluation = _fill_and_hand(_evaluation_of(rnd, chart.dnk_pracownik), Grade.GOOD)
    url = reverse("units:staff_evaluation", args=[evaluation.pk])
    # refused: a colleague of another unit, another unit's head, a deputy not supervising, the deputy who
    # supervises DNK, the Chief Accountant, the IOD, a person outside the chart
    for person in ("sok_pracownik", "dsr_kierownik", "zastepca1", "zastepca2", "ksiegowa", "iod", "obcy"):
        assert not permissions.may_view_evaluation(chart.people[person], evaluation), person
        assert login(chart.people[person]).get(url).status_code == 403, person
    for person in ("dnk_pracownik", "dnk_kierownik", "dyrektor", "dka_kierownik"):
        assert permissions.may_view_evaluation(chart.people[person], evaluation), person
        assert login(chart.people[person]).get(url).status_code == 200, person


def test_R2_employee_sees_own_evaluations_only_once_handed(chart, login):
    rnd = _round(chart)
    draft = _evaluation_of(rnd, chart.dnk_pracownik)
    other = _fill_and_hand(_evaluation_of(rnd, chart.sok_pracownik), Grade.GOOD)
    page = login(chart.dnk_pracownik).get(reverse("units:staff_evaluations")).content.decode()
    assert draft.get_absolute_url() not in page  # still being drafted by the head
    assert other.get_absolute_url() not in page
    _fill_and_hand(draft, Grade.GOOD)
    page = login(chart.dnk_pracownik).get(reverse("units:staff_evaluations")).content.decode()
    assert draft.get_absolute_url() in page


def test_R2_evaluator_list_issues_the_same_number_of_queries_for_few_and_many(
    chart, login, django_assert_max_num_queries
):
    client = login(chart.dyrektor)
    url = reverse("units:staff_evaluations")
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _round(chart)  # the Director now evaluates the Deputies, the Chief Accountant, DKA's head and the IOD
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


# --- R2: the procedure --------------------------------------------------------------------------------------------


def test_R2_hand_requires_every_criterion_and_the_grade(chart):
    evaluation = _evaluation_of(_round(chart), chart.dnk_pracownik)
    with pytest.raises(ValidationError, match="Brakuje"):
        staff.evaluation_hand(evaluation, acting_user=chart.dnk_kierownik)
    staff.evaluation_fill(
        evaluation,
        scores={c.pk: 2 for c in staff.criteria_for(evaluation)},
        grade=Grade.UNSATISFACTORY,
        justification="",
        acting_user=chart.dnk_kierownik,
    )
    with pytest.raises(ValidationError) as error:
        staff.evaluation_hand(evaluation, acting_user=chart.dnk_kierownik)
    assert "justification" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        staff.evaluation_hand(evaluation, acting_user=chart.dyrektor)


def test_R2_acknowledgement_by_the_employee_only_with_its_date(chart):
    evaluation = _fill_and_hand(_evaluation_of(_round(chart), chart.dnk_pracownik), Grade.GOOD)
    for person in (chart.dnk_kierownik, chart.dyrektor, chart.dka_kierownik):
        with pytest.raises(PermissionDenied):
            staff.evaluation_acknowledge(evaluation, acting_user=person)
    staff.evaluation_acknowledge(evaluation, acting_user=chart.dnk_pracownik)
    evaluation.refresh_from_db()
    today = timezone.localdate()
    assert evaluation.status == EvaluationStatus.ACKNOWLEDGED
    assert evaluation.acknowledged_on == today
    assert evaluation.appeal_until == calendar.deadline_in_days(today, staff.APPEAL_DAYS)
    assert evaluation.history.first().history_user == chart.dnk_pracownik
    with pytest.raises(ValidationError):  # a replayed POST
        staff.evaluation_acknowledge(evaluation, acting_user=chart.dnk_pracownik)


def test_R2_001_s26_appeal_decided_by_the_head_of_the_institution(chart):
    evaluation = _acknowledged(chart, _round(chart), Grade.SATISFACTORY)
    with pytest.raises(PermissionDenied):
        staff.evaluation_appeal(evaluation, reason="x", acting_user=chart.dnk_kierownik)
    staff.evaluation_appeal(evaluation, reason="Nie uwzględniono moich zadań.", acting_user=chart.dnk_pracownik)
    deadline = Deadline.objects.for_object(evaluation).open().get(kind=staff.KIND_APPEAL)
    assert deadline.responsible_user == chart.dyrektor
    for person in (chart.dnk_kierownik, chart.zastepca2, chart.dka_kierownik):
        with pytest.raises(PermissionDenied):
            staff.appeal_decide(evaluation, outcome="changed", new_grade=Grade.GOOD, reasons="x", acting_user=person)
    staff.appeal_decide(
        evaluation, outcome="changed", new_grade=Grade.GOOD, reasons="Odwołanie zasadne.", acting_user=chart.dyrektor
    )
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.DECIDED
    assert (evaluation.grade, evaluation.grade_before_appeal) == (Grade.GOOD, Grade.SATISFACTORY)
    assert evaluation.appeal_decided_by == chart.dyrektor
    assert not Deadline.objects.for_object(evaluation).open().filter(kind=staff.KIND_APPEAL).exists()


def test_R2_001_s26_appeal_refused_after_its_term(chart):
    evaluation = _acknowledged(chart, _round(chart), Grade.SATISFACTORY)
    Evaluation.objects.filter(pk=evaluation.pk).update(appeal_until=timezone.localdate() - timedelta(days=1))
    evaluation.refresh_from_db()
    with pytest.raises(ValidationError, match="Termin odwołania minął"):
        staff.evaluation_appeal(evaluation, reason="Za późno.", acting_user=chart.dnk_pracownik)


def test_R2_001_s27_new_evaluation_not_earlier_than_3_months_after_unsatisfactory(chart):
    rnd = _round(chart)
    evaluation = _acknowledged(chart, rnd, Grade.UNSATISFACTORY)
    earliest = calendar.add_months(timezone.localdate(), 3)
    assert evaluation.next_not_before == earliest
    deadline = Deadline.objects.for_object(evaluation).open().get(kind=staff.KIND_REEVALUATION)
    assert (deadline.due, deadline.responsible_user) == (earliest, chart.dnk_kierownik)
    with pytest.raises(ValidationError, match="nie wcześniej niż"):
        staff.evaluation_create(round=rnd, employee=chart.dnk_pracownik, acting_user=chart.dka_kierownik)
    # the next year's round leaves the person out until the 3 months have passed
    next_round = _round(chart, year=2027)
    assert not next_round.evaluations.filter(employee=chart.dnk_pracownik).exists()
    Evaluation.objects.filter(pk=evaluation.pk).update(next_not_before=timezone.localdate())
    again = staff.evaluation_create(round=rnd, employee=chart.dnk_pracownik, acting_user=chart.dka_kierownik)
    assert again.evaluator == chart.dnk_kierownik and again.status == EvaluationStatus.DRAFT


def test_R2_001_s27_appeal_that_raises_the_grade_lifts_the_3_month_rule(chart):
    evaluation = _acknowledged(chart, _round(chart), Grade.UNSATISFACTORY)
    staff.evaluation_appeal(evaluation, reason="Ocena krzywdząca.", acting_user=chart.dnk_pracownik)
    staff.appeal_decide(
        evaluation,
        outcome="changed",
        new_grade=Grade.SATISFACTORY,
        reasons="Uwzględniono zastępstwa.",
        acting_user=chart.dyrektor,
    )
    evaluation.refresh_from_db()
    assert evaluation.next_not_before is None
    assert not Deadline.objects.for_object(evaluation).open().filter(kind=staff.KIND_REEVALUATION).exists()


def test_R2_001_s28_second_unsatisfactory_grade_flagged_to_the_director(chart, login):
    rnd = _round(chart)
    first = _acknowledged(chart, rnd, Grade.UNSATISFACTORY)
    assert not first.second_unsatisfactory
    Evaluation.objects.filter(pk=first.pk).update(next_not_before=timezone.localdate())
    second = staff.evaluation_create(round=rnd, employee=chart.dnk_pracownik, acting_user=chart.dka_kierownik)
    _fill_and_hand(second, Grade.UNSATISFACTORY)
    staff.evaluation_acknowledge(second, acting_user=chart.dnk_pracownik)
    second.refresh_from_db()
    assert second.second_unsatisfactory
    mail = OutboxEmail.objects.get(key=f"staff-second-unsatisfactory:{second.pk}")
    assert mail.to == chart.dyrektor.email and "§28" in mail.body_text
    page = login(chart.dyrektor).get(second.get_absolute_url()).content.decode()
    assert "Druga z kolei ocena niezadowalająca" in page


def test_R2_evaluation_pdf_for_those_who_may_see_it(chart, login):
    evaluation = _acknowledged(chart, _round(chart), Grade.GOOD)
    response = login(chart.dnk_pracownik).get(reverse("units:staff_evaluation_pdf", args=[evaluation.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert (
        login(chart.sok_pracownik).get(reverse("units:staff_evaluation_pdf", args=[evaluation.pk])).status_code == 403
    )


def test_R2_fill_form_keeps_input_and_shows_polish_error(chart, login):
    evaluation = _evaluation_of(_round(chart), chart.dnk_pracownik)
    criterion = staff.criteria_for(evaluation)[0]
    url = reverse("units:staff_evaluation_fill", args=[evaluation.pk])
    response = login(chart.dnk_kierownik).post(
        url, {f"c_{criterion.pk}": "9", "grade": "dobry", "justification": "Zostaje w formularzu"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Wybierz liczbę punktów od 1 do 5." in page and "Zostaje w formularzu" in page


# --- R4: regulations ----------------------------------------------------------------------------------------------


def _publish(chart, **kwargs):
    fields = {
        "institution": chart.institution,
        "title": "Regulamin Organizacyjny",
        "version": "2026",
        "kind": "regulamin",
        "text": "Treść regulaminu.",
        "acting_user": chart.dka_kierownik,
    }
    fields.update(kwargs)
    return regulations.regulation_publish(**fields)


def test_R4_001_s33_2_in_force_7_calendar_days_after_made_known(chart):
    today = timezone.localdate()
    document = _publish(chart)
    assert document.published_on == today
    assert document.in_force_from == today + timedelta(days=7)
    # calendar days, never moved to a working day: a Friday 2026-12-18 gives Friday 2026-12-25 (a holiday)
    assert RegulationDocument.in_force_after(date(2026, 12, 18)) == date(2026, 12, 25)


def test_R4_publish_only_by_DKA_or_the_Director_each_version_once(chart):
    for person in (chart.dnk_kierownik, chart.dnk_pracownik, chart.zastepca1, chart.obcy):
        with pytest.raises(PermissionDenied):
            _publish(chart, acting_user=person)
    _publish(chart)
    with pytest.raises(ValidationError):
        _publish(chart)
    _publish(chart, version="zmiana nr 1", acting_user=chart.dyrektor)


def test_R4_each_employee_confirms_once_outsiders_cannot(chart):
    document = _publish(chart)
    regulations.regulation_acknowledge(document, acting_user=chart.dnk_pracownik)
    with pytest.raises(ValidationError, match="już potwierdzone"):
        regulations.regulation_acknowledge(document, acting_user=chart.dnk_pracownik)
    with pytest.raises(PermissionDenied):
        regulations.regulation_acknowledge(document, acting_user=chart.obcy)
    assert RegulationAcknowledgement.objects.filter(document=document).count() == 1


def test_R4_000_s42_head_sees_who_in_the_unit_has_not_confirmed(chart, login):
    document = _publish(chart)
    url = reverse("units:staff_regulation", args=[document.pk])
    page = login(chart.dnk_kierownik).get(url).content.decode()
    assert "Kto w mojej komórce" in page
    assert "Zieliński" in page  # dnk_pracownik, not yet confirmed
    assert "Dąbrowska" not in page  # SOK: not the head's unit
    # an employee sees no list at all
    assert "Kto w" not in login(chart.sok_pracownik).get(url).content.decode()
    login(chart.dnk_pracownik).post(reverse("units:staff_regulation_acknowledge", args=[document.pk]))
    page = login(chart.dnk_kierownik).get(url).content.decode()
    assert "Zieliński" not in page
    # DKA sees the whole institution
    page = login(chart.dka_kierownik).get(url).content.decode()
    assert "Kto w ośrodku" in page and "Dąbrowska" in page


def test_R4_list_shows_in_force_date_and_my_confirmation_in_constant_queries(chart, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(chart.dnk_pracownik)
    url = reverse("units:staff_regulations")
    _publish(chart)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(5):
        document = _publish(chart, version=f"zmiana nr {n}")
        regulations.regulation_acknowledge(document, acting_user=chart.dnk_pracownik)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert len(many) == len(few)
    assert page.count("potwierdzone") == 5
    in_force = timezone.localdate() + timedelta(days=7)
    assert f"{in_force.day} " in page


def test_R2_round_overview_for_DKA_lists_every_evaluation(chart, login):
    rnd = _round(chart)
    page = login(chart.dka_kierownik).get(reverse("units:staff_round", args=[rnd.pk])).content.decode()
    assert "Zieliński" in page and "Dąbrowska" in page
    assert EvaluationRound.objects.count() == 1
