# ruff: noqa: E402 (Django is set up before the project is imported)
"""The portal at national scale (issue 19 §6): `make bench-national` (not a test; about an hour at full size).

    bench/with_postgres.sh .venv/bin/python -m bench.national_bench [--scale 1.0] [--requests 10000]
    DATABASE_URL=postgres://…/postgres .venv/bin/python -m bench.national_bench --reuse klimanetz_national

``--reuse`` measures a database on DATABASE_URL's server that ``manage.py generate_scale_data --national`` filled
before (kept; the whole size only, the cold table without a tenth beside it): before and after a fix in minutes.

On a fresh PostgreSQL database (bench.common.fresh_database; ``WITH_POSTGRES_PORT`` and ``BENCH_PORTS=8280-8299``
keep the throwaway servers on given ports), Django's cache in a throwaway Redis (bench.common.Redis):

1. ``generate_scale_data --national --scale S/10`` (a tenth of the run's size), then every page of the portal's
   shapes through the Django test client with the caches cleared before each request: p50, p95 and the queries.
   The database is emptied and filled again at ``--scale S`` (11,000 municipalities, 400 counties, 600 networks,
   200,000 measures in 5,000 roadmaps, 2,000,000 indicator values, 1,000,000 registrations, 500,000 posts,
   50,000 people at 1.0) and the same pages measured again: the two sizes side by side prove that no page's
   work grows with the portal (queries equal, time flat). Goal: p95 under 250 ms with the caches off.
2. The same page table as `make bench` (bench.common.load_pages: gunicorn, 20 connections, beside the bare
   Django view, the ceiling), without and with the caches. Goal with the caches: p95 under 100 ms.
3. The indexes each page's queries use (EXPLAIN of every SELECT; sequential scans of large tables named), the
   database size per table, the reminder scan and a digest build (time), the monitoring report of the largest
   roadmap (time and peak RSS in a fresh process; goal 500 MB), and gunicorn's worker RSS after ``--requests``
   requests across all page shapes, read at a fifth and at the end (goal under 250 MB, no growth).

Each table is printed as soon as it is measured; all of them are written to its section of docs/performance.md
at the end (BENCH_RESULTS=<file> elsewhere).
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import http.client
import itertools
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["REDIS_URL"] = ""
SECRET = os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50)  # throwaway, shared with gunicorn
os.environ["BENCH_SECRET_KEY"] = SECRET
os.environ["DJANGO_SECRET_KEY"] = SECRET  # the member's session made here is valid in gunicorn

import bench.common as common


def _ports() -> None:
    """BENCH_PORTS=8280-8299: every server this benchmark starts (Redis, gunicorn) on a port of that range."""
    spec = os.environ.get("BENCH_PORTS", "")
    if not spec:
        return
    low, high = (int(x) for x in spec.split("-"))
    pool = itertools.cycle(range(low, high + 1))
    original = common.free_port

    def free_port() -> int:
        import socket

        for _ in range(high - low + 1):
            port = next(pool)
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port
        return original()

    common.free_port = free_port


_ports()
_REDIS = common.Redis().__enter__()
atexit.register(_REDIS.__exit__)
os.environ["CACHE_URL"] = _REDIS.url
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
os.environ["KLIMANETZ_TESTING"] = "false"

import django

django.setup()

import logging

logging.disable(logging.INFO)

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from bench.common import (
    empty,
    fresh_database,
    load_average,
    load_pages,
    load_table,
    ms,
    page_subjects,
    session_header,
    time_pages,
    write_section,
)

REPEAT = 5  # uncached requests per page and size
GOAL_COLD = 0.250
GOAL_WARM = 0.100
GOAL_RSS_MB = 250
GOAL_REPORT_MB = 500


# --- The world and its pages ---------------------------------------------------------------------------------


def build(scale: float) -> dict:
    """Empty the portal's tables and fill them at ``scale`` (generate_scale_data --national)."""
    from events.models import Event
    from networks.models import Network, Organisation, Topic, User

    empty(Organisation, User, Network, Event, Topic)
    started = time.perf_counter()
    call_command("generate_scale_data", national=True, scale=scale, force=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    seconds = time.perf_counter() - started
    counts = _counts()
    print(f"  scale {scale}: {', '.join(f'{v:,} {k}' for k, v in counts.items())} in {seconds:,.0f} s", flush=True)
    return {"seconds": seconds, "counts": counts}


def _counts() -> dict[str, int]:
    from events.models import Event, Registration
    from measures.models import Measure, Roadmap
    from monitoring.models import IndicatorValue
    from networks.channel.models import Post
    from networks.models import Network, Organisation, Person

    models = {
        "organisations": Organisation,
        "networks": Network,
        "roadmaps": Roadmap,
        "measures": Measure,
        "events": Event,
        "registrations": Registration,
        "indicator values": IndicatorValue,
        "posts": Post,
        "people": Person,
    }
    return {name: model.objects.count() for name, model in models.items()}


def subjects() -> dict:
    """The pages' subjects at this size (bench.common.page_subjects), the member logged in by session."""
    roadmap, measure, network, role = page_subjects()
    member = Client()
    member.force_login(role.person.user)
    with translation.override("de"):
        public = {
            "home": reverse("networks:home"),
            "network list": reverse("networks:network-list"),
            "network list, page 5": reverse("networks:network-list") + "?page=5",
            "roadmap list": reverse("measures:roadmap-list"),
            "roadmap overview (largest)": reverse("measures:roadmap", args=[roadmap.slug]),
            "measure list ?handlungsfeld=mobility": reverse("measures:measure-list", args=[roadmap.slug])
            + "?handlungsfeld=mobility",
            "measure detail": reverse("measures:measure", args=[roadmap.slug, measure.slug]),
            "network profile": reverse("networks:network-detail", args=[network.slug]),
            "network calendar": reverse("events:network-calendar", args=[network.slug]),
            "events (all networks)": reverse("events:event-list"),
            "take part": reverse("measures:participate"),
            "sitemap index": reverse("sitemap"),
            "sitemap, measures file 1": reverse("sitemap-section", kwargs={"section": "measures"}),
        }
        personal = {
            "home (member)": reverse("networks:home"),
            "my area (member)": reverse("networks:dashboard"),
            "network space (member)": reverse("networks:network-space", args=[network.slug]),
            "personal calendar feed (.ics, token)": reverse(
                "events:personal-feed", args=[role.person.calendar_token.token]
            ),
        }
    return {"public": public, "personal": personal, "member": member, "roadmap": roadmap}


def cold_pages(world: dict) -> dict[str, dict]:
    """Each page with the cache cleared before each request, REPEAT times: p50, p95, queries."""
    anonymous = Client()
    out = {}
    for name, url in world["public"].items():
        out[name] = time_pages(anonymous, [url] * REPEAT, cached=False)
    for name, url in world["personal"].items():
        client = Client() if url.endswith(".ics") else world["member"]
        out[name] = time_pages(client, [url] * REPEAT, cached=False)
    return out


def explain(world: dict) -> dict[str, list[str]]:
    """Per page: the indexes its queries use and the sequential scans of tables over 10,000 rows."""
    sizes = _table_rows()
    out = {}
    anonymous = Client()
    for name, url in [*world["public"].items(), *world["personal"].items()]:
        client = anonymous if name in world["public"] or url.endswith(".ics") else world["member"]
        from django.core.cache import cache

        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        indexes, scans = set(), set()
        with connection.cursor() as cursor:
            for query in captured.captured_queries:
                sql = query["sql"]
                if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                    continue
                try:
                    cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
                except Exception as error:  # noqa: BLE001 (a query the log cannot replay: say so)
                    scans.add(f"(not explained: {type(error).__name__})")
                    connection.rollback() if not connection.get_autocommit() else None
                    continue
                for node in _nodes(cursor.fetchone()[0][0]["Plan"]):
                    if node.get("Index Name"):
                        indexes.add(node["Index Name"])
                    if node["Node Type"] == "Seq Scan" and sizes.get(node["Relation Name"], 0) > 10_000:
                        scans.add(f"{node['Relation Name']} ({sizes[node['Relation Name']]:,} rows)")
        out[name] = [", ".join(sorted(indexes)) or "–", ", ".join(sorted(scans)) or "none"]
    return out


def _nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def _table_rows() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reltuples::bigint FROM pg_class WHERE relkind = 'r'")
        return dict(cursor.fetchall())


def table_sizes(limit: int = 20) -> list[tuple[str, int, int]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, c.reltuples::bigint, pg_total_relation_size(c.oid) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname = 'public' "
            "ORDER BY 3 DESC LIMIT %s",
            [limit],
        )
        rows = cursor.fetchall()
        cursor.execute("SELECT pg_database_size(current_database())")
        total = cursor.fetchone()[0]
    return [*rows, ("(whole database)", 0, total)]


# --- Jobs ----------------------------------------------------------------------------------------------------


def run_job(name: str, *args: str) -> dict:
    """bench.scale_bench's jobs in a fresh process: time and peak RSS (the report, the reminder scan)."""
    media = tempfile.mkdtemp(prefix="klimanetz-bench-media-")
    try:
        env = {**os.environ, "DATABASE_URL": common.database_url(), "MEDIA_ROOT": media}
        command = [sys.executable, "-m", "bench.scale_bench", "--job", name, *args]
        out = subprocess.run(command, cwd=common.BASE_DIR, env=env, check=True, capture_output=True, text=True)  # noqa: S603
        return json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(media, ignore_errors=True)


def jobs(world: dict) -> list[str]:
    from monitoring.models import Report
    from networks.digest import build as digest
    from networks.digest.models import DigestRun

    lines = []
    report = Report.objects.create(
        scope=Report.Scope.ROADMAP,
        roadmap=world["roadmap"],
        title="Monitoringbericht national",
        period_start=timezone.localdate().replace(month=1, day=1),
        period_end=timezone.localdate().replace(month=12, day=31),
        language="de",
    )
    connection.close()
    built = run_job("report", str(report.pk))
    ok = built["maxrss_mb"] < GOAL_REPORT_MB
    lines.append(
        f"| report build, largest roadmap ({world['roadmap'].measures.count():,} measures; HTML, PDF, XLSX, CSV) | "
        f"{built['seconds']:,.1f} s | {built['maxrss_mb']:,.0f} MB | {'yes' if ok else '**no**'} (< 500 MB) |"
    )
    scan = run_job("reminders", "")
    lines.append(
        f"| reminder scan over {scan['registrations']:,} registrations ({scan['sent']:,} due) | "
        f"{scan['seconds']:,.1f} s | {scan['maxrss_mb']:,.0f} MB | "
        f"nothing due: {scan['second_seconds'] * 1000:,.0f} ms |"
    )
    now = digest.local_now().replace(hour=7, minute=30, second=0, microsecond=0) + digest.LAG
    started = time.perf_counter()
    key, due = digest.due_person_ids(DigestRun.Period.DAILY, now=now)
    who = time.perf_counter() - started
    batches = digest.chunks(due)[:4]
    started = time.perf_counter()
    people = 0
    for batch in batches:
        digest.digest_build_batch(person_ids=batch, period=DigestRun.Period.DAILY, key=key, now=now, deliver=False)
        people += len(batch)
    seconds = time.perf_counter() - started
    rate = people / seconds if seconds else 0
    lines.append(
        f"| daily digest: who is due ({len(due):,} people, one query) and the first {len(batches)} batches "
        f"({people:,} people, one process) | {ms(who)} + {seconds:,.1f} s | – | {rate:,.0f} people/s: "
        f"{len(due) / rate / 60 if rate else 0:,.1f} min for all on one core |"
    )
    return lines


def worker_rss(paths: list[tuple[str, dict]], requests: int) -> list[str]:
    """gunicorn (one worker per core, caches off: every page built) serving ``requests`` requests cycling over
    every page shape with 4 clients; each worker's RSS after a fifth of them and at the end."""
    static_root = tempfile.mkdtemp(prefix="klimanetz-bench-static-")
    workers = os.cpu_count() or 2
    server = common.Gunicorn(
        static_root, workers=workers, threads=4, secret=SECRET, CACHE_URL=_REDIS.url, BENCH_PAGE_CACHE="off"
    )
    server.collectstatic()
    readings = []
    try:
        with server:
            counter = itertools.count()
            failures = []

            def client() -> None:
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
                while (n := next(counter)) < requests:
                    path, headers = paths[n % len(paths)]
                    conn.request("GET", path, headers={"Accept-Language": "de", **headers})
                    response = conn.getresponse()
                    response.read()
                    if response.status != 200:
                        failures.append((path, response.status))
                    if n + 1 in marks:
                        readings.append((n + 1, _rss_of_children(server.process.pid)))
                conn.close()

            marks = {requests // 5, requests}
            threads = [threading.Thread(target=client) for _ in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            time.sleep(0.5)
            readings.append((requests, _rss_of_children(server.process.pid)))
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
    lines = []
    readings.sort(key=lambda reading: reading[0])  # by the requests served (two readings may share the last)
    for n, rss in readings[:1] + readings[-1:]:
        worst = max(rss.values(), default=0)
        lines.append(
            f"| after {n:,} requests | {', '.join(f'{v:,.0f} MB' for v in rss.values())} | "
            f"{'yes' if worst < GOAL_RSS_MB else '**no**'} |"
        )
    if failures:
        lines.append(f"| answers other than 200 | {len(failures)}: {failures[:3]} | **no** |")
    return lines


def _rss_of_children(pid: int) -> dict[int, float]:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    rss = {}
    for child in children:
        for line in Path(f"/proc/{child}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss[int(child)] = int(line.split()[1]) / 1024
    return rss


# --- Output --------------------------------------------------------------------------------------------------


def cold_table(small: dict, large: dict, sizes: tuple[dict, dict]) -> list[str]:
    """The cold pages: the tenth beside the whole, or (--reuse, ``small is large``) the kept database alone."""
    alone = small is large

    def size(counts: dict) -> str:
        return f"{counts['measures']:,} measures, {counts['networks']:,} networks, {counts['roadmaps']:,} roadmaps"

    def pair(little, big) -> str:
        return big if alone else f"{little} → {big}"

    measured = (
        f"the kept database ({size(sizes[1])})"
        if alone
        else f"a tenth ({size(sizes[0])}) beside the whole ({size(sizes[1])})"
    )
    both = "" if alone else " (tenth → whole)"
    lines = [
        f"Caches off (cleared before each of {REPEAT} requests per page, the Django test client in one process, "
        f"DEBUG off): {measured}. Goal: p95 under 250 ms.",
        "",
        f"| page | p50{both} | p95{both} | queries{both} | p95 < 250 ms |",
        "|---|---:|---:|---|---|",
    ]
    for name, big in large.items():
        little = small[name]
        flat = "" if alone else (" (equal)" if little["queries"] == big["queries"] else " (**grows**)")
        lines.append(
            f"| {name} | {pair(ms(little['p50']), ms(big['p50']))} | {pair(ms(little['p95']), ms(big['p95']))} | "
            f"{pair(_q(little['queries']), _q(big['queries']))}{flat} | "
            f"{'yes' if big['p95'] < GOAL_COLD else '**no**'} |"
        )
    return lines


def _q(pair: tuple[int, int]) -> str:
    return str(pair[0]) if pair[0] == pair[1] else f"{pair[0]}–{pair[1]}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="of the national size (the tenth: a tenth of it)")
    parser.add_argument("--requests", type=int, default=10_000, help="for the worker's RSS")
    parser.add_argument("--seconds", type=float, default=10.0, help="per page under load")
    parser.add_argument(
        "--reuse",
        metavar="DATABASE",
        help="measure a database generate_scale_data --national has filled (kept, not built; no tenth beside it): "
        "the figures before and after a change without an hour of building",
    )
    args = parser.parse_args()
    settings.DEBUG = False  # as production runs (the captured queries still count)
    lines: list[str] = []

    def emit(*new: str) -> None:
        """Add to the section and print at once: a step that fails later loses nothing measured before it."""
        lines.extend(new)
        print("\n".join(new), flush=True)

    with _database(args.reuse) as ready:
        if not ready:
            return 1
        if args.reuse:
            large_world = {"seconds": 0.0, "counts": _counts()}
            world = subjects()
            large = cold_pages(world)
            small, small_world, made = large, large_world, f"Database {args.reuse} as generated before (kept)."
        else:
            print("A tenth of the run's size:", flush=True)
            small_world = build(args.scale / 10)
            small = cold_pages(subjects())
            print("The run's size:", flush=True)
            large_world = build(args.scale)
            world = subjects()
            large = cold_pages(world)
            made = (
                f"Data made by `generate_scale_data --national` in {large_world['seconds']:,.0f} s "
                f"(the tenth: {small_world['seconds']:,.0f} s)."
            )
        emit(
            f"`make bench-national` (bench/national_bench.py) at --scale {args.scale} on {os.cpu_count()} cores, "
            f"PostgreSQL with Redis; {load_average()} at the start of the page table. {made}",
            "",
            *cold_table(small, large, (small_world["counts"], large_world["counts"])),
        )
        pages = {name: ([url], {}) for name, url in world["public"].items()}
        for name, url in world["personal"].items():
            pages[name] = ([url], {} if url.endswith(".ics") else session_header(world["member"]))
        results, client = load_pages(pages, cache_url=_REDIS.url, secret=SECRET, seconds=args.seconds)
        queries = {name: (small[name]["queries"], large[name]["queries"]) for name in large}
        emit(
            "",
            f"Under load ({client}, 20 connections, gunicorn one worker per core with 4 threads, DEBUG off), beside "
            "the bare Django view (the ceiling), without and with the caches. Goal with the caches: p95 under 100 ms.",
            "",
            *load_table(results, queries, goals=list(pages), goal_p95=GOAL_WARM),
        )
        indexes = explain(world)
        emit(
            "",
            "| page | indexes its queries use | sequential scans of tables over 10,000 rows |",
            "|---|---|---|",
            *(f"| {name} | {used} | {scans} |" for name, (used, scans) in indexes.items()),
        )
        emit("", "| job | time | peak RSS | goal |", "|---|---:|---:|---|", *jobs(world))
        shapes = [(paths[0], headers) for paths, headers in pages.values()]
        emit(
            "",
            f"gunicorn worker RSS, {args.requests:,} requests over the {len(shapes)} page shapes, caches off:",
            "",
            "| when | each worker | < 250 MB |",
            "|---|---|---|",
            *worker_rss(shapes, args.requests),
        )
        emit(
            "",
            "| table | rows | size |",
            "|---|---:|---:|",
            *(f"| {name} | {rows:,} | {size / 2**20:,.1f} MB |" for name, rows, size in table_sizes()),
        )
        path = write_section("National scale (issue 19 §6)", lines)
        print(f"Written to {path}", flush=True)
    return 0


@contextlib.contextmanager
def _database(reuse: str | None):
    """A fresh database (bench.common.fresh_database), or the kept one named by --reuse."""
    if not reuse:
        with fresh_database("national-scale") as ready:
            yield ready
        return
    connection.close()
    connection.settings_dict["NAME"] = reuse
    call_command("migrate", verbosity=0, interactive=False)  # migrations added since it was generated
    print(f"Klimanetz national-scale benchmark on the kept database {reuse}", flush=True)
    try:
        yield True
    finally:
        connection.close()


if __name__ == "__main__":
    sys.exit(main())
