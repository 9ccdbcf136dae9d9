"""Celery tasks of the monitoring app: thin, idempotent, calling services."""

import time

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from monitoring.services import reminders, reports
from observability import metrics

# A report of 1,000 measures takes seconds; these limits only stop a runaway task.
REPORT_SOFT_LIMIT = 300
REPORT_HARD_LIMIT = 360


@shared_task(acks_late=True, soft_time_limit=REPORT_SOFT_LIMIT, time_limit=REPORT_HARD_LIMIT)
def report_build(report_id: int) -> str:
    """Build a queued report; a second delivery of the same message does nothing. Its duration by outcome goes to
    the metrics (klimanetz_report_build_duration_seconds)."""
    started, outcome = time.perf_counter(), "error"
    try:
        outcome = reports.report_build(report_id)
    except SoftTimeLimitExceeded:
        reports.report_fail(report_id, reports.TIMEOUT_REASON)
        outcome = "timeout"
    finally:
        metrics.REPORT_BUILDS.labels(outcome).observe(time.perf_counter() - started)
    return outcome


@shared_task(acks_late=True)
def reports_watchdog() -> int:
    """Every few minutes: reports whose task died are marked failed, never left running."""
    return reports.reports_watchdog()


@shared_task(acks_late=True)
def reports_schedule_yearly() -> int:
    """Daily: queue the yearly report of every roadmap that asked for one, once per year."""
    return reports.reports_schedule_yearly()


@shared_task(acks_late=True)
def reminders_send() -> int:
    """Daily: indicator values due and measures without a progress report, each reminder once."""
    return reminders.reminders_send()
