"""/healthz answers for the database, the queue (its oldest waiting job), the outbox (its
oldest unsent message) and photo storage (a probe written, read and deleted); a backlog is
"degraded" (200) and shows on the clinic admin's pages, a broken part is "failing" (503)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine

from tests.background import jobs_for_tests as jobs

pytestmark = pytest.mark.django_db
T0 = datetime(2027, 3, 1, 15, 0, tzinfo=UTC)


def _unsent_message(patient, due_at):
    from needlepoint.notifications.models import OutboxMessage

    return OutboxMessage.objects.create(
        key="health:1:email",
        kind="confirmation",
        channel="email",
        patient=patient,
        to="pat@example.com",
        subject="Hello",
        body="Hello",
        due_at=due_at,
    )


def test_all_well(client, settings):
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json() == {
        "status": "ok",
        "database": {"ok": True},
        "queue": {
            "ok": True,
            "waiting": 0,
            "oldest_waiting_seconds": None,
            "running": 0,
            "retrying": 0,
            "failed": 0,
        },
        "outbox": {"ok": True, "unsent": 0, "oldest_unsent_seconds": None},
        "photo_storage": {"ok": True},
    }
    location = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    assert list(location.glob("healthz/*")) == []  # the probe was deleted


def test_a_backlog_is_degraded_and_warns_the_admin(
    client, patient, clinic_admin, staff_client, settings
):
    settings.NEEDLEPOINT_JOBS_BACKLOG_MINUTES = 10
    settings.NEEDLEPOINT_OUTBOX_BACKLOG_MINUTES = 15
    with time_machine.travel(T0, tick=False) as clock:
        jobs.counted.enqueue("late")
        _unsent_message(patient.patient, due_at=T0 - timedelta(minutes=9))
        clock.shift(timedelta(minutes=11))
        answer = client.get("/healthz")
        assert answer.status_code == 200
        body = answer.json()
        assert body["status"] == "degraded"
        assert body["queue"]["ok"] is False
        assert (body["queue"]["waiting"], body["queue"]["oldest_waiting_seconds"]) == (1, 660)
        assert body["outbox"] == {"ok": False, "unsent": 1, "oldest_unsent_seconds": 1200}
        page = staff_client(clinic_admin).get("/staff/setup/").content.decode()
        assert "Background jobs are behind: 1 waiting, the oldest for 11 minutes." in page
        assert "Patient messages are behind: 1 due and not sent, the oldest for 20 minutes." in (
            page
        )


def test_a_job_not_due_yet_is_no_backlog(client):
    with time_machine.travel(T0, tick=False):
        jobs.counted.using(run_after=T0 + timedelta(hours=1)).enqueue("later")
        queue = client.get("/healthz").json()["queue"]
    assert (queue["ok"], queue["waiting"], queue["oldest_waiting_seconds"]) == (True, 0, None)


def test_photo_storage_that_cannot_be_written_is_failing(client, settings, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the photo folder should be")
    settings.STORAGES = {
        **settings.STORAGES,
        "photos": {**settings.STORAGES["photos"], "OPTIONS": {"location": str(blocker)}},
    }
    answer = client.get("/healthz")
    assert answer.status_code == 503
    body = answer.json()
    assert body["status"] == "failing"
    assert body["photo_storage"]["ok"] is False and body["photo_storage"]["error"]
    assert body["database"] == {"ok": True}


def test_staff_pages_of_other_roles_carry_no_warning(front_desk, staff_client):
    with time_machine.travel(T0, tick=False) as clock:
        jobs.counted.enqueue("late")
        clock.shift(timedelta(hours=1))
        page = staff_client(front_desk).get("/staff/").content.decode()
    assert "Background jobs are behind" not in page
