"""Deadlines (K5): services that open, meet, move and cancel deadlines, and the nightly digest.

Domain services call these inside their own transaction; dates come from ``mopr.calendar``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from . import calendar
from .models import Deadline, OutboxEmail


def deadline_open(
    obj,
    *,
    kind: str,
    label: str,
    due: date,
    rule: str = "",
    responsible_user=None,
    responsible_group=None,
    url: str = "",
) -> Deadline:
    """Open a deadline for ``obj``; an open deadline of the same kind is replaced (its due date updated)."""
    if responsible_user is None and responsible_group is None:
        raise ValueError("A deadline needs a responsible person or unit role (K5).")
    # Labels are derived from case titles of any length (found by the fuzz tests): shorten, never fail.
    label = Truncator(label).chars(Deadline._meta.get_field("label").max_length)
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    existing = (
        Deadline.objects.open()
        .filter(
            content_type=content_type,
            object_id=obj.pk,
            kind=kind,
            responsible_user=responsible_user,
            responsible_group=responsible_group,
        )
        .first()
    )
    if existing:
        existing.due, existing.label, existing.rule = due, label, rule
        existing.url = url or existing.url
        existing.save()
        return existing
    return Deadline.objects.create(
        content_type=content_type,
        object_id=obj.pk,
        kind=kind,
        label=label,
        due=due,
        rule=rule,
        responsible_user=responsible_user,
        responsible_group=responsible_group,
        url=url or _object_url(obj),
    )


def _object_url(obj) -> str:
    get_url = getattr(obj, "get_absolute_url", None)
    return get_url() if callable(get_url) else ""


def _open_of_kind(obj, kind: str | None):
    qs = Deadline.objects.for_object(obj).open()
    return qs.filter(kind=kind) if kind else qs


def deadline_meet(obj, kind: str | None = None, *, when=None) -> int:
    """Mark the open deadlines of ``kind`` on ``obj`` as met. Saves each row, so history records it.

    ``when`` may be a date (the day the action was recorded as done, e.g. a sending date): K6 compares it
    with the due date, so a deadline met after its due date is late (``met_late``)."""
    if isinstance(when, date) and not isinstance(when, datetime):
        when = timezone.now() if when == timezone.localdate() else timezone.make_aware(datetime.combine(when, time(12)))
    when = when or timezone.now()
    rows = list(_open_of_kind(obj, kind))
    for row in rows:
        row.met_at = when
        row.save(update_fields=["met_at"])
    return len(rows)


def met_on(deadline) -> date | None:
    """The local day the deadline was met, or None."""
    return timezone.localdate(deadline.met_at) if deadline.met_at else None


def met_late(deadline) -> bool:
    """K6: met, but after its due date (the moved date where C7 applies): shown and counted as late."""
    day = met_on(deadline)
    return day is not None and day > deadline.due


def deadline_cancel(obj, kind: str | None = None) -> int:
    rows = list(_open_of_kind(obj, kind))
    now = timezone.now()
    for row in rows:
        row.cancelled_at = now
        row.save(update_fields=["cancelled_at"])
    return len(rows)


def deadline_move(obj, kind: str, new_due: date) -> int:
    """C7-style extension: the open deadlines of ``kind`` get a new due date."""
    rows = list(_open_of_kind(obj, kind))
    for row in rows:
        row.due = new_due
        row.save(update_fields=["due"])
    return len(rows)


# --- the digest ---------------------------------------------------------------------------------


def digest_horizon(today: date) -> date:
    """K5: deadlines enter the digest from N working days before they are due (default 3)."""
    return calendar.add_working_days(today, settings.DIGEST_WINDOW_WORKING_DAYS)


def digest_deadlines_for(user, today: date):
    return Deadline.objects.open().for_person(user).filter(due__lte=digest_horizon(today)).order_by("due", "pk")


def digest_recipients(today: date):
    """Active users with an e-mail address and at least one deadline in the digest window."""
    User = get_user_model()
    due = Deadline.objects.open().filter(due__lte=digest_horizon(today))
    return (
        User.objects.filter(is_active=True)
        .exclude(email="")
        .filter(
            Q(pk__in=due.filter(responsible_user__isnull=False).values("responsible_user"))
            | Q(groups__in=due.filter(responsible_group__isnull=False).values("responsible_group"))
        )
        .distinct()
        .order_by("pk")
    )


def digest_key(user, today: date) -> str:
    return f"digest:{user.pk}:{today.isoformat()}"


def digest_enqueue(user, today: date) -> OutboxEmail | None:
    """Write the person's digest for ``today`` into the outbox, unless it is already there (K5)."""
    if OutboxEmail.objects.filter(key=digest_key(user, today)).exists():
        return None
    return _write_digest(user, today, list(digest_deadlines_for(user, today)))


def _write_digest(user, today: date, rows: list[Deadline]) -> OutboxEmail | None:
    """The outbox's unique key is the guarantee: a second run, a retried task or a second worker
    hits the constraint and writes nothing."""
    if not rows:
        return None
    context = {
        "user": user,
        "today": today,
        "overdue": [row for row in rows if row.due < today],
        "upcoming": [row for row in rows if row.due >= today],
        "site_url": settings.SITE_URL,
    }
    try:
        with transaction.atomic():
            return OutboxEmail.objects.create(
                key=digest_key(user, today),
                user=user,
                to=user.email,
                # No case data in subjects: only the date.
                subject=_("Twoje terminy na dzień %(day)s") % {"day": today.strftime("%d.%m.%Y")},
                body_text=render_to_string("email/digest.txt", context),
                body_html=render_to_string("email/digest.html", context),
            )
    except IntegrityError:
        return None


def digest_enqueue_all(today: date | None = None) -> list[int]:
    """Enqueue today's digests for everyone concerned; returns the ids of new outbox rows.

    Two reads gather every deadline in the window (personal, and through unit-role groups), so the cost
    does not multiply by the number of people (benchmark: 1M open deadlines, 2 000 people).
    """
    today = today or timezone.localdate()
    due = Deadline.objects.open().filter(due__lte=digest_horizon(today)).order_by("due", "pk")
    per_user: dict[int, list[Deadline]] = defaultdict(list)
    for row in due.filter(responsible_user__isnull=False).iterator(chunk_size=5000):
        per_user[row.responsible_user_id].append(row)
    group_rows = list(due.filter(responsible_group__isnull=False))
    if group_rows:
        members: dict[int, list[int]] = defaultdict(list)
        through = get_user_model().groups.through
        for group_id, user_id in through.objects.filter(
            group_id__in={row.responsible_group_id for row in group_rows}
        ).values_list("group_id", "user_id"):
            members[group_id].append(user_id)
        for row in group_rows:
            for user_id in members[row.responsible_group_id]:
                per_user[user_id].append(row)
    if not per_user:
        return []
    keys = {f"digest:{user_id}:{today.isoformat()}" for user_id in per_user}
    done = set(OutboxEmail.objects.filter(key__in=keys).values_list("key", flat=True))
    created = []
    users = get_user_model().objects.filter(pk__in=list(per_user), is_active=True).exclude(email="").order_by("pk")
    for user in users.iterator(chunk_size=500):
        if digest_key(user, today) in done:
            continue
        rows = sorted({row.pk: row for row in per_user[user.pk]}.values(), key=lambda r: (r.due, r.pk))
        outbox_row = _write_digest(user, today, rows)
        if outbox_row:
            created.append(outbox_row.pk)
    return created
