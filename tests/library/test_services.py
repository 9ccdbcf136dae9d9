"""Library services: documents and their versions, folders, deletion, and the text extraction for search."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from networks.library import extract, services, tasks, texts
from networks.library.models import Document, DocumentVersion, FileText, Folder
from tests.library import factories as f
from tests.networks.factories import WorkingGroupFactory


def test_document_store_keeps_the_file_privately_with_its_facts(personas):
    content = f.pdf("Dachflächenpotenzial")
    document = f.store(personas.network, personas.people["member"], name="../../Folien Frühjahr.pdf", content=content)
    version = document.current
    assert (document.title, version.number, version.original_name) == ("Folien Frühjahr.pdf", 1, "Folien Frühjahr.pdf")
    assert version.content_type == "application/pdf" and version.size == len(content)
    assert version.sha256 == hashlib.sha256(content).hexdigest()
    assert version.file.name.startswith(f"library/{personas.network.pk}/")
    assert default_storage.open(version.file.name).read() == content
    assert document.created_by == personas.people["member"] == version.uploaded_by


def test_document_store_takes_an_upload_and_a_title(personas):
    upload = SimpleUploadedFile("agenda.txt", "Tagesordnung: Wärmeplanung".encode())
    document = services.document_store(
        network=personas.network, uploaded_by=None, name=upload.name, content=upload, title="  Agenda  "
    )
    assert document.title == "Agenda" and document.current.content_type == "text/plain"


def test_refused_upload_writes_nothing(personas):
    with pytest.raises(ValidationError):
        f.store(personas.network, name="setup.exe", content=b"MZ" + b"\x00" * 100)
    assert not Document.objects.exists() and not DocumentVersion.objects.exists()


def test_versions_count_up_and_the_newest_is_current(personas):
    document = f.store(personas.network, content=f.pdf("eins"))
    second = services.document_version_add(
        document=document,
        uploaded_by=personas.people["coordinator"],
        name="v2.pdf",
        content=f.pdf("zwei"),
        comment="Korrektur",
    )
    document.refresh_from_db()
    assert second.number == 2 and document.current == second and second.comment == "Korrektur"
    assert list(document.versions.values_list("number", flat=True)) == [2, 1]
    with pytest.raises(ValidationError):
        services.document_version_add(document=document, uploaded_by=None, name="x.html", content=b"<html></html>")
    assert document.versions.count() == 2


def test_folder_places_documents_in_its_group(personas):
    group = WorkingGroupFactory(network=personas.network)
    folder = services.folder_create(network=personas.network, name="Protokolle", created_by=None, working_group=group)
    document = f.store(personas.network, folder=folder)
    assert document.working_group == group and document.folder == folder
    other_group = WorkingGroupFactory(network=personas.other)
    with pytest.raises(ValidationError):
        f.store(personas.network, working_group=other_group)
    foreign = services.folder_create(network=personas.other, name="Fremd", created_by=None)
    with pytest.raises(ValidationError):
        f.store(personas.network, folder=foreign)


def test_folder_names_are_unique_per_place_ignoring_case(personas):
    top = services.folder_create(network=personas.network, name="Vorlagen", created_by=None)
    with pytest.raises(ValidationError) as refused:
        services.folder_create(network=personas.network, name=" vorlagen ", created_by=None)
    assert "name" in refused.value.message_dict
    services.folder_create(network=personas.network, name="Vorlagen", created_by=None, parent=top)  # another place
    group = WorkingGroupFactory(network=personas.network)
    services.folder_create(network=personas.network, name="Vorlagen", created_by=None, working_group=group)
    services.folder_create(network=personas.other, name="Vorlagen", created_by=None)
    assert Folder.objects.filter(name__iexact="vorlagen").count() == 4


def test_folder_cannot_move_into_itself_or_another_space(personas):
    top = services.folder_create(network=personas.network, name="A", created_by=None)
    inner = services.folder_create(network=personas.network, name="B", created_by=None, parent=top)
    with pytest.raises(ValidationError):
        services.folder_update(folder=top, name="A", parent=inner)
    group_folder = services.folder_create(
        network=personas.network, name="G", created_by=None, working_group=WorkingGroupFactory(network=personas.network)
    )
    with pytest.raises(ValidationError):
        services.folder_update(folder=top, name="A", parent=group_folder)
    services.folder_update(folder=inner, name="B neu", parent=None)
    inner.refresh_from_db()
    assert (inner.name, inner.parent) == ("B neu", None)


def test_only_empty_folders_are_deleted(personas):
    folder = services.folder_create(network=personas.network, name="Alt", created_by=None)
    document = f.store(personas.network, folder=folder)
    with pytest.raises(ValidationError):
        services.folder_delete(folder=folder)
    services.document_delete(document=document, by=None)
    services.folder_delete(folder=folder)
    assert not Folder.objects.filter(pk=folder.pk).exists()
    document.refresh_from_db()
    assert document.folder is None and document.deleted_at is not None


def test_document_move_to_a_group_top_level(personas):
    group = WorkingGroupFactory(network=personas.network)
    document = f.store(personas.network)
    services.document_update(document=document, title="Neu", folder=None, working_group=group)
    document.refresh_from_db()
    assert (document.title, document.working_group, document.folder) == ("Neu", group, None)


def test_deleted_documents_are_purged_with_their_files_later(personas, django_capture_on_commit_callbacks):
    document = f.store(personas.network)
    name = document.current.file.name
    texts.extract_file(name)
    services.document_delete(document=document, by=None)
    assert not Document.objects.live().exists() and default_storage.exists(name)
    Document.objects.filter(pk=document.pk).update(deleted_at=document.deleted_at - tasks.PURGE_AFTER * 2)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.purge_deleted() == 1
    assert not Document.objects.exists() and not default_storage.exists(name)
    assert not FileText.objects.filter(storage_name=name).exists()


@pytest.mark.parametrize(
    ("name", "make", "words"),
    [
        ("folien.pdf", lambda: f.pdf("Dachflächenpotenzial im Kreis"), ["Dachflächenpotenzial"]),
        ("text.docx", lambda: f.docx("Wärmeplanung in Bonn"), ["Wärmeplanung", "Tabellenzelle"]),
        ("folien.pptx", lambda: f.pptx("Energiecontrolling-Software"), ["Frühjahrstreffen", "Energiecontrolling"]),
        ("tabelle.xlsx", lambda: f.xlsx("Rhein-Sieg-Kreis"), ["Maßnahmen", "Rhein-Sieg-Kreis", "42"]),
        ("protokoll.odt", lambda: f.odt("Beschluss zur PV-Kampagne"), ["Protokoll", "PV-Kampagne"]),
        ("daten.csv", lambda: "Kommune;Zieljahr\nKöln;2035\n".encode("cp1252"), ["Köln", "2035"]),
        ("notiz.txt", lambda: "Notiz über Fördermittel".encode(), ["Fördermittel"]),
    ],
)
def test_extraction_of_each_format(personas, name, make, words):
    document = f.store(personas.network, name=name, content=make())
    row = texts.extract_file(document.current.file.name)
    assert row.error == "" and row.extracted_at is not None
    for word in words:
        assert word in texts.text_of(document.current.file.name)


def test_files_without_text_yield_empty_text(personas):
    document = f.store(personas.network, name="paket.zip", content=f.zip_of({"a.txt": b"a"}))
    row = texts.extract_file(document.current.file.name)
    assert (row.text, row.error) == ("", "")


def test_a_broken_file_records_its_error_and_the_upload_stays(personas):
    document = f.store(personas.network, content=f.pdf("Wärme"))
    name = document.current.file.name
    default_storage.delete(name)
    default_storage.save(name, SimpleUploadedFile("x", b"%PDF-1.4\n" + b"\xff" * 300))  # damaged after upload
    row = texts.extract_file(name)
    assert row.error and row.text == "" and row.extracted_at is not None
    assert Document.objects.live().filter(pk=document.pk).exists()
    broken_docx = f.docx("x")[:-200]  # the ZIP directory cut off
    with pytest.raises(extract.ExtractionError):
        extract.extract(broken_docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


def test_extraction_is_bounded(monkeypatch):
    monkeypatch.setattr(extract, "MAX_CHARS", 50)
    text = extract.extract(("Wort " * 1000).encode(), "text/plain")
    assert len(text) == 50
    many = f.pdf(*[f"Zeile {n}" for n in range(5)])
    monkeypatch.setattr(extract, "MAX_PAGES", 0)
    assert extract.extract(many, "application/pdf") == ""


def test_extraction_task_is_queued_after_commit_and_idempotent(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = f.store(personas.network, content=f.pdf("Frühjahrstreffen"))
    name = document.current.file.name
    row = FileText.objects.get(storage_name=name)
    assert "Frühjahrstreffen" in row.text
    assert tasks.extract_text(name) is True  # again: nothing read, nothing changed
    assert FileText.objects.get(storage_name=name).extracted_at == row.extracted_at
    assert FileText.objects.count() == 1


def test_extract_missing_finds_library_and_event_files(personas):
    from events import services as event_services
    from tests.events.factories import EventFactory

    document = f.store(personas.network, content=f.pdf("Bibliothek"))
    event = EventFactory(network=personas.network)
    event_document = event_services.document_add(
        event=event, upload=SimpleUploadedFile("folien.pdf", f.pdf("Veranstaltung")), kind="slides", title="F", by=None
    )
    missing = tasks.files_without_text()
    assert {document.current.file.name, event_document.file.name} <= set(missing)
    assert tasks.extract_missing() == len(missing)  # eager: extracted at once
    assert tasks.files_without_text() == []
    assert "Veranstaltung" in texts.text_of(event_document.file.name)
    event_services.document_delete(document=event_document)
    assert texts.text_of(event_document.file.name) == ""


def test_library_extract_command(personas):
    from io import StringIO

    from django.core.management import call_command

    document = f.store(personas.network, content=f.pdf("Kommandozeile"))
    out = StringIO()
    call_command("library_extract", stdout=out)
    assert "1 extracted" in out.getvalue()
    assert "Kommandozeile" in texts.text_of(document.current.file.name)
    call_command("library_extract", stdout=out)
    assert "0 extracted" in out.getvalue()
    call_command("library_extract", "--all", stdout=out)
    assert out.getvalue().endswith("1 extracted, 0 without text (missing or unreadable).\n")


def test_personal_data_export_lists_the_uploads(personas):
    from networks import panels

    document = f.store(personas.network, personas.people["member"], title="Meine Folien", name="folien.pdf")
    services.document_version_add(
        document=document, uploaded_by=personas.people["coordinator"], name="b.txt", content=b"b"
    )
    uploads = panels.personal_data(personas.people["member"])["library_uploads"]
    assert [(u["document"], u["version"], u["file_name"]) for u in uploads] == [("Meine Folien", 1, "folien.pdf")]
