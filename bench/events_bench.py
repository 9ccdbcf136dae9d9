# ruff: noqa: E402 (Django is set up before the project is imported)
"""Events performance (issue 3 "Performance"): figures and ratios in one table. Run with ``make bench``.

    bench/with_postgres.sh .venv/bin/python -m bench.events_bench

Needs PostgreSQL (DATABASE_URL). The benchmark creates a fresh database of its own next to the
one DATABASE_URL names, migrates it, measures, and drops it again; it never writes to the
configured database. Celery does not run tasks here: the emails the reminder scan enqueues stay
in an in-memory broker, so the scan is timed as beat runs it (deciding and enqueueing).

What it measures:
1. the personal calendar feed (GET /kalender/<token>.ics) of a member of five networks with
   2,000 events against the same feed with 200: time (median of 5) and queries;
2. the reminder scan (events.services.reminders_send) over 100,000 registrations, about 1 % due:
   the first scan (enqueues the due reminders), a second scan (nothing due: the every-5-minutes
   case) and EXPLAIN ANALYZE of the due query;
3. the event list, a network calendar and a participant list at 10 and 1,000 rows: time and queries.
"""

from __future__ import annotations

import logging
import os
import statistics
import sys
import time
import warnings
from datetime import timedelta

# The benchmark's own environment: no Redis (tasks go to an in-memory broker, not to a worker),
# and a DEBUG-on development configuration (no secrets needed).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["REDIS_URL"] = ""
os.environ["CACHE_URL"] = ""
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
os.environ["KLIMANETZ_TESTING"] = "false"

import django

django.setup()
warnings.filterwarnings("ignore", "No directory at", UserWarning)  # WhiteNoise: no collectstatic needed here
logging.getLogger("kombu.connection").setLevel(logging.ERROR)  # the in-memory broker has no host name

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from bench.common import fresh_database, ms, ratio
from events import services
from events.models import CalendarToken, Event, Format, Kind, Notice, Registration
from networks.models import Network, NetworkRole, Organisation, OutboxMessage, Person, User

RUNS = 5
FEED_NETWORKS = 5
FEED_EVENTS = (200, 2_000)
PAGE_ROWS = (10, 1_000)
REMINDER_REGISTRATIONS = 100_000
REMINDER_PEOPLE = 1_000  # 100 events' worth of people: every event has 100 registrations
REMINDER_DUE_EVENTS = (8, 3)  # events inside the 7-day and inside the 1-day window


# --- Data ----------------------------------------------------------------------------------------


def _host() -> Organisation:
    return Organisation.objects.get_or_create(slug="bench-host", defaults={"name": "Benchmark-Energieagentur"})[0]


def make_network(slug: str) -> Network:
    return Network.objects.create(
        slug=slug,
        name=f"Benchmark {slug}",
        short_name=slug[:40],
        kind=Network.Kind.REGIONAL_TEAM,
        host=_host(),
        region="Benchmark",
        meeting_format=Network.MeetingFormat.ONLINE,
        description="Benchmark",
    )


def make_people(prefix: str, n: int) -> list[Person]:
    users = User.objects.bulk_create(
        [User(email=f"{prefix}{i}@bench.example") for i in range(n)], batch_size=2_000
    )  # no password: these accounts cannot log in (the test client logs in without one)
    return Person.objects.bulk_create(
        [Person(user=user, name=f"{prefix} {i}") for i, user in enumerate(users)], batch_size=2_000
    )


def make_events(network: Network, n: int, *, first, step: timedelta, title: str, **fields) -> list[Event]:
    events = []
    for i in range(n):
        start = first + i * step
        events.append(
            Event(
                network=network,
                title=f"{title} {i + 1}",
                kind=Kind.NETWORK_MEETING,
                format=Format.HYBRID,
                venue="Kreishaus",
                town="Musterstadt",
                online_url=f"https://meet.example.org/bench-{network.slug}-{i}",
                description="Austausch zur kommunalen Wärmeplanung, zu Fördermitteln und zum Monitoring.",
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                **fields,
            )
        )
    return Event.objects.bulk_create(events, batch_size=2_000)


