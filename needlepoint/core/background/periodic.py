"""Periodic jobs: each fires once per period, however many workers run.

django-tasks has no schedule of its own. Every worker runs `run_scheduler` in a thread; at
each tick it tries, for each job whose current period has no firing yet, to insert the row
(job, period start) and enqueue the job in the same transaction. The unique constraint lets
one insert win; the others get an IntegrityError and move on. A period is counted from the
Unix epoch (every 60 s: on the minute), so all workers agree on it without talking.

A job whose last firing is still waiting in the queue is not fired again: on a busy machine
the periodic sweeps would otherwise pile up ahead of photo measures and messages (found by
the 200-user load test, decision 0682). The sweep that waits covers the skipped periods."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import IntegrityError, close_old_connections, transaction
from django_tasks.base import Task, TaskResultStatus
from django_tasks_db.models import DBTaskResult

from needlepoint.core.models import PeriodicFiring

logger = logging.getLogger("needlepoint.jobs")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Periodic:
    name: str  # the claim's key: renaming it fires once more in the current period
    every: timedelta
    task: Task[Any, Any]


def period_start(now: datetime, every: timedelta) -> datetime:
    periods = (now - EPOCH) // every
    return EPOCH + periods * every


def fire_due(schedule: Sequence[Periodic], *, now: datetime) -> list[str]:
    """Enqueue every job whose period starting at or before ``now`` has not fired yet;
    the names of those this call fired (the others were fired by another worker)."""
    fired = []
    for entry in schedule:
        start = period_start(now, entry.every)
        # A plain read first: the common case (already fired) takes no write lock on SQLite.
        if PeriodicFiring.objects.filter(job=entry.name, period_start=start).exists():
            continue
        if _last_firing_still_waiting(entry.name):
            continue
        try:
            with transaction.atomic():
                firing = PeriodicFiring.objects.create(
                    job=entry.name, period_start=start, fired_at=now
                )
                result = entry.task.enqueue()
                firing.task_result_id = str(result.id)
                firing.save(update_fields=["task_result_id"])
        except IntegrityError:
            continue  # another worker claimed this period first
        fired.append(entry.name)
    return fired


def _last_firing_still_waiting(job: str) -> bool:
    last = (
        PeriodicFiring.objects.filter(job=job)
        .order_by("-period_start")
        .values_list("task_result_id", flat=True)
        .first()
    )
    if not last:
        return False
    return DBTaskResult.objects.filter(id=last, status=TaskResultStatus.READY).exists()


def run_scheduler(
    schedule: Sequence[Periodic], *, tick: float, stop: threading.Event, clock: Any
) -> None:
    """Fire what is due every ``tick`` seconds until ``stop`` is set; a failure (the
    database away) is logged and the next tick tries again."""
    while not stop.is_set():
        try:
            fire_due(schedule, now=clock())
        except Exception:
            logger.exception("periodic jobs: could not fire this tick")
        finally:
            close_old_connections()
        stop.wait(tick)


def start_scheduler(schedule: Sequence[Periodic], *, tick: float, clock: Any) -> threading.Event:
    """The scheduler in a daemon thread beside the worker's loop; set the event to stop it."""
    stop = threading.Event()
    thread = threading.Thread(
        target=run_scheduler,
        kwargs={"schedule": schedule, "tick": tick, "stop": stop, "clock": clock},
        name="needlepoint-periodic",
        daemon=True,
    )
    thread.start()
    return stop
