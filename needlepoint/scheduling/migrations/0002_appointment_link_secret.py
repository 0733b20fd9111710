"""Every appointment gets its own random link secret; existing rows each get a fresh one
(docs/decisions/0220-link-secrets.md)."""

import secrets

from django.db import migrations, models

import needlepoint.scheduling.models


def fill_secrets(apps, schema_editor):
    Appointment = apps.get_model("scheduling", "Appointment")
    for pk in Appointment.objects.filter(link_secret="").values_list("pk", flat=True).iterator():
        Appointment.objects.filter(pk=pk).update(link_secret=secrets.token_urlsafe(16))


class Migration(migrations.Migration):
    dependencies = [
        ("scheduling", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="appointment",
            name="link_secret",
            field=models.CharField(default="", editable=False, max_length=32),
        ),
        migrations.RunPython(fill_secrets, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="appointment",
            name="link_secret",
            field=models.CharField(
                default=needlepoint.scheduling.models.new_link_secret,
                editable=False,
                max_length=32,
            ),
        ),
    ]
