"""Every existing outcome belongs to its event's network (outcomes without an event come with issue 15)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill_network(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    network_of_event = Subquery(Event.objects.filter(pk=OuterRef("event_id")).values("network_id")[:1])
    for name in ("Outcome", "HistoricalOutcome"):
        model = apps.get_model("events", name)
        model.objects.filter(network__isnull=True, event_id__isnull=False).update(network_id=network_of_event)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0007_outcome_network_working_group_comments"),
    ]

    operations = [
        migrations.RunPython(fill_network, migrations.RunPython.noop),
    ]