def feed_setup(n_events: int) -> str:
    """A member of five networks whose networks hold ``n_events`` future events; returns the feed's URL."""
    person = make_people(f"feed{n_events}-", 1)[0]
    networks = [make_network(f"feed{n_events}-{i}") for i in range(FEED_NETWORKS)]
    NetworkRole.objects.bulk_create(
        NetworkRole(network=network, person=person, role=NetworkRole.Role.MEMBER) for network in networks
    )
    now = timezone.now()
    per_network = n_events // FEED_NETWORKS
    events = []
    for i, network in enumerate(networks):
        events += make_events(
            network, per_network, first=now + timedelta(days=1, hours=i), step=timedelta(hours=13), title="Termin"
        )
    # The member holds a place at every tenth event: those entries carry the online link.
    Registration.objects.bulk_create(
        Registration(event=event, person=person, status=Registration.Status.REGISTERED) for event in events[::10]
    )
    token = CalendarToken.objects.create(person=person)
    return reverse("events:personal-feed", args=[token.token])


def pages_setup(n_events: int, network: Network, event: Event, people: list[Person]) -> None:
    """Grow the network to ``n_events`` upcoming events and ``event`` to as many registrations."""
    have = Event.objects.filter(network=network).count()
    make_events(
        network,
        n_events - have,
        first=timezone.now() + timedelta(days=2, hours=have),
        step=timedelta(hours=7),
        title=f"Netzwerktreffen ab {have}",
    )
    registered = Registration.objects.filter(event=event).count()
    Registration.objects.bulk_create(
        Registration(event=event, person=person, status=Registration.Status.REGISTERED)
        for person in people[registered:n_events]
    )


