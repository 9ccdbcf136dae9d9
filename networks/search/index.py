"""Writing the search index: one code path for both backends (the backend adds its own full-text rows).

``update(kind, pks)`` reloads the objects through their source's queryset and writes, replaces or removes their
entries; ``rebuild(kind)`` walks a source's whole queryset in batches and removes what is no longer there.
Documents are built in German (LANGUAGE_CODE), the portal's first language; the stored address is shown in
the viewer's language (networks.search.query translates it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from networks import keyset
from networks.search import answers, registry
from networks.search.backends import backend, clean_text
from networks.search.models import MAX_BODY, MAX_TITLE, SearchEntry

BATCH = 500


def _as_datetime(value) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    return timezone.make_aware(dt.datetime.combine(value, dt.time()))


def _entry(kind: str, pk: int, doc: registry.SearchDocument, now) -> SearchEntry | None:
    scopes = " ".join(sorted(s for s in doc.scopes if s and " " not in s))
    if not scopes:  # nobody may see it: not indexed
        return None
    return SearchEntry(
        kind=kind,
        object_id=pk,
        network_id=doc.network_id,
        title=clean_text(doc.title or "")[:MAX_TITLE],
        body=clean_text(doc.body or "")[:MAX_BODY],
        url=doc.url[:500],
        scopes=scopes,
        date=_as_datetime(doc.date),
        language=doc.language or "de",
        indexed_at=now,
    )


def _documents(source: registry.Source, objects: Iterable) -> dict[int, SearchEntry | None]:
    now = timezone.now()
    out: dict[int, SearchEntry | None] = {}
    with translation.override(settings.LANGUAGE_CODE):
        for obj in objects:
            doc = source.document(obj)
            out[obj.pk] = _entry(source.kind, obj.pk, doc, now) if doc is not None else None
    return out


@transaction.atomic
def _write(kind: str, entries: list[SearchEntry], removed: list[int]) -> None:
    engine = backend()
    touched = [e.object_id for e in entries] + list(removed)
    if not touched:
        return
    # The scopes the entries had and have: searches of those scopes are answered afresh (networks.search.answers).
    before = SearchEntry.objects.filter(kind=kind, object_id__in=touched).values_list("pk", "object_id", "scopes")
    before = list(before)
    answers.changed([scopes for _pk, _oid, scopes in before] + [e.scopes for e in entries])
    if removed:
        gone = set(removed)
        engine.forget([pk for pk, object_id, _scopes in before if object_id in gone])
        SearchEntry.objects.filter(kind=kind, object_id__in=removed).delete()
    if not entries:
        return
    SearchEntry.objects.bulk_create(
        entries,
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=["network_id", "title", "body", "url", "scopes", "date", "language", "indexed_at"],
    )
    by_object = {e.object_id: e for e in entries}
    ids = SearchEntry.objects.filter(kind=kind, object_id__in=list(by_object)).values_list("object_id", "pk")
    engine.sync([(pk, by_object[oid].title, by_object[oid].body, by_object[oid].scopes) for oid, pk in ids])


def update(kind: str, pks: Iterable[int]) -> None:
    """Index these objects of ``kind`` as they are now (removed when gone, hidden or visible to nobody)."""
    source = registry.get(kind)
    pks = list(pks)
    if source is None or not pks:
        return
    documents = _documents(source, source.queryset().filter(pk__in=pks))
    entries = [e for e in documents.values() if e is not None]
    removed = [pk for pk in pks if documents.get(pk) is None]
    _write(kind, entries, removed)


def rebuild(kind: str | None = None, *, stdout=None) -> int:
    """Reindex every object of one kind (or of all) and drop the entries of objects no longer indexed."""
    total = 0
    for source in registry.sources():
        if kind and source.kind != kind:
            continue
        started = timezone.now()
        count = 0
        for batch in keyset.pages(source.queryset(), BATCH):  # not .iterator(): one page in memory behind PgBouncer too
            count += _rebuild_batch(source, batch)
        stale = SearchEntry.objects.filter(kind=source.kind, indexed_at__lt=started)
        _write(source.kind, [], list(stale.values_list("object_id", flat=True)))
        total += count
        if stdout is not None:
            stdout.write(f"{source.kind}: {count}")
    return total


def _rebuild_batch(source: registry.Source, objects: list) -> int:
    if not objects:
        return 0
    documents = _documents(source, objects)
    entries = [e for e in documents.values() if e is not None]
    _write(source.kind, entries, [pk for pk, e in documents.items() if e is None])
    return len(entries)
