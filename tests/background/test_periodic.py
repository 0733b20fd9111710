"""Periodic jobs fire once per period however many workers look at the same moment (threads
here, processes below), on SQLite and on PostgreSQL; each firing runs once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from tests.background import jobs_for_tests as jobs
from tests.background.workers import drain, in_threads

T0 = datetime(2027, 3, 1, 13, 0, 7, tzinfo=UTC)


def test_a_period_is_counted_from_the_epoch_so_every_worker_agrees() -> None:
    from needlepoint.core.background.periodic import period_start

    assert period_start(T0, timedelta(minutes=1)) == datetime(2027, 3, 1, 13, 0, tzinfo=UTC)
    assert period_start(T0, timedelta(days=1)) == datetime(2027, 3, 1, tzinfo=UTC)
    assert period_start(T0 + timedelta(seconds=53), timedelta(minutes=1)) == datetime(
        2027, 3, 1, 13, 1, tzinfo=UTC
    )


@pytest.mark.django_db(transaction=True)
def test_four_workers_at_the_same_moment_fire_each_period_once_and_it_runs_once() -> None:
    from django_tasks_db.models import DBTaskResult

    from needlepoint.core.background.periodic import Periodic, fire_due
    from needlepoint.core.models import PeriodicFiring

    jobs.RUNS.clear()
    schedule = [
        Periodic("test-minute", timedelta(minutes=1), jobs.every_minute),
        Periodic("test-hour", timedelta(hours=1), jobs.every_hour),
    ]
    fired: list[str] = []
    for minute in range(3):
        now = T0 + timedelta(minutes=minute)
        errors = in_threads(4, lambda _i, now=now: fired.extend(fire_due(schedule, now=now)))
        assert errors == []
        assert in_threads(2, lambda i: drain(f"worker-{i}")) == []
    assert sorted(fired) == ["test-hour", "test-minute", "test-minute", "test-minute"]
    assert PeriodicFiring.objects.filter(job="test-minute").count() == 3
    assert PeriodicFiring.objects.filter(job="test-hour").count() == 1
    assert DBTaskResult.objects.count() == 4
    assert jobs.RUNS == {"minute": 3, "hour": 1}
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


@pytest.mark.django_db(transaction=True)
def test_a_job_still_waiting_from_its_last_period_is_not_queued_again() -> None:
    """Defect (200-user load test): each period queued the sweeps again while the last ones
    still waited, and they piled up ahead of photo measures and messages."""
    from django_tasks_db.models import DBTaskResult

    from needlepoint.core.background.periodic import Periodic, fire_due

    jobs.RUNS.clear()
    schedule = [Periodic("test-minute", timedelta(minutes=1), jobs.every_minute)]
    assert fire_due(schedule, now=T0) == ["test-minute"]
    # No worker has taken it: the next two periods add nothing to the queue.
    assert fire_due(schedule, now=T0 + timedelta(minutes=1)) == []
    assert fire_due(schedule, now=T0 + timedelta(minutes=2)) == []
    assert DBTaskResult.objects.count() == 1
    drain("worker")
    assert jobs.RUNS == {"minute": 1}
    # Once it has run, the current period fires.
    assert fire_due(schedule, now=T0 + timedelta(minutes=2, seconds=5)) == ["test-minute"]


def _database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    return f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_two_worker_processes_fire_each_period_once_and_run_each_firing_once(tmp_path) -> None:
    """Two `needlepoint worker` processes on the test database, with a five-second period,
    until the message jobs have fired in at least two periods."""
    from django_tasks_db.models import DBTaskResult

    from needlepoint.core.models import PeriodicFiring

    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "NEEDLEPOINT_ENV": "test",
        "NEEDLEPOINT_DATA_DIR": str(tmp_path),
        "NEEDLEPOINT_AUDIT_CHECKPOINT_DIR": str(tmp_path / "checkpoints"),
        "NEEDLEPOINT_REMINDERS_EVERY_SECONDS": "5",
    }
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "needlepoint", "worker", "--interval", "0.2", "-v", "0"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    try:
        deadline = time.monotonic() + 120  # a bound on waiting for the condition, not a timing
        while PeriodicFiring.objects.filter(job="send-due-messages").count() < 2:
            assert time.monotonic() < deadline, "the workers fired no second period"
            assert all(w.poll() is None for w in workers), workers[0].stderr
            time.sleep(0.5)
        while DBTaskResult.objects.exclude(status__in=["SUCCESSFUL", "FAILED"]).exists():
            assert time.monotonic() < deadline, "the workers left jobs waiting"
            time.sleep(0.5)
    finally:
        for worker in workers:
            worker.terminate()
        errors = [w.communicate(timeout=60)[1].decode() for w in workers]
    assert not DBTaskResult.objects.filter(status="FAILED").exists(), errors
    firings = list(PeriodicFiring.objects.values_list("job", "period_start", "task_result_id"))
    assert len(firings) == len({(job, start) for job, start, _ in firings})  # once per period
    results = {str(r.id): r for r in DBTaskResult.objects.all()}
    assert len(results) == len(firings)  # every job in the queue came from one firing
    for _job, _start, result_id in firings:
        assert len(results[result_id].worker_ids) == 1  # and ran on one worker, once
    ran_on = {w for r in results.values() for w in r.worker_ids}
    assert len(ran_on) <= 2
