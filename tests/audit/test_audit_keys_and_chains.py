"""Key rotation, a missing key, and one chain per location with its own lock."""

from __future__ import annotations

import io
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError, close_old_connections, connection, transaction

from needlepoint.audit.checkpoints import checkpoint_write
from needlepoint.audit.keys import AuditKeyError, parse_keys
from needlepoint.audit.models import AuditEvent
from needlepoint.audit.services import GENESIS_HASH, record

OLD = ("k1", "the-first-audit-key-of-the-clinic-0123456789")
NEW = ("k2", "the-second-audit-key-of-the-clinic-0123456789")


def event(n: int = 0, chain: str = "") -> AuditEvent:
    return record(actor=None, action="test.event", object_type="thing", object_id=n, chain=chain)


def verify() -> str:
    out = io.StringIO()
    call_command("audit", "verify", stdout=out, stderr=out)
    return out.getvalue()


@pytest.mark.django_db
def test_after_rotation_new_events_use_the_new_key_and_old_ones_still_verify(settings):
    settings.NEEDLEPOINT_AUDIT_KEYS = [OLD]
    event(1)
    checkpoint_write()
    settings.NEEDLEPOINT_AUDIT_KEYS = [NEW, OLD]
    assert event(2).key_id == "k2"
    checkpoint_write()
    assert "audit chain intact: 2 events" in verify()


@pytest.mark.django_db
def test_verify_names_what_it_cannot_check_when_a_key_is_missing(settings):
    settings.NEEDLEPOINT_AUDIT_KEYS = [OLD]
    event(1)
    event(2)
    checkpoint_write()
    settings.NEEDLEPOINT_AUDIT_KEYS = [NEW]  # the old key was dropped instead of retired
    out = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("audit", "verify", stdout=out, stderr=out)
    assert failure.value.returncode == 2
    assert "audit chain unverified" in str(failure.value)
    text = out.getvalue()
    assert "2 event(s) of chain 'default'" in text and "key 'k1'" in text
    assert "checkpoint checkpoints-" in text and "not used" in text
    assert "broken" not in text


def test_key_settings_are_checked():
    assert parse_keys("k2:" + "x" * 32 + "\n# retired\nk1:" + "y" * 32, "file") == [
        ("k2", "x" * 32),
        ("k1", "y" * 32),
    ]
    for bad in ["no-colon", "k1:short", "bad id!:" + "x" * 32, f"a:{'x' * 32},a:{'y' * 32}"]:
        with pytest.raises(AuditKeyError):
            parse_keys(bad, "NEEDLEPOINT_AUDIT_KEYS")


@pytest.mark.django_db(transaction=True)
def test_each_location_has_its_own_chain():
    first = event(1, chain="location:1")
    other = event(2, chain="location:2")
    second = event(3, chain="location:1")
    assert (first.seq, first.prev_hash) == (1, GENESIS_HASH)
    assert (other.seq, other.prev_hash) == (1, GENESIS_HASH)
    assert (second.seq, second.prev_hash) == (2, first.hash)
    assert event(4).chain == "default"
    assert "audit chain intact: 4 events in 3 chain(s)" in verify()


@pytest.mark.django_db(transaction=True)
def test_a_transaction_keeps_to_the_chain_of_its_first_event():
    # One chain lock per transaction: two transactions can never wait on each other's.
    with transaction.atomic():
        event(1, chain="location:1")
        assert event(2, chain="location:2").chain == "location:1"
    assert event(3, chain="location:2").chain == "location:2"


@pytest.mark.django_db(transaction=True)
def test_the_sqlite_flush_may_empty_the_table():
    event(1)
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_appends_at_different_locations_do_not_wait_for_each_other():
    holding, release = threading.Event(), threading.Event()

    def hold_location_one() -> None:
        try:
            with transaction.atomic():
                event(1, chain="location:1")
                holding.set()
                release.wait(10)
        finally:
            close_old_connections()

    holder = threading.Thread(target=hold_location_one)
    holder.start()
    assert holding.wait(10)
    try:
        with transaction.atomic():
            connection.cursor().execute("SET LOCAL lock_timeout = '2s'")
            assert event(2, chain="location:2").seq == 1  # not blocked by location 1
        with pytest.raises(OperationalError), transaction.atomic():
            connection.cursor().execute("SET LOCAL lock_timeout = '300ms'")
            event(3, chain="location:1")  # the same location waits for the holder
    finally:
        release.set()
        holder.join(10)
    assert event(4, chain="location:1").seq == 2
