"""The migrated test database as SQL (tests/schema.sql), loaded into the run's template instead of migrating it.

Migrating an empty PostgreSQL database takes about 64 s of CPU (Django renders the models' states again after each
of some 450 operations; squashing does not shorten it, the data migrations keep the optimizer from merging them).
CI starts from an empty server on every run, and the template database (tests/template_db.py) was the longest wait
before the workers' first tests. As Rails loads db/structure.sql, the template is loaded from what ``migrate`` made
of an empty database (pg_dump), when the file was made from the migrations on disk: its header holds the fingerprint
of every migration file of every installed app and Django's version, and the major version of the server that made
it. Django's ``migrate`` then runs on the loaded database as before: it finds every migration applied (and would
apply any it lacked), and the post-migrate signals (content types, permissions) run as before. Otherwise, or when
loading fails, the template is migrated as before.

``make test-schema`` writes the file again (``python -m tests.schema``: migrate an empty database, then pg_dump);
tests/test_schema_file.py fails when a migration changed and the file was not written again.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

FILE = Path(__file__).with_name("schema.sql")
HEADER = re.compile(r"^-- klimanetz test schema: migrations (?P<migrations>[0-9a-f]{64}) postgresql (?P<major>\d+)$")


def fingerprint() -> str:
    """Of the migrations on disk: every migration file of every installed app, with its name, and Django's version."""
    import django
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    digest = hashlib.sha256(f"django {django.get_version()}\n".encode())
    for (app_label, name), migration in sorted(loader.disk_migrations.items()):
        digest.update(f"{app_label}.{name}\n".encode())
        digest.update(Path(sys.modules[migration.__module__].__file__).read_bytes())
    return digest.hexdigest()


def recorded() -> dict | None:
    """The header of tests/schema.sql: {"migrations": fingerprint, "major": server version}, or None."""
    if not FILE.exists():
        return None
    with FILE.open(encoding="utf-8") as handle:
        match = HEADER.match(handle.readline().rstrip("\n"))
    return match.groupdict() if match else None


def server_major(connection) -> str:
    return str(connection.pg_version // 10000)


def usable(connection) -> bool:
    """tests/schema.sql was made from these migrations, by a server of this major version."""
    header = recorded()
    return header is not None and header == {"migrations": fingerprint(), "major": server_major(connection)}


def load(connection) -> None:
    """Run tests/schema.sql on ``connection``'s (empty) database, as one transaction (one simple query), and close
    the connection (the dump's SET commands, an empty search_path among them, stay with it)."""
    sql = FILE.read_text(encoding="utf-8")
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
    finally:
        connection.close()


def pg_dump() -> str:
    """pg_dump of the server's major version (Debian keeps each in /usr/lib/postgresql/N/bin), else the one on PATH."""
    from django.db import connection

    candidate = Path(f"/usr/lib/postgresql/{server_major(connection)}/bin/pg_dump")
    found = str(candidate) if candidate.exists() else shutil.which("pg_dump")
    if not found:
        raise SystemExit("pg_dump not found (Debian: postgresql-client)")
    return found


def write() -> None:
    """``make test-schema``: migrate an empty test database as the template is made, dump it (as SQL: INSERTs, not
    COPY; without psql's commands such as the random ``\\restrict`` of newer pg_dumps), drop it."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    if connection.vendor != "postgresql":
        raise SystemExit("tests/schema.sql is made on PostgreSQL: set DATABASE_URL")
    setup_test_environment(debug=False)
    test = settings.DATABASES["default"].setdefault("TEST", {})
    test["NAME"] = f"{test.get('NAME') or 'test_' + settings.DATABASES['default']['NAME']}_schema"
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        params = connection.get_connection_params()
        env = dict(os.environ, PGPASSWORD=str(params.get("password") or ""))
        command = [pg_dump(), "--no-owner", "--no-privileges", "--no-comments", "--inserts", "--dbname", name]
        options = {"host": "host", "port": "port", "user": "username"}
        command += [f"--{option}={params[key]}" for key, option in options.items() if params.get(key)]
        dump = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout  # noqa: S603
        dump = "".join(line for line in dump.splitlines(keepends=True) if not line.startswith("\\"))
        header = f"-- klimanetz test schema: migrations {fingerprint()} postgresql {server_major(connection)}\n"
        FILE.write_text(header + "-- written by `make test-schema` (tests/schema.py): do not edit\n" + dump)
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)
    print(f"{FILE} written ({FILE.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    write()
