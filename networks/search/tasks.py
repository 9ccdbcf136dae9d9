"""Celery tasks of networks.search: thin, idempotent (writing an entry twice leaves the same entry)."""

from celery import shared_task

from networks.search import index


@shared_task(acks_late=True)
def reindex_objects(kind: str, pks: list[int]) -> None:
    """Many objects changed in one transaction (an import, a bulk edit): index them outside the request."""
    for start in range(0, len(pks), index.BATCH):
        index.update(kind, pks[start : start + index.BATCH])


@shared_task(acks_late=True)
def reindex_all() -> int:
    """Nightly safety net: everything indexed again (catches changes that no signal reported, e.g. bulk updates)."""
    return index.rebuild()
