"""The portal behind PgBouncer in transaction mode (issue 19 §3; README, Production).

Between two transactions a client may be handed another server connection, so nothing may outlive a transaction:
no session settings (SET without LOCAL), no session-level advisory locks, no LISTEN, no prepared statements or
temporary tables, no server-side cursors (.iterator() declares one: DATABASE_POOLER=pgbouncer switches them off, and
the portal reads long results a page at a time instead, networks.keyset.pages).
The code is scanned for these here; the Celery, report, registration-concurrency and two-node tests run their
servers, workers and threads through the PgBouncer CI starts (.ci/pgbouncer.sh, TEST_PGBOUNCER_URL).
"""

from __future__ import annotations

import ast
import re
import runpy
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from tests.integration import services as svc

# SQL that leaves state in the server session, and the psycopg2 calls that do the same.
SESSION_STATE = {
    "SET without LOCAL": re.compile(r"^\s*SET\s+(?!LOCAL\b|CONSTRAINTS\b)", re.MULTILINE),
    "RESET": re.compile(r"^\s*RESET\b", re.MULTILINE),
    "session-level advisory lock": re.compile(r"\bpg_(try_)?advisory_lock(_shared)?\s*\(", re.IGNORECASE),
    "LISTEN": re.compile(r"^\s*(UN)?LISTEN\b", re.MULTILINE | re.IGNORECASE),
    "prepared statement": re.compile(r"^\s*(PREPARE|DEALLOCATE)\b", re.MULTILINE | re.IGNORECASE),
    "temporary table": re.compile(r"\bCREATE\s+(GLOBAL\s+|LOCAL\s+)?TEMP(ORARY)?\s+TABLE\b", re.IGNORECASE),
    "cursor WITH HOLD": re.compile(r"\bWITH\s+HOLD\b", re.IGNORECASE),
    "set_config(..., false)": re.compile(r"\bset_config\s*\([^)]*,\s*false\s*\)", re.IGNORECASE),
}
SESSION_CALLS = {"set_session", "set_isolation_level", "set_client_encoding"}  # psycopg2 connection methods
# Code that runs in the portal's processes (web, worker, beat, management commands, migrations). Not scanned:
# tests and the benchmarks (their own throwaway databases, connected directly), .venv.
SKIPPED = {".venv", "tests", "bench", "node_modules", "staticfiles", "media", ".git"}


def _portal_sources() -> list[Path]:
    root = Path(settings.BASE_DIR)
    return sorted(path for path in root.rglob("*.py") if not SKIPPED.intersection(path.relative_to(root).parts[:-1]))


def _findings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found += [f"{path}:{node.lineno}: {what}" for what, rx in SESSION_STATE.items() if rx.search(node.value)]
        elif isinstance(node, ast.Attribute) and node.attr in SESSION_CALLS:
            found.append(f"{path}:{node.lineno}: {node.attr}()")
        elif isinstance(node, ast.Attribute) and node.attr == "iterator" and "migrations" not in path.parts:
            # without a server-side cursor .iterator() reads the whole result at once: networks.keyset.pages
            found.append(f"{path}:{node.lineno}: .iterator()")
    return found


def test_the_portal_keeps_no_session_state_in_the_database_connection():
    sources = _portal_sources()
    assert len(sources) > 200  # the scan sees the apps (not an empty directory)
    assert [finding for path in sources for finding in _findings(path)] == []


def test_the_scan_finds_what_it_looks_for(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        'a = "SET statement_timeout = 5000"\n'
        'b = "SELECT pg_advisory_lock(42)"\n'
        'c = "LISTEN outbox"\n'
        'd = "CREATE TEMP TABLE t (id int)"\n'
        "connection.connection.set_session(readonly=True)\n"
        "rows = Measure.objects.all().iterator(chunk_size=2000)\n"
        'ok = "SET LOCAL lock_timeout = 100; SELECT pg_advisory_xact_lock(1); UPDATE t SET a = 1"\n'
    )
    assert [line.split(": ", 1)[1] for line in _findings(bad)] == [
        "SET without LOCAL",
        "session-level advisory lock",
        "LISTEN",
        "temporary table",
        "set_session()",
        ".iterator()",
    ]


def _database_settings(monkeypatch, **env: str) -> dict:
    """settings.DATABASES["default"] as config/settings.py builds it from ``env`` (run afresh, in this process)."""
    monkeypatch.delenv("DATABASE_POOLER", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgres://k:k@127.0.0.1:6432/klimanetz")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(Path(settings.BASE_DIR) / "config" / "settings.py"))["DATABASES"]["default"]


def test_database_pooler_pgbouncer_switches_server_side_cursors_off(monkeypatch):
    assert _database_settings(monkeypatch, DATABASE_POOLER="pgbouncer")["DISABLE_SERVER_SIDE_CURSORS"] is True
    # Directly to PostgreSQL: .iterator() streams through a server-side cursor.
    assert "DISABLE_SERVER_SIDE_CURSORS" not in _database_settings(monkeypatch)
    with pytest.raises(ImproperlyConfigured, match="DATABASE_POOLER must be empty or 'pgbouncer'"):
        _database_settings(monkeypatch, DATABASE_POOLER="pgpool")


@pytest.mark.services
def test_the_tests_servers_and_workers_connect_through_pgbouncer_in_transaction_mode(
    services_required, pgbouncer_required
):
    env = svc.process_database_env()
    assert env == {"DATABASE_URL": svc.pgbouncer_url(), "DATABASE_POOLER": "pgbouncer"}
    assert urlsplit(env["DATABASE_URL"]).path == "/" + connection.settings_dict["NAME"]  # the test database
    (config,) = svc._pgbouncer_admin("SHOW CONFIG")
    assert {row["key"]: row["value"] for row in config}["pool_mode"] == "transaction"
