"""K5: deadlines, the "my deadlines" page and the once-a-day digest."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mopr import deadlines, outbox
from mopr.models import Deadline, OutboxEmail
from mopr.tasks import send_deadline_digests
from units.models import UnitRole
from units.permissions import unit_group

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)  # a Monday


def _deadline(obj, due, **kwargs):
    kwargs.setdefault("kind", "test")
    kwargs.setdefault("label", "Odpowiedź na skargę DNK.1510.1.2026")
    return deadlines.deadline_open(obj, due=due, rule="C4", **kwargs)


def test_K5_deadline_requires_a_responsible_person_or_role(chart):
    with pytest.raises(ValueError):
        deadlines.deadline_open(chart.unit("DNK"), kind="x", label="x", due=TODAY)


def test_K5_digest_window_is_three_working_days(chart):
    unit = chart.unit("DNK")
    _deadline(unit, TODAY + timedelta(days=3), responsible_user=chart.dnk_pracownik, kind="in")  # Thursday
    _deadline(unit, TODAY + timedelta(days=4), responsible_user=chart.dnk_pracownik, kind="out")  # Friday: 4 wd
    _deadline(unit, TODAY - timedelta(days=2), responsible_user=chart.dnk_pracownik, kind="overdue")
    kinds = set(deadlines.digest_deadlines_for(chart.dnk_pracownik, TODAY).values_list("kind", flat=True))
    assert kinds == {"in", "overdue"}


def test_K5_digest_reaches_members_of_a_responsible_unit_role(chart):
    unit = chart.unit("DNK")
    _deadline(unit, TODAY, responsible_group=unit_group(unit, UnitRole.HEADS))
    recipients = set(deadlines.digest_recipients(TODAY).values_list("username", flat=True))
    assert recipients == {"dnk_kierownik"}


def test_K5_digest_marks_overdue_and_is_sent_once_per_person_per_day(chart):
    unit = chart.unit("DNK")
    _deadline(unit, TODAY - timedelta(days=1), responsible_user=chart.dnk_pracownik, label="Wyjaśnienia DSR")
    _deadline(unit, TODAY + timedelta(days=1), responsible_user=chart.dnk_kierownik)
    mail.outbox.clear()
    send_deadline_digests(today=TODAY.isoformat())
    assert sorted(m.to[0] for m in mail.outbox) == ["dnk_kierownik@mopr.test", "dnk_pracownik@mopr.test"]
    body = next(m.body for m in mail.outbox if m.to[0].startswith("dnk_pracownik"))
    assert "PRZEKROCZONE" in body and "Wyjaśnienia DSR" in body
    assert "DNK.1510" not in mail.outbox[0].subject  # no case data in subjects
    html = mail.outbox[0].alternatives[0]
    assert html[1] == "text/html"
    # The same day again (a retried or repeated job): nothing new.
    send_deadline_digests(today=TODAY.isoformat())
    send_deadline_digests(today=TODAY.isoformat())
    assert len(mail.outbox) == 2
    assert OutboxEmail.objects.filter(status="sent").count() == 2
    # The next day is a new digest.
    send_deadline_digests(today=(TODAY + timedelta(days=1)).isoformat())
    assert len(mail.outbox) == 4


def test_K5_met_deadline_leaves_the_digest(chart):
    unit = chart.unit("DNK")
    _deadline(unit, TODAY, responsible_user=chart.dnk_pracownik)
    assert deadlines.deadline_meet(unit, "test") == 1
    assert not deadlines.digest_recipients(TODAY).exists()
    assert Deadline.objects.get().history.count() == 2  # created, met: history recorded


def test_K5_killed_worker_after_claim_never_sends_twice_and_is_flagged_for_review(chart):
    """At-most-once: a row claimed by a worker that died stays 'sending', then becomes 'unknown'."""
    unit = chart.unit("DNK")
    _deadline(unit, TODAY, responsible_user=chart.dnk_pracownik)
    _deadline(unit, TODAY, responsible_user=chart.dnk_kierownik)
    created = deadlines.digest_enqueue_all(TODAY)
    assert len(created) == 2
    # Simulate the kill: the first row was claimed, then the process died before SMTP answered.
    claimed = OutboxEmail.objects.get(pk__in=created, user=chart.dnk_pracownik).pk
    assert outbox.outbox_claim(claimed)
    mail.outbox.clear()
    # Restart: the retried job enqueues nothing new, delivers only what is still pending.
    send_deadline_digests(today=TODAY.isoformat())
    assert [m.to[0] for m in mail.outbox] == ["dnk_kierownik@mopr.test"]
    later = timezone.now() + timedelta(minutes=20)
    assert outbox.outbox_mark_stale(now=later) == 1
    assert OutboxEmail.objects.get(pk=claimed).status == OutboxEmail.Status.UNKNOWN
    send_deadline_digests(today=TODAY.isoformat())
    assert len(mail.outbox) == 1


def test_K5_smtp_failure_is_retried_then_marked_failed(chart, settings, monkeypatch):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    unit = chart.unit("DNK")
    _deadline(unit, TODAY, responsible_user=chart.dnk_pracownik)
    (pk,) = deadlines.digest_enqueue_all(TODAY)

    def refuse(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    assert outbox.outbox_deliver(pk) == "failed"
    assert OutboxEmail.objects.get(pk=pk).status == OutboxEmail.Status.PENDING
    outbox.outbox_deliver(pk)
    outbox.outbox_deliver(pk)
    assert OutboxEmail.objects.get(pk=pk).status == OutboxEmail.Status.FAILED


def test_K5_digest_task_does_nothing_before_the_start_hour(chart, settings, monkeypatch):
    settings.DIGEST_START_HOUR = 25  # never reached
    _deadline(chart.unit("DNK"), TODAY, responsible_user=chart.dnk_pracownik)
    assert send_deadline_digests() == 0
    assert not OutboxEmail.objects.exists()


def test_K5_my_deadlines_page_lists_overdue_first(chart, login):
    unit = chart.unit("DNK")
    today = timezone.localdate()
    _deadline(unit, today + timedelta(days=10), responsible_user=chart.dnk_pracownik, kind="a", label="Późniejszy")
    _deadline(unit, today - timedelta(days=5), responsible_user=chart.dnk_pracownik, kind="b", label="Zaległy")
    _deadline(unit, today, responsible_group=unit_group(unit, UnitRole.STAFF), kind="c", label="Dzisiejszy")
    _deadline(unit, today, responsible_user=chart.dsr_kierownik, kind="d", label="Cudzy")
    response = login(chart.dnk_pracownik).get(reverse("my_deadlines"))
    text = response.content.decode()
    assert response.status_code == 200
    assert text.index("Zaległy") < text.index("Dzisiejszy") < text.index("Późniejszy")
    assert "Cudzy" not in text
    assert "przekroczony" in text


def test_my_deadlines_page_query_count_is_constant(chart, login, django_assert_max_num_queries):
    unit = chart.unit("DNK")
    client = login(chart.dnk_pracownik)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("my_deadlines")).status_code == 200
        return len(ctx.captured_queries)

    for i in range(10):
        _deadline(unit, TODAY + timedelta(days=i), responsible_user=chart.dnk_pracownik, kind=f"k{i}")
    small = count()
    for i in range(10, 200):
        _deadline(unit, TODAY + timedelta(days=i), responsible_user=chart.dnk_pracownik, kind=f"k{i}")
    with django_assert_max_num_queries(small):
        client.get(reverse("my_deadlines"))


def test_K5_long_derived_labels_are_shortened_not_refused(chart):
    """Found by the grants fuzz test: a competition title of 281 characters made a 300-character label fail."""
    row = deadlines.deadline_open(
        chart.unit("DNK"), kind="x", label="Ogłoszenie: " + "0" * 400, due=TODAY, responsible_user=chart.dnk_pracownik
    )
    row.refresh_from_db()
    assert len(row.label) == 300 and row.label.endswith("…")
