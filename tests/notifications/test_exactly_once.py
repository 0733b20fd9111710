"""Each outbox message goes to one sender: concurrent senders never send it twice, and a
sender that dies is replaced once its lease ends. The one window left is a crash between the
provider accepting a message and the row being marked sent: documented, and the resend then
carries the same Message-ID (docs/decisions/0130-outbox-exactly-once.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection

from tests.notifications.clinic_fixtures import NOW

MESSAGES = 120


def _make_messages(patient, n=MESSAGES, due=NOW - timedelta(minutes=1)):
    from needlepoint.notifications.models import OutboxMessage

    OutboxMessage.objects.bulk_create(
        OutboxMessage(
            key=f"test:{i}:email",
            kind="confirmation",
            channel="email",
            patient=patient,
            to="pat@example.com",
            subject=f"Message {i}",
            body="Hello",
            due_at=due,
        )
        for i in range(n)
    )


@pytest.mark.django_db
def test_a_sender_that_died_after_claiming_is_replaced_once_its_lease_ends(
    patient, frozen, mailoutbox, settings
):
    from needlepoint.notifications.services import _claim, outbox_deliver

    _make_messages(patient.patient, n=3)
    claimed = _claim(NOW, "dead-worker", 100, None)  # claims, then "crashes" before sending
    assert len(claimed) == 3
    assert outbox_deliver(worker="second").sent == 0  # the lease still holds
    frozen.move_to(NOW + timedelta(seconds=settings.NEEDLEPOINT_OUTBOX_LEASE_SECONDS + 1))
    assert outbox_deliver(worker="second").sent == 3
    assert outbox_deliver(worker="third").sent == 0
    assert sorted(m.subject for m in mailoutbox) == ["Message 0", "Message 1", "Message 2"]


@pytest.mark.django_db
def test_a_crash_between_sending_and_marking_resends_with_the_same_message_id(
    patient, frozen, mailoutbox, settings, monkeypatch
):
    from needlepoint.notifications import services

    _make_messages(patient.patient, n=1)
    real_finish = services.outbox._finish

    class Crash(Exception):
        pass

    def crash_when_marking_sent(message, worker, **changes):
        if changes.get("status") == "sent":
            raise Crash
        return real_finish(message, worker, **changes)

    monkeypatch.setattr(services.outbox, "_finish", crash_when_marking_sent)
    with pytest.raises(Crash):
        services.outbox_deliver(worker="doomed")
    monkeypatch.setattr(services.outbox, "_finish", real_finish)
    assert services.outbox_deliver(worker="next").sent == 0  # not before the lease ends
    frozen.move_to(NOW + timedelta(seconds=settings.NEEDLEPOINT_OUTBOX_LEASE_SECONDS + 1))
    assert services.outbox_deliver(worker="next").sent == 1
    assert services.outbox_deliver(worker="next").sent == 0
    assert len(mailoutbox) == 2  # at-least-once: the documented window
    assert mailoutbox[0].extra_headers["Message-ID"] == mailoutbox[1].extra_headers["Message-ID"]


def test_a_failing_provider_is_retried_later_and_then_given_up(db, patient, frozen, monkeypatch):
    from needlepoint.notifications import services
    from needlepoint.notifications.models import OutboxMessage

    _make_messages(patient.patient, n=1)

    def down(message):
        raise ConnectionError("smtp down")

    monkeypatch.setattr(services.outbox, "_transmit", down)
    report = services.outbox_deliver()
    assert report.retrying == 1
    row = OutboxMessage.objects.get()
    assert row.status == "pending" and "smtp down" in row.last_error and row.due_at > NOW
    for _ in range(10):
        frozen.shift(timedelta(days=1))
        services.outbox_deliver()
    row.refresh_from_db()
    assert row.status == "failed" and row.attempts == services.MAX_ATTEMPTS


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_senders_on_postgresql_send_each_message_once(patient):
    from django.utils import timezone

    from needlepoint.notifications import services
    from needlepoint.notifications.models import OutboxMessage

    _make_messages(patient.patient, due=timezone.now() - timedelta(minutes=1))  # not frozen
    sent: list[str] = []
    lock = threading.Lock()
    real = services.outbox._transmit

    def counting(message):
        with lock:
            sent.append(message.key)

    services.outbox._transmit = counting
    try:

        def run(n):
            try:
                services.outbox_deliver(worker=f"w{n}", batch=7)
            finally:
                connection.close()

        threads = [threading.Thread(target=run, args=(n,)) for n in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        services.outbox._transmit = real
    assert Counter(sent) == Counter(f"test:{i}:email" for i in range(MESSAGES))
    assert OutboxMessage.objects.filter(status="sent").count() == MESSAGES


SEED = """
import django
django.setup()
from datetime import timedelta
from django.utils import timezone
from needlepoint.notifications.models import OutboxMessage
from needlepoint.patients.models import Patient

patient = Patient.objects.create(
    given_name="Ada", family_name="Load", date_of_birth="1990-01-01",
    email="ada@example.com", phone="+1 555 0100",
)
OutboxMessage.objects.bulk_create(
    OutboxMessage(
        key=f"load:{i}:{channel}", kind="confirmation", channel=channel, patient=patient,
        to="ada@example.com" if channel == "email" else "+1 555 0100",
        subject=f"Message {i}", body=f"Body {i}", due_at=timezone.now() - timedelta(minutes=1),
    )
    for i in range(%d) for channel in ("email", "sms")
)
"""


@pytest.mark.sqlite_only  # PostgreSQL has its own concurrency test
def test_concurrent_sender_processes_on_a_sqlite_file_send_each_message_once(tmp_path: Path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "NEEDLEPOINT_ENV": "test",
        "NEEDLEPOINT_DATA_DIR": str(tmp_path),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "outbox"),
        "NEEDLEPOINT_SMS_BACKEND": "needlepoint.notifications.backends.sms.FileSmsBackend",
        "NEEDLEPOINT_SMS_FILE_PATH": str(tmp_path / "sms"),
        "DJANGO_SETTINGS_MODULE": "needlepoint.settings",
    }
    run = [sys.executable, "-m", "needlepoint"]
    subprocess.run([*run, "migrate", "--noinput", "-v", "0"], env=env, check=True)
    subprocess.run([sys.executable, "-c", SEED % MESSAGES], env=env, check=True)
    senders = [
        subprocess.Popen(
            [*run, "reminders", "send", "--no-waitlist"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(4)
    ]
    for sender in senders:
        _, err = sender.communicate(timeout=180)
        assert sender.returncode == 0, err.decode()[-2000:]
    email_ids = []
    for path in (tmp_path / "outbox").glob("*.log"):
        email_ids += [
            line.split(":", 1)[1].strip()
            for line in path.read_text().splitlines()
            if line.startswith("Message-ID:")
        ]
    sms_keys = [json.loads(p.read_text())["key"] for p in (tmp_path / "sms").glob("*.json")]
    assert len(email_ids) == MESSAGES and len(set(email_ids)) == MESSAGES
    assert sorted(sms_keys) == sorted(f"load:{i}:sms" for i in range(MESSAGES))
