"""The library's documents in the one search (networks.search.registry): title, folder path, file name and the
text extracted from the current version (networks.library.texts), for the network's members; a closed working
group's documents for its members and the coordinators (networks.search.scopes.internal). Deleted documents are
not indexed. A new version, a finished extraction, a renamed folder, a move or opening or closing the document's
group reindexes the document."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from networks.library.models import Document, FileText, Folder
from networks.library.services import FOLDER_DEPTH
from networks.models import WorkingGroup
from networks.search import scopes
from networks.search.registry import Dependency, SearchDocument, Source, register


def library_document(document: Document) -> SearchDocument | None:
    if document.deleted_at is not None or document.current_id is None:
        return None
    places = [document.working_group.name if document.working_group_id else "", *_folder_names(document.folder)]
    return SearchDocument(
        title=document.title,
        body="\n".join(part for part in [*places, document.current.original_name, document.search_text or ""] if part),
        url=document.get_detail_url(),
        network_id=document.network_id,
        scopes=scopes.internal(document.network_id, document.working_group),
        date=document.updated_at,
    )


def _folder_names(folder: Folder | None) -> list[str]:
    names = []
    while folder is not None and len(names) < 10:
        names.append(folder.name)
        folder = folder.parent
    return names


def _documents_under(folder: Folder):
    """A renamed or moved folder changes the place of every document in it and in its subfolders."""
    inside, level = {folder.pk}, [folder.pk]
    for _depth in range(FOLDER_DEPTH):
        level = list(Folder.objects.filter(parent__in=level).values_list("pk", flat=True))
        if not level:
            break
        inside.update(level)
    return Document.objects.filter(folder__in=inside)


def _documents():
    text = FileText.objects.filter(storage_name=OuterRef("current__file")).values("text")[:1]
    related = ("network", "current", "working_group", "folder__parent__parent")
    return Document.objects.select_related(*related).annotate(search_text=Subquery(text))


def register_sources() -> None:
    register(
        Source(
            kind="library_document",
            label=_("Documents"),
            model=Document,
            document=library_document,
            queryset=_documents,
            dependencies=(
                Dependency(FileText, lambda row: Document.objects.filter(current__file=row.storage_name)),
                Dependency(Folder, _documents_under),
                Dependency(WorkingGroup, lambda group: group.library_documents.all() if group.openness_changed else []),
            ),
            order=50,
        )
    )
