"""What both benchmarks share: a fresh PostgreSQL database for one run, and how figures are printed.

Import it after django.setup() (the benchmark modules set up Django themselves).
"""

from __future__ import annotations

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
