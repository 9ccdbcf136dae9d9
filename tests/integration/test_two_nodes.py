"""Several machines (issue 19 §2): two gunicorn "nodes" and one Celery worker, each with its own empty MEDIA_ROOT
and TMPDIR, sharing only PostgreSQL (through PgBouncer in transaction mode when CI runs one: TEST_PGBOUNCER_URL),
Redis and the object store (TEST_STORAGE_URL; without it one shared directory stands in for the store, see
``object_store``). What one node or the worker does, the other node sees:

- a document uploaded through node A (a real multipart POST, CSRF token, logged-in session) downloads through B;
- a report requested on node B is built by the worker and downloads through node A;
- a session started on A is valid on B;
- a change through A is on B's cached public page at once (the page caches' versions live in Redis);
- node A killed (SIGKILL) in the middle of a registration's transaction loses nothing: the registration, its notice
  and its outbox row are all absent, node B serves on, and the retry through B registers once.

One set of processes for the module (DEBUG off, persistent database connections as in production); the data is
committed once for the module and flushed at its end.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import signal
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import date
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import psycopg2
import pytest
import redis
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from events.models import Document, Notice, Registration
from measures.models import Measure
from monitoring.models import Indicator, IndicatorValue, Report
from networks.models import NetworkRole, OrganisationRole, OutboxMessage
from tests.events.factories import EventFactory
from tests.integration import services as svc
from tests.integration.conftest import services_missing
from tests.measures.factories import MeasureFactory, RoadmapFactory
from tests.networks import factories as nf

# django_db: the test database is set up for this module, and each test's own reads run in a transaction rolled
# back at its end; the world the nodes see is committed once by the module's fixture (and flushed at its end).
pytestmark = [pytest.mark.services, pytest.mark.django_db, pytest.mark.usefixtures("services_required")]

QUEUE = "celery"
WAIT_SECONDS = 60
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


# --- A browser: cookies, CSRF, multipart; one jar for both nodes (as behind a load balancer) --------------------


class Browser:
    """Cookies shared across nodes; follows no redirect of the portal, only one to another host (a presigned URL
    of the object store), which it fetches without the portal's cookies."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, port: int, method: str, path: str, *, fields=None, files=None, timeout: float = 30):
        headers = {"Host": "127.0.0.1", "Referer": f"http://127.0.0.1:{port}{path}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if files:
            boundary = uuid.uuid4().hex
            body = _multipart(boundary, fields or {}, files)
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        elif fields is not None:
            body = urlencode(fields, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read()
        finally:
            conn.close()
        for header in response.msg.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response.status, response, content

    def get(self, port: int, path: str):
        return self.request(port, "GET", path)

    def post(self, port: int, path: str, fields: dict, *, files=None, timeout: float = 30):
        """POST a form with the CSRF token of the page at ``path`` (read first, from the same node)."""
        status, _response, page = self.get(port, path)
        assert status == 200, (path, status)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, f"no CSRF token on {path}"
        return self.request(
            port, "POST", path, fields={"csrfmiddlewaretoken": token.group(1).decode(), **fields}, files=files,
            timeout=timeout,
        )  # fmt: skip

    def download(self, port: int, path: str) -> tuple[int, bytes]:
        """The file at ``path``: the portal's answer, or what its redirect to the object store points at."""
        status, response, content = self.get(port, path)
        if status in (301, 302, 303, 307) and urlsplit(response.getheader("Location", "")).netloc:
            return _fetch(response.getheader("Location"))
        return status, content


def _multipart(boundary: str, fields: dict, files: dict) -> bytes:
    lines = []
    for name, value in fields.items():
        lines += [f"--{boundary}".encode(), f'Content-Disposition: form-data; name="{name}"'.encode(), b"", str(value)]
        lines[-1] = lines[-1].encode()
    for name, (filename, data, content_type) in files.items():
        lines += [
            f"--{boundary}".encode(),
            f'Content-Disposition: form-data; name="{name}"; filename="{filename}"'.encode(),
            f"Content-Type: {content_type}".encode(),
            b"",
            data,
        ]
    lines += [f"--{boundary}--".encode(), b""]
    return b"\r\n".join(lines)


def _fetch(url: str) -> tuple[int, bytes]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=30)
    try:
        conn.request("GET", urlunsplit(("", "", parts.path, parts.query, "")))
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


# --- The shared object store (or its stand-in) -------------------------------------------------------------------


def object_store(shared: Path) -> tuple[dict[str, str], bool]:
    """The environment that puts every process's files in one store, and whether it is a real object store.

    With TEST_STORAGE_URL (CI: .ci/s3.sh) each process writes to the bucket under this run's own prefix, and its
    own MEDIA_ROOT stays empty. Without it (locally), ``shared`` stands in for the store: one directory every
    process names as its MEDIA_ROOT."""
    url = os.environ.get("TEST_STORAGE_URL", "")
    if not url:
        return {"MEDIA_ROOT": str(shared)}, False
    parts = urlsplit(url)
    path = parts.path.rstrip("/") + f"/two-nodes-{secrets.token_hex(4)}"
    return {"STORAGE_URL": urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))}, True


