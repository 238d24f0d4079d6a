"""Read-side helpers: reception hours (C2), statistics, export rows."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mopr import calendar
from mopr.deadlines import met_late
from mopr.history import history_entries
from mopr.models import Deadline
from units import signing
from units.models import Institution, Membership, Position, Unit, active_on

from .models import OPEN_STATUSES, Complaint, Kind, Outcome
from .services.kinds import DL_FORWARD, DL_PARLIAMENTARIAN, DL_RESPONSE

WEEKDAYS = ["poniedziałek", "wtorek", "środa", "czwartek", "piątek", "sobota", "niedziela"]
WHO = {
    "director": (Position.DIRECTOR, 0),
    "deputy_1": (Position.DEPUTY_DIRECTOR, 0),
    "deputy_2": (Position.DEPUTY_DIRECTOR, 1),
    "chief_accountant": (Position.CHIEF_ACCOUNTANT, 0),
}
WORKING_HOURS = (time(7, 30), time(15, 30))


@dataclass
class ReceptionSlot:
    who: str
    person: str
    weekday: str
    hours: str
    next_day: date
    moved: bool
    start: time
    end: time
    order: int = 0


def _parse(value: str | None, default: time) -> time:
    if not value:
        return default
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def _who_label(institution: Institution, who: str) -> str:
    if who == "director":
        return institution.director_title
    if who.startswith("deputy"):
        return _("Zastępca kierującego")
    if who == "chief_accountant":
        return _("Główny Księgowy")
    return who


def next_session(weekday: int, start: time, end: time, now: datetime) -> tuple[date, bool]:
    """C2 (000 §34 ust. 2): the next session of a weekly reception on ``weekday`` still to come at ``now``;
    a session falling on a day off (e.g. Easter Monday) is held on the next working day. Returns the day
    and whether it was moved."""
    today = now.date()
    nominal = today - timedelta(days=(today.weekday() - weekday) % 7) - timedelta(days=7)
    for _week in range(60):
        actual = calendar.roll_to_working_day(nominal)
        if actual > today or (actual == today and now.time() < end):
            return actual, actual != nominal
        nominal += timedelta(days=7)
    raise ValueError("no reception session found")


def reception_schedule(institution: Institution, now: datetime | None = None) -> list[ReceptionSlot]:
    now = timezone.localtime(now) if now is not None and timezone.is_aware(now) else (now or timezone.localtime())
    today = now.date()
    slots = []
    for row in institution.reception_hours or []:
        who = row.get("who", "")
        weekday = int(row.get("weekday", 0))
        start = _parse(row.get("start"), WORKING_HOURS[0])
        end = _parse(row.get("end"), WORKING_HOURS[1])
        position, index = WHO.get(who, (None, 0))
        people = signing.holders(institution, position, today) if position else []
        person = people[index] if len(people) > index else None
        title = _who_label(institution, who)
        if person is not None:
            membership = Membership.objects.filter(active_on(today), user=person, position=position).first()
            title = membership.display_title if membership else title
        day, moved = next_session(weekday, start, end, now)
        hours = f"{start:%H:%M}–{end:%H:%M}" if row.get("start") else _("w godzinach pracy ośrodka")
        slots.append(
            ReceptionSlot(
                who=title,
                person=(person.get_full_name() if person else ""),
                weekday=WEEKDAYS[weekday],
                hours=hours,
                next_day=day,
                moved=moved,
                start=start,
                end=end,
                order=list(WHO).index(who) if who in WHO else len(WHO),
            )
        )
    slots.sort(key=lambda s: (s.next_day, s.start, s.order))
    return slots


# --- statistics -----------------------------------------------------------------------------------------


MONTHS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def _late(row: dict, today: date) -> bool:
    settled = row["sent_on"] or row["closed_on"]
    if settled is None:
        return row["status"] in OPEN_STATUSES and row["due_date"] < today
    return settled > row["due_date"]


def _late_by_deadlines(qs, today: date) -> set[int]:
    """K6: entries with a deadline (C4, C12, ...) met after its due date, or still open past it."""
    content_type = ContentType.objects.get_for_model(Complaint, for_concrete_model=False)
    rows = Deadline.objects.filter(content_type=content_type, object_id__in=qs.values("pk"), cancelled_at__isnull=True)
    # The C5 limit counts only for entries that were forwarded: for the others it ends when the case proceeds.
    rows = rows.filter(
        Q(kind__in=[DL_RESPONSE, DL_PARLIAMENTARIAN])
        | Q(kind=DL_FORWARD, object_id__in=qs.filter(outcome=Outcome.FORWARDED).values("pk"))
    )
    late = set()
    for row in rows.only("object_id", "due", "met_at"):
        if met_late(row) or (row.met_at is None and row.due < today):
            late.add(row.object_id)
    return late


def statistics(queryset, year: int, today: date | None = None) -> dict:
    """Counts per month, unit, outcome and kind; overdue rate; average handling time (days)."""
    today = today or timezone.localdate()
    qs = queryset.filter(year=year)
    rows = list(qs.values("pk", "kind", "status", "outcome", "received_on", "due_date", "sent_on", "closed_on"))
    per_month = Counter(row["received_on"].month for row in rows)
    outcome_labels = dict(Outcome.choices)
    by_outcome = Counter(row["outcome"] or "" for row in rows)
    by_kind = Counter(row["kind"] for row in rows)
    unit_rows = Complaint.units_concerned.through.objects.filter(complaint__in=qs.values("pk")).values_list(
        "unit__symbol", flat=True
    )
    by_unit = Counter(unit_rows)
    late_ids = {row["pk"] for row in rows if _late(row, today)} | _late_by_deadlines(qs, today)
    late = len(late_ids)
    durations = [
        ((row["sent_on"] or row["closed_on"]) - row["received_on"]).days
        for row in rows
        if row["sent_on"] or row["closed_on"]
    ]
    months = [{"label": MONTHS[m - 1], "month": m, "count": per_month.get(m, 0)} for m in range(1, 13)]
    return {
        "year": year,
        "total": len(rows),
        "open": sum(1 for row in rows if row["status"] in OPEN_STATUSES),
        "months": months,
        "by_outcome": [
            (str(outcome_labels.get(code, _("w toku"))) if code else _("w toku"), count)
            for code, count in sorted(by_outcome.items(), key=lambda item: -item[1])
        ],
        "by_kind": [(_("skargi"), by_kind.get(Kind.COMPLAINT, 0)), (_("wnioski"), by_kind.get(Kind.MOTION, 0))],
        "by_unit": sorted(by_unit.items(), key=lambda item: (-item[1], item[0])),
        "late": late,
        "late_ids": late_ids,
        "late_rate": round(100 * late / len(rows), 1) if rows else 0,
        "average_days": round(sum(durations) / len(durations), 1) if durations else None,
        "settled": len(durations),
        "chart": month_chart(months),
    }


def month_chart(months: list[dict], width: int = 600, height: int = 220) -> dict:
    """A bar chart drawn on the server as SVG geometry (no script, no inline style)."""
    top, bottom, left = 20, 30, 30
    plot_h = height - top - bottom
    peak = max([m["count"] for m in months] + [1])
    slot = (width - left) / len(months)
    bars = []
    for index, month in enumerate(months):
        bar_h = round(plot_h * month["count"] / peak, 1)
        x = round(left + index * slot + slot * 0.15, 1)
        bars.append(
            {
                "x": x,
                "y": round(top + plot_h - bar_h, 1),
                "w": round(slot * 0.7, 1),
                "h": bar_h,
                "label": month["label"],
                "count": month["count"],
                "lx": round(x + slot * 0.35, 1),
                "ty": round(top + plot_h - bar_h - 4, 1),
            }
        )
    return {
        "width": width,
        "height": height,
        "bars": bars,
        "base_y": top + plot_h,
        "label_y": height - 10,
        "peak": peak,
        "left": left,
        "top": top,
    }


def export_rows(queryset):
    """Rows of the register as the user may see it (for CSV and XLSX)."""
    header = [
        _("Znak sprawy"),
        _("Rodzaj"),
        _("Data wpływu"),
        _("Sposób wniesienia"),
        _("Wnoszący"),
        _("Przedmiot"),
        _("Komórki"),
        _("Stan"),
        _("Termin"),
        _("Data wysłania"),
        _("Sposób załatwienia"),
        _("Po terminie"),
    ]
    today = timezone.localdate()
    rows = []
    for c in queryset:
        rows.append(
            [
                c.sign,
                c.get_kind_display(),
                c.received_on.isoformat(),
                c.get_channel_display(),
                c.complainant_display,
                c.subject,
                ", ".join(u.symbol for u in c.units_concerned.all()),
                c.get_status_display(),
                c.due_date.isoformat(),
                c.sent_on.isoformat() if c.sent_on else "",
                c.get_outcome_display(),
                _("tak") if c.is_overdue(today) else _("nie"),
            ]
        )
    return header, rows


def _display(field, value, units: dict, related: dict) -> str:
    if value in (None, "", []):
        return "—"
    if field.many_to_many:
        return ", ".join(units.get(row.get("unit"), "?") for row in value) or "—"
    if field.choices:
        return str(dict(field.choices).get(value, value))
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if field.is_relation:
        key = (field.related_model, value)
        if key not in related:  # each person or record read once per page, not once per change
            obj = field.related_model._default_manager.filter(pk=value).first()
            related[key] = (obj.get_full_name() if hasattr(obj, "get_full_name") else str(obj)) if obj else str(value)
        return related[key]
    return str(value)


def timeline(obj, limit: int = 50) -> list:
    """The record's history with readable values (state labels, unit symbols, dates, names) for the detail
    page: ``mopr.history.history_entries`` with this app's way of writing values."""
    units = dict(Unit.objects.values_list("pk", "symbol"))
    related: dict = {}
    return history_entries(obj, limit, display=lambda field, value: _display(field, value, units, related))
