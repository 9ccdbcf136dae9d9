"""The library's entries in the one search (networks.search): published entries are public; a withdrawn or
unpublished entry is not indexed (removed from the index when it is withdrawn)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from measures.catalogue.models import LibraryEntry
from networks.search import scopes
from networks.search.registry import SearchDocument, Source, register


def entry_document(entry: LibraryEntry) -> SearchDocument | None:
    if not entry.published:
        return None
    parts = (
        entry.origin_label,
        entry.get_sector_display(),
        entry.summary,
        entry.description,
        entry.target_groups,
        entry.funding,
        entry.effect_method,
    )
    return SearchDocument(
        title=entry.title,
        body="\n".join(str(part) for part in parts if part),
        url=entry.get_absolute_url(),
        scopes=frozenset({scopes.PUBLIC}),
        date=entry.updated_at,
    )


def register_sources() -> None:
    register(
        Source(
            kind="library_entry",
            label=_("Measure library"),
            model=LibraryEntry,
            document=entry_document,
            queryset=lambda: LibraryEntry.objects.select_related("source_organisation"),
            order=15,
        )
    )
