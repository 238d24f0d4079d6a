"""Thin Celery tasks: they take ids, load, and call the services."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone


@shared_task(acks_late=True, ignore_result=True)
def send_deadline_digests(today: str | None = None) -> int:
    """K5: the frequent, idempotent digest scan. Before DIGEST_START_HOUR it does nothing."""
    from datetime import date

    from . import deadlines, outbox

    now = timezone.localtime()
    if today is None and now.hour < settings.DIGEST_START_HOUR:
        return 0
    day = date.fromisoformat(today) if today else now.date()
    deadlines.digest_enqueue_all(day)
    outbox.outbox_mark_stale()
    return outbox.outbox_deliver_pending()


@shared_task(acks_late=True, ignore_result=True)
def deliver_email(outbox_id: int) -> str:
    from . import outbox

    return outbox.outbox_deliver(outbox_id)


@shared_task(
    acks_late=True,
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=settings.PDF_RENDER_TIME_LIMIT,
    time_limit=settings.PDF_RENDER_TIME_LIMIT + 10,
)
def render_document(document_id: int) -> str:
    from . import documents

    return documents.document_render(document_id)
