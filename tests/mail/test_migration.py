"""The move of events' NotificationSetting to networks' MailOptOut keeps every switched-off kind."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("events", "0003_outcome_completed_label"), ("networks", "0005_mailoptout")]
AFTER = [("events", "0004_notificationsetting_to_networks_mailoptout")]


def test_the_data_migration_keeps_the_switched_off_event_kinds():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    User, Person = apps.get_model("networks", "User"), apps.get_model("networks", "Person")
    Setting = apps.get_model("events", "NotificationSetting")
    people = [
        Person.objects.create(name=f"P{n}", user=User.objects.create(email=f"p{n}@example.org")) for n in range(3)
    ]
    Setting.objects.create(person=people[0], kind="reminder_7d", enabled=False)
    Setting.objects.create(person=people[0], kind="minutes", enabled=False)
    Setting.objects.create(person=people[1], kind="confirmation", enabled=False)
    Setting.objects.create(person=people[2], kind="changed", enabled=True)  # "on": no switch needed

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    moved = set(apps.get_model("networks", "MailOptOut").objects.values_list("person_id", "kind"))
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
    back = set(apps.get_model("events", "NotificationSetting").objects.values_list("person_id", "kind", "enabled"))
    assert back == {
        (people[0].pk, "reminder_7d", False),
        (people[0].pk, "minutes", False),
        (people[1].pk, "confirmation", False),
    }

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())  # leave the database as the other tests expect it
