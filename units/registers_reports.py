"""What is read off a register (DOMAIN R1): its yearly statistics (entries by state, deadlines met on time, late
and overdue), a list page's rows with their columns displayed, the CSV/XLSX export rows, and the "overdue"
filter. Each in a fixed number of queries, whatever the register's size."""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mopr import registers as engine
from mopr.models import Deadline

from .models import EntryStatus, Register, RegisterEntry
from .registers import reference_names


def register_statistics(register: Register) -> dict:
    """R1: entries per year, by state, and the register's deadlines per year: met on time, met late (K6) and
    still open past their date. A fixed number of queries."""
    entries = RegisterEntry.objects.filter(register=register)
    per_year = {
        row["year"]: {"year": row["year"], "total": row["total"], "states": {}, "on_time": 0, "late": 0, "overdue": 0}
        for row in entries.values("year").annotate(total=Count("pk")).order_by("-year")
    }
    labels = dict(EntryStatus.choices)
    for row in entries.exclude(status="").values("year", "status").annotate(n=Count("pk")):
        per_year[row["year"]]["states"][str(labels.get(row["status"], row["status"]))] = row["n"]
    today = timezone.localdate()
    content_type = ContentType.objects.get_for_model(RegisterEntry)
    deadlines = Deadline.objects.filter(
        content_type=content_type,
        object_id__in=entries.values("pk"),
        cancelled_at__isnull=True,
    )
    year_of = dict(entries.filter(pk__in=deadlines.values("object_id")).values_list("pk", "year"))
    for row in deadlines.only("object_id", "due", "met_at"):
        stats = per_year.get(year_of.get(row.object_id))
        if stats is None:
            continue
        if row.met_at is None:
            stats["overdue"] += row.due < today
        elif timezone.localdate(row.met_at) > row.due:
            stats["late"] += 1
        else:
            stats["on_time"] += 1
    return {"years": list(per_year.values()), "has_deadlines": bool(register.deadlines)}


def entries_with_values(register: Register, entries) -> list[dict]:
    """A page of entries with their list columns displayed (one query per kind of reference for the page)."""
    entries = list(entries)
    names = reference_names(register, [e.values for e in entries])
    columns = register.list_fields
    return [{"entry": e, "cells": [engine.display(f, e.values.get(f["key"]), names) for f in columns]} for e in entries]


def export_rows(register: Register, queryset, *, chunk: int = 2000):
    """The header and rows of the register's CSV/XLSX: sign, year, number, every field typed, state."""
    header = [_("Znak"), _("Rok"), _("Numer"), *[f["label"] for f in register.fields], _("Stan")]

    def rows():
        batch: list[RegisterEntry] = []
        for entry in queryset.iterator(chunk_size=chunk):
            batch.append(entry)
            if len(batch) >= chunk:
                yield from _export_batch(register, batch)
                batch = []
        yield from _export_batch(register, batch)

    return header, rows()


def _export_batch(register: Register, batch: list[RegisterEntry]):
    names = reference_names(register, [e.values for e in batch])
    for entry in batch:
        yield [
            entry.sign,
            entry.year,
            entry.number,
            *[engine.export_value(f, entry.values.get(f["key"]), names) for f in register.fields],
            entry.get_status_display() if entry.status else "",
        ]


def overdue_filter(today: date | None = None) -> Q:
    """Entries with an open deadline past its date (the list's "overdue" filter)."""
    today = today or timezone.localdate()
    late = Deadline.objects.open().filter(content_type=ContentType.objects.get_for_model(RegisterEntry), due__lt=today)
    return Q(pk__in=late.values("object_id"))
