"""The event email switches move to networks.MailOptOut (one switch for every kind of email, networks.mail).

A NotificationSetting row with enabled=False (a kind switched off; the only rows the portal wrote) becomes a
MailOptOut of kind ``event_<kind>``; rows with enabled=True meant "on" and need no row. Backwards, the
event kinds go back to NotificationSetting.
"""

from django.db import migrations

PREFIX = "event_"


def forwards(apps, schema_editor):
    NotificationSetting = apps.get_model("events", "NotificationSetting")
    MailOptOut = apps.get_model("networks", "MailOptOut")
    db = schema_editor.connection.alias  # the database being migrated (not always "default")
    rows = NotificationSetting.objects.using(db).filter(enabled=False).values_list("person_id", "kind").order_by("pk")
    MailOptOut.objects.using(db).bulk_create(
        (MailOptOut(person_id=person_id, kind=PREFIX + kind) for person_id, kind in rows.iterator()),
        batch_size=1000,
        ignore_conflicts=True,
    )


def backwards(apps, schema_editor):
    NotificationSetting = apps.get_model("events", "NotificationSetting")
    MailOptOut = apps.get_model("networks", "MailOptOut")
    db = schema_editor.connection.alias
    rows = MailOptOut.objects.using(db).filter(kind__startswith=PREFIX).values_list("person_id", "kind").order_by("pk")
    NotificationSetting.objects.using(db).bulk_create(
        (
            NotificationSetting(person_id=person_id, kind=kind.removeprefix(PREFIX), enabled=False)
            for person_id, kind in rows.iterator()
        ),
        batch_size=1000,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0003_outcome_completed_label"),
        ("networks", "0005_mailoptout"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="NotificationSetting"),
    ]
