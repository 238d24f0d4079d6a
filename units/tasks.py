"""Thin tasks of the chart."""

from celery import shared_task

from . import permissions


@shared_task(acks_late=True, ignore_result=True)
def recompute_unit_groups() -> dict:
    """Absences and dated memberships start and end with the calendar: bring the groups in line (idempotent)."""
    return permissions.recompute_unit_groups()
