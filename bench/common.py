"""What both benchmarks share: a fresh PostgreSQL database for one run, and how figures are printed.

Import it after django.setup() (the benchmark modules set up Django themselves).
"""

from __future__ import annotations

import functools
import http.client
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.db import connection


@contextmanager
def fresh_database(title: str) -> Iterator[bool]:
    """Create ``klimanetz_bench_<pid>`` on the configured PostgreSQL server, migrate it, drop it afterwards.

    Yields False (and prints why) when the database is not PostgreSQL.
    """
    if connection.vendor != "postgresql":
        print("The benchmark needs PostgreSQL: set DATABASE_URL, or run `make bench`.", file=sys.stderr)
        yield False
        return
    name = f"klimanetz_bench_{os.getpid()}"
    connection.settings_dict.setdefault("TEST", {})["NAME"] = name
    original = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        print(f"Klimanetz {title} benchmark on PostgreSQL {version}, fresh database {name}", flush=True)
        yield True
    finally:
        connection.close()
        connection.creation.destroy_test_db(original, verbosity=0)


def empty(*models) -> None:
    """Empty the tables of ``models`` and every table that refers to them (TRUNCATE … CASCADE), and the cache: a
    benchmark's next world in the same database (one migration for the two sizes of the query counts)."""
    from django.core.cache import cache

    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    cache.clear()


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def ratio(a: float, b: float) -> str:
    """b relative to a: '12.3×', or '1/250' when b is far smaller."""
    if not a:
        return "–"
    if b and b / a < 0.1:
        return f"1/{a / b:,.0f}"
    return f"{b / a:,.1f}×"


# --- gunicorn on loopback, shared by the benchmarks -------------------------------------------------------

