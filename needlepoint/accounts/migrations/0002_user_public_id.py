"""Every user gets an opaque public id (existing rows one each, then unique)."""

from django.db import migrations, models

import needlepoint.accounts.models


def fill_public_ids(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.filter(public_id__isnull=True).only("pk"):
        User.objects.filter(pk=user.pk).update(
            public_id=needlepoint.accounts.models.new_public_id()
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="public_id",
            field=models.CharField(editable=False, max_length=32, null=True),
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="public_id",
            field=models.CharField(
                default=needlepoint.accounts.models.new_public_id,
                editable=False,
                max_length=32,
                unique=True,
            ),
        ),
    ]
