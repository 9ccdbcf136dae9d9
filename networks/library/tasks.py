"""Celery tasks of the library: thin, take storage names or nothing, safe to run twice."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.db.models import Exists, OuterRef
from django.utils import timezone

from networks.library import sources, texts
from networks.library.models import Document, DocumentVersion, FileText

PURGE_AFTER = timedelta(days=30)
BATCH = 200


@shared_task(acks_late=True, soft_time_limit=120, time_limit=150)
def extract_text(storage_name: str) -> bool:
    """Extract one stored file's text (nothing when it has been extracted already)."""
    return texts.extract_file(storage_name) is not None


def files_without_text(limit: int = BATCH) -> list[str]:
    """Stored files (library versions, every source's) that have no extracted text yet."""
    extracted = FileText.objects.filter(storage_name=OuterRef("file"))
    names = list(DocumentVersion.objects.exclude(Exists(extracted)).values_list("file", flat=True)[:limit])
    for source in sources.all_sources():
        names.extend(source.files_without_text(limit - len(names)) if len(names) < limit else [])
    return names


@shared_task(acks_late=True)
def extract_missing() -> int:
    """Beat: queue the files that have no text yet (a task lost with its worker, files stored before)."""
    missing = files_without_text()
    for name in missing:
        extract_text.delay(name)
    return len(missing)


@shared_task(acks_late=True)
def purge_deleted() -> int:
    """Beat: remove documents deleted more than PURGE_AFTER ago, with their files."""
    from networks.library.services import document_purge

    due = Document.objects.filter(deleted_at__lt=timezone.now() - PURGE_AFTER)[:BATCH]
    for document in due:
        document_purge(document=document)
    return len(due)


@shared_task(acks_late=True)
def sweep_orphans() -> int:
    """Beat, daily: delete stored files no version references, older than a day (left by a rolled-back
    transaction, networks.library.services.orphan_files)."""
    from networks.library.services import orphan_files_delete

    return orphan_files_delete()
