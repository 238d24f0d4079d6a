"""A grant competition in the browser: created, published, an offer registered with its cost estimate, the
committee's declarations, formal card and three merit cards, the Director's opinion, the President's order
and the results on the public page (G1-G8). axe checks the main pages."""

from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Wsparcie rodzinnej pieczy zastępczej poprzez prowadzenie ośrodka konsultacyjno-szkoleniowego"


def _logout(page):
    page.get_by_role("button", name="Wyloguj").click()
    page.wait_for_load_state()


def test_grant_competition_from_creation_to_public_results(chart, page, browser_login, assert_accessible):
    from grants.models import Offeror

    offeror = Offeror.objects.create(
        name="Fundacja Rodzina z Wyboru",
        legal_form="foundation",
        krs="0000123456",
        nip="5420000015",
        regon="200000005",
        street="ul. Lipowa 10",
        postal_code="15-424",
        city="Białystok",
        representatives="Anna Mentor – prezes",
    )
    today = timezone.localdate()
    published = today - timedelta(days=40)

    # the secretariat (DNK) creates and publishes the competition
    browser_login(chart.dnk_pracownik)
    page.goto("/konkursy/")
    assert_accessible(page)
    page.get_by_role("link", name="Nowy konkurs").click()
    page.fill("#id_title", TITLE)
    page.fill("#id_description", "Wsparcie rodzin zastępczych: mentoring, grupy wsparcia, superwizje.")
    page.fill("#id_addressees", "Rodziny zastępcze i wychowankowie pieczy zastępczej")
    page.fill("#id_place", "Miasto Białystok")
    page.fill("#id_funds", "63000")
    page.fill("#id_year", str(today.year + 1))
    for field in ("task_start", "spending_start"):
        page.fill(f"#id_{field}", f"{today.year + 1}-01-01")
    for field in ("task_end", "spending_end"):
        page.fill(f"#id_{field}", f"{today.year + 1}-12-31")
    page.fill("#id_director_order_number", "55/2022")
    page.fill("#id_prior_year_1", str(today.year - 1))
    page.fill("#id_prior_amount_1", "70000")
    page.fill("#id_prior_year_2", str(today.year))
    page.fill("#id_prior_amount_2", "63000")
    assert_accessible(page)
    page.get_by_role("button", name="Zapisz").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == TITLE
    page.fill("#id_published_on", published.isoformat())
    page.get_by_role("button", name="Ogłoś konkurs").click()
    page.wait_for_load_state()
    assert "godz. 15:30" in page.locator("main").inner_text()
    assert_accessible(page)

    # an offer with its cost estimate at the G4 boundaries (90% / 10% / 15%)
    page.get_by_role("link", name="Zarejestruj ofertę").first.click()
    page.select_option("#id_offeror", str(offeror.pk))
    page.fill("#id_received_at", f"{(published + timedelta(days=1)).isoformat()}T10:00")
    page.fill("#id_checksum", "A7F3-9C21")
    for key in ("register_extract", "statute", "no_other_funding"):
        page.check(f"input[name=attachments][value={key}]")
    page.fill("#id_requested_grant", "63000")
    page.fill("#id_own_financial", "5000")
    page.fill("#id_volunteer_hours", "100")
    page.fill("#id_volunteer_rate", "20")
    lines = [("personnel", "Mentorzy", "40000", "40000"), ("administrative", "Koordynacja", "9450", "9450")]
    for index, (category, name, amount, grant) in enumerate(lines):
        page.select_option(f"#id_lines-{index}-category", category)
        page.fill(f"#id_lines-{index}-name", name)
        page.fill(f"#id_lines-{index}-amount", amount)
        page.fill(f"#id_lines-{index}-from_grant", grant)
    page.fill("#id_lines-0-persons", "2")
    page.fill("#id_lines-0-hours", "800")
    page.fill("#id_lines-0-hourly_rate", "25")
    page.select_option("#id_lines-0-employment_form", "mandate")
    assert_accessible(page)
    page.get_by_role("button", name="Zarejestruj ofertę").click()
    page.wait_for_load_state()
    # the cost lines do not add up yet: the message is shown and nothing is lost
    assert "Suma pozycji kosztorysu" in page.locator("main").inner_text()
    page.select_option("#id_lines-2-category", "other")
    page.fill("#id_lines-2-name", "Materiały i sale")
    page.fill("#id_lines-2-amount", "20550")
    page.fill("#id_lines-2-from_grant", "13550")
    page.get_by_role("button", name="Zarejestruj ofertę").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Oferta: Fundacja Rodzina z Wyboru")
    assert_accessible(page)
    page.get_by_role("link", name="« oferty w konkursie").click()
    assert_accessible(page)
    page.get_by_role("link", name="« wróć do konkursu").click()

    # the committee by the Director's order
    page.get_by_role("link", name="Komisja konkursowa").click()
    page.fill("#id_order_number", "58/2022")
    page.fill("#id_order_date", published.isoformat())
    page.select_option("#id_chair", str(chart.dnk_kierownik.pk))
    page.select_option("#id_deputy_chair", str(chart.sok_pracownik.pk))
    page.select_option("#id_members", [str(chart.pracownik_socjalny.pk)])
    assert_accessible(page)
    page.get_by_role("button", name="Powołaj komisję").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Zakończ nabór i rozpocznij ocenę").click()
    page.wait_for_load_state()
    assert "ocena ofert" in page.locator("main").inner_text()
    _logout(page)

    # three members: declaration first, then (the chair) the formal card, then each a merit card
    for index, member in enumerate([chart.dnk_kierownik, chart.sok_pracownik, chart.pracownik_socjalny]):
        browser_login(member)
        page.goto("/konkursy/")
        page.get_by_role("link", name="złóż oświadczenie o braku konfliktu interesów").click()
        if index == 0:
            assert_accessible(page)
        page.get_by_label("Oświadczam, że nie zachodzą").check()
        page.get_by_role("button", name="Złóż oświadczenie").click()
        page.wait_for_load_state()
        page.get_by_role("link", name="Oferty (1)").click()
        page.get_by_role("link", name="Fundacja Rodzina z Wyboru").click()
        if index == 0:
            page.get_by_role("link", name="Karta oceny formalnej").click()
            # .all() does not wait: it must run on the card's page, not on the offer's
            page.wait_for_url("**/karta-formalna/")
            for radio in page.locator("input[type=radio][value=yes]").all():
                radio.check()
            assert_accessible(page)
            page.get_by_role("button", name="Zapisz kartę oceny formalnej").click()
            page.wait_for_load_state()
        page.get_by_role("link", name="Karta oceny merytorycznej").click()
        page.wait_for_url("**/karta-merytoryczna/")
        for number_input in page.locator("input[type=number]").all():
            number_input.fill(number_input.get_attribute("max"))
        page.fill("#id_i1", "4" if index == 2 else "5")
        if index == 0:
            assert_accessible(page)
        page.get_by_role("button", name="Zapisz kartę oceny merytorycznej").click()
        page.wait_for_load_state()
        assert "Moja ocena" in page.locator("main").inner_text()
        _logout(page)

    # results, the Director's opinion, the President's order, publication
    browser_login(chart.dnk_pracownik)
    page.goto("/konkursy/")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="Wyniki oceny").click()
    page.get_by_role("button", name="Oblicz wyniki").click()
    page.wait_for_load_state()
    assert "99,67" in page.locator("table").inner_text()
    assert_accessible(page)
    _logout(page)
    browser_login(chart.dyrektor)
    page.goto("/konkursy/")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="Opinia dla Prezydenta").click()
    page.fill("#id_opinion", "Komisja pozytywnie zaopiniowała ofertę Fundacji Rodzina z Wyboru.")
    assert_accessible(page)
    page.get_by_role("button", name="Przedstaw opinię").click()
    page.wait_for_load_state()
    _logout(page)
    browser_login(chart.dnk_pracownik)
    page.goto("/konkursy/")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="Zarządzenie Prezydenta").click()
    page.fill("#id_order_number", "1234/22")
    assert_accessible(page)
    page.fill("#id_order_date", today.isoformat())
    page.get_by_role("button", name="Zapisz rozstrzygnięcie").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Opublikuj wyniki").click()
    page.wait_for_load_state()
    _logout(page)

    # the public page, without login
    page.goto("/konkursy/publiczne/")
    assert_accessible(page)
    page.get_by_role("link", name=TITLE).click()
    table = page.locator("table").inner_text()
    assert "Fundacja Rodzina z Wyboru" in table and "99,67" in table and "63\u00a0000,00\u00a0zł" in table
    assert_accessible(page)


