"""Thin tasks of the chart."""

from celery import shared_task

from . import permissions, registers_procedures


@shared_task(acks_late=True, ignore_result=True)
def recompute_unit_groups() -> dict:
    """Absences and dated memberships start and end with the calendar: bring the groups in line (idempotent)."""
    return permissions.recompute_unit_groups()


@shared_task(acks_late=True, ignore_result=True)
def registers_expire_authorisations() -> int:
    """R1, GDPR art. 29: authorisations whose membership ended on a past day are marked ended (idempotent)."""
    return registers_procedures.authorisations_expire()
