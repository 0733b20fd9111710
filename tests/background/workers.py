"""Run django-tasks-db workers in threads until the queue has nothing due, as
`needlepoint worker` does in a process (same Worker class, batch mode)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection
from django_tasks_db.management.commands.db_worker import Worker


def drain(worker_id: str = "test") -> None:
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    ).run()


def in_threads(n: int, work: Callable[[int], object]) -> list[BaseException]:
    """Run ``work(i)`` in ``n`` threads released together; the errors they raised."""
    start = threading.Barrier(n)
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            start.wait()
            work(i)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors
