# ruff: noqa: E402 (Django is set up before the project is imported)
"""The portal at scale (issue 6 §1): `make bench` runs this and writes docs/performance.md.

    bench/with_postgres.sh .venv/bin/python -m bench.scale_bench

1. A fresh PostgreSQL database (bench/common.py) filled by ``manage.py generate_scale_data`` (400
   organisations, 30 networks, 5,000 measures in 20 roadmaps, 5,000 events, 100,000 registrations,
   50,000 indicator values).
2. gunicorn on loopback, one worker per core (``-w 2`` on two cores) with 4 threads, DEBUG off, a
   throwaway secret key, Django's cache in a throwaway Redis (as in production; redis-server installed with
   apt-get when missing and run as root, else Django's local-memory cache). wrk (installed the same way;
   otherwise a Python keep-alive client) keeps 20 connections busy on each URL in turn, in the same run:
   the bare Django template view of bench/bare_urls.py (the ceiling: the same middleware, no database)
   and the portal's key pages. For each: requests per second, p50, p95 and the ratio to the ceiling.
   The personal pages: a member's network space with the member's session cookie, and the member's calendar
   feed as calendar apps fetch it, by the secret token in its address and without a cookie (a personal page
   without login; it counts towards the logged-in goal).
   The pages are measured twice: with the caches of networks/cache.py switched off (a gunicorn started
   with BENCH_PAGE_CACHE=off), then on (the second gunicorn), each beside its own ceiling.
3. Timed in fresh processes (time and peak resident memory, getrusage): the monitoring report of the
   roadmap with 1,000 measures (monitoring.services.reports.report_build: HTML, PDF, XLSX, CSV), the
   reminder scan over the 100,000 registrations (events.services.reminders_send, then once more when
   nothing is due), and a CSV import of 5,000 new measures (measures.importing.run).

Goals (issue 6): public pages ≥ 0.5 of the ceiling, logged-in pages ≥ 0.25, p95 under 100 ms.

BENCH_ONLY=pages measures the pages only (no jobs) and prints the table without touching docs/performance.md
(BENCH_RESULTS=<file> writes it there); BENCH_SECONDS sets the seconds per URL (10).
"""

from __future__ import annotations

import functools
import http.client
import json
import os
import platform
import resource
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

SECRET = os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50)  # throwaway, shared with gunicorn
os.environ["BENCH_SECRET_KEY"] = SECRET
os.environ["DJANGO_SECRET_KEY"] = SECRET  # the session made here must be valid in gunicorn
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["REDIS_URL"] = ""
os.environ["CACHE_URL"] = ""
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
os.environ["KLIMANETZ_TESTING"] = "false"

import django

django.setup()

import logging
import warnings

warnings.filterwarnings("ignore", "No directory at", UserWarning)
logging.getLogger("kombu.connection").setLevel(logging.ERROR)
logging.getLogger("weasyprint").setLevel(logging.WARNING)

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from bench.common import Gunicorn, Redis, database_url, find_or_install, fresh_database, page_subjects
from bench.pgbouncer import PgBouncer

BASE_DIR = Path(__file__).resolve().parent.parent
ONLY_PAGES = os.environ.get("BENCH_ONLY", "") == "pages"
RESULTS = Path(os.environ.get("BENCH_RESULTS") or BASE_DIR / "docs" / "performance.md")
CLIENTS = 20
WORKERS = os.cpu_count() or 2
THREADS = 4
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))  # measured per URL, in ROUNDS turns
ROUNDS = 2
WARMUP = 1
GOAL_PUBLIC, GOAL_LOGGED_IN, GOAL_P95 = 0.5, 0.25, 0.100
IMPORT_ROWS = 5_000


# --- Machine ---------------------------------------------------------------------------------------


def machine() -> dict:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        kib = next(
            int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if "MemTotal" in line
        )
        ram = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        ram = "?"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram": ram,
        "postgresql": pg,
        "python": platform.python_version(),
        "django": django.get_version(),
        "date": timezone.localtime().strftime("%Y-%m-%d %H:%M %Z"),
    }


# --- Services: Redis, gunicorn, wrk --------------------------------------------------------------


