# The closed working group's help text names what is closed (issue 15: its meetings and tasks too).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("networks", "0015_organisation_area"),
    ]

    operations = [
        migrations.AlterField(
            model_name="workinggroup",
            name="is_open",
            field=models.BooleanField(
                default=True,
                help_text=(
                    "Open: all members of the network can read the group and join it themselves. Closed: only the "
                    "group's members and the coordination see its discussions, documents, meetings and tasks; the "
                    "coordinators add members."
                ),
                verbose_name="open group",
            ),
        ),
    ]
