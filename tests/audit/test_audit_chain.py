"""The audit trail: append-only, hash-chained, verified by `needlepoint audit verify`."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from needlepoint.audit.models import AppendOnlyError, AuditEvent
from needlepoint.audit.services import GENESIS_HASH, record

pytestmark = pytest.mark.django_db


def three_events():
    return [
        record(actor=None, action="test.event", object_type="thing", object_id=i) for i in range(3)
    ]


def verify() -> str:
    out = io.StringIO()
    call_command("audit", "verify", stdout=out, stderr=out)
    return out.getvalue()


def test_each_event_links_to_the_hash_of_the_one_before():
    first, second, third = three_events()
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash


def test_verify_passes_on_an_intact_chain():
    three_events()
    assert "audit chain intact: 3 events" in verify()


def test_events_cannot_be_changed_or_deleted_through_the_orm():
    event = three_events()[0]
    event.action = "forged"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="forged")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_the_database_itself_refuses_an_update():
    event = three_events()[0]
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'forged' WHERE id = %s", [event.pk])


def _tamper(sql: str, params: list) -> None:
    """Bypass the append-only triggers, as an attacker with the database file would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_event_no_update")
            cursor.execute("DROP TRIGGER audit_event_no_delete")
            cursor.execute(sql, params)


def test_verify_fails_when_a_row_was_changed():
    event = three_events()[1]
    _tamper("UPDATE audit_auditevent SET object_id = 'x' WHERE id = %s", [event.pk])
    with pytest.raises(CommandError, match="broken in 1 place"):
        verify()


def test_verify_fails_when_a_row_was_removed():
    event = three_events()[1]
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    with pytest.raises(CommandError, match="broken"):
        verify()


def test_verify_exits_non_zero_from_the_command_line(tmp_path):
    # `needlepoint audit verify` is what an operator runs; CommandError exits with 1.
    import subprocess
    import sys

    env_db = f"sqlite:///{tmp_path / 'audit.sqlite3'}"
    env = {"DATABASE_URL": env_db, "NEEDLEPOINT_DATA_DIR": str(tmp_path), "PATH": "/usr/bin"}
    run = [sys.executable, "-m", "needlepoint"]
    subprocess.run([*run, "migrate", "-v0"], env=env, check=True)
    subprocess.run([*run, "demo"], env=env, check=True, capture_output=True)
    ok = subprocess.run([*run, "audit", "verify"], env=env, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    import sqlite3

    db = sqlite3.connect(tmp_path / "audit.sqlite3")
    db.execute("DROP TRIGGER audit_event_no_delete")  # as an attacker with the file would
    db.execute("DELETE FROM audit_auditevent WHERE id = 2")
    db.commit()
    broken = subprocess.run([*run, "audit", "verify"], env=env, capture_output=True, text=True)
    assert broken.returncode != 0
    assert "audit event #3 does not link" in broken.stderr