def reminders_setup() -> int:
    """100,000 registrations on 1,000 events; about 1 % are due for a reminder now. Returns the due count."""
    network = make_network("reminders")
    people = make_people("reminder-", REMINDER_PEOPLE)
    now = timezone.now()
    seven, one = REMINDER_DUE_EVENTS
    starts = [now + timedelta(days=1, hours=6) + timedelta(hours=16 * i) for i in range(seven)]  # 7-day window
    starts += [now + timedelta(hours=3 + 6 * i) for i in range(one)]  # 1-day window
    rest = REMINDER_REGISTRATIONS // 100 - len(starts)
    starts += [now - timedelta(days=180) + timedelta(hours=8 * i) for i in range(rest // 2)]  # over
    starts += [now + timedelta(days=8) + timedelta(hours=8 * i) for i in range(rest - rest // 2)]  # later
    events = Event.objects.bulk_create(
        [
            Event(
                network=network,
                title=f"Termin {i}",
                kind=Kind.WORKSHOP,
                format=Format.ONLINE,
                online_url="https://meet.example.org/bench",
                starts_at=start,
                ends_at=start + timedelta(hours=2),
            )
            for i, start in enumerate(starts)
        ],
        batch_size=2_000,
    )
    statuses = [Registration.Status.WAITING, Registration.Status.CANCELLED] + [Registration.Status.REGISTERED] * 18
    batch = []
    for e, event in enumerate(events):
        for k in range(100):
            person = people[(e + k * 10) % REMINDER_PEOPLE]
            batch.append(Registration(event=event, person=person, status=statuses[(e + k) % len(statuses)]))
        if len(batch) >= 10_000:
            Registration.objects.bulk_create(batch, batch_size=10_000)
            batch = []
    Registration.objects.bulk_create(batch, batch_size=10_000)
    # Registered long before: a reminder is only due for registrations older than its lead time.
    Registration.objects.filter(event__network=network).update(created_at=now - timedelta(days=60))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    due = 0
    for kind, lead, stop in services.REMINDERS:
        due += services.reminders_due(kind, lead, stop, now=now).count()
    return due


# --- Measuring ------------------------------------------------------------------------------------


def captured():
    """CaptureQueriesContext on an empty log (the log is a bounded deque: a full one never grows)."""
    connection.queries_log.clear()
    return CaptureQueriesContext(connection)


def timed(fn) -> tuple[float, int, object]:
    """(median seconds of RUNS calls after one warm-up, queries of one call, the last result)."""
    fn()
    with captured() as queries:
        result = fn()
    count = len(queries)  # now: the next request's request_started signal empties the log
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), count, result


def get(client: Client, url: str):
    def fetch():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    return fetch


Row = tuple[str, str, str, str]


def pair_rows(title: str, label: tuple[str, str], small, large, *, size: tuple[int, int]) -> list[Row]:
    (t1, q1, _), (t2, q2, _) = small, large
    return [
        (title, label[0], label[1], ratio(*size)),
        ("  time (median of 5)", ms(t1), ms(t2), ratio(t1, t2)),
        ("  queries", str(q1), str(q2), ratio(q1, q2)),
    ]


def measure_pages() -> list[Row]:
    network = make_network("pages")
    coordinator, *people = make_people("pages-", PAGE_ROWS[1] + 1)
    NetworkRole.objects.create(network=network, person=coordinator, role=NetworkRole.Role.COORDINATOR)
    event = make_events(network, 1, first=timezone.now() + timedelta(days=1), step=timedelta(0), title="Workshop")[0]
    client = Client()
    client.force_login(coordinator.user)
    urls = {
        "event list /veranstaltungen/": reverse("events:event-list"),
        "network calendar (list)": reverse("events:network-calendar", args=[network.slug]),
        "network calendar (month)": reverse("events:network-calendar", args=[network.slug]) + "?ansicht=monat",
        "participant list": reverse("events:participant-list", args=[network.slug, event.pk]),
    }
    results = {}
    for n in PAGE_ROWS:
        pages_setup(n, network, event, people)
        results[n] = {name: timed(get(client, url)) for name, url in urls.items()}
    rows = []
    small, large = PAGE_ROWS
    for name in urls:
        unit = "registrations" if name == "participant list" else "events"
        rows += pair_rows(
            f"{name}: {unit}", (f"{small:,}", f"{large:,}"), results[small][name], results[large][name], size=PAGE_ROWS
        )
    return rows


def measure_feed() -> list[Row]:
    client = Client()
    results = {}
    for n in FEED_EVENTS:
        url = feed_setup(n)
        results[n] = timed(get(client, url))
        body = results[n][2].content
        assert body.count(b"BEGIN:VEVENT") == n, "the feed does not hold every event"
    small, large = FEED_EVENTS
    rows = pair_rows(
        f"personal feed, {FEED_NETWORKS} networks: events",
        (f"{small:,}", f"{large:,}"),
        results[small],
        results[large],
        size=FEED_EVENTS,
    )
    sizes = [len(results[n][2].content) for n in FEED_EVENTS]
    rows.append(("  size", f"{sizes[0] / 1024:,.0f} KiB", f"{sizes[1] / 1024:,.0f} KiB", ratio(*sizes)))
    return rows


def measure_reminders() -> tuple[list[Row], str]:
    due = reminders_setup()
    now = timezone.now()
    total = Registration.objects.filter(event__network__slug="reminders").count()
    with captured() as queries:
        t0 = time.perf_counter()
        sent = services.reminders_send(now=now)
        first = time.perf_counter() - t0
    first_queries = len(queries)
    assert sent == due, (sent, due)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE events_notice")  # as autovacuum would after a thousand new rows
    second, second_queries, again = timed(lambda: services.reminders_send(now=now))
    assert again == 0
    kind, lead, stop = services.REMINDERS[0]
    plan = services.reminders_due(kind, lead, stop, now=now).explain(analyze=True, buffers=True)
    rows = [
        (
            f"reminder scan over {total:,} registrations",
            "first scan",
            "second scan",
            "second/first",
        ),
        ("  reminders enqueued", f"{sent:,} ({sent / total:.1%})", f"{again}", "–"),
        ("  time (second: median of 5)", ms(first), ms(second), ratio(first, second)),
        ("  time per enqueued reminder", ms(first / max(sent, 1)), "–", ""),
        ("  queries", f"{first_queries:,}", str(second_queries), ratio(first_queries, second_queries)),
        ("  outbox rows / notices", f"{OutboxMessage.objects.count():,}", f"{Notice.objects.count():,}", ""),
    ]
    return rows, plan


def table(rows: list[Row]) -> str:
    header = ("measurement", "small / first", "large / second", "ratio")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
    line = "  ".join("-" * w for w in widths)
    out = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)), line]
    for row in rows:
        first = row[0].ljust(widths[0])
        out.append("  ".join([first, *(cell.rjust(w) for cell, w in zip(row[1:], widths[1:], strict=True))]))
    return "\n".join(out)


def main() -> int:
    with fresh_database("events") as ready:
        if not ready:
            return 2
        t0 = time.perf_counter()
        # Measured as production runs: no debug cursor logging every query, no template debugging.
        with override_settings(DEBUG=False):
            rows = measure_pages()
            rows += measure_feed()
            reminder_rows, plan = measure_reminders()
        rows += reminder_rows
        print(f"(data set up and measured in {time.perf_counter() - t0:,.0f} s)\n")
        print(table(rows))
        print("\nEXPLAIN ANALYZE of the due query (7-day reminders) after the first scan:\n")
        print(plan)
    return 0


if __name__ == "__main__":
    sys.exit(main())
