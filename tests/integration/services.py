"""Throwaway services for the fault tests: a private Redis, a private PostgreSQL cluster, gunicorn and a Celery
worker as subprocesses, an email backend that records to a file, and a tiny HTTP client.

The fault tests stop and restart these; the shared PostgreSQL and Redis of the suite (DATABASE_URL, REDIS_URL)
are never touched. PostgreSQL runs as the postgres user when the tests run as root (CI), like .ci/run does it.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection

BASE_DIR = Path(settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until(check, *, timeout: float, what: str, interval: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        time.sleep(interval)


def _stop_process(process: subprocess.Popen | None, *, sig=signal.SIGTERM, timeout: float = 15) -> None:
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def test_database_url() -> str:
    """DATABASE_URL of the database the test process uses (pytest-django's test database), for subprocesses."""
    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="")
    password = quote(db["PASSWORD"] or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    return f"postgres://{credentials}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{quote(db['NAME'], safe='')}"


# --- PgBouncer: the servers and workers the tests start connect through it when CI runs one ------------------

PGBOUNCER_ENV = "TEST_PGBOUNCER_URL"  # a DATABASE_URL through PgBouncer (transaction mode) to the suite's server


def pgbouncer_url(database: str | None = None) -> str | None:
    """TEST_PGBOUNCER_URL (.ci/pgbouncer.sh) with the test database's name (or ``database``); None when unset."""
    url = os.environ.get(PGBOUNCER_ENV, "")
    if not url:
        return None
    parts = urlsplit(url)
    name = database or connection.settings_dict["NAME"]
    return urlunsplit((parts.scheme, parts.netloc, "/" + quote(name, safe=""), "", ""))


def process_database_env() -> dict[str, str]:
    """DATABASE_URL (and DATABASE_POOLER) of a server or worker a test starts: the test database through PgBouncer
    when TEST_PGBOUNCER_URL is set (CI: production's pooling), otherwise directly."""
    pooled = pgbouncer_url()
    if pooled:
        return {"DATABASE_URL": pooled, "DATABASE_POOLER": "pgbouncer"}
    return {"DATABASE_URL": test_database_url(), "DATABASE_POOLER": ""}


def _pgbouncer_admin(*commands: str) -> list[list[dict]]:
    """Run commands on PgBouncer's admin console (its ``pgbouncer`` database; simple queries, no transaction);
    each command's rows as dicts."""
    import psycopg2

    conn = psycopg2.connect(pgbouncer_url("pgbouncer"))
    conn.autocommit = True
    try:
        results = []
        with conn.cursor() as cursor:
            for command in commands:
                cursor.execute(command)
                columns = [column.name for column in cursor.description or ()]
                rows = cursor.fetchall() if cursor.description else []
                results.append([dict(zip(columns, row, strict=True)) for row in rows])
        return results
    finally:
        conn.close()


def pgbouncer_transactions(database: str | None = None) -> int:
    """Transactions PgBouncer has passed to ``database`` (the test database) so far (SHOW STATS)."""
    name = database or connection.settings_dict["NAME"]
    (rows,) = _pgbouncer_admin("SHOW STATS")
    return sum(int(row["total_xact_count"]) for row in rows if row["database"] == name)


def pgbouncer_release(database: str) -> None:
    """Close PgBouncer's server connections to ``database`` (KILL, then RESUME for later clients): its pool keeps
    them open after the servers and workers stopped, and DROP DATABASE at the end of the run would fail."""
    if not os.environ.get(PGBOUNCER_ENV):
        return
    try:
        _pgbouncer_admin(f"KILL {database}", f"RESUME {database}")
    except Exception as error:  # noqa: BLE001 - no pool for that database: nothing to release
        if "no such database" not in str(error).lower():
            raise


@contextmanager
def threads_through_pgbouncer():
    """New connections of this process (the threads of a concurrency test) go through PgBouncer while inside, when
    TEST_PGBOUNCER_URL is set; the connections already open (the test's own) stay as they are."""
    pooled = pgbouncer_url()
    if not pooled:
        yield False
        return
    parts = urlsplit(pooled)
    settings_dict = connection.settings_dict  # the one dict every thread's connection of "default" is built from
    keys = ("HOST", "PORT", "USER", "PASSWORD", "DISABLE_SERVER_SIDE_CURSORS")
    saved = {key: settings_dict.get(key) for key in keys}
    settings_dict.update(
        HOST=parts.hostname,
        PORT=parts.port,
        USER=unquote(parts.username or ""),
        PASSWORD=unquote(parts.password or ""),
        DISABLE_SERVER_SIDE_CURSORS=True,
    )
    try:
        yield True
    finally:
        settings_dict.update(saved)


# --- Redis --------------------------------------------------------------------------------------------------


class PrivateRedis:
    """redis-server on a free port of 127.0.0.1, no persistence; stop() and start() again on the same port."""

    def __init__(self):
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="klimanetz-redis-"))
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> PrivateRedis:
        log = (self.dir / "redis.log").open("ab")
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(
            [*command, "--dir", str(self.dir)], stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()
        _wait_until(self.ping, timeout=15, what=f"private Redis on port {self.port} did not answer PING")
        return self

    def stop(self) -> None:
        _stop_process(self.process)
        self.process = None

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


# --- PostgreSQL ---------------------------------------------------------------------------------------------


def pg_bin() -> Path | None:
    candidates = [Path("/usr/lib/postgresql/15/bin")] + sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    found = shutil.which("pg_ctl")
    if found:
        candidates.append(Path(found).parent)
    for directory in candidates:
        if all((directory / tool).exists() for tool in ("initdb", "pg_ctl", "pg_isready", "psql")):
            return directory
    return None


class PrivatePostgres:
    """A PostgreSQL cluster in a temporary directory on a free port (trust authentication on loopback only)."""

    def __init__(self):
        self.bin = pg_bin()
        if self.bin is None:
            raise RuntimeError("no PostgreSQL binaries (initdb, pg_ctl) found")
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="klimanetz-pg-"))
        self.data = self.dir / "data"
        self.as_root = os.geteuid() == 0
        if self.as_root:
            if subprocess.run(["id", "postgres"], capture_output=True).returncode:
                subprocess.run(
                    ["useradd", "--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin"]
                    + ["postgres"],
                    check=True,
                )
            shutil.chown(self.dir, "postgres", "postgres")
        os.chmod(self.dir, 0o755)  # noqa: S103 - the postgres user must reach its data directory under /tmp

    def _run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_root else []
        return subprocess.run(
            [*prefix, *command], cwd=self.dir, capture_output=True, text=True, check=check, timeout=120
        )

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> PrivatePostgres:
        if not (self.data / "PG_VERSION").exists():
            self._run(
                str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "--encoding=UTF8"
            )
        log = str(self.dir / "pg.log")
        self._run(str(self.bin / "pg_ctl"), "start", "-D", str(self.data), "-l", log, "-w", "-o", self._ctl_options())
        return self if self.ready() else self._fail("start")

    def _ctl_options(self) -> str:
        return f"-p {self.port} -h 127.0.0.1 -k {self.dir} -c fsync=off -c full_page_writes=off"

    def _fail(self, what: str):
        log = (self.dir / "pg.log").read_text(errors="replace")[-3000:] if (self.dir / "pg.log").exists() else ""
        raise RuntimeError(f"private PostgreSQL did not {what}:\n{log}")

    def ready(self) -> bool:
        result = self._run(str(self.bin / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port), check=False)
        return result.returncode == 0

    def restart(self, mode: str = "fast") -> None:
        self._run(
            str(self.bin / "pg_ctl"), "restart", "-D", str(self.data), "-m", mode, "-w", "-o", self._ctl_options(),
            "-l", str(self.dir / "pg.log"),
        )  # fmt: skip

    def psql(self, sql: str, database: str = "postgres") -> str:
        result = self._run(
            str(self.bin / "psql"), "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p",
            str(self.port), "-U", "postgres", "-d", database, "-c", sql,
        )  # fmt: skip
        return result.stdout.strip()

    def stop(self) -> None:
        if not (self.data / "postmaster.pid").exists():
            return
        for mode in ("fast", "immediate"):
            if not self._run(
                str(self.bin / "pg_ctl"), "stop", "-D", str(self.data), "-m", mode, "-w", check=False
            ).returncode:
                return

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


