"""Celery application. With no REDIS_URL the tasks run eagerly in-process (the demo)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mopr.settings")

app = Celery("mopr")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
