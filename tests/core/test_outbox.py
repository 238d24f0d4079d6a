"""Issue 19: the outbox at realistic sizes, failed renders, and the site without Redis."""

import logging
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from mopr import outbox
from mopr.models import Document, OutboxEmail
from mopr.tasks import deliver_outbox, render_document, render_pending_documents
from tests.core.mail_backends import CountingBackend

pytestmark = pytest.mark.django_db
BACKEND = "tests.core.mail_backends.CountingBackend"


def _rows(n, prefix="t"):
    return [
        OutboxEmail.objects.create(key=f"{prefix}:{i}", to=f"osoba{i}@mopr.test", subject="Terminy", body_text="Treść")
        for i in range(n)
    ]


@pytest.fixture
def relay(settings):
    settings.EMAIL_BACKEND = BACKEND
    CountingBackend.reset()
    return CountingBackend


def test_a_batch_opens_one_smtp_connection_for_all_its_messages(relay):
    _rows(40)
    assert outbox.outbox_deliver_pending() == 40
    assert relay.opens == 1
    assert sorted(relay.sent) == sorted(f"osoba{i}@mopr.test" for i in range(40))


def test_a_batch_stops_at_its_time_budget_and_the_next_one_sends_the_rest_once(relay, settings):
    relay.reset(delay=0.02)
    _rows(30)
    first = outbox.outbox_deliver_pending(budget_seconds=0.2)
    assert 0 < first < 30
    assert OutboxEmail.objects.filter(status="pending").count() == 30 - first
    deliver_outbox()
    assert sorted(relay.sent) == sorted(f"osoba{i}@mopr.test" for i in range(30))  # each exactly once
    assert not OutboxEmail.objects.exclude(status="sent").exists()


def test_after_an_smtp_error_the_batch_reconnects_and_goes_on(relay):
    relay.reset(refuse_first=1)
    _rows(5)
    assert outbox.outbox_deliver_pending() == 4
    assert relay.opens == 2
    failed = OutboxEmail.objects.get(status="pending")
    assert failed.attempts == 1 and failed.next_attempt_at > timezone.now() and "421" in failed.error


def test_an_outage_of_an_hour_delays_the_message_without_failing_it(relay, settings, caplog):
    relay.reset(refuse_always=True)
    (row,) = _rows(1)
    caplog.set_level(logging.WARNING, logger="mopr.outbox")
    pauses = []
    for _ in range(4):  # four attempts: 5 + 10 + 20 minutes of pauses
        OutboxEmail.objects.filter(pk=row.pk).update(next_attempt_at=None)
        outbox.outbox_deliver_pending()
        row.refresh_from_db()
        pauses.append(row.next_attempt_at)
    assert row.status == "pending" and row.attempts == 4
    assert "attempt 4 failed" in caplog.text and f"outbox {row.pk}" in caplog.text
    # Not ready during its pause: a tick in between sends nothing and does not count an attempt.
    outbox.outbox_deliver_pending()
    row.refresh_from_db()
    assert row.attempts == 4
    relay.reset()
    OutboxEmail.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    outbox.outbox_deliver_pending()
    assert OutboxEmail.objects.get(pk=row.pk).status == "sent"


def test_retry_pauses_double_up_to_two_hours_over_about_six_hours(settings):
    pauses = [outbox.retry_pause(n) for n in range(1, settings.OUTBOX_MAX_ATTEMPTS)]
    assert pauses[:3] == [timedelta(minutes=5), timedelta(minutes=10), timedelta(minutes=20)]
    assert max(pauses) == timedelta(hours=2)
    assert timedelta(hours=4) < sum(pauses, timedelta()) < timedelta(hours=8)


def test_the_last_failed_attempt_marks_the_row_failed(relay, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    relay.reset(refuse_always=True)
    (row,) = _rows(1)
    for _ in range(2):
        OutboxEmail.objects.filter(pk=row.pk).update(next_attempt_at=None)
        outbox.outbox_deliver_pending()
    row.refresh_from_db()
    assert (row.status, row.next_attempt_at) == ("failed", None)


def test_a_row_left_sending_becomes_unknown_and_is_logged(chart, caplog):
    (row,) = _rows(1)
    assert outbox.outbox_claim(row.pk)
    caplog.set_level(logging.WARNING, logger="mopr.outbox")
    assert outbox.outbox_mark_stale(now=timezone.now() + timedelta(minutes=20)) == 1
    assert f"outbox {row.pk}" in caplog.text and "unknown" in caplog.text


def test_undelivered_page_for_the_iod_requeues_after_a_check(chart, login, relay, django_capture_on_commit_callbacks):
    unknown, failed, sent = _rows(3)
    OutboxEmail.objects.filter(pk=unknown.pk).update(status="unknown")
    OutboxEmail.objects.filter(pk=failed.pk).update(status="failed", attempts=8, error="550 mailbox unavailable")
    OutboxEmail.objects.filter(pk=sent.pk).update(status="sent")
    assert login(chart.dnk_pracownik).get(reverse("outbox_undelivered")).status_code == 403
    client = login(chart.iod)
    page = client.get(reverse("outbox_undelivered")).content.decode()
    assert unknown.to in page and failed.to in page and sent.to not in page
    assert "550 mailbox unavailable" in page and "Treść" not in page  # no bodies
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("outbox_undelivered"), {"ids": [unknown.pk, failed.pk, sent.pk]})
    assert sorted(relay.sent) == sorted([unknown.to, failed.to])  # sent once more, eagerly in tests
    assert OutboxEmail.objects.get(pk=failed.pk).error.startswith("Ponownie w kolejce: iod")
    assert OutboxEmail.objects.get(pk=sent.pk).status == "sent"


