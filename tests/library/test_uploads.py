"""The one upload rule (networks.library.uploads.check_upload): every allowed type passes by its content, every
other type, disguised file, bomb and program inside an archive is refused with a message."""

from __future__ import annotations

import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from networks.library.uploads import MAX_SIZE, ZIP_MAX_ENTRIES, check_upload
from tests.library import factories as f

EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200 + b"This program cannot be run in DOS mode"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


@pytest.mark.parametrize(
    ("name", "make", "mime"),
    [
        ("folien.pdf", lambda: f.pdf("Wärme"), "application/pdf"),
        (
            "text.docx",
            lambda: f.docx("Wärme"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "folien.pptx",
            lambda: f.pptx("PV"),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        ("tabelle.xlsx", lambda: f.xlsx("Köln"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("protokoll.odt", lambda: f.odt("Bonn"), "application/vnd.oasis.opendocument.text"),
        ("bild.png", lambda: PNG, "image/png"),
        ("daten.csv", lambda: "Kommune;Zieljahr\nKöln;2035\n".encode(), "text/csv"),
        ("daten.csv", lambda: "Kommune;Zieljahr\nKöln;2035\n".encode("cp1252"), "text/csv"),
        ("notiz.txt", lambda: "\ufeffNotiz zur Sitzung\r\n".encode(), "text/plain"),
        ("paket.zip", lambda: f.zip_of({"a.pdf": f.pdf("x"), "b.csv": b"a;b\n"}), "application/zip"),
    ],
)
def test_allowed_types_by_content(name, make, mime):
    content = make()
    assert check_upload(name, content) == mime
    upload = SimpleUploadedFile(name, content)
    assert check_upload(name, upload) == mime
    assert upload.tell() == 0  # left at its start for storing


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("leer.pdf", b"", "empty"),
        ("setup.exe", EXE, "type"),
        ("folien.pdf", EXE, "type"),
        ("notiz.txt", EXE, "type"),
        ("seite.html", b"<html><script>alert(1)</script></html>", "type"),
        ("seite.txt", b"<!DOCTYPE html><html><body>x</body></html>", "type"),
        ("bild.csv", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "type"),
        ("binaer.txt", b"\x00\x01\x02\x03binary", "type"),
        ("daten.json", b'{"a": 1}', "type"),
        ("script.sh", b"#!/bin/sh\nrm -rf /\n", "type"),
        ("archiv.gz", b"\x1f\x8b\x08\x00" + b"\x00" * 50, "type"),
        ("paket.zip", f.zip_of({"tool.exe": b"harmless?"}), "zip_program"),
        ("paket.zip", f.zip_of({"bericht.pdf": EXE}), "zip_program"),
        ("paket.zip", f.zip_of({"innen.zip": f.zip_of({"a.txt": b"a"})}), "zip_nested"),
        ("paket.zip", f.zip_of({"bombe.txt": b"0" * (5 * 1024 * 1024)}), "zip_bomb"),
        ("paket.zip", b"PK\x03\x04" + b"\x00" * 100, "damaged"),
    ],
)
def test_refused(name, content, code):
    with pytest.raises(ValidationError) as refused:
        check_upload(name, content)
    assert refused.value.code == code
    assert refused.value.messages[0]


def test_too_large():
    with pytest.raises(ValidationError) as refused:
        check_upload("gross.pdf", f.pdf("x") + b"0" * MAX_SIZE)
    assert refused.value.code == "too_large"


def test_too_many_entries_refused():
    content = f.zip_of({f"{n}.txt": b"x" for n in range(ZIP_MAX_ENTRIES + 1)}, compression=zipfile.ZIP_STORED)
    with pytest.raises(ValidationError) as refused:
        check_upload("viele.zip", content)
    assert refused.value.code == "zip_entries"


def test_encrypted_zip_refused():
    content = bytearray(f.zip_of({"geheim.txt": b"x"}, compression=zipfile.ZIP_STORED))
    content[6] |= 0x1  # the local header's flag: encrypted
    central = content.rfind(b"PK\x01\x02")
    content[central + 8] |= 0x1  # and the central directory's, which listing reads
    with pytest.raises(ValidationError) as refused:
        check_upload("geheim.zip", bytes(content))
    assert refused.value.code == "zip_encrypted"


def test_event_documents_use_the_same_rule():
    from events import services as event_services

    upload = SimpleUploadedFile("daten.csv", b"Kommune;Jahr\nBonn;2035\n")
    assert event_services.document_check(upload) == "text/csv"
    with pytest.raises(ValidationError):
        event_services.document_check(SimpleUploadedFile("paket.zip", f.zip_of({"x.exe": b"x"})))
