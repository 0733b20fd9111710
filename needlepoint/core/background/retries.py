"""Retry a failed job with backoff, until its policy's last try.

django-tasks-db marks a task FAILED when it raises and then sends `task_finished`. Here a
failed try that has tries left is put back in the queue, the same row, to run after the
backoff: the row keeps the error of the try that failed (the admin's page shows it as the
last error while the job waits) and its `worker_ids` grow by one per try, which is how the
library counts attempts. After the last try the row stays FAILED: the admin's page lists it
with its error."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks.signals import task_finished
from django_tasks_db.models import DBTaskResult

from .jobs import job_info


@receiver(task_finished, dispatch_uid="needlepoint.core.background.retries")
def retry_or_give_up(sender: Any, task_result: Any, **kwargs: Any) -> None:
    if task_result.status != TaskResultStatus.FAILED:
        return
    retry_later(str(task_result.id), task_result.task.module_path, task_result.attempts)


def retry_later(result_id: str, task_path: str, attempts: int) -> bool:
    """Put the failed row back in the queue if its job has tries left; True if it did."""
    policy = job_info(task_path).retry
    if attempts >= policy.attempts:
        return False
    run_after = timezone.now() + policy.delay_after(attempts)
    # Only a row still FAILED: never resurrect one somebody already retried or deleted.
    return bool(
        DBTaskResult.objects.filter(id=result_id, status=TaskResultStatus.FAILED).update(
            status=TaskResultStatus.READY, run_after=run_after, finished_at=None
        )
    )
