"""Who may do what in the measure library (one rule each).

- Everyone reads published entries; an unpublished or withdrawn entry is a 404, except for staff, the network
  coordinators (curators) and the editors of its organisation of origin.
- Staff and network coordinators curate entries that come from no roadmap (create, edit: with history); an
  offered entry follows its measure and is changed there.
- The editors of a measure's organisation offer and withdraw it (measures.access.can_edit).
- Copying needs a roadmap the viewer edits (measures.models.RoadmapQuerySet.editable_by).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from measures.catalogue.models import LibraryEntry
from networks.access import coordinates_a_network, is_editor


def can_curate(user) -> bool:
    """Staff and network coordinators (networks.access.coordinates_a_network, one rule with the funding
    programmes' keepers)."""
    return coordinates_a_network(user)


def _may_see_unpublished(user, entry: LibraryEntry) -> bool:
    if not user.is_authenticated:
        return False
    if entry.source_organisation_id and is_editor(user, entry.source_organisation):
        return True
    return can_curate(user)


def access_entry(user, slug: str) -> LibraryEntry:
    entry = get_object_or_404(
        LibraryEntry.objects.select_related(
            "source_organisation", "curator", "source_measure__roadmap", "source_measure__responsible_person"
        ),
        slug=slug,
    )
    if not entry.published and not _may_see_unpublished(user, entry):
        raise Http404
    return entry


def access_entry_curate(user, slug: str) -> LibraryEntry:
    entry = access_entry(user, slug)
    if not can_curate(user) or not entry.is_curated:
        raise PermissionDenied
    return entry


def access_curate(user) -> None:
    if not can_curate(user):
        raise PermissionDenied
