"""The registry of what the one search finds (issue 15 §6): every room and app registers its sources here.

A ``Source`` says how one model becomes search documents::

    # networks/channel/search.py, called from ChannelConfig.ready()
    from networks.search import scopes
    from networks.search.registry import SearchDocument, Source, register

    def _document(thread):
        if thread.hidden:
            return None  # not indexed (removed from the index if it was)
        return SearchDocument(
            title=thread.title, body=thread.body, url=thread.get_absolute_url(), network_id=thread.network_id,
            scopes=frozenset({scopes.members(thread.network_id)}), date=thread.created_at,
        )

    register(Source(
        kind="thread", label=_("Discussions"), model=Thread, document=_document,
        queryset=lambda: Thread.objects.select_related("network"),
        dependencies=(Dependency(Category, lambda category: category.threads.all()),),
    ))

- ``document(obj)`` returns a ``SearchDocument`` or ``None`` (not indexed: unpublished, hidden, deleted).
  ``scopes`` (networks/search/scopes.py) say who may see the item; an empty set means nobody: a source that
  forgets them hides the item, it never shows it to everybody.
- ``queryset()`` gives every candidate object with what ``document`` reads (select_related/prefetch_related):
  used for the full reindex and to reload an object after a change.
- ``dependencies``: other models whose saves or deletions change this source's documents (an Expertise changes
  its Person's document); each maps the changed instance to the objects to reindex, deciding from the instance as
  it is saved. A QuerySet is read only after the commit, once per saved row (a save repeated in one transaction, or
  one rolled back, costs no query); after a deletion it is read at once.

``register`` connects post_save/post_delete of the model and of its dependencies: after the transaction
commits, the changed objects are reindexed (a few in-process, many through a Celery task). Viewer scopes are
computed at query time (networks.search.selectors.viewer_scopes), so a person who loses a role stops finding
the items at once, without any reindex.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save

# Above this many changed objects in one transaction, reindexing goes to a Celery task instead of running
# in the request after commit.
INLINE_LIMIT = 50


@dataclass(frozen=True)
class SearchDocument:
    title: str
    body: str
    url: str
    scopes: frozenset[str]
    network_id: int | None = None  # facet; None for public things outside networks
    date: dt.datetime | dt.date | None = None  # for sorting by date
    language: str = "de"


@dataclass(frozen=True)
class Dependency:
    model: type[models.Model] | str  # a model or "app_label.ModelName"
    related: Callable[[models.Model], Iterable[models.Model]]  # changed instance -> objects of the source


@dataclass(frozen=True)
class Source:
    kind: str  # short code, stored in the index and used in the kind facet (?kind=...)
    label: str  # translatable plural for the facet, e.g. _("Measures")
    model: type[models.Model] | str
    document: Callable[[models.Model], SearchDocument | None]
    queryset: Callable[[], models.QuerySet]
    dependencies: tuple[Dependency, ...] = field(default=())
    order: int = 100  # place of the kind among the facets

    def get_model(self) -> type[models.Model]:
        return _model(self.model)


_SOURCES: dict[str, Source] = {}
_state = threading.local()


def _model(model) -> type[models.Model]:
    return apps.get_model(model) if isinstance(model, str) else model


def sources() -> list[Source]:
    return sorted(_SOURCES.values(), key=lambda s: (s.order, s.kind))


def get(kind: str) -> Source | None:
    return _SOURCES.get(kind)


def register(source: Source) -> None:
    """Index ``source``'s objects and keep them current. Call from an AppConfig.ready(); idempotent."""
    _SOURCES[source.kind] = source
    model = source.get_model()
    uid = f"search:{source.kind}"
    post_save.connect(_on_save(source.kind), sender=model, weak=False, dispatch_uid=f"{uid}:save")
    post_delete.connect(_on_delete(source.kind), sender=model, weak=False, dispatch_uid=f"{uid}:delete")
    for n, dependency in enumerate(source.dependencies):
        saved, deleted = _on_dependency(source.kind, dependency)
        dep_model = _model(dependency.model)
        post_save.connect(saved, sender=dep_model, weak=False, dispatch_uid=f"{uid}:dep{n}:save")
        post_delete.connect(deleted, sender=dep_model, weak=False, dispatch_uid=f"{uid}:dep{n}:delete")


@contextmanager
def paused():
    """Do not follow saves and deletions (bulk loads that reindex at the end, e.g. load_demo)."""
    before = getattr(_state, "paused", False)
    _state.paused = True
    try:
        yield
    finally:
        _state.paused = before


def is_paused() -> bool:
    return getattr(_state, "paused", False)


def _on_save(kind: str):
    def handler(sender, instance, raw=False, **kwargs):
        if not raw:
            schedule(kind, [instance.pk])

    return handler


def _on_delete(kind: str):
    def handler(sender, instance, **kwargs):
        schedule(kind, [instance.pk])  # reloading finds nothing: the entry is removed

    return handler


