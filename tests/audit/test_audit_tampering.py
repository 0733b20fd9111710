"""Each way of tampering that docs/operations.md says `audit verify` detects, detected."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from needlepoint.audit.checkpoints import checkpoint_dir, checkpoint_if_due, checkpoint_write
from needlepoint.audit.models import AuditEvent
from needlepoint.audit.services import GENESIS_HASH, record

pytestmark = pytest.mark.django_db


def events(n: int, start: int = 0) -> list[AuditEvent]:
    return [
        record(actor=None, action="test.event", object_type="thing", object_id=i)
        for i in range(start, start + n)
    ]


def verify() -> str:
    out = io.StringIO()
    call_command("audit", "verify", stdout=out, stderr=out)
    return out.getvalue()


def verify_fails() -> tuple[str, CommandError]:
    out = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("audit", "verify", stdout=out, stderr=out)
    return out.getvalue(), failure.value


def tamper(sql: str, params: list | None = None) -> None:
    """Bypass the append-only triggers, as an attacker with the database would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
            cursor.execute(sql, params or [])
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
            cursor.execute(sql, params or [])


def test_an_untouched_chain_verifies_against_its_checkpoints():
    events(3)
    checkpoint_write()
    events(2, start=3)
    checkpoint_write()
    output = verify()
    assert "audit chain intact: 5 events in 1 chain(s)" in output
    assert "2 checkpoint(s) agree" in output


def test_rows_are_hashed_with_a_key_not_plain_sha256():
    event = events(1)[0]
    assert event.key_id == "dev"
    assert event.hash != hashlib.sha256(event.canonical().encode()).hexdigest()
    assert (event.chain, event.seq, event.prev_hash) == ("default", 1, GENESIS_HASH)


def test_a_changed_row_is_detected():
    changed = events(3)[1]
    checkpoint_write()
    tamper("UPDATE audit_auditevent SET object_id = 'x' WHERE id = %s", [changed.pk])
    output, failure = verify_fails()
    assert f"audit event #{changed.pk} its contents do not match its keyed hash" in output
    assert "broken in 1 place" in str(failure)


def test_a_deleted_middle_row_is_detected():
    _, middle, last = events(3)
    checkpoint_write()
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [middle.pk])
    output, _ = verify_fails()
    assert f"audit event #{last.pk} does not link to the row before it" in output
    assert "position 2 of chain 'default' is missing" in output


def test_the_newest_rows_deleted_are_detected():
    written = events(5)
    checkpoint_write()
    tamper("DELETE FROM audit_auditevent WHERE id >= %s", [written[3].pk])
    output, _ = verify_fails()
    assert "recorded 5 events, the table has 3: the newest events were deleted" in output


def test_an_emptied_table_is_detected():
    events(4)
    checkpoint_write()
    tamper("DELETE FROM audit_auditevent")
    output, failure = verify_fails()
    assert "the table has none of them" in output and "emptied" in output
    assert "intact" not in output and "of 0 events" in str(failure)


def _rewrite_with_plain_sha256(change_id: int, *, as_legacy: bool = False) -> None:
    """What an attacker without the key can do: change a row, then recompute every hash
    (SHA-256 over the row, as the code shows) so each row links to the one before."""
    prev = GENESIS_HASH
    for row in AuditEvent.objects.order_by("chain", "seq"):
        if row.pk == change_id:
            row.object_id = "forged"
        if as_legacy:
            row.key_id = ""
        row.prev_hash = prev
        text = row.legacy_canonical() if as_legacy else row.canonical()
        row.hash = hashlib.sha256(text.encode()).hexdigest()
        tamper(
            "UPDATE audit_auditevent SET object_id = %s, key_id = %s, prev_hash = %s, hash = %s "
            "WHERE id = %s",
            [row.object_id, row.key_id, row.prev_hash, row.hash, row.pk],
        )
        prev = row.hash


def test_history_rewritten_with_recomputed_hashes_is_detected():
    written = events(4)
    checkpoint_write()
    _rewrite_with_plain_sha256(written[1].pk)
    output, failure = verify_fails()
    assert "rewritten by someone without the key" in output
    assert "(history was rewritten)" in output  # the checkpoint disagrees too
    assert "broken" in str(failure)


def test_history_rewritten_before_any_checkpoint_is_detected_by_the_key():
    written = events(3)
    _rewrite_with_plain_sha256(written[0].pk)
    output, _ = verify_fails()
    assert output.count("rewritten by someone without the key") == 3


