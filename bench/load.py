# ruff: noqa: E402 (Django is set up before the project is imported)
"""`make load`: simulated users against everything real, then the invariants.

gunicorn (2 workers × 4 threads, DEBUG off) and a Celery worker on a fresh PostgreSQL database (DATABASE_URL, or
the throwaway cluster of bench/with_postgres.sh) and Redis (REDIS_URL, or a private redis-server on a free port).
Generated data: one network with events of small capacity, members, citizens, a published roadmap. Then
``--users`` users (default 50) for ``--seconds`` (default 60), each a thread with its own keep-alive connection:
40 % browse public pages anonymously, 40 % are members who register for and cancel events, 20 % are signed-in
citizens who read measures and comment. Sessions are made with Django's SessionStore (as a login would).

Checked: no 5xx and no connection errors; registrations never above capacity (sampled every second and at the
end); once the outbox has drained, every outbox message (confirmations, promotions, ...) was mailed exactly
once (the worker's file mail backend, counted by message id and by recipient and event).
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

SECRET = secrets.token_urlsafe(50)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DJANGO_SECRET_KEY"] = SECRET  # sessions made here must verify in gunicorn
os.environ["KLIMANETZ_TESTING"] = "false"
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"

import django

django.setup()

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from bench.common import database_url as bench_database_url
from bench.common import free_port, fresh_database
from events.models import Event, Format, Kind, Registration, Visibility
from measures.models import Comment, Measure, Roadmap
from networks.models import Network, NetworkRole, Organisation, OutboxMessage, Person, User

BASE_DIR = Path(settings.BASE_DIR)
EVENTS = 6
CAPACITY = 3
MEMBERS = 40
CITIZENS = 20
MEASURES = 20
CSRF = "loadloadloadloadloadloadloadload"  # a 32-character CSRF secret, as cookie and form field
SESSION_COOKIE, CSRF_COOKIE = "__Host-sessionid", "__Host-csrftoken"  # the names with DEBUG off


def wait_for(check, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError(what)
        time.sleep(0.1)


# --- Data ---------------------------------------------------------------------------------------------------


def session_for(user: User) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "networks.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def people(prefix: str, n: int, organisation: Organisation | None) -> list[Person]:
    users = User.objects.bulk_create(User(email=f"{prefix}{i}@load.example") for i in range(n))
    EmailAddress.objects.bulk_create(EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users)
    return Person.objects.bulk_create(
        Person(user=u, name=f"{prefix.title()} {i}", organisation=organisation) for i, u in enumerate(users)
    )


def setup_data() -> dict:
    host = Organisation.objects.create(name="Kreis Lasttal", slug="kreis-lasttal", kind="county")
    network = Network.objects.create(
        slug="lastnetz",
        name="Klimanetz Lasttal",
        short_name="KLT",
        kind=Network.Kind.REGIONAL_TEAM,
        host=host,
        region="Lasttal",
        meeting_format=Network.MeetingFormat.ONLINE,
        description="Netzwerk für den Lasttest.",
        is_public=True,
    )
    members = people("mitglied", MEMBERS, host)
    NetworkRole.objects.bulk_create(NetworkRole(network=network, person=p, role="member") for p in members)
    citizens = people("buerger", CITIZENS, None)
    start = timezone.now().replace(microsecond=0) + timedelta(days=14)
    events = [
        Event.objects.create(
            network=network,
            title=f"Werkstatt Wärmeplanung {i + 1}",
            kind=Kind.NETWORK_MEETING,
            format=Format.ONLINE,
            online_url=f"https://meet.example.org/last-{i}",
            description="Austausch zur kommunalen Wärmeplanung.",
            starts_at=start + timedelta(days=i),
            ends_at=start + timedelta(days=i, hours=2),
            visibility=Visibility.NETWORK,
            capacity=CAPACITY,
        )
        for i in range(EVENTS)
    ]
    roadmap = Roadmap.objects.create(
        organisation=host, slug="lasttal", title="Klima-Roadmap Lasttal", target_year=2035, published=True
    )
    measures = Measure.objects.bulk_create(
        Measure(
            roadmap=roadmap,
            code=f"M-{i:02d}",
            slug=f"m-{i:02d}",
            title=f"Maßnahme {i}: Sanierung der Schulen",
            sector="buildings_heat",
            status="in_progress",
            published=True,
        )
        for i in range(MEASURES)
    )
    event_paths = []
    for event in events:
        kwargs = {"slug": network.slug, "pk": event.pk}
        event_paths.append(
            (
                event.get_absolute_url(),
                reverse("events:register", kwargs=kwargs),
                reverse("events:unregister", kwargs=kwargs),
            )
        )
    measure_paths = [
        (m.get_absolute_url(), reverse("measures:comment-create", kwargs={"slug": roadmap.slug, "measure": m.slug}))
        for m in measures
    ]
    return {
        "events": event_paths,
        "measures": measure_paths,
        "members": [session_for(p.user) for p in members],
        "citizens": [session_for(p.user) for p in citizens],
        "public": [
            "/",
            reverse("measures:roadmap-list"),
            roadmap.get_absolute_url(),
            reverse("measures:measure-list", kwargs={"slug": roadmap.slug}),
            reverse("networks:network-list"),
            reverse("events:event-list"),
            *[path for path, _ in measure_paths[:5]],
        ],
    }


# --- Processes ----------------------------------------------------------------------------------------------


class Processes:
    """Redis (when REDIS_URL is unset), gunicorn and a Celery worker; all stopped on exit."""

    def __init__(self, database_url: str, work: Path):
        self.work = work
        self.procs: list[subprocess.Popen] = []
        redis_url = os.environ.get("REDIS_URL", "")
        if not redis_url:
            port = free_port()
            self.start("redis", ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""])
            redis_url = f"redis://127.0.0.1:{port}/0"
            wait_for(lambda: self._redis_ping(port), 15, "redis-server did not start")
        self.redis_url = redis_url
        self.port = free_port()
        self.mail_dir = work / "mail"
        self.env = {
            **os.environ,
            "DEBUG": "false",
            "DJANGO_SECRET_KEY": SECRET,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "CACHE_URL": os.environ.get("CACHE_URL") or redis_url.rsplit("/", 1)[0] + "/1",
            "CONN_MAX_AGE": "60",
            "STATIC_ROOT": str(work / "static"),
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
        self.env.pop("EMAIL_URL", None)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=BASE_DIR,
            env=self.env,
            check=True,
        )
        self.start(
            "gunicorn",
            [sys.executable, "-m", "gunicorn", "config.wsgi:application", "-w", "2", "--threads", "4"]
            + ["-b", f"127.0.0.1:{self.port}", "--keep-alive", "30"],
        )
        self.start(
            "worker",
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=threads", "--concurrency=4"]
            + ["--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=WARNING"],
        )
        wait_for(self._http_ok, 60, "gunicorn did not answer")

    def start(self, name: str, command: list[str]) -> None:
        log = (self.work / f"{name}.log").open("ab")
        self.procs.append(
            subprocess.Popen(command, cwd=BASE_DIR, env=getattr(self, "env", None), stdout=log, stderr=log)  # noqa: S603
        )
        log.close()

    @staticmethod
    def _redis_ping(port: int) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def _http_ok(self) -> bool:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            conn.request("GET", "/")
            return conn.getresponse().status == 200
        except OSError:
            return False

    def stop(self) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


# --- Users --------------------------------------------------------------------------------------------------


class User_:
    def __init__(self, port: int, session: str | None, log: list, errors: list):
        self.port, self.log, self.errors = port, log, errors
        self.cookies = f"{CSRF_COOKIE}={CSRF}" + (f"; {SESSION_COOKIE}={session}" if session else "")
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, kind: str, method: str, path: str, fields: dict | None = None) -> int:
        headers = {"Cookie": self.cookies, "Accept-Language": "de"}
        body = None
        if fields is not None:
            body = urlencode({"csrfmiddlewaretoken": CSRF, **fields})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        t0 = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            response.read()
        except (OSError, http.client.HTTPException) as error:
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.errors.append((kind, path, repr(error)))
            return 0
        self.log.append((kind, time.perf_counter() - t0, response.status))
        if response.status >= 500:
            self.errors.append((kind, path, response.status))
        return response.status


def browser(user: User_, data: dict, until: float, rng: random.Random) -> None:
    while time.monotonic() < until:
        user.request("public page", "GET", rng.choice(data["public"]))
        time.sleep(rng.uniform(0, 0.2))


def member(user: User_, data: dict, until: float, rng: random.Random) -> None:
    registered: set[int] = set()
    while time.monotonic() < until:
        i = rng.randrange(len(data["events"]))
        detail, register, unregister = data["events"][i]
        user.request("event page", "GET", detail)
        if i in registered and rng.random() < 0.6:
            if user.request("cancel", "POST", unregister, {}) == 302:
                registered.discard(i)
        elif user.request("register", "POST", register, {}) == 302:
            registered.add(i)
        time.sleep(rng.uniform(0, 0.2))


def citizen(user: User_, data: dict, until: float, rng: random.Random) -> None:
    n = 0
    while time.monotonic() < until:
        detail, comment = rng.choice(data["measures"])
        user.request("measure page", "GET", detail)
        if rng.random() < 0.3:
            n += 1
            user.request("comment", "POST", comment, {"text": f"Gute Idee, bitte auch die Turnhallen ({n})."})
        time.sleep(rng.uniform(0, 0.2))


def over_capacity() -> list[tuple[int, int]]:
    """Events with more places taken than they have (should never happen)."""
    rows = []
    for event in Event.objects.filter(capacity__isnull=False):
        taken = event.registrations.filter(status__in=Registration.TAKES_A_PLACE).count()
        if taken > event.capacity:
            rows.append((event.pk, taken))
    return rows


def mails(mail_dir: Path) -> list[tuple[str, str]]:
    """(X-Klimanetz-Message, To) of every mail the file backend wrote."""
    found = []
    for path in sorted(mail_dir.glob("*")) if mail_dir.exists() else []:
        text = path.read_text(errors="replace")
        for message in re.split(r"^-{79}$", text, flags=re.MULTILINE):
            ids = re.findall(r"^X-Klimanetz-Message: (\d+)$", message, re.MULTILINE)
            to = re.findall(r"^To: (.+)$", message, re.MULTILINE)
            if ids:
                found.append((ids[0], to[0] if to else ""))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--users", type=int, default=50)
    args = parser.parse_args()

    with fresh_database("load") as ready:
        if not ready:
            return 2
        data = setup_data()
        database_url = bench_database_url()
        connection.close()
        work = Path(tempfile.mkdtemp(prefix="klimanetz-load-"))
        procs = None
        try:
            procs = Processes(database_url, work)
            return run(args, data, procs)
        finally:
            if procs is not None:
                procs.stop()
            connection.close()
            shutil.rmtree(work, ignore_errors=True)


def run(args, data: dict, procs: Processes) -> int:
    n_browsers = round(args.users * 0.4)
    n_citizens = round(args.users * 0.2)
    n_members = args.users - n_browsers - n_citizens
    log: list = []
    errors: list = []
    violations: list = []
    until = time.monotonic() + args.seconds
    threads = []
    for i in range(args.users):
        rng = random.Random(i)
        if i < n_browsers:
            target, session = browser, None
        elif i < n_browsers + n_members:
            target, session = member, data["members"][(i - n_browsers) % len(data["members"])]
        else:
            target, session = citizen, data["citizens"][(i - n_browsers - n_members) % len(data["citizens"])]
        user = User_(procs.port, session, log, errors)
        threads.append(threading.Thread(target=target, args=(user, data, until, rng), daemon=True))
    print(
        f"Load: {args.users} users ({n_browsers} browsing, {n_members} members registering and cancelling, "
        f"{n_citizens} citizens commenting) for {args.seconds:.0f} s against gunicorn -w 2 --threads 4, "
        f"PostgreSQL, Redis and a Celery worker; {EVENTS} events of {CAPACITY} places",
        flush=True,
    )
    started = time.monotonic()
    for thread in threads:
        thread.start()
    samples = 0
    while any(t.is_alive() for t in threads):
        violations += over_capacity()
        samples += 1
        time.sleep(1)
    elapsed = time.monotonic() - started
    violations += over_capacity()
    connection.close()

    # The outbox drains: every message sent (a missed enqueue would wait for beat's sweep: reported).
    drain_started = time.monotonic()
    deadline = drain_started + 120
    while OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT).exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    drained = time.monotonic() - drain_started
    outbox = {str(pk): (recipient, reason, object_id) for pk, recipient, reason, object_id in
              OutboxMessage.objects.values_list("pk", "recipient", "reason", "object_id")}  # fmt: skip
    not_sent = OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT).count()
    time.sleep(1)
    sent = mails(procs.mail_dir)
    per_message = Counter(message_id for message_id, _ in sent)
    twice = {k: v for k, v in per_message.items() if v > 1}
    missing = set(outbox) - set(per_message)
    registration_event = dict(Registration.objects.values_list("pk", "event_id"))
    per_recipient_event = Counter(
        (outbox[m][0], registration_event.get(int(outbox[m][2])), outbox[m][1])
        for m in per_message
        if m in outbox and outbox[m][1].startswith("event_")
    )
    final = Counter(Registration.objects.values_list("status", flat=True))
    comments = Comment.objects.count()
    connection.close()

    by_kind = defaultdict(list)
    statuses = Counter()
    for kind, seconds, status in log:
        by_kind[kind].append(seconds)
        statuses[status] += 1
    print(f"\n{'kind':<14}{'requests':>10}{'rps':>9}{'p50 ms':>9}{'p95 ms':>9}")
    for kind, times in sorted(by_kind.items()):
        times.sort()
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        print(f"{kind:<14}{len(times):>10}{len(times) / elapsed:>9.1f}{statistics.median(times) * 1000:>9.1f}"
              f"{p95 * 1000:>9.1f}")  # fmt: skip
    all_times = sorted(t for times in by_kind.values() for t in times)
    print(
        f"{'all':<14}{len(all_times):>10}{len(all_times) / elapsed:>9.1f}{statistics.median(all_times) * 1000:>9.1f}"
        f"{all_times[int(len(all_times) * 0.95)] * 1000:>9.1f}"
    )
    print(f"\nanswers: {dict(sorted(statuses.items()))}; registrations at the end: {dict(final)}; comments: {comments}")
    print(f"outbox: {len(outbox)} messages, {len(sent)} mails, drained {drained:.1f} s after the load")
    print(
        f"confirmations by recipient and event: {sum(per_recipient_event.values())} "
        f"({len(per_recipient_event)} recipient/event/kind pairs)"
    )
    checks = {
        "no 5xx answers": not any(e for e in errors if isinstance(e[2], int)),
        "no connection errors": not any(e for e in errors if not isinstance(e[2], int)),
        f"registrations never above capacity ({samples} samples + the end)": not violations,
        "outbox drained (every message sent)": not_sent == 0,
        "every message mailed exactly once": not twice and not missing and len(sent) == len(outbox),
    }
    print()
    for name, ok in checks.items():
        print(f"{'PASS' if ok else 'FAIL'}  {name}")
    if errors:
        print("first errors:", errors[:5])
    if violations:
        print("over capacity (event, taken):", violations[:5])
    if twice or missing:
        print(f"mailed twice: {list(twice.items())[:5]}; never mailed: {sorted(missing)[:5]}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
