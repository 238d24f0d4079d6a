"""G4: every budget rule of 003 §2.6-2.15, at and around each boundary. Decimal only."""

from decimal import Decimal

import pytest

from grants import budget
from grants.budget import BudgetData, LineData, budget_messages

from .factories import good_lines, published_competition, register

D = Decimal


# --- 003 §2.6: grant at most 90% of the total ---


def test_G4_grant_exactly_90_percent_passes():
    assert budget.check_grant_at_most_90_percent(D("90000.00"), D("100000.00")) is None


def test_G4_grant_one_grosz_above_90_percent_fails_with_figures():
    message = budget.check_grant_at_most_90_percent(D("90000.01"), D("100000.00"))
    assert message.startswith("Dotacja stanowi 90,01% kosztów całkowitych")
    assert "dopuszczalne 90%" in message and "90 000,01 zł" in message and "100 000,00 zł" in message


def test_G4_grant_92_percent_message_as_in_the_issue():
    message = budget.check_grant_at_most_90_percent(D("92000.00"), D("100000.00"))
    assert message.startswith("Dotacja stanowi 92,0% kosztów całkowitych; dopuszczalne 90%")


def test_G4_grant_just_below_90_percent_passes():
    assert budget.check_grant_at_most_90_percent(D("89999.99"), D("100000.00")) is None


def test_G4_share_just_above_limit_is_never_shown_as_the_limit_itself():
    message = budget.check_grant_at_most_90_percent(D("90010.00"), D("100000.00"))
    assert "90,01%" in message


# --- 003 §2.7: own contribution at least 10% ---


def test_G4_own_contribution_exactly_10_percent_passes():
    assert budget.check_own_contribution_at_least_10_percent(D("7000.00"), D("70000.00")) is None


def test_G4_own_contribution_just_below_10_percent_fails_with_figures():
    message = budget.check_own_contribution_at_least_10_percent(D("6999.99"), D("70000.00"))
    assert "wymagane co najmniej 10%" in message and "6 999,99 zł" in message and "70 000,00 zł" in message
    assert "10,0%" not in message  # 9.99999% must not be shown as 10,0%


def test_G4_own_contribution_above_10_percent_passes():
    assert budget.check_own_contribution_at_least_10_percent(D("7000.01"), D("70000.00")) is None


# --- 003 §2.8: own contribution not higher than the grant ---


def test_G4_own_equal_to_grant_passes():
    assert budget.check_own_contribution_not_above_grant(D("5000.00"), D("5000.00")) is None


def test_G4_own_one_grosz_above_grant_fails():
    message = budget.check_own_contribution_not_above_grant(D("5000.01"), D("5000.00"))
    assert "5 000,01 zł" in message and "5 000,00 zł" in message and "003 §2.8" in message


# --- 003 §2.11: administrative costs from the grant at most 15% of the grant ---


def test_G4_administrative_exactly_15_percent_of_grant_passes():
    assert budget.check_administrative_costs_at_most_15_percent(D("9450.00"), D("63000.00")) is None


def test_G4_administrative_one_grosz_above_15_percent_fails():
    message = budget.check_administrative_costs_at_most_15_percent(D("9450.01"), D("63000.00"))
    assert "dopuszczalne 15%" in message and "9 450,01 zł" in message and "63 000,00 zł" in message


def test_G4_administrative_below_15_percent_passes():
    assert budget.check_administrative_costs_at_most_15_percent(D("9449.99"), D("63000.00")) is None


# --- 003 §2.9: volunteer rate ---


def test_G4_volunteer_rate_exactly_25_passes():
    assert budget.check_volunteer_rate(D("25.00"), qualified=False) is None


def test_G4_volunteer_rate_25_01_fails_unless_qualified():
    message = budget.check_volunteer_rate(D("25.01"), qualified=False)
    assert "25,01 zł/godz." in message and "25,00 zł/godz." in message
    assert budget.check_volunteer_rate(D("25.01"), qualified=True) is None
    assert budget.check_volunteer_rate(D("24.99"), qualified=False) is None


def test_G4_volunteer_value_is_hours_times_rate_in_decimal():
    assert budget.volunteer_value(D("100.5"), D("19.99")) == D("2009.00")  # 2008.995 -> half up
    assert budget.volunteer_value(D("0.1"), D("0.04")) == D("0.00")  # 0.004 -> down
    assert budget.volunteer_value(D("0.1"), D("0.05")) == D("0.01")  # 0.005 -> half up
    assert isinstance(budget.volunteer_value(D("1"), D("1")), Decimal)


# --- 003 §2.14: personnel lines ---


def test_G4_personnel_line_without_persons_hours_rate_form_fails_each_field():
    problems = budget.check_personnel_line(LineData(category="personnel", name="Psycholog", amount=D("1000")))
    assert set(problems) == {"persons", "hours", "hourly_rate", "employment_form"}
    assert "liczbę zatrudnionych osób" in problems["persons"]


def test_G4_personnel_line_on_employment_contract_needs_fte():
    line = LineData(
        category="personnel",
        name="Psycholog",
        amount=D("1000"),
        persons=1,
        hours=D("40"),
        hourly_rate=D("25"),
        employment_form="employment",
    )
    assert set(budget.check_personnel_line(line)) == {"fte"}
    line.fte = "1/4"
    assert budget.check_personnel_line(line) == {}


def test_G4_other_line_needs_no_personnel_details():
    assert budget.check_personnel_line(LineData(category="other", name="Sala", amount=D("1000"))) == {}


# --- 003 §2.15: ineligible categories ---


def test_G4_ineligible_category_from_grant_is_refused_but_from_own_funds_allowed():
    leasing = LineData(
        category="other", name="Leasing samochodu", amount=D("1200"), from_grant=D("1200"), nature="leasing"
    )
    message = budget.check_eligible_category(leasing)
    assert "Leasing samochodu" in message and "003 §2.15" in message and "1 200,00 zł" in message
    leasing.from_grant = D("0")
    assert budget.check_eligible_category(leasing) is None


# --- all together ---


def _data(**overrides):
    fields = dict(
        requested_grant=D("63000.00"),
        own_financial=D("5000.00"),
        volunteer_hours=D("100"),
        volunteer_rate=D("20.00"),
        lines=good_lines(),
    )
    fields.update(overrides)
    return BudgetData(**fields)


def test_G4_seed_like_budget_at_every_boundary_passes():
    data = _data()
    assert data.total == D("70000.00") and data.own_contribution == D("7000.00")
    assert budget_messages(data) == []


def test_G4_each_failing_rule_gives_its_own_message():
    data = _data(own_financial=D("0.00"), volunteer_rate=D("30.00"))
    messages = budget_messages(data)
    assert any(m.startswith("Dotacja stanowi") for m in messages)
    assert any(m.startswith("Wkład własny stanowi") for m in messages)
    assert any("zł/godz." in m for m in messages)


def test_G4_lines_must_add_up_to_the_grant_and_total():
    lines = good_lines()
    lines[2].amount += D("1.00")
    messages = budget_messages(_data(lines=lines))
    assert any("Suma pozycji kosztorysu (70 001,00 zł)" in m for m in messages)


@pytest.mark.django_db
def test_G4_offer_over_90_percent_is_registered_with_a_warning(chart):
    competition = published_competition(chart)
    offer = register(chart, competition, own_financial=D("4999.99"), lines=good_lines(total=D("69999.99")))
    assert any("Dotacja stanowi" in m for m in offer.registration_warnings)  # G2/G5: rejected on the formal card
    assert competition.offers.get() == offer