# --- documents ------------------------------------------------------------------------------------------


def _document(chart, template="pdf/plain.html"):
    return Document.objects.create(
        content_type=ContentType.objects.get_for_model(chart.unit("DNK")),
        object_id=chart.unit("DNK").pk,
        kind="test",
        title="Pismo próbne",
        template_name=template,
        context={"heading": "x", "paragraphs": []},
        created_by=chart.dnk_pracownik,
    )


def test_a_render_that_fails_for_good_is_marked_failed_and_its_author_told(
    chart, mailoutbox, django_capture_on_commit_callbacks
):
    document = _document(chart, template="pdf/does-not-exist.html")
    with django_capture_on_commit_callbacks(execute=True):
        assert render_document.delay(document.pk).get() == "failed"
    document.refresh_from_db()
    assert document.status == Document.Status.FAILED and "TemplateDoesNotExist" in document.error
    assert [m.to for m in mailoutbox] == [[chart.dnk_pracownik.email]]
    assert "Pismo próbne" in mailoutbox[0].body


def test_a_failed_document_can_be_retried_by_someone_who_may_see_it(chart, login, django_capture_on_commit_callbacks):
    document = _document(chart, template="pdf/does-not-exist.html")
    render_document.delay(document.pk)
    Document.objects.filter(pk=document.pk).update(template_name="pdf/plain.html")
    url = reverse("units:document_retry", args=[document.pk])
    assert login(chart.obcy).post(url).status_code == 404
    assert Document.objects.get(pk=document.pk).status == Document.Status.FAILED
    # The document's owner here is a unit, which names no viewers: nobody but a flow's people may retry.
    from units.models import ApprovalFlow, ApprovalStep

    flow = ApprovalFlow.objects.create(
        document=document, document_kind="letter", unit=chart.unit("DNK"), author=chart.dnk_pracownik
    )
    ApprovalStep.objects.create(flow=flow, order=1, kind="initial", assignee=chart.dnk_pracownik)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(chart.dnk_pracownik).post(url, {"next": "/"})
    assert response.status_code == 302
    assert Document.objects.get(pk=document.pk).status == Document.Status.READY


def test_documents_whose_render_was_never_queued_are_swept(chart):
    document = _document(chart)
    Document.objects.filter(pk=document.pk).update(created_at=timezone.now() - timedelta(minutes=6))
    assert render_pending_documents() == 1
    assert Document.objects.get(pk=document.pk).status == Document.Status.READY


# --- without Redis ------------------------------------------------------------------------------------


def test_without_redis_logins_and_pages_work_and_background_work_waits(chart, client, settings):
    """Redis down (a closed port): the cache answers misses, sessions fall back to the database, a task that
    cannot be queued leaves its row pending for the sweep; nothing answers 500."""
    from mopr.celery import app
    from tests.factories import PASSWORD

    dead = "redis://127.0.0.1:9/0"
    settings.CACHES = {"default": {"BACKEND": "mopr.cache.TolerantRedisCache", "LOCATION": dead}}
    settings.REDIS_URL = dead
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    previous = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url, app.conf.task_always_eager = dead, False
    app._pool = None
    try:
        response = client.post(reverse("login"), {"username": "dnk_pracownik", "password": PASSWORD})
        assert response.status_code == 302
        assert client.get(reverse("my_deadlines")).status_code == 200
        with pytest.raises(Exception):  # noqa: B017 - the broker really is unreachable
            app.connection_for_write().ensure_connection(max_retries=1)
        from mopr.documents import document_request

        with django_capture_on_commit(execute=True):
            document = document_request(
                chart.unit("DNK"),
                kind="test",
                title="x",
                template_name="pdf/plain.html",
                context={"heading": "x", "paragraphs": []},
            )
        assert Document.objects.get(pk=document.pk).status == Document.Status.PENDING
        health = client.get(reverse("health"))
        assert health.status_code == 503 and health.json()["redis"] == "error"
    finally:
        app.conf.broker_url, app.conf.task_always_eager = previous
        app._pool = None


def django_capture_on_commit(execute):
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=execute)
