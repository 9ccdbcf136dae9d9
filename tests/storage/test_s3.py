"""Every kind of stored file on an S3-compatible bucket, through the real boto3 client and the portal's views and
services (tests/storage/conftest.py): written under the bucket, never on local disk, downloaded by the allowed
persona as a redirect to a short-lived presigned URL whose answer carries the right type and name, refused to the
others with nothing presigned; reports built, texts extracted, mail attachments read, orphans swept and backups
round-tripped through the storage API alone."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import tarfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import urllib3
from django.conf import settings
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from events.models import Document as EventDocument
from monitoring import tasks as monitoring_tasks
from monitoring.models import Report
from monitoring.reporting import RENDERERS
from networks.library import services as library
from networks.library import texts
from networks.library.models import Document
from networks.media_archive import import_media
from networks.models import OutboxMessage
from networks.outbox import outbox_deliver, outbox_enqueue
from tests.events.factories import EventFactory
from tests.library import factories as lf
from tests.monitoring.factories import ReportFactory
from tests.monitoring.test_reports import report_data

pytestmark = pytest.mark.django_db
HTTP = urllib3.PoolManager(retries=False, timeout=10)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _presigned(response, s3) -> str:
    """The redirect's target: the bucket's object, signed, valid the configured seconds."""
    assert response.status_code == 302, response.status_code
    assert response["Cache-Control"] == "private, no-store"
    location = response["Location"]
    assert location.startswith(f"{s3.endpoint}/{s3.name}/{s3.prefix}/"), location
    query = parse_qs(urlsplit(location).query)
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"] and query["X-Amz-Signature"]
    assert query["X-Amz-Expires"] == [str(settings.STORAGE_PRESIGNED_SECONDS)]
    return location


def _follow(location: str):
    answer = HTTP.request("GET", location)
    assert answer.status == 200, (answer.status, answer.data[:300])
    return answer


def _refused(client, address: str, s3) -> int:
    """A denied persona's answer: a refusal or the way to the login, never the bucket's address."""
    response = client.get(address)
    assert s3.endpoint not in response.get("Location", "") and s3.name not in response.content.decode(errors="ignore")
    return response.status_code


def test_library_upload_and_download_through_the_bucket(client, personas, s3):
    content = lf.pdf("Dachflächenpotenzial im Kreis")
    personas.login(client, "member")
    upload = SimpleUploadedFile("Präsentation Wärme.pdf", content, content_type="application/pdf")
    address = reverse("library:document-upload", args=[personas.network.slug])
    assert client.post(address, {"file": upload, "title": "Wärmeplanung", "place": ""}).status_code == 302
    document = Document.objects.get(title="Wärmeplanung")
    name = document.current.file.name
    assert name.startswith("library/") and s3.listing() == [name] and s3.read(name) == content

    download = reverse("library:document-download", args=[personas.network.slug, document.pk])
    answer = _follow(_presigned(client.get(download), s3))
    assert answer.data == content
    assert answer.headers["Content-Type"] == "application/pdf"
    assert answer.headers["Content-Disposition"] == (
        "inline; filename=\"Praesentation Waerme.pdf\"; filename*=utf-8''Pr%C3%A4sentation%20W%C3%A4rme.pdf"
    )
    assert answer.headers["Cache-Control"] == "private, no-store"
    version = reverse("library:version-download", args=[personas.network.slug, document.pk, 1])
    assert _follow(_presigned(client.get(version), s3)).data == content

    # The text is extracted from the object (as the Celery task does on another machine).
    assert "Dachflächenpotenzial" in texts.extract_file(name, force=True).text

    for persona, expected in {"citizen": 403, "other_network": 403, "anonymous": 302}.items():
        client.logout()
        personas.login(client, persona)
        assert _refused(client, download, s3) == expected, persona
        assert _refused(client, version, s3) == expected, persona

    # Not public: the object's plain address is refused, and no grant names everybody.
    assert HTTP.request("GET", s3.object_url(name)).status == 403
    grants = s3.client.get_object_acl(Bucket=s3.name, Key=f"{s3.prefix}/{name}")["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert all(grant["Grantee"]["Type"] == "CanonicalUser" for grant in grants)


def test_a_second_upload_of_the_same_name_never_overwrites(personas, s3):
    first = lf.store(personas.network, name="agenda.pdf", content=lf.pdf("eins"))
    second = lf.store(personas.network, name="agenda.pdf", content=lf.pdf("zwei"))
    assert first.current.file.name != second.current.file.name and len(s3.listing()) == 2
    assert s3.read(first.current.file.name) == lf.pdf("eins")


def test_event_document_through_the_bucket(client, personas, s3):
    event = EventFactory(network=personas.network, starts_at=timezone.now() - timedelta(days=2))
    personas.login(client, "coordinator")
    csv = b"Jahr;Wert\n2025;1.234,5\n"
    upload = SimpleUploadedFile("Teilnehmende Düren.csv", csv, content_type="text/csv")
    address = reverse("events:document-upload", args=[personas.network.slug, event.pk])
    assert client.post(address, {"file": upload, "kind": EventDocument.Kind.SLIDES, "title": ""}).status_code == 302
    document = event.documents.get()
    assert s3.listing() == [document.file.name] and document.file.name.startswith("events/")

    download = reverse("events:document-download", args=[personas.network.slug, event.pk, document.pk])
    client.logout()
    personas.login(client, "member")
    answer = _follow(_presigned(client.get(download), s3))
    assert answer.data == csv and answer.headers["Content-Type"] == document.content_type
    assert answer.headers["Content-Disposition"].startswith('attachment; filename="Teilnehmende_Dueren')
    client.logout()
    personas.login(client, "other_network")
    assert _refused(client, download, s3) in (403, 404)


def test_streaming_from_the_bucket_when_redirects_are_off(client, personas, s3, settings):
    settings.STORAGE_REDIRECT = False
    document = lf.store(personas.network, name="daten.csv", content=b"a;b\n1;2\n")
    personas.login(client, "member")
    response = client.get(reverse("library:document-download", args=[personas.network.slug, document.pk]))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert response["Content-Type"] == "text/csv" and response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == b"a;b\n1;2\n"
    # An object gone from the bucket is a 404, not an error.
    s3.client.delete_object(Bucket=s3.name, Key=f"{s3.prefix}/{document.current.file.name}")
    assert (
        client.get(reverse("library:document-download", args=[personas.network.slug, document.pk])).status_code == 404
    )


def test_presigned_urls_live_the_configured_seconds(client, personas, s3, settings):
    """moto does not enforce a URL's expiry (AWS, MinIO and Ceph do): the signed validity is checked instead."""
    settings.STORAGE_PRESIGNED_SECONDS = 7
    document = lf.store(personas.network, name="folien.pdf", content=lf.pdf("x"))
    personas.login(client, "member")
    before = timezone.now().replace(microsecond=0)
    location = _presigned(
        client.get(reverse("library:document-download", args=[personas.network.slug, document.pk])), s3
    )
    query = parse_qs(urlsplit(location).query)
    signed_at = datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert before - timedelta(seconds=1) <= signed_at <= timezone.now() and query["X-Amz-Expires"] == ["7"]