def run_wrk(wrk: str, port: int, path: str, headers: dict, seconds: float) -> dict:
    command = [wrk, "-t", str(min(WORKERS, CLIENTS)), "-c", str(CLIENTS), "-d", f"{seconds:g}s", "--timeout", "10s"]
    command += ["-s", str(BASE_DIR / "bench" / "wrk_report.lua")]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run([*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True)  # noqa: S603
    line = next(line for line in out.stdout.splitlines() if line.startswith("WRK_JSON "))
    data = json.loads(line.removeprefix("WRK_JSON "))
    if data["status_errors"] or data["socket_errors"]:
        raise RuntimeError(
            f"{path}: {data['status_errors']} non-2xx/3xx answers, {data['socket_errors']} socket errors"
        )
    seconds = data["duration_us"] / 1e6
    if not data["requests"]:  # slower than the window: its length is a lower bound of the latency
        return {"requests": 0, "seconds": seconds, "p50": seconds, "p95": seconds}
    return {"requests": data["requests"], "seconds": seconds, "p50": data["p50_us"] / 1e6, "p95": data["p95_us"] / 1e6}


def run_python(port: int, path: str, headers: dict, seconds: float) -> dict:
    """The fallback without wrk: CLIENTS threads with keep-alive connections (they share the GIL and the CPUs)."""
    latencies: list[float] = []
    lock = threading.Lock()
    until = time.perf_counter() + seconds
    failures = []

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        while (t0 := time.perf_counter()) < until:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                failures.append(response.status)
            mine.append(time.perf_counter() - t0)
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"{path}: {len(failures)} answers were not 200")
    latencies.sort()
    return {
        "requests": len(latencies),
        "seconds": seconds,
        "p50": statistics.median(latencies),
        "p95": latencies[max(int(len(latencies) * 0.95) - 1, 0)],
    }


# --- Pages --------------------------------------------------------------------------------------------


def pick_subjects() -> dict:
    """The pages' subjects (bench.common.page_subjects) and what the pages need of them."""
    from events.models import Event

    roadmap, measure, network, role = page_subjects()
    client = Client()
    client.force_login(role.person.user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    upcoming = Event.objects.filter(network=network, starts_at__gte=timezone.now()).count()
    with translation.override("de"):
        public = {
            "home": reverse("networks:home"),
            "roadmap overview (1,000 measures)": reverse("measures:roadmap", args=[roadmap.slug]),
            "measure list ?handlungsfeld=mobility": reverse("measures:measure-list", args=[roadmap.slug])
            + "?handlungsfeld=mobility",
            "measure detail": reverse("measures:measure", args=[roadmap.slug, measure.slug]),
            f"network calendar ({upcoming} upcoming)": reverse("events:network-calendar", args=[network.slug]),
        }
        personal = {
            "member's network space (logged in)": reverse("networks:network-space", args=[network.slug]),
            "personal calendar feed (.ics, by its token)": reverse(
                "events:personal-feed", args=[role.person.calendar_token.token]
            ),
        }
    return {
        "roadmap": roadmap,
        "public": public,
        "personal": personal,
        "session": session,
        "measures": roadmap.measures.count(),
    }


def wait_idle(port: int, limit: float = 180.0) -> None:
    """Wait until gunicorn has worked off what the load left queued: a load run ends on the client's side
    while the server still answers requests of that URL, which would slow the next URL's run. Idle means
    two bare requests in a row answered within 50 ms."""
    deadline = time.monotonic() + limit
    fast = 0
    while fast < 2 and time.monotonic() < deadline:
        start = time.monotonic()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=limit)
        conn.request("GET", "/bench/bare/")
        conn.getresponse().read()
        conn.close()
        fast = fast + 1 if time.monotonic() - start < 0.05 else 0


