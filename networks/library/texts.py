"""Extracted text of stored files, keyed by storage name (library versions and event documents alike).

``text_of(storage_name)`` is what search sources read; ``extract_file`` fills the table (the task calls it, the
demo calls it synchronously)."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.utils import timezone

from networks.library.extract import ExtractionError, extract
from networks.library.models import FileText
from networks.library.uploads import MAX_SIZE, sniff


def text_of(storage_name: str) -> str:
    """The text extracted from the stored file ("" while not extracted yet, or when it has none)."""
    return FileText.objects.filter(storage_name=storage_name).values_list("text", flat=True).first() or ""


def texts_of(storage_names) -> dict[str, str]:
    """{storage name: text} for many files in one query (names without text are left out)."""
    rows = FileText.objects.filter(storage_name__in=list(storage_names)).exclude(text="")
    return dict(rows.values_list("storage_name", "text"))


def is_extracted(storage_name: str) -> bool:
    return FileText.objects.filter(storage_name=storage_name, extracted_at__isnull=False).exists()


def extract_file(storage_name: str, *, force: bool = False) -> FileText | None:
    """Read the stored file and keep its text (or the reason it has none). Safe to call twice: a file already
    extracted is not read again unless ``force``. None when the file is gone from storage."""
    if not force:
        done = FileText.objects.filter(storage_name=storage_name, extracted_at__isnull=False).first()
        if done is not None:
            return done
    try:
        with default_storage.open(storage_name, "rb") as stored:
            data = stored.read(MAX_SIZE + 1)
    except (FileNotFoundError, OSError):
        return None
    text, error = "", ""
    try:
        text = extract(data, sniff(storage_name, data[:8192]))
    except ExtractionError as failure:
        error = str(failure)[:300] or "unreadable"
    row, _ = FileText.objects.update_or_create(
        storage_name=storage_name, defaults={"text": text, "error": error, "extracted_at": timezone.now()}
    )
    return row


def forget(storage_names) -> None:
    """Drop the texts of files that are deleted."""
    FileText.objects.filter(storage_name__in=list(storage_names)).delete()
