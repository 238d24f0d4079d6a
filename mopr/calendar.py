"""Working-day calendar and deadline arithmetic (rules K1-K4).

Every deadline in the product is computed here, never by hand in a domain app.
Polish public holidays come from the ``holidays`` package (country PL), which knows
Easter-based feasts and 24 December as a holiday from 2025 on.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays_for_year(year: int) -> frozenset[date]:
    return frozenset(holidays.Poland(years=year, language="pl").keys())


def holiday_name(day: date) -> str | None:
    """The Polish name of the public holiday on ``day``, if it is one."""
    return holidays.Poland(years=day.year, language="pl").get(day)


def is_public_holiday(day: date) -> bool:
    return day in _holidays_for_year(day.year)


def is_working_day(day: date) -> bool:
    """K1: Monday-Friday except Polish public holidays."""
    return day.weekday() < 5 and not is_public_holiday(day)


def roll_to_working_day(day: date) -> date:
    """K3 (KPA art. 57 §4): a deadline ending on a Saturday, Sunday or holiday moves to the next working day."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def next_working_day(day: date) -> date:
    """The first working day strictly after ``day``."""
    return roll_to_working_day(day + timedelta(days=1))


def add_working_days(day: date, count: int) -> date:
    """The ``count``-th working day after ``day`` (``day`` itself not counted); negative counts go back (K4)."""
    step = 1 if count >= 0 else -1
    remaining = abs(count)
    current = day
    while remaining:
        current += timedelta(days=step)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_before(day: date, count: int) -> date:
    """K4: the latest date that is ``count`` working days before ``day`` (e.g. notice of a meeting)."""
    return add_working_days(day, -count)


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count


def add_months(day: date, months: int) -> date:
    """The same-numbered day ``months`` later, or that month's last day if it has no such day."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last_day = _stdlib_calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last_day))


def deadline_in_days(event: date, days: int) -> date:
    """K2+K3: a deadline of ``days`` calendar days; the day of the event is not counted (KPA art. 57 §1)."""
    return roll_to_working_day(event + timedelta(days=days))


def deadline_in_months(event: date, months: int) -> date:
    """K2+K3: a deadline in months ends on the same-numbered day (or the month's last day) (KPA art. 57 §3)."""
    return roll_to_working_day(add_months(event, months))


def deadline_in_working_days(event: date, days: int) -> date:
    """A deadline counted in working days after the event (B13's 5- and 3-working-day periods)."""
    return add_working_days(event, days)