def test_grant_competition_with_a_late_offer_one_over_90_percent_one_under_70_points_and_a_reduced_grant(
    chart, page, browser_login, assert_accessible
):
    """Issue 14: what the pages show for each of the competition's hard cases (G2, G4-G6, G9), and the
    secretariat recording in the browser that the offeror received the notice of the reduced grant."""
    from datetime import date, datetime
    from decimal import Decimal

    from grants import services
    from tests.grants.factories import (
        all_yes,
        appoint,
        declare_all,
        good_lines,
        make_offeror,
        points,
        published_competition,
        register,
    )

    def at(day, hour=9, minute=0):
        return timezone.make_aware(datetime(2022, 12, day, hour, minute))

    competition = published_competition(chart)  # 16.11.2022: offers until 07.12.2022, 15:30
    good = register(chart, competition, offeror=make_offeror("Fundacja Dobra Oferta"), received_at=at(1))
    low = register(chart, competition, offeror=make_offeror("Stowarzyszenie Niska Ocena"), received_at=at(2))
    late = register(chart, competition, offeror=make_offeror("Fundacja Spóźniona"), received_at=at(8, 10))
    assert late.registration_warnings  # kept, with the warning (003 §4.8)
    over = register(
        chart,
        competition,
        offeror=make_offeror("Fundacja Ponad Limit"),
        received_at=at(3),
        requested_grant=Decimal("66000.00"),
        own_financial=Decimal("2000.00"),
        lines=good_lines(grant=Decimal("66000.00")),
    )
    assert over.registration_warnings  # 94,29% of the costs from the grant: a warning, the card decides
    appoint(chart, competition)
    declare_all(competition)
    services.competition_start_evaluation(competition, acting_user=chart.dnk_pracownik)
    for offer in (good, low, late, over):
        answers = all_yes() | services.formal_suggestions(offer)  # receipt on time and 90%/10% as the register knows
        services.offer_formal_evaluate(offer, acting_user=chart.dnk_kierownik, answers=answers)
    services.clerical_correction_request(
        low,
        acting_user=chart.dnk_kierownik,
        scope="Błędna suma w pozycji 2.",
        due=date(2022, 12, 19),
        requested_on=date(2022, 12, 12),
    )
    services.clerical_correction_answer(
        low, acting_user=chart.dnk_kierownik, answered_on=date(2022, 12, 21), corrected="Poprawiono sumę pozycji 2."
    )
    for user in (chart.dnk_kierownik, chart.sok_pracownik, chart.pracownik_socjalny):
        services.merit_card_submit(good, acting_user=user, points=points())
        services.merit_card_submit(low, acting_user=user, points=points(ii1=0, ii2=0, ii3=0, vi1=0))  # 60
    services.results_compute(competition, acting_user=chart.dnk_pracownik)
    services.director_opinion(competition, acting_user=chart.dyrektor, opinion="Pozytywna dla jednej oferty.")
    services.president_decision(
        competition,
        acting_user=chart.dnk_pracownik,
        order_number="10/23",
        order_date=date(2022, 12, 20),
        granted={good.pk: Decimal("50000.00")},
    )

    browser_login(chart.dnk_pracownik)
    page.goto(f"/konkursy/{competition.pk}/oferty/")
    rows = page.locator("main table").inner_text()
    for name in ("Fundacja Dobra Oferta", "Stowarzyszenie Niska Ocena", "Fundacja Spóźniona", "Fundacja Ponad Limit"):
        assert name in rows
    assert rows.count("odrzucona formalnie") == 2 and "niewybrana" in rows
    assert_accessible(page)

    # the late offer: registered, rejected on the formal card for the receipt after the deadline
    page.goto(f"/konkursy/oferta/{late.pk}/")
    main = page.locator("main").inner_text()
    assert "odrzucona formalnie" in main and "Oferta została złożona w terminie" in main
    assert "08.12.2022" in main
    # over 90% of the costs from the grant: the budget message and the failed criteria by name
    page.goto(f"/konkursy/oferta/{over.pk}/")
    main = page.locator("main").inner_text()
    assert "nie większej niż 90" in main and "odrzucona formalnie" in main
    assert "wkład własny wynosi co najmniej 10" in main
    assert_accessible(page)
    # under 70 points: scored, not chosen, no grant; its late correction shown as late
    page.goto(f"/konkursy/oferta/{low.pk}/")
    main = page.locator("main").inner_text()
    assert "60" in main and "niewybrana" in main
    assert "poprawiono 21.12.2022 (po terminie): Poprawiono sumę pozycji 2." in main
    page.goto(f"/konkursy/{competition.pk}/wyniki/")
    results = page.locator("main").inner_text()
    assert "Stowarzyszenie Niska Ocena" in results and "60,00" in results
    assert_accessible(page)

    # the reduced grant: the notice, then its receipt by the offeror recorded here
    page.goto(f"/konkursy/oferta/{good.pk}/")
    main = page.locator("main").inner_text()
    assert (
        "Dotacja niższa od wnioskowanej" in main
        and "50\u00a0000,00\u00a0zł" in main
        and "zawiadomienie 20.12.2022" in main
    )
    assert "doręczono oferentowi" not in main
    page.fill("#id_received_on", "2022-12-22")
    page.get_by_role("button", name="Odnotuj doręczenie zawiadomienia").click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "doręczono oferentowi 22.12.2022" in main
    good.refresh_from_db()
    assert good.reduction_received_on == date(2022, 12, 22)
    assert_accessible(page)

    # the offeror's late correction on its own page, and the committee's documents awaiting the signatures
    page.goto(f"/konkursy/oferta/{low.pk}/poprawienie/")
    assert "21.12.2022 (po terminie): Poprawiono sumę pozycji 2." in page.locator("main").inner_text()
    assert_accessible(page)
    page.goto(f"/konkursy/{competition.pk}/podpisy-komisji/")
    main = page.locator("main").inner_text()
    assert "karta oceny formalnej oferty: Fundacja Spóźniona" in main and "obecności nie odnotowano" in main
    assert "Odnotuj obecnych" in main
    assert_accessible(page)
