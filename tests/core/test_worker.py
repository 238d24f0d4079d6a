"""A real Celery worker process executes tasks through the real Redis, against the test database."""

import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
import redis
from django.db import connection

from mopr import deadlines
from mopr.celery import app
from mopr.models import Document, OutboxEmail

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 11, 23)


@pytest.fixture
def worker(tmp_path, settings):
    if not settings.REDIS_URL:
        pytest.fail("REDIS_URL must point at the machine's Redis for the worker tests")
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "MOPR_DEMO": "1",
        "DB_CONN_MAX_AGE": "0",
    }
    queue = f"test-{os.getpid()}-{time.time_ns()}"
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    processes = []

    def start(broker=None):
        if broker:
            env["REDIS_URL"] = broker
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "mopr",
                "worker",
                "-Q",
                queue,
                "--pool",
                "solo",
                "--concurrency",
                "1",
                "--without-gossip",
                "--without-mingle",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        processes.append(process)
        return process

    yield start, tmp_path / "mail"
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
    app.conf.task_default_queue = "celery"
    app.conf.task_always_eager = True


def _sent_messages(maildir) -> int:
    """The file backend may append two messages to one file (same second, same object id): count messages."""
    return (
        sum(
            path.read_text(errors="replace").count("\nSubject: ")
            + path.read_text(errors="replace").startswith("Subject: ")
            for path in maildir.glob("*")
        )
        if maildir.exists()
        else 0
    )


def _redis_answers(port: int) -> bool:
    try:
        return bool(redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=0.5).ping())
    except redis.exceptions.ConnectionError:
        return False


def _wait(predicate, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def test_worker_renders_pdf_and_sends_digest_through_redis(chart, worker):
    start, maildir = worker
    start()
    unit = chart.unit("DNK")
    deadlines.deadline_open(
        unit, kind="x", label="Odpowiedź", due=TODAY, rule="C4", responsible_user=chart.dnk_pracownik
    )
    from mopr.documents import document_request
    from mopr.tasks import send_deadline_digests

    document = document_request(
        unit,
        kind="test",
        title="Próba",
        template_name="pdf/plain.html",
        context={"heading": "Zażółć", "paragraphs": []},
    )
    from mopr.tasks import render_document

    render_document.delay(document.pk)
    send_deadline_digests.delay(TODAY.isoformat())
    assert _wait(lambda: Document.objects.get(pk=document.pk).status == Document.Status.READY)
    assert _wait(lambda: OutboxEmail.objects.filter(status="sent").count() == 1)
    # A repeated run of the job changes nothing. The solo worker takes tasks in order: once a sentinel render
    # queued after the second run is done, that run has finished (no sleep that could pass without it).
    send_deadline_digests.delay(TODAY.isoformat())
    sentinel = document_request(
        unit,
        kind="test",
        title="Znacznik",
        template_name="pdf/plain.html",
        context={"heading": "Znacznik", "paragraphs": []},
    )
    render_document.delay(sentinel.pk)
    assert _wait(lambda: Document.objects.get(pk=sentinel.pk).status == Document.Status.READY)
    assert OutboxEmail.objects.count() == 1
    assert _sent_messages(maildir) == 1


def test_worker_killed_mid_batch_then_restarted_sends_no_email_twice_and_misses_none(chart, worker):
    start, maildir = worker
    for person in [chart.dnk_pracownik, chart.dnk_kierownik, chart.dsr_kierownik, chart.sok_kierownik]:
        deadlines.deadline_open(
            chart.unit("DNK"), kind="x", label="Termin", due=TODAY, rule="K5", responsible_user=person
        )
    from mopr.tasks import send_deadline_digests

    first = start()
    send_deadline_digests.delay(TODAY.isoformat())
    # Kill the worker as soon as the batch has started sending.
    assert _wait(lambda: OutboxEmail.objects.exclude(status="pending").exists(), timeout=60)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(10)
    start()
    send_deadline_digests.delay(TODAY.isoformat())
    assert _wait(lambda: not OutboxEmail.objects.filter(status="pending").exists())
    sent = OutboxEmail.objects.filter(status="sent").count()
    in_doubt = OutboxEmail.objects.filter(status__in=["sending", "unknown"]).count()
    assert OutboxEmail.objects.count() == 4  # one digest per person, never two
    assert sent + in_doubt == 4  # none missed: each was sent or is flagged for a person to check
    assert sent <= _sent_messages(maildir) <= 4


def _free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_K5_redis_down_at_the_scheduled_tick_digests_go_out_at_the_next_tick(chart, worker, tmp_path, settings):
    """The beat tick that cannot reach Redis is lost; the next tick (Redis back) sends the day's digests."""
    from celery import Celery
    from kombu.exceptions import OperationalError

    port = _free_port()
    redis_cmd = [
        "redis-server",
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        str(tmp_path),
    ]
    redis_proc = subprocess.Popen(redis_cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert _wait(lambda: _redis_answers(port), timeout=30)
        start, maildir = worker
        settings.REDIS_URL = f"redis://127.0.0.1:{port}/0"
        deadlines.deadline_open(
            chart.unit("DNK"), kind="x", label="Termin", due=TODAY, rule="K5", responsible_user=chart.dnk_pracownik
        )
        beat = Celery("beat-simulation", broker=settings.REDIS_URL, set_as_current=False)  # not the tasks' app
        queue = app.conf.task_default_queue
        start(broker=settings.REDIS_URL)
        redis_proc.terminate()
        redis_proc.wait(10)
        with pytest.raises(OperationalError):
            beat.send_task(
                "mopr.tasks.send_deadline_digests", kwargs={"today": TODAY.isoformat()}, queue=queue, retry=False
            )
        assert not OutboxEmail.objects.exists()
        redis_proc = subprocess.Popen(redis_cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert _wait(lambda: _redis_answers(port), timeout=30)
        beat.send_task("mopr.tasks.send_deadline_digests", kwargs={"today": TODAY.isoformat()}, queue=queue)
        assert _wait(lambda: OutboxEmail.objects.filter(status="sent").count() == 1, timeout=90)
        assert _sent_messages(maildir) == 1
    finally:
        redis_proc.terminate()
        redis_proc.wait(10)
