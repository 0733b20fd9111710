"""`audit verify` after a restore: a signed restore anchor explains what checkpoints written
before the restore recorded beyond the backup, and nothing else. A truncation after the
restore, a restore without an anchor, a forged anchor and an anchor that does not match the
table are all still reported."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from needlepoint.audit.checkpoints import chain_heads, checkpoint_dir, checkpoint_write
from needlepoint.audit.restores import RESTORES_FILE, restore_anchor_write
from tests.audit.test_audit_tampering import events, tamper, verify, verify_fails

pytestmark = pytest.mark.django_db


def _restored_to(keep: int, written: int) -> tuple:
    """`written` events checkpointed, then the database "restored" from a backup that held
    the first `keep` (the later rows are gone, as after a restore)."""
    rows = events(written)
    start = timezone.now() - timedelta(hours=2)
    checkpoint_write(now=start)
    tamper("DELETE FROM audit_auditevent WHERE id > %s", [rows[keep - 1].pk])
    return rows, start


def test_a_restore_with_its_anchor_verifies_and_is_reported():
    _, start = _restored_to(3, 6)
    restore_anchor_write(
        chains=chain_heads(),
        taken_at=start - timedelta(hours=1),
        restored_at=start + timedelta(hours=1),
    )
    events(4, start=100)  # the clinic carries on: positions 4-7 now hold other rows
    checkpoint_write()
    output = verify()
    assert "restore: restored on" in output
    assert "'default' at 3" in output
    assert "1 checkpoint record(s) from before the restore name events after the backup" in output
    assert "audit chain intact: 7 events in 1 chain(s)" in output


def test_the_same_restore_without_an_anchor_is_a_truncation():
    _restored_to(3, 6)
    output, _ = verify_fails()
    assert "recorded 6 events, the table has 3: the newest events were deleted" in output


def test_a_truncation_after_the_restore_is_still_reported():
    _, start = _restored_to(3, 6)
    restore_anchor_write(
        chains=chain_heads(), taken_at=start, restored_at=start + timedelta(hours=1)
    )
    later = events(3, start=100)
    checkpoint_write()  # after the restore: it vouches for every row, in full
    tamper("DELETE FROM audit_auditevent WHERE id >= %s", [later[1].pk])
    output, _ = verify_fails()
    assert "recorded 6 events, the table has 4: the newest events were deleted" in output


def test_a_checkpoint_from_after_the_restore_is_not_explained_away():
    rows = events(5)
    restore_anchor_write(
        chains={"default": (2, rows[1].hash)},
        taken_at=timezone.now() - timedelta(hours=3),
        restored_at=timezone.now() - timedelta(hours=2),
    )
    checkpoint_write()
    tamper("DELETE FROM audit_auditevent WHERE id >= %s", [rows[3].pk])
    output, _ = verify_fails()
    assert "recorded 5 events, the table has 3" in output


def test_a_forged_anchor_is_reported():
    _, start = _restored_to(3, 6)
    restore_anchor_write(
        chains=chain_heads(), taken_at=start, restored_at=start + timedelta(hours=1)
    )
    path = checkpoint_dir() / RESTORES_FILE
    data = json.loads(path.read_text())
    data["chains"]["default"][0] = 2  # moved to hide more
    path.write_text(json.dumps(data) + "\n")
    output, _ = verify_fails()
    assert "restore anchor restores.jsonl:1: its signature does not match" in output


def test_an_anchor_that_does_not_match_the_table_is_reported():
    _, start = _restored_to(3, 6)
    seq, _ = chain_heads()["default"]
    restore_anchor_write(
        chains={"default": (seq, "f" * 64)}, taken_at=start, restored_at=start + timedelta(hours=1)
    )
    output, _ = verify_fails()
    assert "differs from checkpoint restore" in output


def test_a_second_restore_from_an_older_backup_explains_the_first_anchor():
    rows, start = _restored_to(4, 6)
    restore_anchor_write(
        chains=chain_heads(), taken_at=start, restored_at=start + timedelta(hours=1)
    )
    tamper("DELETE FROM audit_auditevent WHERE id > %s", [rows[1].pk])  # back to 2 events
    restore_anchor_write(
        chains=chain_heads(),
        taken_at=start - timedelta(hours=5),
        restored_at=start + timedelta(hours=1, minutes=30),
    )
    events(2, start=100)
    output = verify()
    assert output.count("restore: restored on") == 2
    assert "audit chain intact: 4 events in 1 chain(s)" in output