def test_history_rewritten_as_rows_from_before_keyed_hashing_is_detected():
    written = events(3)
    checkpoint_write()
    _rewrite_with_plain_sha256(written[0].pk, as_legacy=True)
    output, _ = verify_fails()
    assert "(history was rewritten)" in output


def test_an_edited_checkpoint_is_detected():
    events(3)
    checkpoint_write()
    path = next(checkpoint_dir().glob("checkpoints-*.jsonl"))
    data = json.loads(path.read_text())
    data["chains"]["default"][0] = 2  # "there were only 2", to hide a deleted third
    path.write_text(json.dumps(data) + "\n")
    output, _ = verify_fails()
    assert "its signature does not match" in output


def test_the_database_itself_refuses_a_delete():
    event = events(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])


def test_an_empty_table_with_no_checkpoints_is_a_fresh_install():
    assert "audit chain intact: 0 events" in verify()


def test_the_periodic_job_writes_a_checkpoint_only_when_due_and_changed(settings):
    settings.NEEDLEPOINT_AUDIT_CHECKPOINT_MINUTES = 5
    assert checkpoint_if_due() is None  # nothing to vouch for yet
    events(2)
    assert checkpoint_if_due() is not None
    events(1, start=2)
    assert checkpoint_if_due() is None  # the last one is younger than 5 minutes
    call_command("reminders", "send", stdout=io.StringIO())
    assert len(checkpoint_lines()) == 1
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        call_command("reminders", "send", stdout=io.StringIO())
    assert len(checkpoint_lines()) == 2
    assert "2 checkpoint(s) agree" in verify()


def checkpoint_lines() -> list[str]:
    return [
        line for path in checkpoint_dir().glob("*.jsonl") for line in path.read_text().splitlines()
    ]


def test_rows_from_before_keyed_hashing_count_only_as_far_as_a_checkpoint_vouches():
    events(2)
    _rewrite_with_plain_sha256(change_id=0, as_legacy=True)  # as the old code wrote them
    out = io.StringIO()
    with pytest.raises(CommandError) as unverified:
        call_command("audit", "verify", stdout=out, stderr=out)
    assert unverified.value.returncode == 2
    assert "positions 1-2 of chain 'default' predate keyed hashing" in out.getvalue()
    checkpoint_write()
    events(1, start=2)  # keyed, linked to the last legacy row
    assert "audit chain intact: 3 events" in verify()


@pytest.mark.sqlite_only
def test_the_migration_keeps_existing_rows_verifiable(tmp_path):
    import sqlite3
    import subprocess
    import sys
    from datetime import UTC, datetime

    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'old.sqlite3'}",
        "NEEDLEPOINT_DATA_DIR": str(tmp_path),
        "PATH": "/usr/bin",
    }
    run = [sys.executable, "-m", "needlepoint"]
    subprocess.run([*run, "migrate", "audit", "0001", "-v0"], env=env, check=True)
    db = sqlite3.connect(tmp_path / "old.sqlite3")
    prev = GENESIS_HASH
    for n in range(3):
        row = AuditEvent(
            occurred_at=datetime(2026, 11, 30, 9, n, 0, 123456, tzinfo=UTC),
            action="patient.read",
            object_type="patient",
            object_id=str(n),
            outcome="allowed",
            channel="web",
            prev_hash=prev,
        )
        row.hash = row.compute_hash(None)  # no key id: the old plain SHA-256
        db.execute(
            "INSERT INTO audit_auditevent (occurred_at, actor_username, actor_role, action, "
            "object_type, object_id, patient_id, outcome, channel, via, ip, request_id, detail, "
            "prev_hash, hash) VALUES (?, '', '', ?, ?, ?, '', ?, ?, '', '', '', '{}', ?, ?)",
            [
                f"2026-11-30 09:0{n}:00.123456",
                row.action,
                row.object_type,
                row.object_id,
                row.outcome,
                row.channel,
                row.prev_hash,
                row.hash,
            ],
        )
        prev = row.hash
    db.commit()
    db.close()
    subprocess.run([*run, "migrate", "-v0"], env=env, check=True, capture_output=True)
    ok = subprocess.run([*run, "audit", "verify"], env=env, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert "intact: 3 events in 1 chain(s); 1 checkpoint(s) agree" in ok.stdout
    db = sqlite3.connect(tmp_path / "old.sqlite3")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("DELETE FROM audit_auditevent")
