# ruff: noqa: E402 (Django is set up before the project is imported)
"""Digests (issue 15 §3): the daily digest for 50,000 people with 5 networks each, on 2 cores. Run on PostgreSQL:

    bench/with_postgres.sh .venv/bin/python -m bench.digest_bench      (DIGEST_BENCH_PEOPLE=5000 for a short run)

On a fresh database (bench.common.fresh_database), built with bulk_create: the people (one in ten English), 5
networks each (1,250 members per network), a few choices (weekly, every post, nothing, announcements only in the
digest), and one day of news per network: discussion threads and replies, upcoming events with free places,
published minutes, open and overdue action items of a fifth of the people. Then:
1. Who is due (``build.due_person_ids``, the beat task's one query).
2. The build: the batches of ``build.BATCH_SIZE`` people that the beat task fans out, run by 2 worker processes
   (started fresh like Celery's, DEBUG off as in production) calling the function the Celery task calls
   (``build.digest_build_batch``; the outbox rows are written, their delivery is not queued). Time, people/s,
   SQL queries per batch and per person, peak RSS per worker.
3. The same batches again (a redelivered task, the next beat): nothing is sent twice.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import time
from datetime import timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["REDIS_URL"] = ""
os.environ["CACHE_URL"] = ""
os.environ["KLIMANETZ_TESTING"] = "false"

import django

django.setup()

from django.conf import settings
from django.db import connection

from bench.common import fresh_database, ms
from events.models import Event, Outcome
from networks.channel.models import Post, Thread
from networks.digest import build
from networks.digest.models import DeliveryPreference, DigestRun, PostsMode
from networks.models import Network, NetworkRole, Organisation, OutboxMessage, Person, User

PEOPLE = int(os.environ.get("DIGEST_BENCH_PEOPLE", "50000"))
PER_PERSON = 5  # networks
PER_NETWORK = 1_250  # members
WORKERS = 2
CHUNK = 5_000  # rows per INSERT while building the data


def _data(now) -> int:
    networks_count = max(PER_PERSON, PEOPLE * PER_PERSON // PER_NETWORK)
    host = Organisation.objects.create(name="Bench-Energieagentur", slug="bench-host", kind="agency")
    networks = Network.objects.bulk_create(
        Network(name=f"Netzwerk {n}", short_name=f"N{n}", slug=f"n{n}", kind="regional_team", host=host)
        for n in range(networks_count)
    )
    users = User.objects.bulk_create(
        (User(email=f"p{n}@bench.example.org", password="!") for n in range(PEOPLE)),  # noqa: S106 (unusable)
        batch_size=CHUNK,
    )
    people = Person.objects.bulk_create(
        (Person(user=u, name=f"Person {n}", language="en" if n % 10 == 0 else "de") for n, u in enumerate(users)),
        batch_size=CHUNK,
    )
    step = networks_count // PER_PERSON
    mine = {p.pk: [networks[(n + k * step) % networks_count] for k in range(PER_PERSON)] for n, p in enumerate(people)}
    NetworkRole.objects.bulk_create(
        (NetworkRole(network=net, person_id=pk) for pk, nets in mine.items() for net in nets), batch_size=CHUNK
    )
    choices = {0: PostsMode.WEEKLY, 1: PostsMode.EACH, 2: PostsMode.OFF}
    DeliveryPreference.objects.bulk_create(
        (
            DeliveryPreference(
                person=p,
                network=mine[p.pk][0],
                posts=choices.get(n % 20, PostsMode.DAILY),
                announcements_by_email=n % 7 != 0,
            )
            for n, p in enumerate(people)
            if n % 20 < 3 or n % 7 == 0
        ),
        batch_size=CHUNK,
    )
    members = {net.pk: [] for net in networks}
    for pk, nets in mine.items():
        for net in nets:
            members[net.pk].append(pk)
    events = []
    for net in networks:
        for k in range(3):
            start = now + timedelta(days=3 + k)
            events.append(
                Event(
                    network=net,
                    title=f"Treffen {k}",
                    kind="network_meeting",
                    format="online",
                    starts_at=start,
                    ends_at=start + timedelta(hours=2),
                    capacity=100,
                )
            )
        past = now - timedelta(days=2)
        events.append(
            Event(
                network=net,
                title="Protokolliertes Treffen",
                kind="network_meeting",
                format="online",
                starts_at=past,
                ends_at=past + timedelta(hours=2),
                minutes="Beschlüsse",
                minutes_published_at=now - timedelta(hours=3),
            )
        )
    Event.objects.bulk_create(events, batch_size=CHUNK)
    Event.objects.update(created_at=now - timedelta(hours=5))
    Outcome.objects.bulk_create(
        (
            Outcome(
                network=mine[p.pk][0],
                kind="action",
                text=f"Aufgabe {n}",
                owner_person=p,
                due_date=(now - timedelta(days=1)).date() if n % 25 == 0 else (now + timedelta(days=9)).date(),
            )
            for n, p in enumerate(people)
            if n % 5 == 0
        ),
        batch_size=CHUNK,
    )
    Outcome.objects.update(created_at=now - timedelta(hours=4))
    threads = Thread.objects.bulk_create(
        Thread(
            network=net,
            title=f"Frage {k} zur Wärmeplanung",
            author_id=members[net.pk][k],
            created_at=now - timedelta(hours=10 + k),
            last_post_at=now - timedelta(hours=1),
        )
        for net in networks
        for k in range(2)
    )
    Post.objects.bulk_create(
        (
            Post(
                thread=t,
                number=i + 1,
                author_id=members[t.network_id][i + 3],
                body=f"Beitrag {i}",
                body_html=f"<p>Beitrag {i} mit Erfahrungen aus der Kommune.</p>",
                created_at=now - timedelta(hours=9 - i),
            )
            for t in threads
            for i in range(4)
        ),
        batch_size=CHUNK,
    )
    return networks_count


_queries = 0


def _count(execute, sql, params, many, context):
    global _queries
    _queries += 1
    return execute(sql, params, many, context)


def _worker_start(database: str) -> None:
    settings.DEBUG = False  # as in production: no query log in memory
    connection.settings_dict["NAME"] = database  # the bench's fresh database
    connection.execute_wrappers.append(_count)


def _peak_rss_mb() -> float:
    """The worker's own peak RSS (VmHWM). Not getrusage's ru_maxrss: Linux keeps that across execve, so a worker
    started from the bench (which built 50,000 people in memory) would report the bench's peak, not its own."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run(job: tuple) -> tuple:
    batch, period, key, now = job
    before = _queries
    result = build.digest_build_batch(person_ids=batch, period=period, key=key, now=now, deliver=False)
    rss_mb = _peak_rss_mb()
    return os.getpid(), result.sent, result.empty, result.skipped, _queries - before, rss_mb