# --- The processes and the data ------------------------------------------------------------------------------------


@dataclass
class World:
    a: svc.Server
    b: svc.Server
    worker: object
    logs: Path
    media: dict[str, Path]
    real_store: bool
    browser: Browser
    password: str
    email: str
    network_slug: str
    event_pk: int
    roadmap_slug: str
    measure: Measure
    pgbouncer_before: int | None  # transactions PgBouncer had passed to the test database before the nodes started


def _seed() -> dict:
    host = nf.OrganisationFactory(name="Kreis Zweiknoten", slug="kreis-zweiknoten", kind="county")
    coordinator = nf.PersonFactory(name="Kora Knoten", organisation=host)
    network = nf.NetworkFactory(name="Netz der Knoten", slug="netz-der-knoten", host=host)
    NetworkRole.objects.create(network=network, person=coordinator, role=NetworkRole.Role.COORDINATOR)
    OrganisationRole.objects.create(organisation=host, person=coordinator)
    event = EventFactory(network=network, title="Knotentreffen", capacity=None)
    roadmap = RoadmapFactory(organisation=host, slug="zweiknoten", title="Klima-Roadmap Zweiknoten")
    measure = MeasureFactory(roadmap=roadmap, code="ZK-1", title="Wärmenetz Knotenstadt")
    MeasureFactory(roadmap=roadmap, code="ZK-2", title="Radweg Knotenstadt")
    indicator = Indicator.objects.create(organisation=host, roadmap=roadmap, name="Wärmeverbrauch", unit="MWh")
    IndicatorValue.objects.bulk_create(
        IndicatorValue(indicator=indicator, year=year, value=1000 - year % 100) for year in range(2019, 2026)
    )
    return {
        "email": coordinator.user.email,
        "network_slug": network.slug,
        "event_pk": event.pk,
        "roadmap_slug": roadmap.slug,
        "measure": measure,
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    missing = services_missing()
    if missing:
        pytest.skip("needs PostgreSQL and Redis: " + "; ".join(missing))  # services_required fails it in CI
    root = tmp_path_factory.mktemp("two-nodes")
    logs = root / "logs"
    logs.mkdir()
    store_env, real_store = object_store(root / "store")
    processes = []
    with django_db_blocker.unblock():
        seeded = _seed()
        broker = redis.Redis.from_url(os.environ["REDIS_URL"])
        broker.delete(QUEUE, "unacked", "unacked_index")
        media = {}

        def env_of(name: str) -> dict:
            own = root / name
            (own / "media").mkdir(parents=True)
            (own / "tmp").mkdir()
            media[name] = own / "media"
            database = svc.process_database_env()
            return svc.service_env(
                database_url=database["DATABASE_URL"],
                redis_url=os.environ["REDIS_URL"],
                cache_url=os.environ.get("CACHE_URL"),
                DATABASE_POOLER=database["DATABASE_POOLER"],
                DEBUG="false",
                DJANGO_SECRET_KEY="two-nodes-" + "k" * 50,  # the same on every node: sessions, CSRF, signed links
                ALLOWED_HOSTS="127.0.0.1",
                SECURE_SSL_REDIRECT="false",
                CONN_MAX_AGE="60",
                LOG_LEVEL="WARNING",
                TMPDIR=str(own / "tmp"),
                **{"MEDIA_ROOT": str(own / "media"), **store_env},  # the store's stand-in replaces it (locally)
            )

        pgbouncer_before = svc.pgbouncer_transactions() if svc.pgbouncer_url() else None
        try:
            gunicorn = ("-c", "config/gunicorn.conf.py", "--threads", "2")
            a = svc.Server(env_of("a"), logs / "a.log", workers=1, args=gunicorn)
            b = svc.Server(env_of("b"), logs / "b.log", workers=1, args=gunicorn)
            worker = svc.start_worker(env_of("worker"), logs / "worker.log")
            processes += [a, b]
            for server in (a, b):  # both boot at once
                server.start(wait=False)
            for server in (a, b):
                server.ready(timeout=60)
            password = nf.PASSWORD
            yield World(
                a=a, b=b, worker=worker, logs=logs, media=media, real_store=real_store, browser=Browser(),
                password=password, pgbouncer_before=pgbouncer_before, **seeded,
            )  # fmt: skip
        finally:
            running = [server.process for server in processes] + ([worker] if "worker" in locals() else [])
            for process in running:  # all at once, then wait for each
                if process is not None and process.poll() is None:
                    os.killpg(process.pid, signal.SIGTERM)
            for process in running:
                svc.stop_worker(process)
            broker.delete(QUEUE, "unacked", "unacked_index")
            svc.pgbouncer_release(connection.settings_dict["NAME"])
            connection.close()
            call_command("flush", verbosity=0, interactive=False, allow_cascade=False, inhibit_post_migrate=False)


@pytest.fixture
def logged_in(world):
    """The coordinator (and editor) signed in through node A's login form, once for the module."""
    if not any(name.endswith("sessionid") for name in world.browser.cookies):
        status, response, _page = world.browser.post(
            world.a.port, reverse("account_login"), {"login": world.email, "password": world.password}
        )
        assert status == 302, f"login on node A answered {status}"
    return world


# --- The proofs ------------------------------------------------------------------------------------------------------


def test_a_session_started_on_node_a_is_valid_on_node_b(logged_in):
    world = logged_in
    status, _response, page = world.browser.get(world.b.port, reverse("networks:dashboard"))
    assert status == 200
    assert "Kora Knoten" in page.decode()
    if world.pgbouncer_before is not None:  # CI: the nodes' queries go through PgBouncer in transaction mode
        assert svc.pgbouncer_transactions() > world.pgbouncer_before
    # The same request without the session is sent to the login page: B recognised the session, not the address.
    anonymous = Browser()
    status, response, _page = anonymous.get(world.b.port, reverse("networks:dashboard"))
    assert status == 302 and reverse("account_login") in response.getheader("Location")


def test_a_document_uploaded_through_node_a_downloads_through_node_b(logged_in):
    world = logged_in
    kwargs = {"slug": world.network_slug, "pk": world.event_pk}
    status, response, page = world.browser.post(
        world.a.port,
        reverse("events:document-upload", kwargs=kwargs),
        {"title": "Folien Knotentreffen", "kind": Document.Kind.SLIDES},
        files={"file": ("folien-knotentreffen.pdf", PDF, "application/pdf")},
    )
    assert status == 302, page.decode(errors="replace")[-2000:]
    document = Document.objects.get(event_id=world.event_pk, title="Folien Knotentreffen")

    status, content = world.browser.download(
        world.b.port, reverse("events:document-download", kwargs={**kwargs, "doc": document.pk})
    )
    assert status == 200 and content == PDF
    if world.real_store:  # the bytes live in the bucket only: no process has them on its own disk
        assert not any(path.is_file() for directory in world.media.values() for path in directory.rglob("*"))
    # Node B checks the permission as A would: someone without a session gets no file.
    status, _response, content = Browser().get(
        world.b.port, reverse("events:document-download", kwargs={**kwargs, "doc": document.pk})
    )
    assert status in (302, 404) and PDF not in content


def test_a_report_requested_on_node_b_is_built_by_the_worker_and_downloads_through_node_a(logged_in):
    world = logged_in
    path = reverse("monitoring:report-create") + f"?roadmap={world.roadmap_slug}"
    status, response, page = world.browser.post(
        world.b.port, path, {"period_start": "2025-01-01", "period_end": "2025-12-31", "title": ""}
    )
    assert status == 302, page.decode(errors="replace")[-2000:]
    report = Report.objects.get(roadmap__slug=world.roadmap_slug, period_start=date(2025, 1, 1))
    deadline = time.monotonic() + WAIT_SECONDS
    while not report.is_finished:
        assert world.worker.poll() is None, (world.logs / "worker.log").read_text(errors="replace")[-3000:]
        assert time.monotonic() < deadline, f"report {report.status} {report.progress}%"
        time.sleep(0.2)
        report.refresh_from_db()
    assert report.status == Report.Status.DONE, report.error

    for fmt, magic in (("pdf", b"%PDF"), ("xlsx", b"PK")):
        status, content = world.browser.download(
            world.a.port, reverse("monitoring:report-download", kwargs={"pk": report.pk, "fmt": fmt})
        )
        assert status == 200 and content.startswith(magic), (fmt, status)


def test_a_change_through_node_a_is_on_node_b_cached_public_page_at_once(logged_in):
    world = logged_in
    measure = world.measure
    page = reverse("measures:measure", kwargs={"slug": world.roadmap_slug, "measure": measure.slug})
    visitor = Browser()
    for _visit in range(3):  # the first visit may set the CSRF cookie (not stored then), the next one is stored
        status, response, content = visitor.get(world.b.port, page)
        assert status == 200 and "status-in_progress" in content.decode()
        if response.getheader("X-Page-Cache") == "hit":
            break
    assert response.getheader("X-Page-Cache") == "hit"
    # Behind the portal's back (committed, but no signal, no version bumped) the page stays as cached, on both nodes.
    renamed = "Wärmenetz Knotenstadt (umbenannt)"
    _commit_now(f"UPDATE {Measure._meta.db_table} SET title = %s WHERE id = %s", [renamed, measure.pk])  # noqa: S608
    for port in (world.b.port, world.a.port):
        status, response, content = visitor.get(port, page)
        assert response.getheader("X-Page-Cache") == "hit" and "umbenannt" not in content.decode()

    # Through node A, as the editors do it: the status of the measure.
    status, _response, _content = world.browser.request(
        world.a.port,
        "POST",
        reverse("measures:bulk-status", kwargs={"slug": world.roadmap_slug}),
        fields={
            "csrfmiddlewaretoken": _csrf(world, reverse("measures:editor-dashboard", args=[world.roadmap_slug])),
            "measures": [measure.pk],
            "status": Measure.Status.COMPLETED,
        },
    )
    assert status == 302
    status, response, content = visitor.get(world.b.port, page)
    assert status == 200 and response.getheader("X-Page-Cache") == "miss"
    assert "status-completed" in content.decode() and "umbenannt" in content.decode()


def _commit_now(sql: str, params: list) -> None:
    """Run ``sql`` on a connection of its own and commit it (the test's own reads are in a transaction)."""
    with psycopg2.connect(svc.test_database_url()) as conn, conn.cursor() as cursor:
        cursor.execute(sql, params)
    conn.close()


def _csrf(world: World, path: str, *, port: int | None = None) -> str:
    """A CSRF token of the session, from a form on the page at ``path`` (node A unless ``port``)."""
    status, _response, page = world.browser.get(port or world.a.port, path)
    assert status == 200, (path, status)
    return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()


def test_a_node_killed_mid_request_loses_nothing(logged_in):
    """Node A is killed while a registration's transaction waits for the outbox table (locked here): registration,
    notice and outbox row are written all or none; node B serves on and the retry through it registers once."""
    world = logged_in
    kwargs = {"slug": world.network_slug, "pk": world.event_pk}
    detail, register = reverse("events:event-detail", kwargs=kwargs), reverse("events:register", kwargs=kwargs)
    token = _csrf(world, detail)
    person_filter = {"event_id": world.event_pk, "person__user__email": world.email}
    outbox = OutboxMessage._meta.db_table
    assert not Registration.objects.filter(**person_filter).exists()

    locker = psycopg2.connect(svc.test_database_url())  # directly, not through PgBouncer: a session of its own
    results = []
    try:
        with locker.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {outbox} IN EXCLUSIVE MODE")  # reads pass, INSERTs wait
            request = threading.Thread(
                target=lambda: results.append(_attempt(world, register, token)), name="registration-on-a"
            )
            request.start()
            deadline = time.monotonic() + 20
            while not (waiting := _waiting_for(cursor, outbox)):
                assert request.is_alive(), f"the registration did not wait: {results}"
                assert time.monotonic() < deadline, "the registration never reached the outbox"
                time.sleep(0.05)
            os.killpg(world.a.process.pid, signal.SIGKILL)  # the whole node: master and workers
            world.a.process.wait(timeout=10)
        locker.rollback()  # the lock goes; the killed request's transaction must not commit now
    finally:
        locker.close()
    request.join(timeout=30)
    assert results and isinstance(results[0], Exception), f"node A answered although killed: {results}"

    deadline = time.monotonic() + 20
    while _in_transaction(waiting):  # the server notices the lost client and rolls back
        assert time.monotonic() < deadline, "the killed request's transaction is still open"
        time.sleep(0.1)
    assert not Registration.objects.filter(**person_filter).exists()
    assert not Notice.objects.filter(registration__event_id=world.event_pk).exists()
    assert not OutboxMessage.objects.filter(recipient=world.email, reason="event_confirmation").exists()

    status, _response, _content = world.browser.get(world.b.port, detail)  # the other node serves on
    assert status == 200
    status, _response, _content = world.browser.request(
        world.b.port, "POST", register, fields={"csrfmiddlewaretoken": _csrf(world, detail, port=world.b.port)}
    )
    assert status == 302
    assert Registration.objects.filter(**person_filter, status=Registration.Status.REGISTERED).count() == 1
    assert OutboxMessage.objects.filter(recipient=world.email, reason="event_confirmation").count() == 1


def _attempt(world: World, path: str, token: str):
    try:
        return world.browser.request(world.a.port, "POST", path, fields={"csrfmiddlewaretoken": token}, timeout=60)
    except (OSError, http.client.HTTPException) as error:
        return error


def _waiting_for(cursor, table: str) -> int | None:
    """The server process (pid) of a transaction waiting for a lock on ``table``, if any."""
    cursor.execute(
        "SELECT pid FROM pg_locks WHERE NOT granted AND relation = %s::regclass AND pid <> pg_backend_pid()", [table]
    )
    row = cursor.fetchone()
    return row[0] if row else None


def _in_transaction(pid: int) -> bool:
    """Whether server process ``pid`` (the killed request's) is still in its transaction."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # the test's transaction would see its first reading again
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s AND xact_start IS NOT NULL", [pid])
        return cursor.fetchone()[0] > 0
