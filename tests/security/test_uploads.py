"""Uploads: event documents and every import refuse a wrong type, a disguised extension and a file over the size
limit, with an error on the form's file field and nothing written (no row, no file)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from events.models import Document
from measures import importing as measures_importing
from tests.security.conftest import PDF, NoWrites

EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 200
    + b"This program cannot be run in DOS mode"
)
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>'


def files_in(root) -> set[str]:
    return {str(path) for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def post_file(w, persona: str, url: str, name: str, content: bytes, content_type: str, **data):
    client = Client()
    w.login(client, persona)
    before = files_in(w.media)
    with NoWrites():
        response = client.post(url, {"file": SimpleUploadedFile(name, content, content_type=content_type), **data})
    assert files_in(w.media) == before, "a file was written"
    return response


def file_errors(response) -> list[str]:
    return list(response.context["form"].errors.get("file", []))


DOCUMENT_CASES = [
    ("exe-as-pdf", "protokoll.pdf", EXE, "application/pdf"),
    ("html-as-pdf", "protokoll.pdf", HTML, "application/pdf"),
    ("svg-as-png", "bild.png", SVG, "image/png"),
    ("html", "seite.html", HTML, "text/html"),
    ("exe", "setup.exe", EXE, "application/octet-stream"),
    ("empty", "leer.pdf", b"", "application/pdf"),
    ("too-large", "gross.pdf", PDF + b"0" * Document.MAX_SIZE, "application/pdf"),
]


@pytest.mark.parametrize(
    ("name", "content", "content_type"), [c[1:] for c in DOCUMENT_CASES], ids=[c[0] for c in DOCUMENT_CASES]
)
def test_event_document_refused(w, name, content, content_type):
    url = reverse("events:document-upload", args=[w.network.slug, w.event_public.pk])
    count = Document.objects.count()
    response = post_file(w, "coordinator", url, name, content, content_type, title="x", kind="slides")
    assert response.status_code == 400
    assert file_errors(response)
    assert Document.objects.count() == count


def test_event_document_type_comes_from_the_content_not_the_name(w):
    """A real PDF named .html is stored, and goes out as application/pdf with nosniff, never as HTML."""
    url = reverse("events:document-upload", args=[w.network.slug, w.event_public.pk])
    client = Client()
    w.login(client, "coordinator")
    upload = SimpleUploadedFile("seite.html", PDF, content_type="text/html")
    response = client.post(url, {"file": upload, "title": "x", "kind": "slides"})
    assert response.status_code == 302
    document = Document.objects.latest("pk")
    assert document.content_type == "application/pdf"
    download = client.get(reverse("events:document-download", args=[w.network.slug, w.event_public.pk, document.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content).startswith(b"%PDF")  # not close(): that ends the test's connection


IMPORTS = [
    ("measures:measure-import", lambda w: {"slug": w.roadmap.slug}, "editor"),
    ("monitoring:values-import", lambda w: {"organisation": w.org.slug}, "editor"),
    ("monitoring:balance-import", lambda w: {"organisation": w.org.slug}, "editor"),
    ("networks:member-import", lambda w: {"slug": w.network.slug}, "coordinator"),
]
IMPORT_CASES = [
    ("exe-as-csv", "daten.csv", EXE, "text/csv"),
    ("exe-as-xlsx", "daten.xlsx", EXE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("html-as-csv", "daten.csv", HTML, "text/csv"),
    ("html-as-xlsx", "daten.xlsx", HTML, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("pdf", "daten.pdf", PDF, "application/pdf"),
    ("exe", "daten.exe", EXE, "application/octet-stream"),
    ("too-large", "daten.csv", b"code;title\n" + b"x;" + b"y" * measures_importing.MAX_BYTES + b"\n", "text/csv"),
]


@pytest.mark.parametrize(("view", "kwargs", "persona"), IMPORTS, ids=[i[0] for i in IMPORTS])
@pytest.mark.parametrize(
    ("name", "content", "content_type"), [c[1:] for c in IMPORT_CASES], ids=[c[0] for c in IMPORT_CASES]
)
def test_import_refused(w, view, kwargs, persona, name, content, content_type):
    url = reverse(view, kwargs=kwargs(w))
    # the member and measure imports confirm what the check kept (a signed payload, a kept file): no file then
    actions = ("check",) if view in ("networks:member-import", "measures:measure-import") else ("check", "import")
    for action in actions:
        response = post_file(w, persona, url, name, content, content_type, action=action)
        assert response.status_code == 400, (action, response.status_code)
        assert file_errors(response), action
