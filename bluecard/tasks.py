"""Thin Celery tasks of the Team: take no data, call the services (idempotent, safe to retry)."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.utils import timezone

from . import services
from .models import Team


@shared_task(acks_late=True, ignore_result=True)
def bluecard_daily_checks(today: str | None = None) -> int:
    """B2, B12: keep the chair's deadlines open even in a quiet year — the next ordinary meeting and the annual
    report (for the current year, and in January for the year just ended unless already generated)."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    count = 0
    for team in Team.objects.all():
        services.refresh_chair_deadlines(team, today=day)
        count += 1
    return count
