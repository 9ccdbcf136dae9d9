"""Reads of the document library, with what the pages show joined or counted in the same query."""

from __future__ import annotations

from django.db.models import Count, Q

from networks.library.models import Document, Folder
from networks.models import Network, WorkingGroup

LIVE = Q(documents__deleted_at=None)


def folders_in(network: Network, group: WorkingGroup | None, parent: Folder | None):
    """The folders directly inside a place, each with its number of documents and subfolders (1 query)."""
    folders = Folder.objects.in_space(network, group).filter(parent=parent)
    return folders.select_related("created_by").annotate(
        document_count=Count("documents", filter=LIVE & Q(documents__isnull=False), distinct=True),
        folder_count=Count("children", distinct=True),
    )


def documents_in(network: Network, group: WorkingGroup | None, folder: Folder | None, ordering=("title", "pk")):
    """The documents directly inside a place (not in subfolders), with uploader, current version and count."""
    documents = Document.objects.live().filter(network=network, working_group=group, folder=folder)
    return documents.for_list().order_by(*ordering)


def group_spaces(network: Network):
    """The network's active working groups, each with its number of documents (1 query)."""
    return (
        network.working_groups.filter(is_active=True)
        .annotate(document_count=Count("library_documents", filter=Q(library_documents__deleted_at=None)))
        .order_by("name")
    )


def latest(network: Network, *, group: WorkingGroup | None = None, limit: int = 5) -> list[Document]:
    """The most recently changed documents of a network, for panels (1 query): those every member may read (none of
    a closed group: the network space is cached per role, not per person); or those of one working group (the
    caller checked that the reader may read it)."""
    documents = Document.objects.live().filter(network=network)
    if group is not None:
        documents = documents.filter(working_group=group)
    else:
        documents = documents.filter(Q(working_group__isnull=True) | Q(working_group__is_open=True))
    return list(documents.for_list().order_by("-updated_at", "-pk")[:limit])


def ancestors(folder: Folder) -> list[dict]:
    """The folder's parents, outermost first, as {pk, name} (1 query over the space's folders' names)."""
    space = Folder.objects.filter(network_id=folder.network_id, working_group_id=folder.working_group_id)
    names = space.values("pk", "parent_id", "name")
    by_pk = {row["pk"]: row for row in names}
    chain, current = [], by_pk.get(folder.parent_id)
    while current is not None and len(chain) < 50:
        chain.append(current)
        current = by_pk.get(current["parent_id"])
    return list(reversed(chain))