def test_report_built_and_downloaded_through_the_bucket(client, personas, s3, monkeypatch):
    """The worker writes the four files through the storage; the PDF renderer is a stand-in (its cost is not the
    point here), the others are the real ones."""
    monkeypatch.setitem(RENDERERS, "pdf", lambda snapshot: b"%PDF-1.7 stand-in")
    data = report_data(personas.people["editor"].organisation_roles.get().organisation)
    report = ReportFactory(roadmap=data.roadmap, requested_by=data.person)
    assert monitoring_tasks.report_build(report.pk) == "done"
    report = Report.objects.get(pk=report.pk)
    names = [getattr(report, f"{fmt}_file").name for fmt in Report.FORMATS]
    assert s3.listing() == sorted(names) and all(name.startswith("reports/") for name in names)

    personas.login(client, "editor")
    xlsx = reverse("monitoring:report-download", args=[report.pk, "xlsx"])
    answer = _follow(_presigned(client.get(xlsx), s3))
    assert answer.data[:4] == b"PK\x03\x04" and answer.headers["Content-Type"] == XLSX
    assert answer.headers["Content-Disposition"].startswith("attachment; filename=")
    # The HTML report is shown with the portal's stylesheet: streamed from the bucket, from the portal's origin.
    html = client.get(reverse("monitoring:report-download", args=[report.pk, "html"]))
    assert html.status_code == 200 and html["Content-Type"] == "text/html; charset=utf-8"
    assert html["Content-Disposition"].startswith("inline;") and html["Cache-Control"] == "private, no-store"
    assert b"".join(html.streaming_content) == s3.read(report.html_file.name)
    for persona in ("citizen", "member", "other_network"):
        client.logout()
        personas.login(client, persona)
        assert _refused(client, xlsx, s3) == 404, persona


