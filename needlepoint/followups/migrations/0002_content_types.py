"""The follow-up content type moves with the model (issue #10, docs/decisions/0305).

The existing ``outcomes.followup`` row is relabelled ``followups.followup`` in place, so its
id stays, and with it the four permissions, every user and group grant of them and the admin
log entries that point at it. Without this, ``post_migrate`` would create a second content
type with new permissions, and ``remove_stale_contenttypes`` would later delete the old ones
together with their grants.
"""

from django.db import migrations

MODEL = "followup"


def _relabel(apps, schema_editor, old_label, new_label):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    types = ContentType.objects.using(db)
    old = types.filter(app_label=old_label, model=MODEL).first()
    if old is None:  # a fresh database: post_migrate creates the content type itself
        return
    fresh = types.filter(app_label=new_label, model=MODEL).first()
    if fresh is not None:  # an empty copy from an earlier partial migrate: keep the old id
        Permission.objects.using(db).filter(content_type=fresh).delete()
        fresh.delete()
    old.app_label = new_label
    old.save(update_fields=["app_label"])
    ContentType.objects.clear_cache()


def forwards(apps, schema_editor):
    _relabel(apps, schema_editor, "outcomes", "followups")


def backwards(apps, schema_editor):
    _relabel(apps, schema_editor, "followups", "outcomes")


class Migration(migrations.Migration):

    dependencies = [
        ("followups", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
