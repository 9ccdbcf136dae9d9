# ruff: noqa: E402 (Django is set up before the project is imported)
"""Measures performance (issue 4 "Performance"): figures and ratios in one table. Run with ``make bench``.

    bench/with_postgres.sh .venv/bin/python -m bench.measures_bench

Needs PostgreSQL (DATABASE_URL). Like bench/events_bench.py it creates a fresh database of its own
next to the one DATABASE_URL names, migrates it, measures, and drops it again.

What it measures:
1. under gunicorn (``-w 2 --threads 4``, DEBUG off, started here on a free port against the bench
   database; bench/bare_urls.py adds the baseline view), with 20 concurrent clients that each keep a
   connection open and send the next request when the last answer is read (a thread pool with
   http.client; latency per request): requests per second, p50 and p95 latency of
   - a bare Django template view (the same middleware, no database): the baseline,
   - the public roadmap overview of a roadmap with 1,000 measures,
   - its public measure list filtered by sector;
   the ratio to the baseline is the figure (the machine's speed cancels out). The URLs take turns
   (4 rounds of 3 s each, after 1 s of warm-up per turn), so background load hits them alike;
2. the CSV import of 5,000 measures (measures.importing): the dry run (read and check every row) and
   the write (one transaction, bulk statements, history included: importing.write): time, and peak
   Python memory by tracemalloc in a second run of each (tracemalloc slows what it watches).
"""

from __future__ import annotations

import csv
import http.client
import io
import logging
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
import tracemalloc
import warnings
from datetime import timedelta
from pathlib import Path

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
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify

from bench.common import Gunicorn, fetch, fresh_database, ms, ratio
from measures import importing
from measures.models import Measure, MeasureUpdate, Milestone, Roadmap, Sector
from networks.models import Organisation, OrganisationRole, Person, User

BASE_DIR = Path(__file__).resolve().parent.parent
MEASURES = 1_000
IMPORT_ROWS = 5_000
CLIENTS = 20
WORKERS, THREADS = 2, 4
SECONDS = float(os.environ.get("BENCH_SECONDS", "12"))  # measured per URL, in ROUNDS turns
ROUNDS = 4
WARMUP = 1.0  # seconds of each turn that are not measured
FILTER_SECTOR = Sector.MOBILITY

Row = tuple[str, ...]


# --- Data ----------------------------------------------------------------------------------------------

DESCRIPTION = (
    "Die Maßnahme setzt das Klimaschutzkonzept des Kreises um: Bestandsaufnahme, Beteiligung der Kommunen und "
    "Bürger*innen, Ausschreibung und Umsetzung in Abschnitten. Der Sachstand wird jährlich im Kreistag berichtet. "
) * 3


def organisations(prefix: str, n: int) -> list[Organisation]:
    return Organisation.objects.bulk_create(
        Organisation(name=f"{prefix} {i}", slug=f"{slugify(prefix)}-{i}", kind=Organisation.Kind.MUNICIPALITY)
        for i in range(n)
    )


def make_roadmap(slug: str, organisation: Organisation) -> Roadmap:
    return Roadmap.objects.create(
        organisation=organisation,
        slug=slug,
        title=f"Klima-Roadmap {slug}",
        target_year=2035,
        baseline_year=2019,
        baseline_emissions=1_200_000,
        description="Der Kreis will bis 2035 klimaneutral werden.",
        published=True,
    )


