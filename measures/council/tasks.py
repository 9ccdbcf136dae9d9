"""Celery tasks of the council link (thin; safe to run twice: a run is claimed, every object an upsert)."""

from __future__ import annotations

from celery import shared_task

from measures.council import sync
from measures.council.models import CouncilEndpoint


@shared_task(acks_late=True)
def endpoint_sync(endpoint_id: int) -> None:
    """Read one endpoint (on demand after its editors set it, and from the nightly sweep)."""
    sync.endpoint_sync(endpoint_id=endpoint_id)


@shared_task(acks_late=True)
def endpoints_sync_all() -> int:
    """Nightly: every real endpoint once (demo endpoints are never fetched)."""
    ids = list(CouncilEndpoint.objects.filter(is_demo=False).values_list("pk", flat=True))
    for pk in ids:
        endpoint_sync.delay(pk)
    return len(ids)
