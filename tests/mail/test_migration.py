"""The move of events' NotificationSetting to networks' MailOptOut keeps every switched-off kind.

It runs in a database of its own, empty at the start: migrating it to BEFORE applies only the few migrations
before the move, instead of undoing and redoing every later migration of the test database (which took about
100 s of the suite's time); the test database stays as the other tests expect it."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import load_backend

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("events", "0003_outcome_completed_label"), ("networks", "0005_mailoptout")]
AFTER = [("events", "0004_notificationsetting_to_networks_mailoptout")]
ALIAS = "migration_check"


@pytest.fixture
def connection():
    """A connection to an empty database beside the test database (PostgreSQL: created and dropped here;
    SQLite: a file in a temporary folder)."""
    default = connections["default"]
    settings = dict(default.settings_dict)
    folder = None
    if default.vendor == "postgresql":
        settings["NAME"] = f"{default.settings_dict['NAME']}_migration_check"
        with default.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{settings["NAME"]}"')
            cursor.execute(f'CREATE DATABASE "{settings["NAME"]}"')
    else:
        folder = tempfile.TemporaryDirectory()
        settings["NAME"] = str(Path(folder.name) / "migration_check.sqlite3")
    # Connected before it is registered: Django's test case refuses a new connection to an alias it was not told
    # about, but allows "dynamically created" ones; registered afterwards, so the ORM's .using(ALIAS) finds it.
    wrapper = load_backend(settings["ENGINE"]).DatabaseWrapper(settings, ALIAS)
    wrapper.ensure_connection()
    connections.settings[ALIAS] = settings
    connections[ALIAS] = wrapper
    try:
        yield wrapper
    finally:
        connections[ALIAS].close()
        del connections[ALIAS]
        del connections.settings[ALIAS]
        if folder is None:
            with default.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{settings["NAME"]}"')
        else:
            folder.cleanup()


def test_the_data_migration_keeps_the_switched_off_event_kinds(connection):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    User, Person = apps.get_model("networks", "User"), apps.get_model("networks", "Person")
    Setting = apps.get_model("events", "NotificationSetting")
    people = [
        Person.objects.using(ALIAS).create(
            name=f"P{n}", user=User.objects.using(ALIAS).create(email=f"p{n}@example.org")
        )
        for n in range(3)
    ]
    Setting.objects.using(ALIAS).create(person=people[0], kind="reminder_7d", enabled=False)
    Setting.objects.using(ALIAS).create(person=people[0], kind="minutes", enabled=False)
    Setting.objects.using(ALIAS).create(person=people[1], kind="confirmation", enabled=False)
    Setting.objects.using(ALIAS).create(person=people[2], kind="changed", enabled=True)  # "on": no switch needed

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    moved = set(apps.get_model("networks", "MailOptOut").objects.using(ALIAS).values_list("person_id", "kind"))
    assert moved == {
        (people[0].pk, "event_reminder_7d"),
        (people[0].pk, "event_minutes"),
        (people[1].pk, "event_confirmation"),
    }
    assert "events_notificationsetting" not in connection.introspection.table_names()

    # and back: the event kinds return to NotificationSetting
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    back = set(
        apps.get_model("events", "NotificationSetting").objects.using(ALIAS).values_list("person_id", "kind", "enabled")
    )
    assert back == {
        (people[0].pk, "reminder_7d", False),
        (people[0].pk, "minutes", False),
        (people[1].pk, "confirmation", False),
    }
