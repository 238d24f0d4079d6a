"""K1-K4: the working-day calendar, with real dates."""

from datetime import date

from mopr import calendar


def test_K1_weekdays_are_working_days_weekends_are_not():
    assert calendar.is_working_day(date(2026, 11, 23))  # Monday
    assert not calendar.is_working_day(date(2026, 11, 28))  # Saturday
    assert not calendar.is_working_day(date(2026, 11, 29))  # Sunday


def test_K1_christmas_eve_is_a_holiday_from_2025_but_not_in_2024():
    assert not calendar.is_working_day(date(2025, 12, 24))
    assert calendar.is_public_holiday(date(2025, 12, 24))
    assert calendar.is_working_day(date(2024, 12, 24))


def test_K1_easter_based_holidays_are_known():
    assert not calendar.is_working_day(date(2026, 4, 6))  # Easter Monday 2026
    assert not calendar.is_working_day(date(2026, 6, 4))  # Corpus Christi 2026
    assert calendar.is_public_holiday(date(2026, 5, 24))  # Pentecost Sunday 2026
    assert calendar.is_working_day(date(2026, 4, 7))


def test_K1_fixed_holidays():
    for day in [
        date(2026, 1, 1),
        date(2026, 1, 6),
        date(2026, 5, 1),
        date(2026, 5, 3),
        date(2026, 8, 15),
        date(2026, 11, 1),
        date(2026, 11, 11),
        date(2026, 12, 25),
        date(2026, 12, 26),
    ]:
        assert calendar.is_public_holiday(day), day


def test_K2_day_deadline_does_not_count_the_day_of_the_event():
    assert calendar.deadline_in_days(date(2026, 3, 2), 7) == date(2026, 3, 9)


def test_K2_month_deadline_from_31_january_ends_on_last_day_of_february():
    # 2026-02-28 is a Saturday, so K3 moves it to Monday 2 March.
    assert calendar.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert calendar.deadline_in_months(date(2026, 1, 31), 1) == date(2026, 3, 2)
    # In a leap year the month ends on 29 February (a Thursday in 2024).
    assert calendar.deadline_in_months(date(2024, 1, 31), 1) == date(2024, 2, 29)


def test_K2_month_deadline_ends_on_same_numbered_day():
    assert calendar.deadline_in_months(date(2026, 3, 17), 1) == date(2026, 4, 17)


def test_K3_deadline_on_saturday_moves_to_monday():
    # 7 days after Saturday 2026-11-21 -> Saturday 28th -> Monday 30th
    assert calendar.deadline_in_days(date(2026, 11, 21), 7) == date(2026, 11, 30)


def test_K3_deadline_on_holiday_moves_past_the_whole_christmas_break():
    # One month from 2025-11-24 is 2025-12-24 (holiday from 2025), then 25, 26 (holidays), 27-28 weekend.
    assert calendar.deadline_in_months(date(2025, 11, 24), 1) == date(2025, 12, 29)
    # In 2024 the 24th was a working day.
    assert calendar.deadline_in_months(date(2024, 11, 24), 1) == date(2024, 12, 24)


def test_K3_deadline_on_independence_day_moves_to_next_working_day():
    assert calendar.deadline_in_days(date(2026, 11, 4), 7) == date(2026, 11, 12)


def test_K4_working_days_before_skips_weekends_and_holidays():
    # 7 working days before Friday 2026-11-20: 19,18,17,16,13,12 and (11 Nov holiday) 10 -> Tuesday 10 Nov
    assert calendar.working_days_before(date(2026, 11, 20), 7) == date(2026, 11, 10)


def test_K4_add_working_days_across_easter():
    # Thursday 2026-04-02 + 3 working days: Fri 3, (Mon 6 Easter Monday), Tue 7, Wed 8
    assert calendar.add_working_days(date(2026, 4, 2), 3) == date(2026, 4, 8)


def test_K4_working_days_between_counts_only_working_days():
    assert calendar.working_days_between(date(2026, 11, 6), date(2026, 11, 13)) == 4  # 9,10,12,13
    assert calendar.working_days_between(date(2026, 11, 13), date(2026, 11, 6)) == 0


def test_next_working_day_from_friday_is_monday():
    assert calendar.next_working_day(date(2026, 11, 20)) == date(2026, 11, 23)
    assert calendar.roll_to_working_day(date(2026, 11, 23)) == date(2026, 11, 23)
