from django.db import migrations, models


def field():
    return models.CharField(
        blank=True,
        choices=[
            ("", "not stated"),
            ("free", "free of charge"),
            ("low", "low (up to 100 euros)"),
            ("medium", "medium (up to 1,000 euros)"),
            ("high", "an investment (over 1,000 euros)"),
        ],
        default="",
        help_text="What citizens who take part as described pay themselves (shown and filtered under “Take part”).",
        max_length=8,
        verbose_name="cost of taking part for citizens",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0007_measure_links_contact_messages"),
    ]

    operations = [
        migrations.AddField(model_name="measure", name="citizen_cost", field=field()),
        migrations.AddField(model_name="historicalmeasure", name="citizen_cost", field=field()),
    ]
