"""Dates as dd.mm.rrrr everywhere: a date shown without an explicit format (templates, PDFs)
reads 30.11.2026, not "30 listopada 2026". Everything not set here comes from Django's Polish formats."""

DATE_FORMAT = "d.m.Y"
SHORT_DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = "d.m.Y H:i"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
