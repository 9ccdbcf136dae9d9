import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0008_outcome_network_fill"),
        ("networks", "0010_outbox_headers"),
    ]

    operations = [
        migrations.AlterField(
            model_name="outcome",
            name="network",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="outcomes",
                to="networks.network",
                verbose_name="network",
            ),
        ),
    ]
