"""The demo portal, loaded once per test process and restored from a snapshot for every test that asks for it.

``load_demo`` takes 10–14 s; restoring its rows takes well under a second. The first test of a process (each
pytest-xdist worker) that asks for the demo runs ``load_demo`` into the test database and takes a snapshot: every
table's rows (the tables Django's flush empties), every sequence's value, the files the demo wrote under
MEDIA_ROOT and what load_demo printed. Every later test gets exactly that state back: all tables emptied, the rows
copied in again (PostgreSQL: COPY to and from memory; SQLite: the rows through Python), the sequences set to the
values they had after the load (the same primary keys as after the load), the files copied into the test's own
MEDIA_ROOT. The cache and the content types' in-process cache are cleared, as after a fresh load in a fresh test.

On PostgreSQL with pytest-xdist workers the run loads the demo once: tests/template_db.py's process loads it into a
copy of the migrated template after the template is ready and writes the snapshot to a file (``save``); a worker's
first demo() waits for that file and restores it (``shared``) instead of running load_demo itself. Without that
file (SQLite, ``-n 0``, a failed load) each process loads its own as before.

It works committed (``transactional_db``: the browser journeys' live server sees the rows) and inside a transaction
rolled back at the end of a module (``demo_once``: TRUNCATE is transactional in PostgreSQL). The demo's dates are
relative to today: a snapshot older than MAX_AGE, or from another local day, is loaded afresh.
"""

import io
import json
import os
import pickle  # noqa: S403 (the run's own file, written by tests/template_db.py)
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

MAX_AGE = 10 * 60  # seconds: the demo's "now" may move on this far (a worker's whole run takes less)


@dataclass
class Table:
    name: str
    columns: list[str]  # without generated columns (PostgreSQL computes them again)
    rows: bytes | list[tuple] = b""  # COPY text (PostgreSQL) or the rows (SQLite)
    count: int = 0


@dataclass
class Snapshot:
    database: str
    output: str  # what load_demo printed
    media: Path  # a copy of the files the demo wrote
    taken: float = field(default_factory=time.monotonic)
    day: date = field(default_factory=timezone.localdate)
    tables: list[Table] = field(default_factory=list)
    sequences: list[tuple] = field(default_factory=list)  # PostgreSQL: (name, value, is_called); SQLite: (name, seq)

    def fresh(self, database: str) -> bool:
        return (
            self.database == database
            and time.monotonic() - self.taken < MAX_AGE
            and timezone.localdate() == self.day
            and self.media.is_dir()
        )


_snapshots: dict[str, Snapshot] = {}
_media_dirs: list[tempfile.TemporaryDirectory] = []


def demo(media_root: Path, using: str = DEFAULT_DB_ALIAS) -> str:
    """The demo in the database ``using`` and its files under ``media_root``: restored from this process's snapshot
    (or the run's, ``shared``) or loaded (and a snapshot taken). Returns what load_demo printed."""
    connection = connections[using]
    snapshot = _snapshots.get(using)
    if snapshot is None and using == DEFAULT_DB_ALIAS:
        snapshot = shared(connection.settings_dict["NAME"])
        if snapshot is not None:
            _snapshots[using] = snapshot
    if snapshot is not None and snapshot.fresh(connection.settings_dict["NAME"]):
        restore(snapshot, media_root, using=using)
        return snapshot.output
    out = io.StringIO()
    call_command("load_demo", force=True, stdout=out)
    _snapshots[using] = take(out.getvalue(), media_root, using=using)
    return out.getvalue()


SHARED_WAIT = 300  # seconds a worker waits for the run's snapshot before it loads the demo itself


def save(snapshot: Snapshot, path: Path) -> None:
    """Write ``snapshot`` and a copy of its files beside ``path`` (tests/template_db.py, the run's demo process)."""
    media = path.with_name(path.name + ".media")
    shutil.copytree(snapshot.media, media, dirs_exist_ok=True)
    data = pickle.dumps({**snapshot.__dict__, "media": str(media)})
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(data)
    partial.rename(path)  # read whole or not at all


def shared(database: str) -> Snapshot | None:
    """The run's snapshot (tests/template_db.py announces its file), for the worker's database ``database``; None
    without one (each process then loads its own)."""
    from tests.template_db import ENV

    announced = os.environ.get(ENV)
    if not announced or announced == "0":
        return None
    announced = json.loads(announced)
    if not announced.get("demo"):
        return None
    path, status = Path(announced["demo"]), Path(announced["status"])
    ends = (path.with_name(path.name + ".failed"), path.with_name("demo.unwanted"))  # then no file comes
    deadline = time.monotonic() + SHARED_WAIT
    while not path.exists() and time.monotonic() < deadline:
        if any(end.exists() for end in ends) or status.exists() and status.read_text() != "ok":
            return None
        time.sleep(0.1)
    if not path.exists():
        return None
    fields = pickle.loads(path.read_bytes())  # noqa: S301 (written by this run's own process)
    snapshot = Snapshot(**{**fields, "database": database, "media": Path(fields["media"])})
    return snapshot if snapshot.fresh(database) else None


