"""tests/schema.sql, from which the suite's template database is loaded instead of migrated (tests/schema.py), was made
from the migrations on disk, by the PostgreSQL major version CI runs (.ci/run). A new or changed migration without
``make test-schema`` fails here, instead of only making every later CI run a minute slower."""

import sys
from pathlib import Path

from tests import schema

CI_POSTGRESQL = "15"


def test_the_schema_file_was_made_from_the_migrations_on_disk():
    header = schema.recorded()
    assert header is not None, "tests/schema.sql is missing or has no header: run make test-schema"
    assert header["migrations"] == schema.fingerprint(), (
        "a migration was added or changed since tests/schema.sql was written: run make test-schema (PostgreSQL)"
    )
    assert header["major"] == CI_POSTGRESQL, f"tests/schema.sql was made by PostgreSQL {header['major']}, CI runs 15"


def test_the_fingerprint_covers_every_migration_file(tmp_path, monkeypatch):
    """A change to any migration file changes the fingerprint (here: a copy of the last one, one byte more)."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    key = max(key for key in loader.disk_migrations if key[0] == "networks")
    module = sys.modules[loader.disk_migrations[key].__module__]
    before = schema.fingerprint()
    changed = tmp_path / "changed.py"
    changed.write_bytes(Path(module.__file__).read_bytes() + b"\n")
    monkeypatch.setattr(module, "__file__", str(changed))
    assert schema.fingerprint() != before
