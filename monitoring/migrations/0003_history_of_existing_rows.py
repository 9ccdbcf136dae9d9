"""The rows written before their history was kept get their first history record (networks.history.record_existing),
so that the admin shows what their first change changed (instead of a change without a "before")."""

from django.db import migrations

from networks.history import record_existing

LABELS = [
    "events.Event",
    "events.Registration",
    "events.Outcome",
    "measures.Proposal",
    "measures.Comment",
    "measures.Milestone",
    "measures.MeasureUpdate",
    "measures.Measure",
    "monitoring.IndicatorValue",
    "monitoring.EmissionBalance",
    "monitoring.HeatPlanning",
    "monitoring.HeatPlanningStep",
    "monitoring.ClimateStrategy",
    "networks.Person",
    "networks.Invitation",
    "networks.AffiliationRequest",
    "networks.Network",
    "networks.Membership",
    "networks.NetworkRole",
]


def forwards(apps, schema_editor):
    record_existing(apps, schema_editor, LABELS)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0006_markdown_html"),
        ("measures", "0006_history"),
        ("monitoring", "0002_history"),
        ("networks", "0008_history"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