def _pass(batches, key, now) -> dict:
    started = time.perf_counter()
    totals = {"sent": 0, "empty": 0, "skipped": 0, "queries": 0, "rss": {}, "batch_queries": []}
    spawn = multiprocessing.get_context("spawn")
    with spawn.Pool(WORKERS, initializer=_worker_start, initargs=(connection.settings_dict["NAME"],)) as pool:
        for pid, sent, empty, skipped, queries, rss in pool.imap_unordered(
            _run, [(b, DigestRun.Period.DAILY, key, now) for b in batches]
        ):
            totals["sent"] += sent
            totals["empty"] += empty
            totals["skipped"] += skipped
            totals["queries"] += queries
            totals["batch_queries"].append(queries)
            totals["rss"][pid] = max(totals["rss"].get(pid, 0), rss)
    totals["seconds"] = time.perf_counter() - started
    return totals


def main() -> None:
    settings.DEBUG = False  # as in production: no query log in memory
    with fresh_database("digest") as ready:
        if not ready:
            return
        now = build.local_now().replace(hour=7, minute=30, second=0, microsecond=0)  # everyone's default hour
        started = time.perf_counter()
        networks_count = _data(now - build.LAG)
        print(
            f"Data: {PEOPLE:,} people, {networks_count:,} networks, {NetworkRole.objects.count():,} memberships, "
            f"{Post.objects.count():,} posts, {Event.objects.count():,} events, {Outcome.objects.count():,} "
            f"action items (bulk_create: {time.perf_counter() - started:,.1f} s)",
            flush=True,
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        started = time.perf_counter()
        key, due = build.due_person_ids(DigestRun.Period.DAILY, now=now + build.LAG)
        print(f"Who is due (one query): {len(due):,} people in {ms(time.perf_counter() - started)}")
        batches = build.chunks(due)
        first = _pass(batches, key, now + build.LAG)
        per_batch = first["batch_queries"]
        print(f"Build with {WORKERS} worker processes, {len(batches)} batches of {build.BATCH_SIZE}:")
        print(f"  time                {first['seconds']:,.1f} s (budget 600 s)")
        print(f"  people/s            {len(due) / first['seconds']:,.0f}")
        print(f"  digests queued      {first['sent']:,} (empty, no mail: {first['empty']:,})")
        print(f"  queries per batch   {min(per_batch)}–{max(per_batch)} (constant: not per person)")
        print(f"  queries per person  {first['queries'] / len(due):.3f}")
        for n, (pid, rss) in enumerate(sorted(first["rss"].items()), 1):
            print(f"  peak RSS worker {n}   {rss:,.0f} MB (pid {pid}; budget 300 MB)")
        rows = OutboxMessage.objects.filter(reason="digest_daily", occasion=key).count()
        print(f"  outbox rows         {rows:,}")
        again = _pass(batches, key, now + build.LAG + timedelta(minutes=15))
        print(
            f"Again (a redelivered task, the next beat): {again['sent']} sent, {again['skipped']:,} skipped, "
            f"{again['seconds']:,.1f} s; outbox rows {OutboxMessage.objects.filter(reason='digest_daily').count():,}"
        )


if __name__ == "__main__":
    main()
