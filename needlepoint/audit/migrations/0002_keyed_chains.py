"""Keyed chains (docs/decisions/0230-audit-chain.md): each row gets a chain, a position in it
and the id of the key that hashed it. Rows already written keep their plain SHA-256 hashes
(key id "") and become positions 1..n of the default chain, in the order they were written;
a checkpoint written here vouches for them. SQLite now refuses DELETE as well as UPDATE."""

from django.db import migrations, models

SQLITE_NO_DELETE = """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;"""
SQLITE_NO_UPDATE = """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;"""
NUMBER_ROWS = """UPDATE audit_auditevent SET seq = numbered.n FROM
    (SELECT id, row_number() OVER (ORDER BY id) AS n FROM audit_auditevent) AS numbered
    WHERE audit_auditevent.id = numbered.id"""


def number_existing_rows(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
        schema_editor.execute(NUMBER_ROWS)
        schema_editor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
        schema_editor.execute(NUMBER_ROWS)
    else:
        schema_editor.execute(NUMBER_ROWS)


def add_sqlite_triggers(apps, schema_editor):
    # After AddConstraint: SQLite rebuilds the table for it, which drops its triggers.
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
        schema_editor.execute(SQLITE_NO_UPDATE)
        schema_editor.execute(SQLITE_NO_DELETE)


def vouch_for_existing_rows(apps, schema_editor):
    # Rows from before keyed hashing are trusted as far as a checkpoint covers them; the
    # first one is written now, while they are known to be the ones the app wrote.
    from needlepoint.audit.checkpoints import checkpoint_write

    if apps.get_model("audit", "AuditEvent").objects.exists():
        try:
            checkpoint_write()
        except OSError as exc:
            print(f"\n  audit: no checkpoint written ({exc}); run `needlepoint audit checkpoint`")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="chain",
            field=models.CharField(default="default", max_length=64),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(blank=True, default="", max_length=16),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.RunPython(number_existing_rows, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(
                fields=("chain", "seq"), name="audit_event_chain_position"
            ),
        ),
        migrations.RunPython(add_sqlite_triggers, migrations.RunPython.noop),
        migrations.RunPython(vouch_for_existing_rows, migrations.RunPython.noop),
    ]
