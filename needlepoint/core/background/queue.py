"""What the queue holds, for the admin's page, its backlog warning and /healthz."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Max, Min, Q
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from needlepoint.core.models import PeriodicFiring

from .jobs import job_info

READY, RUNNING, FAILED = (
    TaskResultStatus.READY,
    TaskResultStatus.RUNNING,
    TaskResultStatus.FAILED,
)


@dataclass(frozen=True)
class QueueState:
    waiting: int  # due now and not yet taken by a worker
    oldest_waiting_since: datetime | None
    running: int
    retrying: int  # failed at least once, waiting for their next try
    failed: int  # gave up after their last try

    def oldest_waiting_age(self, now: datetime) -> timedelta | None:
        if self.oldest_waiting_since is None:
            return None
        return max(now - self.oldest_waiting_since, timedelta(0))


@dataclass(frozen=True)
class FailedJob:
    id: str
    label: str
    attempts: int
    finished_at: datetime | None
    error: str  # the exception's last line: what went wrong, in its own words


def queue_state(now: datetime) -> QueueState:
    """Counts in one query; a job waits from when it was queued, or from when its run-after
    time (a retry's backoff) came."""
    never = get_date_max()
    due = Q(status=READY) & (Q(run_after=never) | Q(run_after__lte=now))
    row = DBTaskResult.objects.aggregate(
        waiting=Count("id", filter=due),
        oldest_queued=Min("enqueued_at", filter=Q(status=READY, run_after=never)),
        oldest_due=Min("run_after", filter=Q(status=READY, run_after__lte=now)),
        running=Count("id", filter=Q(status=RUNNING)),
        retrying=Count("id", filter=Q(status=READY) & ~Q(exception_class_path="")),
        failed=Count("id", filter=Q(status=FAILED)),
    )
    since = [t for t in (row["oldest_queued"], row["oldest_due"]) if t is not None]
    return QueueState(
        waiting=row["waiting"],
        oldest_waiting_since=min(since) if since else None,
        running=row["running"],
        retrying=row["retrying"],
        failed=row["failed"],
    )


def _last_line(traceback: str) -> str:
    lines = [line for line in traceback.strip().splitlines() if line.strip()]
    return lines[-1].strip()[:500] if lines else ""


def failed_jobs(limit: int = 50) -> list[FailedJob]:
    """Jobs that gave up after their last try, newest first."""
    rows = DBTaskResult.objects.filter(status=FAILED).order_by("-finished_at")[:limit]
    return [
        FailedJob(
            id=str(row.id),
            label=job_info(row.task_path).label,
            attempts=len(row.worker_ids),
            finished_at=row.finished_at,
            error=_last_line(row.traceback) or row.exception_class_path,
        )
        for row in rows
    ]


def periodic_last(names: list[str]) -> dict[str, datetime | None]:
    """When each periodic job last fired (on any worker)."""
    rows = (
        PeriodicFiring.objects.filter(job__in=names)
        .values("job")
        .annotate(last=Max("fired_at"))
        .values_list("job", "last")
    )
    return dict(rows)