# --- Processes: gunicorn, Celery --------------------------------------------------------------------------


def service_env(*, database_url: str, redis_url: str, cache_url: str | None = None, **extra: str) -> dict:
    """The environment of a server or worker subprocess: the given services, nothing of the suite's."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CACHE_URL": cache_url or redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "KLIMANETZ_TESTING": "true",
        "CONN_MAX_AGE": "0",
        "DEBUG": "true",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("EMAIL_URL", None)
    env.pop("EMAIL_FILE_PATH", None)
    env.update(extra)
    return env


class Server:
    """gunicorn serving the project on a free port of 127.0.0.1."""

    def __init__(self, env: dict, log_path: Path, workers: int = 2, args: tuple[str, ...] = ()):
        self.env, self.log_path, self.workers, self.args = env, log_path, workers, args
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self, *, wait: bool = True) -> Server:
        """Start gunicorn; with ``wait``, return once it answers (else call ready() later: several start at once)."""
        log = self.log_path.open("ab")
        command = [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{self.port}"]
        command += ["--workers", str(self.workers), "--timeout", "60", "--graceful-timeout", "5", *self.args]
        self.process = subprocess.Popen(
            command, cwd=BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()
        return self.ready() if wait else self

    def ready(self, timeout: float = 30) -> Server:
        """Wait until gunicorn answers."""

        def answers() -> bool:
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn exited:\n" + self.log_path.read_text(errors="replace")[-3000:])
            try:
                return Http(self.port, timeout=5).get("/")[0] > 0
            except OSError:
                return False

        _wait_until(answers, timeout=timeout, what="gunicorn did not answer", interval=0.1)
        return self

    def stop(self) -> None:
        _stop_process(self.process)


def start_worker(env: dict, log_path: Path, *, pool: str = "solo", concurrency: int = 1) -> subprocess.Popen:
    """A Celery worker of the project (its own process group, so that a test can SIGKILL it whole)."""
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", f"--pool={pool}"]
    command += [f"--concurrency={concurrency}", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    command += ["--hostname=faults@%h", "--loglevel=INFO"]
    log = log_path.open("ab")
    try:
        return subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    finally:
        log.close()


def stop_worker(worker: subprocess.Popen, *, kill: bool = False) -> None:
    _stop_process(worker, sig=signal.SIGKILL if kill else signal.SIGTERM)


# --- Email that survives processes --------------------------------------------------------------------------


class RecordingEmailBackend(BaseEmailBackend):
    """Appends ``<X-Klimanetz-Message> <recipient>`` per message to FAULT_MAIL_LOG (fsync'd).

    FAULT_MAIL_DELAY: seconds to wait before each message (a slow mail server). FAULT_MAIL_HANG_AT=n: before the
    message after the n-th recorded one, touch ``<log>.hanging`` and hang, so a test can kill the worker right
    there, deterministically in the middle of a batch (once: not again when ``<log>.hanging`` exists).
    """

    def send_messages(self, email_messages) -> int:
        path = Path(os.environ["FAULT_MAIL_LOG"])
        delay = float(os.environ.get("FAULT_MAIL_DELAY", "0"))
        hang_at = os.environ.get("FAULT_MAIL_HANG_AT")
        hanging = path.with_name(path.name + ".hanging")
        for message in email_messages:
            if delay:
                time.sleep(delay)
            if hang_at and not hanging.exists() and len(recorded(path)) >= int(hang_at):
                hanging.touch()
                time.sleep(300)  # killed here
            line = f"{message.extra_headers.get('X-Klimanetz-Message', '?')} {','.join(message.to)}\n"
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, line.encode())
                os.fsync(fd)
            finally:
                os.close(fd)
        return len(email_messages)


def recorded(path: Path) -> list[str]:
    """Message ids the RecordingEmailBackend wrote, one per message sent, in order."""
    if not path.exists():
        return []
    return [line.split()[0] for line in path.read_text().splitlines() if line.strip()]


# --- HTTP ---------------------------------------------------------------------------------------------------


class Http:
    """A keep-alive HTTP/1.1 client for one server with fixed cookies; reconnects after a failure."""

    def __init__(self, port: int, cookies: dict | None = None, timeout: float = 30):
        self.port, self.timeout = port, timeout
        self.cookies = dict(cookies or {})
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, fields: dict | None = None) -> tuple[int, dict, str]:
        from urllib.parse import urlencode

        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            text = response.read().decode(errors="replace")
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        return response.status, dict(response.getheaders()), text

    def get(self, path: str) -> tuple[int, dict, str]:
        return self.request("GET", path)

    def post(self, path: str, fields: dict) -> tuple[int, dict, str]:
        return self.request("POST", path, fields)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None
