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


# Demo: slides and agendas of past meetings, on the events' pages and in the library's "Veranstaltungen".
DEMO = [
    (
        "klima-taten-team-westpfalz",
        "Online-Workshop des Klima.Taten.Teams: Jahresplanung 2022",
        "Folien Jahresplanung 2022",
        [
            ("Jahresplanung 2022", ["Gemeinsame PV-Kampagne im Frühjahr", "Wärmekampagne im Herbst"]),
            ("Themen", ["Mobilität", "Klimaschutz in der Bauleitplanung", "Energiemanagement und -controlling"]),
        ],
    ),
    (
        "nkk-koeln-bonn",
        "NKK-Präsenztreffen in der Geschäftsstelle des Region Köln/Bonn e. V.",
        "Folien: Wärmeplanung in den Mitgliedskommunen",
        [
            (
                "Kommunale Wärmeplanung: wo stehen wir?",
                ["Büro beauftragt, Potenzialanalyse, Zielszenario, abgeschlossen, Ratsbeschluss offen"],
            ),
            ("Zieljahre der Klimaneutralität", ["von 2035 bis 2045: eine große Spannweite"]),
        ],
    ),
    (
        "kek-dortmund",
        "Kick-off des KEK im Umweltamt",
        "Präsentation Klima-Luft 2030",
        [("Handlungsprogramm Klima-Luft 2030", ["Treibhausgasneutralität bis 2035", "Rolle der KEK-Mitglieder"])],
    ),
]


def demo() -> int:
    """Add the demo's event documents once (found by event and document title); returns how many were new."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from events import services
    from networks.library.pdf import minimal_pdf

    created = 0
    for slug, event_title, title, pages in DEMO:
        event = Event.objects.filter(network__slug=slug, title=event_title).first()
        if event is None or event.documents.filter(title=title).exists():
            continue
        upload = SimpleUploadedFile(f"{title}.pdf", minimal_pdf(pages, title=title), "application/pdf")
        services.document_add(event=event, upload=upload, kind=Document.Kind.SLIDES, title=title, by=None)
        created += 1
    return created


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
            demo=demo,
        )
    )
