"""R2 and R4 in the browser: DKA opens the round, the evaluator fills the questionnaire and hands it over, the
employee acknowledges and appeals, the Director decides; an employee confirms a regulation and the head of the
unit sees who is left. axe on every page."""

import pytest
from django.utils import timezone

from units import regulations, staff
from units.models import Evaluation, EvaluationStatus, Grade

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _switch(page, browser_login, user):
    page.get_by_role("button", name="Wyloguj").click()
    page.wait_for_load_state()
    browser_login(user)


def test_R2_evaluator_fills_employee_acknowledges_and_appeal_is_decided(chart, page, browser_login, assert_accessible):
    year = timezone.localdate().year
    browser_login(chart.dka_kierownik)
    page.goto("/struktura/ocena-okresowa/")
    page.get_by_role("link", name="Rundy ocen okresowych (przegląd, nowa runda)").click()
    page.wait_for_url("**/ocena-okresowa/rundy/")
    assert_accessible(page)
    page.get_by_role("button", name="Otwórz rundę").click()
    page.wait_for_url("**/ocena-okresowa/rundy/*/")
    assert "Otwarto rundę ocen okresowych." in page.content()
    assert_accessible(page)
    evaluation = Evaluation.objects.get(round__year=year, employee=chart.dnk_pracownik)

    # the evaluator: the head of DNK
    _switch(page, browser_login, chart.dnk_kierownik)
    page.goto("/struktura/ocena-okresowa/")
    page.get_by_role("link", name="Jan Zieliński").click()
    page.wait_for_url(f"**/ocena-okresowa/{evaluation.pk}/")
    page.get_by_role("button", name="Wypełnij kwestionariusz").click()
    page.wait_for_url("**/kwestionariusz/")
    assert_accessible(page)
    for criterion in staff.criteria_for(evaluation):
        page.locator(f"#id_c_{criterion.pk}").select_option("3")
    page.get_by_label("Ocena kwalifikacyjna").select_option("zadowalajacy")
    page.get_by_label("Uzasadnienie").fill("Zadania wykonywane terminowo, bez inicjatywy.")
    page.get_by_role("button", name="Zapisz kwestionariusz").click()
    page.wait_for_url(f"**/ocena-okresowa/{evaluation.pk}/")
    page.get_by_role("button", name="Przekaż ocenę pracownikowi").click()
    page.wait_for_load_state()
    assert "Ocena została przekazana pracownikowi." in page.content()
    assert_accessible(page)

    # the employee acknowledges, then appeals
    _switch(page, browser_login, chart.dnk_pracownik)
    page.goto(f"/struktura/ocena-okresowa/{evaluation.pk}/")
    page.get_by_role("button", name="Potwierdzam zapoznanie się z oceną").click()
    page.wait_for_load_state()
    assert "Potwierdzono zapoznanie się z oceną." in page.content()
    page.get_by_role("button", name="Odwołaj się do kierującego ośrodkiem").click()
    page.wait_for_url("**/odwolanie/")
    assert_accessible(page)
    page.get_by_label("Treść odwołania").fill("Prowadziłem dodatkowo rejestr petycji.")
    page.get_by_role("button", name="Złóż odwołanie").click()
    page.wait_for_url(f"**/ocena-okresowa/{evaluation.pk}/")

    # the Director decides
    _switch(page, browser_login, chart.dyrektor)
    page.goto("/struktura/ocena-okresowa/")
    page.locator("#h-odwolania").wait_for()
    assert_accessible(page)
    page.goto(f"/struktura/ocena-okresowa/{evaluation.pk}/rozstrzygniecie/")
    page.get_by_label("ocena zmieniona", exact=True).check()
    page.get_by_label("Nowa ocena (gdy ocena zmieniona)").select_option("dobry")
    page.get_by_label("Uzasadnienie rozstrzygnięcia").fill("Uwzględniono prowadzenie rejestru petycji.")
    assert_accessible(page)
    page.get_by_role("button", name="Zapisz rozstrzygnięcie").click()
    page.wait_for_url(f"**/ocena-okresowa/{evaluation.pk}/")
    assert "Rozstrzygnięto odwołanie." in page.content()
    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.grade) == (EvaluationStatus.DECIDED, Grade.GOOD)
    assert evaluation.acknowledged_on == timezone.localdate()


def test_R4_employee_confirms_a_regulation_and_the_head_sees_who_is_left(chart, page, browser_login, assert_accessible):
    document = regulations.regulation_publish(
        institution=chart.institution,
        title="Regulamin Pracy",
        version="zmiana nr 1",
        kind="regulamin",
        text="Zmiana godzin pracy kasy.",
        published_on=timezone.localdate(),
        acting_user=chart.dka_kierownik,
    )
    browser_login(chart.dnk_pracownik)
    page.goto("/")
    page.get_by_role("link", name="Regulaminy i zarządzenia do zapoznania się").click()
    page.wait_for_url("**/regulaminy/")
    assert_accessible(page)
    page.get_by_role("button", name="Zapoznałem(-am) się").click()
    page.wait_for_url("**/regulaminy/")
    assert "Potwierdzono zapoznanie się z dokumentem." in page.content()
    assert "potwierdzone" in page.locator("tr", has_text="Regulamin Pracy").inner_text()

    _switch(page, browser_login, chart.dnk_kierownik)
    page.goto(document.get_absolute_url())
    assert_accessible(page)
    missing = page.locator("section", has_text="Kto w mojej komórce").inner_text()
    assert "Katarzyna Lewandowska" in missing  # the head herself has not confirmed yet
    assert "Jan Zieliński" not in missing
