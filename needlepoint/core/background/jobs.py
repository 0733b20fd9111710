"""`@job`: a django-tasks task with a name people read and a retry policy.

The database backend runs a task once and marks it failed when it raises; the retry with
backoff is ours (`background.retries`), driven by the policy registered here under the task's
import path (the path the queue stores)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

from django_tasks import task
from django_tasks.base import Task

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int  # tries in all, the first included
    first_delay: timedelta
    max_delay: timedelta = timedelta(hours=1)

    def delay_after(self, attempt: int) -> timedelta:
        """How long to wait after try number ``attempt`` failed: doubling, capped."""
        return min(self.first_delay * 2 ** max(attempt - 1, 0), self.max_delay)


@dataclass(frozen=True)
class JobInfo:
    label: str  # what the admin's page calls it ("Send due messages")
    retry: RetryPolicy


_JOBS: dict[str, JobInfo] = {}
UNKNOWN = JobInfo(label="", retry=RetryPolicy(attempts=1, first_delay=timedelta(0)))


def job(
    *, label: str, attempts: int = 3, first_delay_seconds: int = 30, priority: int = 0
) -> Callable[[Callable[..., T]], Task[Any, T]]:
    """Declare a background job: ``label`` in words, ``attempts`` tries in all, the first
    retry ``first_delay_seconds`` after a failure and each later one twice as long."""

    def declare(func: Callable[..., T]) -> Task[Any, T]:
        declared: Task[Any, T] = task(priority=priority)(func)
        policy = RetryPolicy(attempts=attempts, first_delay=timedelta(seconds=first_delay_seconds))
        _JOBS[declared.module_path] = JobInfo(label=label, retry=policy)
        return declared

    return declare


def job_info(task_path: str) -> JobInfo:
    """The declared job behind a stored task path; a path no module declares (renamed,
    removed, or a plain django-tasks task) gets no retries and its last name part as label."""
    info = _JOBS.get(task_path)
    if info is not None:
        return info
    return JobInfo(label=task_path.rsplit(".", 1)[-1].replace("_", " "), retry=UNKNOWN.retry)
