"""Celery tasks of the events app: thin, idempotent, calling services."""

from celery import shared_task

from events import services


@shared_task(acks_late=True)
def series_materialise_all() -> int:
    """Keep six months of every running series' dates in the calendar (daily)."""
    return services.series_materialise_all()


@shared_task(acks_late=True)
def reminders_send() -> int:
    """Enqueue the reminders that are due (every few minutes); each at most once."""
    return services.reminders_send()


@shared_task(acks_late=True)
def task_reminders_send() -> int:
    """Enqueue the action items' reminders before and after their due dates (hourly); each at most once."""
    return services.task_reminders_send()


@shared_task(acks_late=True)
def guests_forget() -> int:
    """Erase guests' names and addresses three months after their event (daily)."""
    from events.services.guests import guests_forget

    return guests_forget()
