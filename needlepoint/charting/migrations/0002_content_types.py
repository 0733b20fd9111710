"""The moved models' content types become `charting.*` with the ids they had (issue #10).

Without this, `post_migrate` would create new `charting.*` content types and permissions
beside the old `treatments.*` ones; the grants of the old permissions (to users and groups)
and the admin log entries would point at stale rows, which `remove_stale_contenttypes`
deletes together with them. Changing the app label in place keeps every id: permission
codenames carry no app label, so grants and log entries stay as they are.

A fresh database has no old rows: `post_migrate` creates the `charting.*` ones as usual.
"""

from django.db import migrations

MOVED = (
    "consentsignature",
    "dayofcheck",
    "sessionchart",
    "chartamendment",
    "cartridgereceipt",
    "cartridgeuse",
    "adverseevent",
)


def _relabel(apps, schema_editor, old_label, new_label):
    content_type = apps.get_model("contenttypes", "ContentType")
    permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    for model in MOVED:
        old = content_type.objects.using(db).filter(app_label=old_label, model=model).first()
        if old is None:
            continue
        # A migrate that stopped half-way may have let post_migrate make an empty twin under
        # the new label: drop it (and its permissions, granted to nobody yet), keep the old id.
        twin = content_type.objects.using(db).filter(app_label=new_label, model=model).first()
        if twin is not None:
            permission.objects.using(db).filter(content_type=twin).delete()
            twin.delete()
        old.app_label = new_label
        old.save(update_fields=["app_label"])


def forwards(apps, schema_editor):
    _relabel(apps, schema_editor, "treatments", "charting")


def backwards(apps, schema_editor):
    _relabel(apps, schema_editor, "charting", "treatments")


class Migration(migrations.Migration):
    dependencies = [
        ("charting", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
