"""scripts/backup.sh and scripts/restore.sh (make backup / make restore): a backup restored into a fresh database
holds the same rows (PostgreSQL: pg_dump -Fc, pg_restore into a new database; SQLite: a copy into a new file),
and the media directory comes back with it."""

import os
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import ProgrammingError, connection

from measures.models import Measure, Roadmap
from monitoring.models import Indicator, IndicatorValue
from tests.events.factories import EventFactory, RegistrationFactory
from tests.integration import services as svc
from tests.networks import factories as nf

SCRIPTS = Path(settings.BASE_DIR) / "scripts"


def _run(script: str, *args: str, env: dict) -> str:
    result = subprocess.run(
        ["bash", str(SCRIPTS / script), *args], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, f"{script} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _script_env(**values: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH", "MEDIA_ROOT")}
    return {**env, "DEBUG": "true", **values}


def _media(root: Path) -> Path:
    (root / "reports" / "1").mkdir(parents=True)
    (root / "reports" / "1" / "bericht-kreis-dueren.csv").write_text("Jahr;Wert\n2024;1.234,5\n")
    return root


@pytest.mark.services
@pytest.mark.usefixtures("services_required")
def test_postgres_backup_restores_into_a_fresh_database(transactional_db, tmp_path):
    event = EventFactory(title="Wärmeplanung: Auftakt in Düren", capacity=12)
    for _ in range(3):
        RegistrationFactory(event=event, person=nf.NetworkRoleFactory(network=event.network).person)
    organisation = nf.OrganisationFactory(name="Kreis Düren", slug="kreis-dueren")
    roadmap = Roadmap.objects.create(organisation=organisation, slug="dueren", title="Roadmap Düren", target_year=2035)
    for i in range(5):
        Measure.objects.create(roadmap=roadmap, code=f"M-{i}", slug=f"m-{i}", title=f"Maßnahme {i}: Straßenlicht")
    indicator = Indicator.objects.create(organisation=organisation, roadmap=roadmap, name="Endenergie", unit="MWh")
    IndicatorValue.objects.bulk_create(IndicatorValue(indicator=indicator, year=y, value=1000.5 + y) for y in (23, 24))

    queries = {
        "SELECT count(*) FROM networks_person": None,
        "SELECT count(*) FROM events_registration": None,
        "SELECT count(*) FROM measures_measure": None,
        "SELECT string_agg(title, '|' ORDER BY id) FROM events_event": None,
        "SELECT string_agg(title, '|' ORDER BY code) FROM measures_measure": None,
        "SELECT string_agg(value::text, '|' ORDER BY year) FROM monitoring_indicatorvalue": None,
        "SELECT name FROM networks_organisation WHERE slug = 'kreis-dueren'": None,
    }
    with connection.cursor() as cursor:
        for sql in queries:
            cursor.execute(sql)
            queries[sql] = str(cursor.fetchone()[0])
    assert queries["SELECT count(*) FROM events_registration"] == "3"

    backup = tmp_path / "klimanetz.dump"
    _run(
        "backup.sh",
        str(backup),
        env=_script_env(DATABASE_URL=svc.test_database_url(), MEDIA_ROOT=str(_media(tmp_path / "m1"))),
    )
    assert backup.read_bytes()[:5] == b"PGDMP"
    assert (tmp_path / "klimanetz.dump.media.tar.gz").exists()

    fresh = connection.settings_dict["NAME"] + "_restore"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        cursor.execute(f'CREATE DATABASE "{fresh}"')
    fresh_url = svc.test_database_url().rsplit("/", 1)[0] + "/" + fresh
    try:
        media = tmp_path / "m2"
        _run("restore.sh", str(backup), env=_script_env(DATABASE_URL=fresh_url, MEDIA_ROOT=str(media)))
        for sql, expected in queries.items():
            result = subprocess.run(
                ["psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "postgresql://" + fresh_url.split("://", 1)[1]]
                + ["-c", sql],
                capture_output=True,
                text=True,
                check=True,
            )
            assert result.stdout.strip() == expected, sql
        assert (media / "reports" / "1" / "bericht-kreis-dueren.csv").read_text().endswith("2024;1.234,5\n")
        # Restoring again over the restored database (--clean --if-exists) works and changes nothing.
        _run("restore.sh", str(backup), env=_script_env(DATABASE_URL=fresh_url, MEDIA_ROOT=str(media)))
    finally:
        _drop(fresh)


def _drop(name: str, attempts: int = 50) -> None:
    """DROP DATABASE ... WITH (FORCE), again while it is refused: an autovacuum worker that the restore's rows woke
    runs as the superuser, and the test's role may not end it (it is done within seconds)."""
    for attempt in range(attempts):
        try:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except ProgrammingError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.2)


def test_sqlite_backup_restores_into_a_new_file(tmp_path):
    original = tmp_path / "db.sqlite3"
    with sqlite3.connect(original) as db:
        db.execute("PRAGMA journal_mode=WAL")  # as the portal runs it
        db.execute("CREATE TABLE networks_organisation (id integer primary key, name text)")
        db.executemany("INSERT INTO networks_organisation (name) VALUES (?)", [("Kreis Düren",), ("Stadt Köln",)])
    db.close()
    backup = tmp_path / "backup.sqlite3"
    _run("backup.sh", str(backup), env=_script_env(SQLITE_PATH=str(original), MEDIA_ROOT=str(_media(tmp_path / "m1"))))
    with sqlite3.connect(original) as db:  # changed after the backup: not in it
        db.execute("INSERT INTO networks_organisation (name) VALUES ('später')")
    db.close()

    restored, media = tmp_path / "new" / "db.sqlite3", tmp_path / "m2"
    _run("restore.sh", str(backup), env=_script_env(SQLITE_PATH=str(restored), MEDIA_ROOT=str(media)))
    db = sqlite3.connect(restored)
    try:
        rows = db.execute("SELECT name FROM networks_organisation ORDER BY id").fetchall()
    finally:
        db.close()
    assert rows == [("Kreis Düren",), ("Stadt Köln",)]
    assert (media / "reports" / "1" / "bericht-kreis-dueren.csv").exists()

    # A PostgreSQL dump is refused on SQLite (and the other way round): nothing is overwritten.
    wrong = tmp_path / "wrong.dump"
    wrong.write_bytes(b"PGDMP\x01\x0e")
    result = subprocess.run(
        ["bash", str(SCRIPTS / "restore.sh"), str(wrong)],
        env=_script_env(SQLITE_PATH=str(restored)),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and "not an SQLite database" in result.stderr
