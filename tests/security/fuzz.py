"""Hypothesis strategies and a driver for fuzzing forms through their real views."""

from __future__ import annotations

import re
from datetime import date

from hypothesis import strategies as st

NASTY = [
    "Zażółć gęślą jaźń",
    "ŻÓŁW",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE units_unit; --",
    "1 OR 1=1",
    "\x00",
    "\x07\x1b[31m",
    "\u202etxt.exe",
    "😀" * 3,
    "a" * 5000,
    " ",
    "",
    "-1",
    "0",
    "99999999999999999999",
    "1e309",
    "NaN",
    "-0,01",
    "3,14",
    "1 000,00",
    "0000-00-00",
    "31.02.2026",
    "2026-02-30",
    "9999-12-31",
    "0001-01-01",
    "1900-01-01",
    "2100-01-01",
]

text = st.one_of(st.sampled_from(NASTY), st.text(max_size=300), st.text(min_size=200, max_size=3000))
dates = st.one_of(
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(lambda d: d.isoformat()),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)).map(lambda d: d.strftime("%d.%m.%Y")),
    st.sampled_from(NASTY),
)
amounts = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-(10**15), max_value=10**15).map(str),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.sampled_from(NASTY),
)
integers = st.one_of(st.integers(min_value=-(10**12), max_value=10**12).map(str), st.sampled_from(NASTY))
booleans = st.sampled_from(["on", "", "true", "0", "tak"])

# Django's English defaults that must never reach a Polish user.
ENGLISH = re.compile(
    r"This field is required|Enter a valid|Ensure this value|Select a valid choice|"
    r"is not a valid|Null characters are not allowed|Invalid"
)


def assert_polish_errors(response):
    assert response.status_code != 500
    if response.status_code == 200:
        body = response.content.decode()
        assert not ENGLISH.search(body), ENGLISH.search(body).group(0)