def measure_http(wrk: str, subjects: dict, redis: Redis, pooled: PgBouncer) -> dict:
    """{"off": {name: figures}, "on": {...}, "pgbouncer": {...}}: the pages without and with the caches of
    networks.cache, each run beside the ceiling: the public-page cache for the public pages, the per-person feed and
    the per-network body of the members' space for the personal pages (never the public-page cache). Then once more
    without the caches, every query through PgBouncer in transaction mode (``pooled``; left out when PgBouncer is
    not installed): production's pooling beside the direct connections of "off"."""
    base = {"Accept-Language": "de"}
    logged_in = {**base, "Cookie": f"__Host-sessionid={subjects['session']}"}
    static_root = tempfile.mkdtemp(prefix="klimanetz-bench-static-")
    results = {}
    try:
        env = {**os.environ, "DEBUG": "false", "DJANGO_SECRET_KEY": SECRET, "ALLOWED_HOSTS": "127.0.0.1"}
        env["STATIC_ROOT"] = static_root
        command = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"]
        subprocess.run(command, cwd=BASE_DIR, env=env, check=True)  # noqa: S603 (our own command line)
        for mode in ("off", "on", "pgbouncer") if pooled.url() else ("off", "on"):
            urls = {"bare Django template view (ceiling)": ("/bench/bare/", base)}
            urls.update({name: (path, base) for name, path in subjects["public"].items()})
            # the space with the member's session cookie; the feed as calendar apps fetch it: the token in its
            # address is the only credential, no cookie
            urls.update(
                {
                    name: (path, logged_in if "logged in" in name else base)
                    for name, path in subjects["personal"].items()
                }
            )
            with Gunicorn(
                static_root,
                workers=WORKERS,
                threads=THREADS,
                connections=-(-CLIENTS // WORKERS),
                secret=SECRET,
                CACHE_URL=redis.url,
                BENCH_PAGE_CACHE="on" if mode == "on" else "off",
                **(pooled.env() if mode == "pgbouncer" else {}),
            ) as server:
                for name, (path, headers) in urls.items():
                    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
                    conn.request("GET", path, headers=headers)
                    response = conn.getresponse()
                    body = response.read()
                    assert response.status == 200, (name, path, response.status, body[:300])
                    if "logged in" in name:
                        assert b"Log out" in body or b"Abmelden" in body, "the session did not log in"
                runs: dict[str, list[dict]] = {name: [] for name in urls}
                for _round in range(ROUNDS):
                    for name, (path, headers) in urls.items():
                        run = functools.partial(run_wrk, wrk) if wrk else run_python
                        run(server.port, path, headers, WARMUP)
                        wait_idle(server.port)
                        runs[name].append(run(server.port, path, headers, SECONDS / ROUNDS))
                        wait_idle(server.port)
                what = "without the caches, through PgBouncer" if mode == "pgbouncer" else f"with the page cache {mode}"
                print(f"  measured {len(urls)} URLs {what}", flush=True)
            results[mode] = {
                name: {
                    "requests": sum(r["requests"] for r in rs),
                    "rps": sum(r["requests"] for r in rs) / sum(r["seconds"] for r in rs),
                    "p50": statistics.mean(r["p50"] for r in rs),
                    "p95": max(r["p95"] for r in rs),
                }
                for name, rs in runs.items()
            }
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
    return results


# --- Jobs in fresh processes -----------------------------------------------------------------------


def maxrss_mb() -> float:
    """This process's peak resident memory: VmHWM (getrusage's ru_maxrss keeps the parent's peak across exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run_job(name: str, *args: str) -> dict:
    media = tempfile.mkdtemp(prefix="klimanetz-bench-media-")
    try:
        env = {**os.environ, "DATABASE_URL": database_url(), "MEDIA_ROOT": media}
        command = [sys.executable, "-m", "bench.scale_bench", "--job", name, *args]
        out = subprocess.run(command, cwd=BASE_DIR, env=env, check=True, capture_output=True, text=True)  # noqa: S603
        return json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(media, ignore_errors=True)


def job(name: str, arg: str) -> int:
    """In the fresh process: run one job, print its time and memory as the last line (JSON)."""
    settings.DEBUG = False  # as production runs: no query log
    start = maxrss_mb()
    extra = {}
    if name == "report":
        from monitoring.services.reports import report_build

        t0 = time.perf_counter()
        extra["result"] = report_build(int(arg))
        seconds = time.perf_counter() - t0
    elif name == "reminders":
        from events.models import Registration
        from events.services import reminders_send

        now = timezone.now()
        t0 = time.perf_counter()
        extra["sent"] = reminders_send(now=now)
        seconds = time.perf_counter() - t0
        t1 = time.perf_counter()
        extra["again"] = reminders_send(now=now)
        extra["second_seconds"] = time.perf_counter() - t1
        extra["registrations"] = Registration.objects.count()
    elif name == "import":
        from bench.measures_bench import import_csv, make_roadmap
        from measures import importing
        from networks.models import Organisation, OrganisationRole

        role = OrganisationRole.objects.select_related("organisation", "person").order_by("pk").first()
        organisation = role.organisation
        roadmap = make_roadmap("scale-import", organisation)
        content = import_csv(int(arg), Organisation.objects.get(pk=organisation.pk))
        with translation.override("de"):
            t0 = time.perf_counter()
            preview = importing.run(
                roadmap=roadmap, table=importing.read_table("massnahmen.csv", content), by=role.person
            )
            seconds = time.perf_counter() - t0
        assert preview.ok and roadmap.measures.count() == int(arg), preview.bad_rows[:3]
        extra["megabytes"] = len(content) / 2**20
    else:
        raise SystemExit(f"unknown job {name}")
    print(json.dumps({"seconds": seconds, "maxrss_mb": maxrss_mb(), "start_mb": start, **extra}))
    return 0


def measure_jobs(subjects: dict) -> list[tuple]:
    from monitoring.models import Report

    report = Report.objects.create(
        scope=Report.Scope.ROADMAP,
        roadmap=subjects["roadmap"],
        title="Monitoringbericht Skalierung",
        period_start=timezone.localdate().replace(month=1, day=1),
        period_end=timezone.localdate().replace(month=12, day=31),
        language="de",
    )
    connection.close()
    rows = []
    built = run_job("report", str(report.pk))
    assert built["result"] == "done", built
    rows.append((f"report build, {subjects['measures']:,} measures (HTML, PDF, XLSX, CSV)", built, ""))
    scan = run_job("reminders", "")
    note = (
        f"{scan['sent']:,} reminders enqueued; the scan after it (nothing due): {scan['second_seconds'] * 1000:,.0f} ms"
    )
    rows.append((f"reminder scan over {scan['registrations']:,} registrations", scan, note))
    imported = run_job("import", str(IMPORT_ROWS))
    rows.append(
        (f"CSV import of {IMPORT_ROWS:,} measures ({imported['megabytes']:.1f} MB, one transaction)", imported, "")
    )
    return rows


# --- Output -----------------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "yes" if ok else "**no**"


def http_table(results: dict, subjects: dict) -> list[str]:
    lines = [
        "| page | cache | req/s | p50 | p95 | ratio to ceiling | goal | met |",
        "|---|---|---:|---:|---:|---:|---|---|",
    ]
    ceiling = "bare Django template view (ceiling)"
    for mode in ("off", "on"):  # the PgBouncer run: pgbouncer_table
        base = results[mode][ceiling]["rps"]
        for name, r in results[mode].items():
            if name == ceiling:
                goal, met = "", ""
            else:
                share = GOAL_LOGGED_IN if name in subjects["personal"] else GOAL_PUBLIC
                goal = f"≥ {share} and p95 < {GOAL_P95 * 1000:.0f} ms"
                met = verdict(r["rps"] / base >= share and r["p95"] < GOAL_P95)
            cache = "–" if name == ceiling else mode
            lines.append(
                f"| {name} | {cache} | {r['rps']:,.0f} | {r['p50'] * 1000:,.1f} ms | {r['p95'] * 1000:,.1f} ms "
                f"| {r['rps'] / base:.2f} | {goal} | {met} |"
            )
    return lines


def pgbouncer_table(results: dict) -> list[str]:
    """Each page without the caches, directly and through PgBouncer (transaction mode), and the ratio of the two."""
    if "pgbouncer" not in results:
        return ["PgBouncer is not installed (apt-get install pgbouncer): not measured."]
    lines = [
        "| page (caches off) | direct req/s | p95 | through PgBouncer req/s | p95 | ratio |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, direct in results["off"].items():
        pooled = results["pgbouncer"][name]
        ratio = f"{pooled['rps'] / direct['rps']:.2f}" if direct["rps"] else "–"  # no answer within the run: –
        lines.append(
            f"| {name} | {direct['rps']:,.0f} | {direct['p95'] * 1000:,.1f} ms | {pooled['rps']:,.0f} "
            f"| {pooled['p95'] * 1000:,.1f} ms | {ratio} |"
        )
    return lines


def jobs_table(rows: list[tuple]) -> list[str]:
    lines = ["| job | time | peak memory (RSS) | growth over start | note |", "|---|---:|---:|---:|---|"]
    for name, r, note in rows:
        lines.append(
            f"| {name} | {r['seconds']:,.1f} s | {r['maxrss_mb']:,.0f} MB | {r['maxrss_mb'] - r['start_mb']:,.0f} MB "
            f"| {note} |"
        )
    return lines


def write_results(
    info: dict, generated: str, http: list[str], jobs: list[str], client: str, cache: str, pooled: list[str]
) -> str:
    text = "\n".join(
        [
            "# Performance",
            "",
            'Written by `make bench` (bench/scale_bench.py); do not edit by hand. See README.md, "Benchmarks".',
            "",
            f"Machine: {info['cpu']}, {info['cores']} cores, {info['ram']} RAM; PostgreSQL {info['postgresql']}, "
            f"Python {info['python']}, Django {info['django']}; {info['date']}.",
            f"Server: gunicorn -w {WORKERS} --threads {THREADS} --worker-connections {-(-CLIENTS // WORKERS)} on "
            f"loopback (each worker holds its share of the connections), DEBUG off, Django's cache in {cache}. "
            f"Load: {client}, {CLIENTS} concurrent keep-alive connections, {SECONDS:g} s per URL in {ROUNDS} turns "
            f"(after {WARMUP} s of warm-up each); the clients share the CPUs with the server and PostgreSQL.",
            "",
            "Data (`manage.py generate_scale_data`, seed 1):",
            "",
            "```",
            generated.strip(),
            "```",
            "",
            "## Pages",
            "",
            "req/s summed over the turns; p50 the mean and p95 the worst of the turns. The ratio is the page's "
            "req/s over the ceiling's in the same gunicorn: the bare Django template view (same middleware, no "
            "database). Goals: public pages ≥ 0.5, logged-in pages ≥ 0.25, p95 under 100 ms at 20 clients on 2 "
            "cores. The pages are measured without and with the caches of networks/cache.py: the public-page "
            "cache for the public pages; for the personal pages (a member's network space, logged in by session "
            "cookie; the personal calendar feed, fetched by its token without a cookie as calendar apps do: a "
            "personal page without login, held to the logged-in goal) never that, but the feed per person and "
            "the space per network and role, each checked against the versions of its data; with them, the "
            "viewer's account and access to the network are also read from the cache (networks.cache.remembered). "
            "Sessions are read from Redis in both.",
            "",
            *http,
            "",
            "## Through PgBouncer",
            "",
            "The same pages without the caches (every request asks the database), once with direct connections "
            "(CONN_MAX_AGE 60, as above) and once through PgBouncer in transaction mode on loopback (production's "
            "pooling, DATABASE_POOLER=pgbouncer; .ci/pgbouncer.sh, pool of 20 server connections), in the same run. "
            "Ratio: through PgBouncer over direct.",
            "",
            *pooled,
            "",
            "## Jobs",
            "",
            "Each in a fresh process: wall time and peak resident memory (VmHWM), and how much of it the job "
            "added to the process's peak after Django had started.",
            "",
            *jobs,
            "",
        ]
    )
    if not ONLY_PAGES or os.environ.get("BENCH_RESULTS"):
        RESULTS.write_text(text, encoding="utf-8")
    return text


def main() -> int:
    with fresh_database("scale") as ready:
        if not ready:
            return 2
        t0 = time.perf_counter()
        info = machine()
        import io

        out = io.StringIO()
        call_command("generate_scale_data", seed=1, force=True, stdout=out)
        generated = out.getvalue()
        print(generated, flush=True)
        subjects = pick_subjects()
        connection.close()  # gunicorn's workers and the jobs open their own connections
        wrk = find_or_install("wrk", "wrk")
        client = (
            subprocess.run([wrk, "--version"], capture_output=True, text=True).stdout.split(" [")[0].strip()  # noqa: S603
            if wrk
            else "a Python thread-per-connection client (wrk not installed)"
        )
        with Redis() as redis, PgBouncer() as pooled:
            cache = f"Redis {redis.version}" if redis.url else "local memory (no redis-server)"
            results = measure_http(wrk, subjects, redis, pooled)
        jobs = [] if ONLY_PAGES else jobs_table(measure_jobs(subjects))
        print(json.dumps(results), flush=True)  # the raw figures, whatever the tables make of them
        http, through_pgbouncer = http_table(results, subjects), pgbouncer_table(results)
        text = write_results(info, generated, http, jobs, client, cache, through_pgbouncer)
        written = "not written" if ONLY_PAGES and not os.environ.get("BENCH_RESULTS") else f"written to {RESULTS}"
        print(f"(measured in {time.perf_counter() - t0:,.0f} s; {written})\n")
        print(text)
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--job":
        sys.exit(job(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else ""))
    sys.exit(main())