def roadmap_setup(n: int) -> Roadmap:
    """A published roadmap of ``n`` measures in every sector and status, with milestones and updates."""
    leads = organisations("Gemeinde", 20)
    roadmap = make_roadmap("bench-roadmap", leads[0])
    today = timezone.localdate()
    sectors, statuses = list(Sector.values), list(Measure.Status.values)
    measures = Measure.objects.bulk_create(
        [
            Measure(
                roadmap=roadmap,
                code=f"M-{i:04d}",
                slug=f"m-{i:04d}-massnahme",
                title=f"Maßnahme {i}: Photovoltaik auf kommunalen Dächern",
                summary="PV auf alle geeigneten Dächer der Kreisverwaltung und der Schulen.",
                description=DESCRIPTION,
                sector=sectors[i % len(sectors)],
                status=statuses[(i // len(sectors)) % len(statuses)],
                lead_organisation=leads[i % len(leads)],
                start=today - timedelta(days=400 - i % 300),
                end=today + timedelta(days=30 + i % 2000),
                effect_expected=100 + i,
                effect_low=50 + i,
                effect_high=200 + i,
                internal_fields=["cost_estimate"] if i % 5 == 0 else [],
                published=i % 20 != 0,
            )
            for i in range(n)
        ],
        batch_size=1_000,
    )
    Milestone.objects.bulk_create(
        Milestone(measure=m, title="Ausschreibung", due_date=today + timedelta(days=i % 700 - 100))
        for i, m in enumerate(measures)
        if i % 3 == 0
    )
    MeasureUpdate.objects.bulk_create(
        MeasureUpdate(measure=m, text="Die ersten Dächer sind belegt.", percent=i * 7 % 100, date=today, public=not k)
        for i, m in enumerate(measures)
        if i % 2 == 0
        for k in range(2)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return roadmap


def import_csv(n: int, lead: Organisation) -> bytes:
    """An import file of ``n`` new measures with the usual columns filled, German headers, as Excel writes it."""
    columns = [c for c in importing.COLUMNS if c.importable and c.key not in ("partners", "internal_fields")]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([c.header("de") for c in columns])
    sectors = list(Sector.values)
    for i in range(n):
        values = {
            "code": f"I-{i:05d}",
            "title": f"Importierte Maßnahme {i}",
            "sector": sectors[i % len(sectors)],
            "status": "in progress" if i % 2 else "planned",
            "start": "01.03.2025",
            "end": "2029-12-31",
            "continuous": "nein",
            "priority": "high",
            "summary": "Kurzbeschreibung der Maßnahme für die Übersicht.",
            "description": DESCRIPTION,
            "lead_organisation": lead.name,
            "cost_estimate": "125.000,50",
            "funding_status": "applied",
            "effect_expected": "120,5",
            "effect_low": "80",
            "effect_high": "150",
            "published": "ja",
        }
        writer.writerow([values.get(c.key, "") for c in columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# --- HTTP under gunicorn ---------------------------------------------------------------------------------


def load_round(port: int, path: str, *, seconds: float, clients: int = CLIENTS) -> list[float]:
    """``clients`` threads, each with its own keep-alive connection, sending requests for ``seconds`` after
    a warm-up; the latencies of the requests started in the measured window."""
    start = threading.Barrier(clients + 1)
    results: list[list[float]] = []
    failures = []
    window = {"from": 0.0, "until": 0.0}

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        latencies = []
        start.wait()
        while (t0 := time.perf_counter()) < window["until"]:
            conn.request("GET", path, headers={"Accept-Language": "de"})
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                failures.append(response.status)
            if t0 >= window["from"]:
                latencies.append(time.perf_counter() - t0)
        conn.close()
        results.append(latencies)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    now = time.perf_counter()
    window["from"], window["until"] = now + WARMUP, now + WARMUP + seconds
    start.wait()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"{path}: {len(failures)} answers were not 200 (first: {failures[0]})")
    return [t for per_client in results for t in per_client]


def summary(latencies: list[float], seconds: float) -> dict:
    latencies = sorted(latencies)
    return {
        "requests": len(latencies),
        "rps": len(latencies) / seconds,
        "p50": statistics.median(latencies),
        "p95": latencies[max(int(len(latencies) * 0.95) - 1, 0)],
    }


def measure_http(roadmap: Roadmap) -> list[Row]:
    with translation.override("de"):
        urls = {
            "bare Django template view (baseline)": "/bench/bare/",
            f"roadmap overview, {MEASURES:,} measures": reverse("measures:roadmap", args=[roadmap.slug]),
            f"measure list ?handlungsfeld={FILTER_SECTOR}": reverse("measures:measure-list", args=[roadmap.slug])
            + f"?handlungsfeld={FILTER_SECTOR}",
        }
    static_root = tempfile.mkdtemp(prefix="klimanetz-bench-static-")
    try:
        server = Gunicorn(static_root, workers=WORKERS, threads=THREADS)
        server.collectstatic()
        with server:
            for path in urls.values():
                status, body = fetch(server.port, path)
                assert status == 200, (path, status, body[:500])
            # Round-robin: whatever else the machine does falls on every URL alike, so the ratios hold.
            latencies = {name: [] for name in urls}
            for _round in range(ROUNDS):
                for name, path in urls.items():
                    latencies[name] += load_round(server.port, path, seconds=SECONDS / ROUNDS)
            results = {name: summary(values, SECONDS) for name, values in latencies.items()}
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
    base = results["bare Django template view (baseline)"]
    rows: list[Row] = [
        (
            f"HTTP, {CLIENTS} clients, gunicorn -w {WORKERS} --threads {THREADS}",
            "req/s",
            "p50",
            "p95",
            "requests",
            "bare/page (req/s)",
            "page/bare (p95)",
        )
    ]
    for name, r in results.items():
        rows.append(
            (
                f"  {name}",
                f"{r['rps']:,.0f}",
                ms(r["p50"]),
                ms(r["p95"]),
                f"{r['requests']:,}",
                ratio(r["rps"], base["rps"]),
                ratio(base["p95"], r["p95"]),
            )
        )
    return rows


# --- Import --------------------------------------------------------------------------------------------


def peak_memory(fn) -> tuple[float, object]:
    tracemalloc.start()
    try:
        result = fn()
        return tracemalloc.get_traced_memory()[1], result
    finally:
        tracemalloc.stop()


def timed_once(fn) -> tuple[float, object]:
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def measure_import() -> list[Row]:
    organisation = organisations("Kreis", 1)[0]
    user = User.objects.create(email="redaktion@bench.example")
    editor = Person.objects.create(user=user, name="Redaktion", organisation=organisation)
    OrganisationRole.objects.create(organisation=organisation, person=editor)
    content = import_csv(IMPORT_ROWS, organisation)
    roadmaps = [make_roadmap(f"bench-import-{i}", organisation) for i in range(3)]

    def dry_run(roadmap):
        def run():
            table = importing.read_table("massnahmen.csv", content)
            preview = importing.check(roadmap=roadmap, table=table)
            assert preview.ok and preview.count(importing.CREATE) == IMPORT_ROWS, preview.bad_rows[:3]
            return preview

        return run

    def write(roadmap):
        def run():
            table = importing.read_table("massnahmen.csv", content)
            preview = importing.run(roadmap=roadmap, table=table, by=editor)
            assert preview.ok and roadmap.measures.count() == IMPORT_ROWS
            return preview

        return run

    with translation.override("de"):
        dry_run(roadmaps[0])()  # warm-up: imports, translation catalogues
        dry_times = [timed_once(dry_run(roadmaps[0]))[0] for _ in range(3)]
        dry_memory, _ = peak_memory(dry_run(roadmaps[0]))
        with CaptureQueriesContext(connection) as queries:
            dry_run(roadmaps[0])()
        dry_queries = len(queries)
        write_time, _ = timed_once(write(roadmaps[1]))
        write_memory, _ = peak_memory(write(roadmaps[2]))
        sample = make_roadmap("bench-import-sample", organisation)
        small = importing.read_table("klein.csv", import_csv(50, organisation))
        with CaptureQueriesContext(connection) as queries:
            importing.run(roadmap=sample, table=small, by=editor)
        small_queries = len(queries)
    dry = statistics.median(dry_times)
    return [
        (
            f"CSV import of {IMPORT_ROWS:,} new measures ({len(content) / 1024 / 1024:.1f} MB)",
            "time",
            "peak memory",
            "per measure",
            "queries",
            "",
        ),
        ("  dry run: read and check every row (median of 3)", sec(dry), mib(dry_memory), ms(dry / IMPORT_ROWS))
        + (f"{dry_queries}", ""),
        ("  write: one transaction, bulk statements", sec(write_time), mib(write_memory))
        + (ms(write_time / IMPORT_ROWS), f"{small_queries} for 50 measures", ""),
        ("  write/dry run", ratio(dry, write_time), ratio(dry_memory, write_memory), "", "", ""),
    ]


# --- Output --------------------------------------------------------------------------------------------


def sec(seconds: float) -> str:
    return f"{seconds:,.2f} s"


def mib(size: float) -> str:
    return f"{size / 1024 / 1024:,.2f} MiB"


def table(rows: list[Row]) -> str:
    width = max(len(r) for r in rows)
    rows = [tuple(r) + ("",) * (width - len(r)) for r in rows]
    widths = [max(len(r[i]) for r in rows) for i in range(width)]
    out = []
    for row in rows:
        if not row[0].startswith(" "):
            out.append("  ".join("-" * w for w in widths))
        first = row[0].ljust(widths[0])
        out.append("  ".join([first, *(cell.rjust(w) for cell, w in zip(row[1:], widths[1:], strict=True))]).rstrip())
    return "\n".join(out)


def main() -> int:
    with fresh_database("measures") as ready:
        if not ready:
            return 2
        t0 = time.perf_counter()
        with override_settings(DEBUG=False):
            roadmap = roadmap_setup(MEASURES)
            connection.close()  # gunicorn's workers open their own connections
            rows = measure_http(roadmap)
            rows += measure_import()
        print(f"(data set up and measured in {time.perf_counter() - t0:,.0f} s; {os.cpu_count()} CPUs shared by")
        print(f" gunicorn, PostgreSQL and the {CLIENTS} client threads: compare the ratios, not the absolute rates)\n")
        print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
