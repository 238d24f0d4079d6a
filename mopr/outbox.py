"""E-mail delivery from the outbox: at-most-once, in batches over one SMTP connection.

A row is claimed (pending → sending) in its own committed statement before the SMTP call.
If the process dies after the claim, the row stays ``sending`` and a later sweep marks it
``unknown`` for a person to check: an e-mail is never sent twice; none is lost silently.

A batch reuses one SMTP connection (TLS and login once, not per message; reconnecting after an error) and
stops taking rows once ``OUTBOX_BATCH_SECONDS`` have passed, so the task stays well under Celery's time
limit; what is left goes to the next task in the chain. A refused message is retried with a growing pause
(``OUTBOX_RETRY_MINUTES`` doubled each time, at most two hours apart) for ``OUTBOX_MAX_ATTEMPTS`` attempts,
about six hours with the defaults, so an SMTP outage of an hour delays the digests instead of failing them.
Every failure and state change is logged (logger ``mopr.outbox``) with the row and the reason.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from . import tasks
from .models import OutboxEmail

logger = logging.getLogger("mopr.outbox")

STALE_SENDING_AFTER = timedelta(minutes=15)
MAX_RETRY_PAUSE = timedelta(hours=2)


def outbox_enqueue(*, key: str, to: str, subject: str, body_text: str, body_html: str = "", user=None):
    """Queue one e-mail under a unique key; a second call with the same key queues nothing.

    Delivery starts when the surrounding transaction commits.
    """
    row, created = OutboxEmail.objects.get_or_create(
        key=key,
        defaults={"to": to, "subject": subject, "body_text": body_text, "body_html": body_html, "user": user},
    )
    if created:
        tasks.enqueue_on_commit(tasks.deliver_email, row.pk)
    return row


def outbox_claim(pk: int) -> bool:
    """Atomically move one row from pending to sending; False if somebody else has it."""
    return bool(
        OutboxEmail.objects.filter(pk=pk, status=OutboxEmail.Status.PENDING).update(
            status=OutboxEmail.Status.SENDING, attempts=F("attempts") + 1
        )
    )


def retry_pause(attempts: int) -> timedelta:
    """The pause after the ``attempts``-th failed attempt: doubling from OUTBOX_RETRY_MINUTES, at most 2 h."""
    pause = timedelta(minutes=settings.OUTBOX_RETRY_MINUTES) * (2 ** max(attempts - 1, 0))
    return min(pause, MAX_RETRY_PAUSE)


def _message(row: OutboxEmail, connection=None) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(row.subject, row.body_text, to=[row.to], connection=connection)
    if row.body_html:
        message.attach_alternative(row.body_html, "text/html")
    return message


def _failed(row: OutboxEmail, exc: Exception) -> None:
    """A refused or failed SMTP call is a known failure (the server said no, or we never reached it): safe to
    try again later, after a pause; after the last attempt the row is marked failed for a person to see."""
    if row.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        status, next_attempt = OutboxEmail.Status.FAILED, None
    else:
        status, next_attempt = OutboxEmail.Status.PENDING, timezone.now() + retry_pause(row.attempts)
    OutboxEmail.objects.filter(pk=row.pk).update(status=status, error=str(exc)[:2000], next_attempt_at=next_attempt)
    logger.warning(
        "outbox %s (%s) to %s: attempt %s failed (%s) -> %s%s",
        row.pk,
        row.key,
        row.to,
        row.attempts,
        exc,
        status,
        f", next attempt at {next_attempt:%Y-%m-%d %H:%M}" if next_attempt else "",
    )


def outbox_deliver(pk: int, connection=None) -> str:
    """Send one row (over ``connection`` when given): "sent", "failed" or "skipped" (not pending)."""
    if not outbox_claim(pk):
        return "skipped"
    row = OutboxEmail.objects.get(pk=pk)
    try:
        _message(row, connection).send()
    except Exception as exc:  # noqa: BLE001 - SMTP refused or unreachable
        _failed(row, exc)
        return "failed"
    OutboxEmail.objects.filter(pk=pk).update(status=OutboxEmail.Status.SENT, sent_at=timezone.now())
    logger.info("outbox %s (%s) sent to %s", row.pk, row.key, row.to)
    return "sent"


def ready_rows():
    """Pending rows whose pause, if any, is over, oldest first."""
    return (
        OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=timezone.now()))
        .order_by("pk")
    )


def outbox_deliver_pending(limit: int | None = None, budget_seconds: float | None = None) -> int:
    """Send ready rows over one SMTP connection until none is left or the time budget is spent; returns the
    number sent. After an error the connection is closed and opened again for the next row."""
    budget = settings.OUTBOX_BATCH_SECONDS if budget_seconds is None else budget_seconds
    stop_at = time.monotonic() + budget
    pks = list(ready_rows().values_list("pk", flat=True)[: limit or settings.OUTBOX_BATCH_MAX])
    if not pks:
        return 0
    connection = get_connection()
    sent = 0
    try:
        for pk in pks:
            if time.monotonic() > stop_at:
                break
            try:
                connection.open()  # once per batch (no-op while open); again after an error
            except Exception as exc:  # noqa: BLE001 - relay unreachable: nothing claimed, the next tick tries
                logger.warning(
                    "outbox: SMTP relay unreachable (%s); %s rows wait for the next run", exc, len(pks) - pks.index(pk)
                )
                break
            result = outbox_deliver(pk, connection)
            if result == "sent":
                sent += 1
            elif result == "failed":
                try:
                    connection.close()
                except Exception:  # noqa: BLE001 - a broken connection may fail to close; open a new one
                    pass
    finally:
        try:
            connection.close()
        except Exception:  # noqa: BLE001
            pass
    return sent


def outbox_mark_stale(now=None) -> int:
    """Rows left in ``sending`` by a dead worker: outcome unknown, for manual review (never resent)."""
    now = now or timezone.now()
    stale = list(
        OutboxEmail.objects.filter(
            status=OutboxEmail.Status.SENDING, created_at__lt=now - STALE_SENDING_AFTER
        ).values_list("pk", "key")
    )
    for pk, key in stale:
        logger.warning("outbox %s (%s): left in 'sending' by a stopped worker -> unknown (check by hand)", pk, key)
    return OutboxEmail.objects.filter(pk__in=[pk for pk, _key in stale], status=OutboxEmail.Status.SENDING).update(
        status=OutboxEmail.Status.UNKNOWN
    )


def outbox_requeue(rows, *, acting_user) -> int:
    """A person checked that these messages did not arrive: send them again (unknown or failed rows only)."""
    count = 0
    with transaction.atomic():
        for row in OutboxEmail.objects.select_for_update().filter(
            pk__in=[r.pk for r in rows], status__in=[OutboxEmail.Status.UNKNOWN, OutboxEmail.Status.FAILED]
        ):
            OutboxEmail.objects.filter(pk=row.pk).update(
                status=OutboxEmail.Status.PENDING,
                attempts=0,
                next_attempt_at=None,
                error=(f"Ponownie w kolejce: {acting_user.username}, {timezone.now():%d.%m.%Y %H:%M}. {row.error}")[
                    :2000
                ],
            )
            logger.info("outbox %s (%s) re-queued by %s (was %s)", row.pk, row.key, acting_user.username, row.status)
            count += 1
    if count:
        tasks.enqueue_on_commit(tasks.deliver_outbox)
    return count
