"""The restore drill of issue #13, on the database the suite runs on (SQLite, and PostgreSQL
in `make test`'s second pass): a clinic with bookings, charts, photos and audit; a backup
taken while 20 bookings are being made; a restore into a fresh database and photo store by
`needlepoint restore`, as an operator runs it. Every row that existed before the snapshot,
every photo byte and every audit hash comes back identical, `audit verify` passes and
reports the restore, and a new record gets an id no record ever had (deleted ones included,
and ones issued after the backup, lost with the restore).
"""

from __future__ import annotations

import threading
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.db import connection
from pyrage import x25519

from needlepoint.audit.checkpoints import chain_heads, checkpoint_write
from needlepoint.backup.services import backup_create
from tests.backup.targets import fresh_target, read_tables, run_needlepoint

pytestmark = pytest.mark.django_db(transaction=True)

BOOKINGS = 20
VERIFY_THEN_CREATE = """
from django.core.management import call_command
from needlepoint.patients.models import Patient
call_command("audit", "verify")
print(Patient.objects.create(given_name="After", family_name="Restore",
                             date_of_birth="1990-01-01").pk)
"""


def _starts(zone: object) -> list[datetime]:
    """Twenty half-hour starts on weekdays ten weeks out: clear of the demo's own visits."""
    day = datetime.now(zone).date() + timedelta(days=70)  # type: ignore[arg-type]
    starts: list[datetime] = []
    while len(starts) < BOOKINGS:
        if day.weekday() < 5:
            for half in range(16):
                moment = time(9 + half // 2, 30 * (half % 2))
                starts.append(datetime.combine(day, moment, tzinfo=zone))  # type: ignore[arg-type]
        day += timedelta(days=1)
    return starts[:BOOKINGS]


def _book_concurrently(
    started: threading.Condition, acked: list[int], errors: list[BaseException]
) -> list[threading.Thread]:
    """Start the 20 bookings, each in its own thread (its own database connection)."""
    from needlepoint.accounts.models import User
    from needlepoint.clinic.models import Location, Service
    from needlepoint.patients.models import Patient
    from needlepoint.scheduling.services import appointment_book

    desk = User.objects.get(role="front_desk", username="frontdesk")
    location = Location.objects.get(slug="main")
    consultation = Service.objects.get(slug="consultation")
    patients = [
        Patient.objects.create(
            given_name=f"Drill{n}", family_name="Booker", date_of_birth="1990-01-01"
        )
        for n in range(BOOKINGS)
    ]

    def book(patient: Patient, start: datetime) -> None:
        try:
            appointment = appointment_book(
                actor=desk, patient=patient, service=consultation, start=start, location=location
            )
            with started:
                acked.append(appointment.pk)
                started.notify_all()
        except BaseException as exc:  # reported by the test, not lost in the thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=book, args=(p, s))
        for p, s in zip(patients, _starts(location.zone), strict=True)
    ]
    for thread in threads:
        thread.start()
    return threads


def test_a_backup_taken_while_booking_restores_identically_into_a_fresh_target(tmp_path: Path):
    from needlepoint.demo.load import load_demo
    from needlepoint.patients.models import Patient

    load_demo("a long demo password 123", generated=False)
    # A record created and deleted before the backup: its id must never be issued again.
    ghost = Patient.objects.create(
        given_name="Ghost", family_name="Gone", date_of_birth="1990-01-01"
    )
    ghost_id = ghost.pk
    ghost.delete()

    started = threading.Condition()
    acked: list[int] = []
    errors: list[BaseException] = []
    threads = _book_concurrently(started, acked, errors)
    with started:
        assert started.wait_for(lambda: len(acked) >= 5, timeout=120), errors
        acknowledged_before = set(acked)
    before = read_tables()  # every row committed before the snapshot starts
    identity = x25519.Identity.generate()
    result = backup_create(out=tmp_path / "backup", recipients_text=str(identity.to_public()))
    for thread in threads:
        thread.join()
    assert errors == [] and len(acked) == BOOKINGS
    # The source goes on (and is checkpointed) after the backup: its checkpoint records
    # events the restored database will never have; the restore anchor must explain them.
    checkpoint_write()
    assert chain_heads() != result.state.heads
    # A record made after the backup is lost with the restore; a reference to it may live on.
    lost_id = Patient.objects.create(
        given_name="Lost", family_name="After", date_of_birth="1990-01-01"
    ).pk

    key = tmp_path / "backup-identity.txt"
    key.write_text(f"# test identity\n{identity}\n")
    target_data = tmp_path / "restored-data"
    checkpoints = Path(settings.NEEDLEPOINT_AUDIT_CHECKPOINT_DIR)
    with fresh_target(tmp_path) as target:
        restored = run_needlepoint(
            target,
            target_data,
            checkpoints,
            "restore",
            str(tmp_path / "backup"),
            "--identity",
            str(key),
        )
        assert restored.returncode == 0, restored.stderr
        assert "restored the backup taken" in restored.stdout
        assert f"{len(result.state.photo_names)} photo files, every hash checked" in restored.stdout

        # `audit verify` on the restored database, then a new record's id, in one process.
        checked = run_needlepoint(
            target, target_data, checkpoints, "shell", "--no-imports", "-c", VERIFY_THEN_CREATE
        )
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert "restore: restored on" in checked.stdout
        assert "lost with the restore" in checked.stdout
        assert "audit chain intact" in checked.stdout
        new_id = int(checked.stdout.split()[-1])
        assert new_id > lost_id > ghost_id  # never an id issued before, deleted or lost

        after = read_tables(target)
        for table, rows in before.items():
            if table == "sqlite_sequence":
                continue  # positions move on with every insert; the new id above checks them
            missing = rows - after.get(table, set())
            assert not missing, (
                f"{table}: {len(missing)} row(s) committed before the snapshot are missing"
            )
        appointment_ids = {int(row[0]) for row in after["scheduling_appointment"]}
        assert acknowledged_before <= appointment_ids

        source_store = Path(storages["default"].path(""))
        for name in result.state.photo_names:
            assert (target_data / "private" / name).read_bytes() == (
                source_store / name
            ).read_bytes()
        assert len(result.state.photo_names) >= 2