def forget() -> None:
    """Drop the snapshots (the next demo() loads afresh)."""
    _snapshots.clear()


def _tables(connection) -> list[str]:
    """The tables Django's flush empties (every model's, the many-to-many ones included), in a stable order."""
    return sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))


def _columns(connection, cursor, table: str) -> list[str]:
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped"
            " AND attgenerated = '' ORDER BY attnum",
            [connection.ops.quote_name(table)],
        )
        return [row[0] for row in cursor.fetchall()]
    cursor.execute(f"PRAGMA table_xinfo({connection.ops.quote_name(table)})")
    return [row[1] for row in cursor.fetchall() if row[6] == 0]  # hidden 2/3: generated


def _column_list(connection, columns: list[str]) -> str:
    return ", ".join(connection.ops.quote_name(c) for c in columns)


def take(output: str, media_root: Path, *, using: str = DEFAULT_DB_ALIAS) -> Snapshot:
    connection = connections[using]
    media = tempfile.TemporaryDirectory(prefix="klimanetz-demo-snapshot-")
    _media_dirs.append(media)  # removed when the process ends
    if Path(media_root).is_dir():
        shutil.copytree(media_root, media.name, dirs_exist_ok=True)
    snapshot = Snapshot(database=connection.settings_dict["NAME"], output=output, media=Path(media.name))
    with connection.cursor() as cursor:
        for name in _tables(connection):
            table = Table(name=name, columns=_columns(connection, cursor, name))
            columns = _column_list(connection, table.columns)
            if connection.vendor == "sqlite":
                # Unary + is SQLite's no-op: the stored values as they are, without Django's converters by declared
                # type (a datetime.time read could not be written back).
                columns = ", ".join(f"+{connection.ops.quote_name(c)}" for c in table.columns)
            select = f"SELECT {columns} FROM {connection.ops.quote_name(name)}"  # noqa: S608 (the catalogue's names)
            if connection.vendor == "postgresql":
                buffer = io.BytesIO()
                cursor.cursor.copy_expert(f"COPY ({select}) TO STDOUT", buffer)
                table.rows = buffer.getvalue()
                table.count = table.rows.count(b"\n")
            else:
                cursor.execute(select)
                table.rows = cursor.fetchall()
                table.count = len(table.rows)
            snapshot.tables.append(table)
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT format('%I.%I', schemaname, sequencename), COALESCE(last_value, start_value),"
                " last_value IS NOT NULL FROM pg_sequences WHERE schemaname = current_schema()"
            )
        else:
            cursor.execute("SELECT name, seq FROM sqlite_sequence")
        snapshot.sequences = cursor.fetchall()
    return snapshot


def restore(snapshot: Snapshot, media_root: Path, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """The database and the files as they were right after the load; in one transaction (or savepoint)."""
    connection = connections[using]
    quote = connection.ops.quote_name
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: checked when the transaction commits.
            cursor.execute("TRUNCATE " + ", ".join(quote(t.name) for t in snapshot.tables))
            for table in snapshot.tables:
                if table.count:
                    copy = f"COPY {quote(table.name)} ({_column_list(connection, table.columns)}) FROM STDIN"
                    cursor.cursor.copy_expert(copy, io.BytesIO(table.rows))
            if snapshot.sequences:
                values = ", ".join(["(%s, %s, %s)"] * len(snapshot.sequences))
                cursor.execute(
                    f"SELECT setval(name::regclass, value, called) FROM (VALUES {values}) AS s(name, value, called)",  # noqa: S608
                    [item for sequence in snapshot.sequences for item in sequence],
                )
        else:
            for table in snapshot.tables:
                cursor.execute(f"DELETE FROM {quote(table.name)}")  # noqa: S608 (the catalogue's names)
            for table in snapshot.tables:
                if table.count:
                    marks = ", ".join(["%s"] * len(table.columns))
                    columns = _column_list(connection, table.columns)
                    cursor.executemany(
                        f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({marks})",  # noqa: S608 (catalogue's names)
                        table.rows,
                    )
            cursor.execute("DELETE FROM sqlite_sequence")
            if snapshot.sequences:
                cursor.executemany("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", snapshot.sequences)
    shutil.copytree(snapshot.media, media_root, dirs_exist_ok=True)
    ContentType.objects.clear_cache()  # the rows' ids, not those a flush's post_migrate gave them
    cache.clear()
