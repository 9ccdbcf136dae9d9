"""Files left in storage by a rolled-back transaction (issue 15 §5): the version's row is gone, its file is not.
The daily sweep (networks.library.tasks.sweep_orphans) deletes files no version references once they are older
than a day; a referenced file, also of a deleted document awaiting its purge, is never swept, nor a young orphan
(its transaction may still be open)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from networks.library import services, tasks
from networks.library.models import DocumentVersion
from tests.library import factories as f

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


def _stored_names() -> set[str]:
    return set(services._walk(default_storage, services.ORPHAN_ROOT))


def _rolled_back_upload(network) -> str:
    """An upload whose surrounding transaction rolls back after the file was written; the file's name."""
    before = _stored_names()
    with pytest.raises(Rollback), transaction.atomic():
        f.store(network, title="Entwurf, der nie ankam")
        raise Rollback
    (name,) = _stored_names() - before
    return name


def test_a_rolled_back_upload_leaves_its_file_until_the_sweep(personas):
    name = _rolled_back_upload(personas.network)
    assert default_storage.exists(name) and not DocumentVersion.objects.exists()  # the gap the sweep closes
    assert services.orphan_files() == []  # younger than a day: its transaction might still be open
    tomorrow = timezone.now() + timedelta(days=1, minutes=1)
    assert services.orphan_files(now=tomorrow) == [name]
    assert services.orphan_files_delete(now=tomorrow) == 1
    assert not default_storage.exists(name)
    assert services.orphan_files_delete(now=tomorrow) == 0  # twice: nothing more


def test_referenced_files_are_never_swept(personas):
    kept = f.store(personas.network, title="Folien Frühjahrstreffen")
    deleted = f.store(personas.network, title="Gelöscht, wartet auf die Löschfrist")
    services.document_delete(document=deleted, by=None)
    services.document_version_add(document=kept, uploaded_by=None, name="v2.pdf", content=f.pdf("Zweite Fassung"))
    orphan = _rolled_back_upload(personas.network)
    names = set(DocumentVersion.objects.values_list("file", flat=True))
    assert len(names) == 3
    in_ten_days = timezone.now() + timedelta(days=10)
    assert services.orphan_files(now=in_ten_days) == [orphan]
    services.orphan_files_delete(now=in_ten_days)
    assert all(default_storage.exists(name) for name in names)
    assert not default_storage.exists(orphan)


def test_files_outside_the_library_are_not_its_business(personas):
    other = default_storage.save("reports/1/bericht.pdf", ContentFile(b"%PDF-1.4"))
    assert services.orphan_files(now=timezone.now() + timedelta(days=10)) == []
    assert default_storage.exists(other)


def test_the_sweep_task_is_on_beat_and_runs(personas):
    assert any(e["task"] == "networks.library.tasks.sweep_orphans" for e in settings.CELERY_BEAT_SCHEDULE.values())
    assert tasks.sweep_orphans() == 0  # nothing old enough
