"""gunicorn with 2 workers (config/gunicorn.conf.py): requests spread over both, one scrape shows their sum; the
multi-process directory is emptied when the server starts."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.observability.conftest import TOKEN

BASE_DIR = Path(__file__).resolve().parents[2]
PORTS = range(8230, 8240)  # this suite's range for servers it starts (a free one is taken)


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.fail("no free port in 8230-8239")


def get(port: int, path: str, **headers) -> tuple[int, str]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
        return response.status, response.read().decode()


def worker_files(directory: Path) -> set[str]:
    return {p.name for p in directory.glob("histogram_*.db")}


def healthz_count(port: int) -> float:
    """One scrape: the answers of /healthz, added up over every worker."""
    status, body = get(port, "/metrics", Authorization=f"Bearer {TOKEN}")
    assert status == 200
    found = re.search(
        r'^klimanetz_http_request_duration_seconds_count\{method="GET",status="200",view="healthz"\} (\S+)$', body, re.M
    )
    return float(found.group(1)) if found else 0.0


def test_two_workers_one_scrape_shows_the_sum(tmp_path):
    metrics_dir = tmp_path / "prometheus"
    metrics_dir.mkdir()
    (metrics_dir / "counter_99999.db").write_bytes(b"from an earlier run")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "CACHE_URL")}
    env.update(
        PROMETHEUS_MULTIPROC_DIR=str(metrics_dir),
        METRICS_TOKEN=TOKEN,
        SQLITE_PATH=str(tmp_path / "empty.sqlite3"),  # no tables: the scrape's database gauges say it is down
        DEBUG="true",
        KLIMANETZ_TESTING="false",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    port = free_port()
    log = (tmp_path / "gunicorn.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi:application"]
        + ["--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "30", "--graceful-timeout", "2"],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60  # a busy machine; on a quiet one gunicorn answers in ~2 s
        while True:
            assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()[-3000:]
            try:
                get(port, "/healthz")
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not answer"
                time.sleep(0.1)
        assert not (metrics_dir / "counter_99999.db").exists()  # wiped at start
        before, sent = healthz_count(port), 0
        with ThreadPoolExecutor(8) as pool:
            for _ in range(20):  # until both workers have answered some
                sent += sum(1 for status, _ in pool.map(lambda _: get(port, "/healthz"), range(16)) if status == 200)
                if len(worker_files(metrics_dir)) >= 2:
                    break
        assert len(worker_files(metrics_dir)) == 2, worker_files(metrics_dir)
        assert healthz_count(port) == before + sent
        assert re.search(
            r"^klimanetz_database_up 0\.0$", get(port, "/metrics", Authorization=f"Bearer {TOKEN}")[1], re.M
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=15)
        log.close()
