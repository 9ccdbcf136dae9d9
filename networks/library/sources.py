"""Other apps' documents in the library, read-only (issue 15 §5: event documents are part of it).

networks must not import events; events registers a LibrarySource in its AppConfig.ready() (events/library.py).
The library shows each source as a virtual folder ("Veranstaltungen") whose page lists the source's groups
(events) with their documents, and the extraction task asks every source for the files it stores.

A source gives:
- ``groups(user, network)``: a QuerySet of the groups with documents that the user may see there, newest first
  (paged by the library view);
- ``attach(groups)``: the page's groups as dicts {title, url, date, documents: [{title, url, size, content_type,
  uploaded_by, uploaded_at, storage_name}]}, in a constant number of queries;
- ``count(user, network)``: how many documents the source holds there (shown on the folder row);
- ``demo()`` (optional): adds the source's demo documents (load_demo; networks' library demo calls it, so
  networks needs no import of the app);
- ``files_without_text(limit)``: stored file names of the source that have no FileText row yet (for the beat
  task that extracts what was missed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class LibrarySource:
    key: str  # also the URL segment: netzwerke/<slug>/dokumente/bereich/<key>/
    label: Callable[[], str]
    groups: Callable
    attach: Callable[[list], list[dict]]
    count: Callable
    files_without_text: Callable[[int], Iterable[str]]
    order: int = 100
    demo: Callable[[], int] | None = None


_SOURCES: dict[str, LibrarySource] = {}


def register(source: LibrarySource) -> None:
    _SOURCES[source.key] = source


def get(key: str) -> LibrarySource | None:
    return _SOURCES.get(key)


def all_sources() -> list[LibrarySource]:
    return sorted(_SOURCES.values(), key=lambda source: source.order)