def _on_dependency(kind: str, dependency: Dependency):
    def saved(sender, instance, raw=False, **kwargs):
        if raw or is_paused():
            return
        try:
            related = dependency.related(instance)  # decided now, from the instance as saved
        except models.ObjectDoesNotExist:  # the related object is being deleted with it
            return
        if isinstance(related, models.QuerySet):  # read once, after the commit (never when rolled back)
            _batch().add_query(kind, related, (kind, id(dependency), instance._meta.label, instance.pk))
        else:
            schedule(kind, _pks(related))

    def deleted(sender, instance, **kwargs):
        if is_paused():
            return
        try:  # now: after the commit the relation is gone
            schedule(kind, _pks(dependency.related(instance)))
        except models.ObjectDoesNotExist:
            return

    return saved, deleted


def _pks(objects) -> list:
    """The primary keys of a dependency's objects: a QuerySet's read without its model's ordering (no joins)."""
    if isinstance(objects, models.QuerySet):
        return list(objects.order_by().values_list("pk", flat=True))
    return [obj.pk for obj in objects if obj is not None]


def schedule(kind: str, pks: Iterable[int]) -> None:
    """Reindex these objects of ``kind`` once the current transaction commits (collected per transaction)."""
    if is_paused():
        return
    pks = [pk for pk in pks if pk is not None]
    if pks:
        _batch().add(kind, pks)


def _batch() -> _Batch:
    """The batch of the current transaction (savepoint level), registered to flush when it commits."""
    connection = transaction.get_connection()
    # One batch per savepoint level: a rolled-back savepoint drops its own batch with its callbacks, never the
    # changes made outside it.
    batches = connection.__dict__.setdefault("_search_batches", {})
    level = tuple(connection.savepoint_ids)
    batch = batches.get(level)
    if batch is None or not batch.registered(connection):
        batch = batches[level] = _Batch()
        transaction.on_commit(batch.flush)  # runs at once outside a transaction
        batch.callbacks = connection.run_on_commit
    return batch


class _Batch:
    """The objects changed in one transaction, reindexed together after its commit."""

    def __init__(self):
        self.pending: dict[str, set[int]] = {}
        # the objects of a saved dependency, read at the flush: not at all when the transaction is rolled back
        self.queries: dict[tuple, tuple[str, models.QuerySet]] = {}
        self.done = False
        self.callbacks: list | None = None  # the connection's list of on-commit callbacks it was added to

    def add(self, kind: str, pks: list[int]) -> None:
        if self.done:  # outside a transaction the callback has already run: index at once
            _run(kind, set(pks))
        else:
            self.pending.setdefault(kind, set()).update(pks)

    def add_query(self, kind: str, query: models.QuerySet, key: tuple) -> None:
        """Reindex the objects ``query`` finds once the transaction commits; one query per ``key`` (the saved row
        and the dependency), however often the row was saved."""
        if self.done:
            self.add(kind, _pks(query))
        else:
            self.queries.setdefault(key, (kind, query))

    def registered(self, connection) -> bool:
        """Still waiting for the commit. A commit or a rolled-back savepoint replaces the connection's list of
        callbacks (Django builds a new one), so the same list means the batch is still in it; a new list after
        some other savepoint's rollback only starts a second batch, which is harmless. O(1) per save."""
        return not self.done and connection.run_on_commit is self.callbacks

    def flush(self) -> None:
        self.done = True
        for kind, query in self.queries.values():
            self.pending.setdefault(kind, set()).update(_pks(query))
        self.queries = {}
        for kind, pks in self.pending.items():
            _run(kind, pks)
        self.pending = {}


@contextmanager
def deferred():
    """Reindex once at the end what several transactions changed (a batch of inbound replies, each message its own
    transaction): their batches' flushes are collected and run together, one ``index.update`` per kind, instead of
    one per transaction. What a rolled-back transaction changed never gets here (its batch is not flushed).
    Nested use joins the outer collection."""
    if getattr(_state, "deferred", None) is not None:
        yield
        return
    _state.deferred = collected = {}
    try:
        yield
    finally:
        _state.deferred = None
        for kind, pks in collected.items():
            _run(kind, pks)


def _run(kind: str, pks: set[int]) -> None:
    from networks.search import index, tasks

    collecting = getattr(_state, "deferred", None)
    if collecting is not None:  # inside deferred(): at its end
        collecting.setdefault(kind, set()).update(pks)
        return
    if len(pks) > INLINE_LIMIT:
        tasks.reindex_objects.delay(kind, sorted(pks))
    else:
        index.update(kind, sorted(pks))


def reindex(kind: str | None = None, *, stdout=None) -> int:
    """Rebuild the index of one kind or of all; returns the number of indexed items."""
    from networks.search import index

    return index.rebuild(kind, stdout=stdout)
