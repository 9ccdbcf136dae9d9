"""Gauges read from the database at scrape time: two aggregate queries, whichever process answers the scrape.

The outbox's backlog (pending rows, the age of the oldest, failed rows) and the reports waiting or being built
(with the age of the oldest waiting one). A database that does not answer is a gauge of its own
(klimanetz_database_up 0), never a failed scrape: the other metrics still tell what happens.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError
from django.db.models import Count, Min, Q
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily

logger = logging.getLogger(__name__)


def _age(oldest, now) -> float:
    return max(0.0, (now - oldest).total_seconds()) if oldest else 0.0


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, value=value)


class DatabaseCollector:
    def collect(self):
        from monitoring.models import Report
        from networks.models import OutboxMessage

        now = timezone.now()
        pending = Q(status=OutboxMessage.Status.PENDING)
        try:
            outbox = OutboxMessage.objects.filter(
                status__in=(OutboxMessage.Status.PENDING, OutboxMessage.Status.SENDING, OutboxMessage.Status.FAILED)
            ).aggregate(
                pending=Count("pk", filter=pending),
                sending=Count("pk", filter=Q(status=OutboxMessage.Status.SENDING)),
                failed=Count("pk", filter=Q(status=OutboxMessage.Status.FAILED)),
                oldest=Min("created_at", filter=pending),
            )
            queued = Q(status=Report.Status.QUEUED)
            reports = Report.objects.filter(status__in=(Report.Status.QUEUED, Report.Status.RUNNING)).aggregate(
                queued=Count("pk", filter=queued),
                running=Count("pk", filter=Q(status=Report.Status.RUNNING)),
                oldest=Min("created_at", filter=queued),
            )
        except DatabaseError as error:
            logger.warning("metrics: the database did not answer: %s", error)
            yield _gauge("klimanetz_database_up", "Whether the database answered this scrape.", 0)
            return
        yield _gauge("klimanetz_database_up", "Whether the database answered this scrape.", 1)
        yield _gauge("klimanetz_outbox_pending_messages", "Emails waiting in the outbox.", outbox["pending"])
        yield _gauge("klimanetz_outbox_sending_messages", "Emails claimed by a worker, being sent.", outbox["sending"])
        yield _gauge(
            "klimanetz_outbox_failed_messages", "Emails that failed for good (attempts used up).", outbox["failed"]
        )
        yield _gauge(
            "klimanetz_outbox_oldest_pending_age_seconds",
            "Age of the oldest email waiting in the outbox (0 when none waits).",
            _age(outbox["oldest"], now),
        )
        yield _gauge("klimanetz_reports_queued", "Monitoring reports waiting for a worker.", reports["queued"])
        yield _gauge("klimanetz_reports_running", "Monitoring reports being built.", reports["running"])
        yield _gauge(
            "klimanetz_reports_oldest_queued_age_seconds",
            "Age of the oldest report waiting for a worker (0 when none waits).",
            _age(reports["oldest"], now),
        )