BASE_DIR = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url() -> str:
    """The bench database as a URL for the processes the bench starts."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def fetch(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


class Gunicorn:
    """gunicorn (bench.bare_urls: the portal plus the bare view) with DEBUG off against the bench database,
    on a free port; stopped on exit. ``env`` adds to or overrides the environment (e.g. CACHE_URL).

    ``connections``: how many connections one worker holds at most (gunicorn's worker_connections). A load
    generator opens its keep-alive connections at once, and the worker that wakes first accepts them all:
    then one core serves and the other idles, and a run measures half the machine (the same page read
    ~1,050 or ~2,600 req/s from run to run). The clients divided by the workers spreads them evenly, as a
    proxy in front of gunicorn would."""

    def __init__(
        self, static_root: str, *, workers: int, threads: int, secret: str = "", connections: int = 1000, **env: str
    ):
        self.port = free_port()
        self.workers, self.threads, self.connections = workers, threads, connections
        self.env = {
            **os.environ,
            "DEBUG": "false",
            "DJANGO_SECRET_KEY": secret or secrets.token_urlsafe(50),  # throwaway
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback
            "DATABASE_URL": database_url(),
            "CONN_MAX_AGE": "60",
            "STATIC_ROOT": static_root,
            "LOG_LEVEL": "WARNING",
            **env,
        }
        self.process = None

    def collectstatic(self) -> None:
        command = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"]
        subprocess.run(command, cwd=BASE_DIR, env=self.env, check=True)  # noqa: S603 (our own command line)

    def __enter__(self) -> Gunicorn:
        command = [sys.executable, "-m", "gunicorn", "bench.bare_urls:application", "-w", str(self.workers)]
        command += ["--threads", str(self.threads), "--worker-connections", str(self.connections)]
        command += ["-b", f"127.0.0.1:{self.port}", "--log-level", "warning"]
        self.process = subprocess.Popen(command, cwd=BASE_DIR, env=self.env)  # noqa: S603 (our own command line)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if fetch(self.port, "/bench/bare/")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def __exit__(self, *exc) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


class Redis:
    """A throwaway redis-server on a free port (no persistence), installed like wrk when missing; without one
    (not root, no apt-get) the local-memory cache."""

    def __init__(self):
        self.process = None
        self.url = ""
        self.version = ""

    def __enter__(self) -> Redis:
        binary = find_or_install("redis-server", "redis-server")
        if not binary:
            print("redis-server not found: gunicorn uses Django's local-memory cache", flush=True)
            return self
        port = free_port()
        command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
        self.version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.split()[2]  # noqa: S603
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                import redis

                redis.Redis(host="127.0.0.1", port=port).ping()
                self.url = f"redis://127.0.0.1:{port}/1"
                return self
            except Exception:  # noqa: BLE001 (not up yet)
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def __exit__(self, *exc) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)


def find_or_install(binary: str, package: str) -> str:
    """``binary``'s path; its Debian ``package`` installed when missing and we are root (CI machines are);
    '' otherwise."""
    if shutil.which(binary):
        return shutil.which(binary)
    apt = shutil.which("apt-get")
    if apt and os.geteuid() == 0:
        print(f"installing {binary} (apt-get install {package})", flush=True)
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        if subprocess.run([apt, "install", "-y", "-qq", package], env=env, **quiet).returncode:  # noqa: S603
            subprocess.run([apt, "update", "-qq"], env=env, **quiet)  # noqa: S603
            subprocess.run([apt, "install", "-y", "-qq", package], env=env, **quiet)  # noqa: S603
    return shutil.which(binary) or ""


def municipal_population(rng) -> int:
    """Most German municipalities are small: a log-normal spread, 200 to 3.7 million."""
    return int(min(max(rng.lognormvariate(8.3, 1.3), 200), 3_700_000))


def page_subjects() -> tuple:
    """The page benches' subjects (bench.scale_bench, bench.national_bench): the first published roadmap, its
    eleventh public measure, the first public network with upcoming events and one of its members with a calendar
    token."""
    from django.utils import timezone

    from measures.models import Measure, Roadmap
    from networks.models import Network, NetworkRole

    roadmap = Roadmap.objects.published().order_by("pk").first()
    measure = Measure.objects.public().filter(roadmap=roadmap).order_by("code")[10]
    network = Network.objects.public().filter(events__starts_at__gte=timezone.now()).order_by("pk").distinct().first()
    role = (
        NetworkRole.objects.filter(network=network, role=NetworkRole.Role.MEMBER, person__calendar_token__isnull=False)
        .select_related("person__user", "person__calendar_token")
        .order_by("pk")
        .first()
    )
    return roadmap, measure, network, role


def time_pages(client, urls: list[str], *, cached: bool) -> dict:
    """Each URL through the test client, timed with its query count: with the caches warmed by one request first,
    or with the cache cleared before each. p50, p95 and the (fewest, most) queries."""
    import statistics

    from django.core.cache import cache
    from django.test.utils import CaptureQueriesContext

    seconds, queries = [], []
    for url in urls:
        if cached:
            client.get(url)  # warm
        else:
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            seconds.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
        queries.append(len(captured))
    seconds.sort()
    return {
        "p50": statistics.median(seconds),
        "p95": seconds[max(int(len(seconds) * 0.95) - 1, 0)],
        "queries": (min(queries), max(queries)),
    }


# --- Pages under load, as bench/scale_bench.py measures them (the issue-17 benchmarks) -------------------------

CEILING = "bare Django template view (ceiling)"
SERVER_SESSION_COOKIE = "__Host-sessionid"  # gunicorn runs with DEBUG off (config/settings.py names it so then)


def session_header(client) -> dict[str, str]:
    """The Cookie header that signs gunicorn's requests in as the test ``client``'s user (its session, made here
    under the same secret key, is in the database and the shared cache)."""
    from django.conf import settings

    return {"Cookie": f"{SERVER_SESSION_COOKIE}={client.cookies[settings.SESSION_COOKIE_NAME].value}"}


CLIENTS = 20
THREADS = 4


def _wrk_run(wrk: str, port: int, paths: list[str], headers: dict, seconds: float) -> dict:
    """wrk with CLIENTS connections cycling through ``paths`` (bench/wrk_paths.lua) for ``seconds``."""
    import json
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".paths", delete=False) as listing:
        listing.write("\n".join(paths) + "\n")
    try:
        workers = os.cpu_count() or 2
        command = [wrk, "-t", str(min(workers, CLIENTS)), "-c", str(CLIENTS), "-d", f"{seconds:g}s", "--timeout", "10s"]
        command += ["-s", str(BASE_DIR / "bench" / "wrk_paths.lua")]
        for name, value in headers.items():
            command += ["-H", f"{name}: {value}"]
        command += [f"http://127.0.0.1:{port}{paths[0]}", "--", listing.name]
        out = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603 (our own command line)
    finally:
        os.unlink(listing.name)
    line = next(line for line in out.stdout.splitlines() if line.startswith("WRK_JSON "))
    data = json.loads(line.removeprefix("WRK_JSON "))
    if data["status_errors"] or data["socket_errors"]:
        raise RuntimeError(f"{paths[0]}…: {data['status_errors']} non-2xx/3xx, {data['socket_errors']} socket errors")
    took = data["duration_us"] / 1e6
    if not data["requests"]:
        return {"requests": 0, "seconds": took, "p50": took, "p95": took}
    return {"requests": data["requests"], "seconds": took, "p50": data["p50_us"] / 1e6, "p95": data["p95_us"] / 1e6}


def _python_run(port: int, paths: list[str], headers: dict, seconds: float) -> dict:
    """Without wrk: CLIENTS threads with keep-alive connections cycling through ``paths``."""
    import statistics
    import threading

    latencies: list[float] = []
    failures: list[int] = []
    lock = threading.Lock()
    until = time.perf_counter() + seconds

    def client(offset: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, n = [], offset
        while (t0 := time.perf_counter()) < until:
            conn.request("GET", paths[n % len(paths)], headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                failures.append(response.status)
            mine.append(time.perf_counter() - t0)
            n += 1
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(n * 7919,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"{paths[0]}…: {len(failures)} answers were not 200")
    latencies.sort()
    return {
        "requests": len(latencies),
        "seconds": seconds,
        "p50": statistics.median(latencies),
        "p95": latencies[max(int(len(latencies) * 0.95) - 1, 0)],
    }


def _wait_idle(port: int, limit: float = 180.0) -> None:
    """Until two bare requests in a row are answered within 50 ms (what a run left queued is worked off)."""
    deadline = time.monotonic() + limit
    fast = 0
    while fast < 2 and time.monotonic() < deadline:
        start = time.monotonic()
        fetch(port, "/bench/bare/")
        fast = fast + 1 if time.monotonic() - start < 0.05 else 0


def load_pages(
    pages: dict[str, tuple[list[str], dict[str, str]]],
    *,
    cache_url: str,
    secret: str,
    seconds: float = 10.0,
    rounds: int = 2,
    warmup: float = 1.0,
) -> tuple[dict, str]:
    """Each page (a name: its paths, cycled through, and the request's headers, e.g. a session cookie) under
    gunicorn (one worker per core, THREADS threads, DEBUG off, Django's cache at ``cache_url``) with CLIENTS
    connections busy, beside the bare Django template view (the ceiling), as bench/scale_bench.py does: first
    with the caches of networks/cache.py off, then on (a second gunicorn). Right before each page's turn its
    first path is fetched (it must answer 200), with the caches every path: warmed within the cache's timeout
    (60 s), as a page in steady use is. ``secret``: the Django secret key the
    sessions were made with. Returns ({"off"/"on": {name: {"rps", "p50", "p95", "requests"}}}, the client)."""
    import statistics
    import tempfile

    wrk = find_or_install("wrk", "wrk")
    run = functools.partial(_wrk_run, wrk) if wrk else _python_run
    client = (
        subprocess.run([wrk, "--version"], capture_output=True, text=True).stdout.split(" [")[0].strip()  # noqa: S603
        if wrk
        else "a Python thread-per-connection client (wrk not installed)"
    )
    workers = os.cpu_count() or 2
    static_root = tempfile.mkdtemp(prefix="klimanetz-bench-static-")
    everything = {CEILING: (["/bench/bare/"], {}), **pages}
    results = {}
    try:
        for mode in ("off", "on"):
            server = Gunicorn(
                static_root,
                workers=workers,
                threads=THREADS,
                connections=-(-CLIENTS // workers),
                secret=secret,
                CACHE_URL=cache_url,
                BENCH_PAGE_CACHE=mode,
            )
            if mode == "off":
                server.collectstatic()
            with server:
                runs: dict[str, list[dict]] = {name: [] for name in everything}
                for turn in range(rounds):
                    for name, (paths, headers) in everything.items():
                        headers = {"Accept-Language": "de", **headers}
                        # each page's addresses fetched right before its turn (they must answer 200): with the
                        # caches every one (warmed within the cache's timeout), without only the first, once
                        for path in paths if mode == "on" else paths[:1] if turn == 0 else []:
                            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
                            conn.request("GET", path, headers=headers)
                            response = conn.getresponse()
                            body = response.read()
                            conn.close()
                            assert response.status == 200, (name, path, response.status, body[:300])
                            if "Cookie" in headers:
                                assert b"Abmelden" in body or b"Log out" in body, (name, "the session did not log in")
                        run(server.port, paths, headers, warmup)
                        _wait_idle(server.port)
                        runs[name].append(run(server.port, paths, headers, seconds / rounds))
                        _wait_idle(server.port)
                print(f"  measured {len(everything)} pages under gunicorn with the caches {mode}", flush=True)
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
    return results, client


def load_table(results: dict, queries: dict[str, tuple], *, goals=(), goal_p95: float = 0.100) -> list[str]:
    """The house table (docs/performance.md): per page and cache mode req/s, p50, p95, the ratio to the ceiling
    of the same gunicorn, the queries per request at the two sizes (``queries``: name → (small, large) each a
    (fewest, most) pair), and for the pages named in ``goals`` whether p95 is under the goal with the caches."""
    lines = [
        "| page | cache | req/s | p50 | p95 | ratio to ceiling | queries (small → large world) | p95 < "
        f"{goal_p95 * 1000:.0f} ms |",
        "|---|---|---:|---:|---:|---:|---|---|",
    ]
    for mode in ("off", "on"):
        base = results[mode][CEILING]["rps"]
        for name, r in results[mode].items():
            count = ""
            if name in queries:
                (low_s, high_s), (low_l, high_l) = queries[name]
                count = f"{low_s}–{high_s} → {low_l}–{high_l}"
            met = "" if name not in goals or mode == "off" else ("yes" if r["p95"] < goal_p95 else "**no**")
            lines.append(
                f"| {name} | {'–' if name == CEILING else mode} | {r['rps']:,.0f} | {r['p50'] * 1000:,.1f} ms "
                f"| {r['p95'] * 1000:,.1f} ms | {r['rps'] / base:.2f} | {count} | {met} |"
            )
    return lines


def load_average() -> str:
    """The machine's load while measuring (shared machines: say it beside the figures)."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} cores"


def write_section(title: str, lines: list[str]) -> Path:
    """Replace (or append) the section ``## <title>`` of docs/performance.md (up to the next ``## `` heading): the
    issue-17 benchmarks write theirs after bench/scale_bench.py has written the file (make bench)."""
    path = Path(os.environ.get("BENCH_RESULTS") or BASE_DIR / "docs" / "performance.md")
    text = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    heading = f"## {title}"
    block = "\n".join([heading, "", *lines]).rstrip() + "\n"
    before, found, after = text.partition(heading + "\n")
    if found:
        rest = after.split("\n## ", 1)
        text = before + block + ("\n## " + rest[1] if len(rest) > 1 else "")
    else:
        text = text.rstrip() + "\n\n" + block
    path.write_text(text, encoding="utf-8")
    return path
