"""E-mail delivery from the outbox: at-most-once.

A row is claimed (pending → sending) in its own committed statement before the SMTP call.
If the process dies after the claim, the row stays ``sending`` and a later sweep marks it
``unknown`` for a person to check: an e-mail is never sent twice; none is lost silently.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import OutboxEmail

STALE_SENDING_AFTER = timedelta(minutes=15)
MAX_ATTEMPTS = 3


def outbox_enqueue(*, key: str, to: str, subject: str, body_text: str, body_html: str = "", user=None):
    """Queue one e-mail under a unique key; a second call with the same key queues nothing.

    Delivery starts when the surrounding transaction commits.
    """
    row, created = OutboxEmail.objects.get_or_create(
        key=key,
        defaults={"to": to, "subject": subject, "body_text": body_text, "body_html": body_html, "user": user},
    )
    if created:
        from .tasks import deliver_email

        transaction.on_commit(lambda: deliver_email.delay(row.pk))
    return row


def outbox_claim(pk: int) -> bool:
    """Atomically move one row from pending to sending; False if somebody else has it."""
    return bool(
        OutboxEmail.objects.filter(pk=pk, status=OutboxEmail.Status.PENDING).update(
            status=OutboxEmail.Status.SENDING, attempts=F("attempts") + 1
        )
    )


def outbox_deliver(pk: int) -> str:
    if not outbox_claim(pk):
        return "skipped"
    row = OutboxEmail.objects.get(pk=pk)
    message = EmailMultiAlternatives(row.subject, row.body_text, to=[row.to])
    if row.body_html:
        message.attach_alternative(row.body_html, "text/html")
    try:
        message.send()
    except Exception as exc:  # SMTP refused: a known failure, safe to try again later
        status = OutboxEmail.Status.PENDING if row.attempts < MAX_ATTEMPTS else OutboxEmail.Status.FAILED
        OutboxEmail.objects.filter(pk=pk).update(status=status, error=str(exc)[:2000])
        return "failed"
    OutboxEmail.objects.filter(pk=pk).update(status=OutboxEmail.Status.SENT, sent_at=timezone.now())
    return "sent"


def outbox_deliver_pending(limit: int = 500) -> int:
    sent = 0
    for pk in OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING).order_by("pk").values_list(
        "pk", flat=True
    )[:limit]:
        if outbox_deliver(pk) == "sent":
            sent += 1
    return sent


def outbox_mark_stale(now=None) -> int:
    """Rows left in ``sending`` by a dead worker: outcome unknown, for manual review (never resent)."""
    now = now or timezone.now()
    return OutboxEmail.objects.filter(
        status=OutboxEmail.Status.SENDING, created_at__lt=now - STALE_SENDING_AFTER
    ).update(status=OutboxEmail.Status.UNKNOWN)
