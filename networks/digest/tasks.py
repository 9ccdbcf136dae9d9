"""Celery tasks of the digest: thin, idempotent, take ids and strings."""

from __future__ import annotations

from celery import shared_task
from django.utils.dateparse import parse_datetime

from networks.digest import build
from networks.digest.models import DigestRun


@shared_task(acks_late=True)
def digests_dispatch() -> int:
    """Every 15 minutes (beat): the people whose daily or weekly digest is due, in batches to the workers."""
    queued = 0
    for period in DigestRun.Period.values:
        key, ids = build.due_person_ids(period)
        for batch in build.chunks(ids):
            digest_build_batch_task.delay(batch, period, key)
            queued += len(batch)
    return queued


@shared_task(acks_late=True)
def digest_build_batch_task(person_ids: list[int], period: str, key: str, now: str | None = None) -> dict:
    """Build one batch; running it twice (a redelivery, the next beat) sends nothing twice."""
    result = build.digest_build_batch(
        person_ids=person_ids, period=period, key=key, now=parse_datetime(now) if now else None
    )
    return {"sent": result.sent, "empty": result.empty, "skipped": result.skipped}
