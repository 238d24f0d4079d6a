"""A reusable history view: who changed what and when, for any model with simple-history."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.shortcuts import render


@dataclass
class HistoryEntry:
    when: object
    who: object
    kind: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    reason: str = ""


KIND_LABELS = {"+": "utworzenie", "~": "zmiana", "-": "usunięcie"}


def history_entries(obj, limit: int = 200, display=None) -> list[HistoryEntry]:
    """The record's history, newest first. ``display(field, value)`` writes a changed value for people (by
    default: a choice's label, else the value itself)."""
    display = display or _choice_display
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                field_obj = record.instance._meta.get_field(change.field)
                changes.append(
                    (str(field_obj.verbose_name), display(field_obj, change.old), display(field_obj, change.new))
                )
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=record.history_user,
                kind=KIND_LABELS.get(record.history_type, ""),
                changes=changes,
                reason=record.history_change_reason or "",
            )
        )
    return entries


def _choice_display(field_obj, value) -> str:
    labels = dict(field_obj.choices) if getattr(field_obj, "choices", None) else {}
    return _label(labels, value)


def _label(labels: dict, value) -> str:
    """A choice's label instead of its code (``do_odpowiedzi`` -> "do odpowiedzi")."""
    if labels and isinstance(value, (str, int)) and value in labels:
        return str(labels[value])
    return _fmt(value)


def _fmt(value) -> str:
    if value is None or value == "":
        return "—"
    return str(value)


def render_history(request, obj, *, title: str, back_url: str):
    """Render the history page for ``obj``. The caller has already checked the permission."""
    return render(
        request,
        "history.html",
        {
            "object": obj,
            "entries": history_entries(obj),
            "title": title,
            "back_url": back_url,
        },
    )
