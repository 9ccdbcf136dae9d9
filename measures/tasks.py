"""Celery tasks of the measures app: thin, idempotent, calling services."""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from measures import services
from measures.services import imports

# An import of 5,000 measures takes seconds (README, Benchmarks); these limits only stop a runaway task.
IMPORT_SOFT_LIMIT = 300
IMPORT_HARD_LIMIT = 360


@shared_task(acks_late=True)
def measures_mark_late() -> int:
    """Nightly: 'late' from overdue milestones and end dates."""
    return services.measure_mark_late()


@shared_task(acks_late=True)
def funding_reminders_send() -> int:
    """Daily: application deadlines within two weeks, to the responsible person, once per deadline."""
    return services.funding_reminders_send()


@shared_task(acks_late=True, soft_time_limit=IMPORT_SOFT_LIMIT, time_limit=IMPORT_HARD_LIMIT)
def measure_import_run(job_id: int) -> str:
    """Check and write a confirmed import, all or nothing; a second delivery of the same message does nothing."""
    try:
        return imports.import_run(job_id)
    except SoftTimeLimitExceeded:
        imports.import_fail(job_id, imports.TIMEOUT_REASON)
        return "timeout"


@shared_task(acks_late=True)
def measure_imports_watchdog() -> int:
    """Every five minutes: imports whose worker died are marked failed, never left running."""
    return imports.imports_watchdog()


@shared_task(acks_late=True)
def follows_notify() -> int:
    """Every five minutes: followers who chose "immediately" hear of new events, once per event."""
    from measures.services import follows

    return follows.follows_notify()


@shared_task(acks_late=True)
def follows_weekly() -> int:
    """Monday morning: last week's events of weekly follows, one email per person and week."""
    from measures.services import follows

    return follows.follows_weekly()


@shared_task(acks_late=True)
def feedback_purge() -> int:
    """Nightly: feedback whose address was never confirmed is deleted after a week."""
    from measures.services import feedback

    return feedback.feedback_purge_unverified()


@shared_task(acks_late=True)
def contact_messages_purge() -> int:
    """Nightly: messages to contact persons (and their emails) are deleted after 90 days."""
    from measures.services import contact

    return contact.contact_messages_purge()
