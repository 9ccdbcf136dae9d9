"""Celery tasks of the measures app: thin, idempotent, calling services."""

from celery import shared_task

from measures import services


@shared_task(acks_late=True)
def measures_mark_late() -> int:
    """Nightly: 'late' from overdue milestones and end dates."""
    return services.measure_mark_late()


@shared_task(acks_late=True)
def funding_reminders_send() -> int:
    """Daily: application deadlines within two weeks, to the responsible person, once per deadline."""
    return services.funding_reminders_send()