def test_outbox_attachment_is_read_from_the_bucket(personas, s3):
    document = lf.store(personas.network, name="Einladung Wärmewende.pdf", content=lf.pdf("Einladung"))
    version = document.current
    message = outbox_enqueue(
        recipient="katrin.lang@kreis-dueren.example",
        reason="announcement",
        object_key="storage-test",
        subject="Einladung",
        body_text="Anbei die Einladung.",
        attachments=[
            {"filename": version.original_name, "mimetype": version.content_type, "storage_name": version.file.name}
        ],
    )
    assert outbox_deliver(message_id=message.pk)
    assert OutboxMessage.objects.get(pk=message.pk).status == OutboxMessage.Status.SENT
    (sent,) = mail.outbox
    assert sent.attachments[0][0] == "Einladung Wärmewende.pdf" and sent.attachments[0][1] == lf.pdf("Einladung")


def test_orphans_and_purged_documents_leave_the_bucket(personas, s3, django_capture_on_commit_callbacks):
    kept = lf.store(personas.network, name="bleibt.pdf", content=lf.pdf("bleibt"))
    purged = lf.store(personas.network, name="weg.pdf", content=lf.pdf("weg"))
    orphan = default_storage.save("library/99/2026/12/verwaist.pdf", ContentFile(b"%PDF-1.4 orphan"))
    assert len(s3.listing()) == 3

    assert library.orphan_files() == []  # younger than a day: may belong to a transaction still open
    later = timezone.now() + library.ORPHAN_AGE + timedelta(minutes=1)
    assert library.orphan_files(now=later) == [orphan]
    assert library.orphan_files_delete(now=later) == 1

    library.document_delete(document=purged, by=None)
    with django_capture_on_commit_callbacks(execute=True):
        library.document_purge(document=Document.objects.get(pk=purged.pk))
    assert s3.listing() == [kept.current.file.name]


def _script(script: str, *args: str, env: dict) -> str:
    result = subprocess.run(
        ["bash", str(Path(settings.BASE_DIR) / "scripts" / script), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"{script} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_backup_and_restore_carry_the_buckets_objects(s3, tmp_path):
    """make backup writes the test prefix's objects into FILE.media.tar.gz beside the (SQLite) database; make restore
    writes them back, replacing changed ones, and a backup of local media restores into the bucket as well."""
    files = {"library/1/2026/12/Präsentation Wärme.pdf": b"%PDF-1.4 eins", "reports/7/bericht.csv": b"Jahr;Wert\n"}
    for key, content in files.items():
        s3.client.put_object(Bucket=s3.name, Key=f"{s3.prefix}/{key}", Body=content)
    database = tmp_path / "db.sqlite3"
    with sqlite3.connect(database) as db:
        db.execute("CREATE TABLE networks_organisation (id integer primary key, name text)")
    db.close()
    base, _, query = s3.url.partition("?")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "MEDIA_ROOT", "STORAGE_URL")}
    env.update(DEBUG="true", SQLITE_PATH=str(database), STORAGE_URL=f"{base}/{s3.prefix}?{query}")
    backup = tmp_path / "backup.sqlite3"
    assert "media (the bucket)" in _script("backup.sh", str(backup), env=env)
    with tarfile.open(f"{backup}.media.tar.gz") as archive:
        assert sorted(archive.getnames()) == sorted(files)

    s3.client.delete_object(Bucket=s3.name, Key=f"{s3.prefix}/reports/7/bericht.csv")
    s3.client.put_object(Bucket=s3.name, Key=f"{s3.prefix}/library/1/2026/12/Präsentation Wärme.pdf", Body=b"changed")
    assert "restored media into the bucket" in _script("restore.sh", str(backup), env=env)
    assert {key: s3.read(key) for key in s3.listing()} == files

    # From local disk into the bucket: a tar of MEDIA_ROOT (as backup.sh writes it there) restored with the bucket
    # configured (restore.sh calls media_import; in process here, one Django start less).
    local = tmp_path / "media" / "events" / "3"
    local.mkdir(parents=True)
    (local / "protokoll.pdf").write_bytes(b"%PDF-1.4 lokal")
    subprocess.run(["tar", "-czf", str(tmp_path / "local.tar.gz"), "-C", str(tmp_path / "media"), "."], check=True)
    with open(tmp_path / "local.tar.gz", "rb") as archive:
        assert import_media(archive) == (1, 14)
    assert s3.read("events/3/protokoll.pdf") == b"%PDF-1.4 lokal" and len(s3.listing()) == 3
