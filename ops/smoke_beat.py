"""Celery app for the smoke test's beat (``celery -A ops.smoke_beat beat``): the production schedule from
``mopr.settings`` plus one short entry that scans the digest for ``SMOKE_DIGEST_DAY`` every
``SMOKE_BEAT_SECONDS`` seconds, so that beat → Redis → worker → SMTP is seen within the test's minutes
(the production entry scans every 10 minutes and only after DIGEST_START_HOUR)."""

import os

from mopr.celery import app

app.conf.beat_schedule = {
    **app.conf.beat_schedule,
    "smoke-digest": {
        "task": "mopr.tasks.send_deadline_digests",
        "schedule": float(os.environ.get("SMOKE_BEAT_SECONDS", "5")),
        "kwargs": {"today": os.environ["SMOKE_DIGEST_DAY"]},
        "options": {"expires": 30},
    },
}

__all__ = ["app"]
