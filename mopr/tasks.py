"""Thin Celery tasks: they take ids, load, and call the services."""

import logging
from datetime import date, timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import deadlines, documents, outbox
from .models import Document

logger = logging.getLogger("mopr.tasks")


def enqueue(task, *args) -> bool:
    """Publish ``task`` now; when the queue (Redis) is unreachable, log and go on: the row it concerns waits in
    the database in a state a sweep picks up (pending document, pending e-mail). Pages never fail for it."""
    if task.app.conf.task_always_eager:  # in-process (demo, tests): errors are the caller's to see
        task.apply_async(args=args)
        return True
    try:
        task.apply_async(args=args, retry=False)
        return True
    except Exception as exc:  # noqa: BLE001 - kombu/redis connection errors vary by transport
        logger.warning("task %s%s not queued (%s); the sweep will pick it up", task.name, args, exc)
        return False


def enqueue_on_commit(task, *args) -> None:
    transaction.on_commit(lambda: enqueue(task, *args))


@shared_task(acks_late=True, ignore_result=True)
def send_deadline_digests(today: str | None = None) -> int:
    """K5: the frequent, idempotent digest scan. Before DIGEST_START_HOUR it does nothing."""

    now = timezone.localtime()
    if today is None and now.hour < settings.DIGEST_START_HOUR:
        return 0
    day = date.fromisoformat(today) if today else now.date()
    deadlines.digest_enqueue_all(day)
    outbox.outbox_mark_stale()
    return deliver_outbox()


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=240, time_limit=300)
def deliver_outbox() -> int:
    """Send what is ready over one SMTP connection for at most OUTBOX_BATCH_SECONDS, then hand the rest to a
    new task (the chain ends when nothing is ready: rows waiting out a retry pause are not ready)."""

    sent = outbox.outbox_deliver_pending()
    if outbox.ready_rows().exists() and not settings.CELERY_TASK_ALWAYS_EAGER:
        enqueue(deliver_outbox)
    return sent


@shared_task(acks_late=True, ignore_result=True)
def render_pending_documents() -> int:
    """Queue the render of documents left pending for more than 5 minutes (their task was never published or
    was lost); rendering is idempotent, so a document queued twice is rendered once."""
    stale = Document.objects.filter(
        status=Document.Status.PENDING, created_at__lt=timezone.now() - timedelta(minutes=5)
    )
    count = 0
    for pk in stale.values_list("pk", flat=True)[:500]:
        enqueue(render_document, pk)
        count += 1
    return count


@shared_task(acks_late=True, ignore_result=True)
def deliver_email(outbox_id: int) -> str:

    return outbox.outbox_deliver(outbox_id)


@shared_task(
    bind=True,
    acks_late=True,
    ignore_result=True,
    max_retries=3,
    soft_time_limit=settings.PDF_RENDER_TIME_LIMIT,
    time_limit=settings.PDF_RENDER_TIME_LIMIT + 10,
)
def render_document(self, document_id: int) -> str:
    """Render a document; a passing failure (OSError: disk, storage) is retried with a growing pause; after the
    last retry, or on any other error (a template error, the time limit), it is marked failed and its author
    is told; a person may retry it from the document's page."""

    try:
        return documents.document_render(document_id)
    except OSError as exc:
        if self.request.retries < self.max_retries:
            raise self.retry(exc=exc, countdown=10 * 2**self.request.retries)
        documents.document_mark_failed(document_id, exc)
    except Exception as exc:  # noqa: BLE001 - a render that cannot succeed by waiting
        documents.document_mark_failed(document_id, exc)
    return "failed"
