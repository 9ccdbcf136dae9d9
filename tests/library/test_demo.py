"""The library's demo: documents with their text extracted at load, idempotent (a second run adds nothing)."""

from __future__ import annotations

from io import StringIO

from networks.library import demo, texts
from networks.library.models import Document, DocumentVersion, Folder
from tests.events.factories import EventFactory
from tests.networks.factories import NetworkFactory, NetworkRoleFactory, WorkingGroupFactory


def test_demo_library_is_idempotent_and_searchable(db):
    ktt = NetworkFactory(slug="klima-taten-team-westpfalz", short_name="KTT")
    NetworkRoleFactory(network=ktt, person__user__email="ktt.koordination@example.org", role="coordinator")
    WorkingGroupFactory(network=ktt, name="Kommunales Energiemanagement und -controlling")
    workshop = EventFactory(network=ktt, title="Online-Workshop des Klima.Taten.Teams: Jahresplanung 2022")
    out = StringIO()
    demo.load(stdout=out)
    counts = (Document.objects.count(), DocumentVersion.objects.count(), Folder.objects.count())
    demo.load(stdout=out)
    assert (Document.objects.count(), DocumentVersion.objects.count(), Folder.objects.count()) == counts
    assert counts[0] == 3  # the KTT's documents only: the other networks are not there
    slides = Document.objects.get(title="Folien Frühjahrstreffen 2026")
    assert slides.folder.name == "Netzwerktreffen" and slides.created_by.user.email == "ktt.koordination@example.org"
    assert "Dachflächenpotenzial" in texts.text_of(slides.current.file.name)
    assert "Dachflächenpotenzial" not in slides.title
    assert slides.current.uploaded_at.year == 2026 and slides.current.uploaded_at.month == 3
    assert "Demo library: 3 documents (0 new)" in out.getvalue()
    slides = workshop.documents.get()  # the event's slides, once, with their text
    assert slides.title == "Folien Jahresplanung 2022" and "Wärmekampagne" in texts.text_of(slides.file.name)
