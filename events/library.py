"""Event documents in the network's document library (networks.library.sources), and their text for search.

Event documents stay events' own model (uploaded on the event page); the library lists them read-only in a
virtual "Veranstaltungen" folder, and their text is extracted by the library's task into the same table
(networks.library.texts) as library documents."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.urls import reverse
from django.utils.translation import pgettext_lazy

from events.models import Document, Event
from networks.library import sources, texts
from networks.library.models import FileText


def texts_queue(storage_name: str) -> None:
    """After commit: extract the new event document's text for search."""
    from networks.library.tasks import extract_text

    transaction.on_commit(lambda: extract_text.delay(storage_name))


def texts_forget(storage_names) -> None:
    texts.forget(storage_names)


def _with_documents():
    return Event.objects.filter(Exists(Document.objects.filter(event=OuterRef("pk"))))


def groups(user, network):
    """The network's events with documents that the user may see, newest first."""
    return _with_documents().visible_to(user).filter(network=network).order_by("-starts_at", "-pk")


def attach(events: list) -> list[dict]:
    """The page's events with their documents: one query for all documents (the network is the caller's)."""
    documents = Prefetch("documents", queryset=Document.objects.select_related("uploaded_by").order_by("kind", "title"))
    rows = Event.objects.filter(pk__in=[event.pk for event in events]).select_related("network")
    by_pk = {event.pk: event for event in rows.prefetch_related(documents)}
    out = []
    for event in events:
        full = by_pk[event.pk]
        slug = full.network.slug
        out.append(
            {
                "title": full.title,
                "url": full.get_absolute_url(),
                "date": full.starts_at,
                "documents": [
                    {
                        "title": document.title,
                        "url": reverse("events:document-download", args=[slug, full.pk, document.pk]),
                        "size": document.size,
                        "content_type": document.content_type,
                        "kind": document.get_kind_display(),
                        "uploaded_by": document.uploaded_by,
                        "uploaded_at": document.created_at,
                        "storage_name": document.file.name,
                    }
                    for document in full.documents.all()
                ],
            }
        )
    return out


def count(user, network) -> int:
    visible = Event.objects.visible_to(user).filter(network=network)
    return Document.objects.filter(event__in=visible.values("pk")).aggregate(n=Count("pk"))["n"]


def files_without_text(limit: int) -> list[str]:
    extracted = FileText.objects.filter(storage_name=OuterRef("file"))
    return list(Document.objects.exclude(Exists(extracted)).values_list("file", flat=True)[:limit])


def register() -> None:
    sources.register(
        sources.LibrarySource(
            key="veranstaltungen",
            label=lambda: str(pgettext_lazy("document library section", "Events")),
            groups=groups,
            attach=attach,
            count=count,
            files_without_text=files_without_text,
            order=10,
        )
    )
