"""`needlepoint worker`: run background jobs (django-tasks-db's `db_worker`) and fire the
periodic jobs once per period (core.background.periodic), on the project's own database.

Any number may run, on one machine or many: the queue hands each job to one worker, and each
period's firing is claimed by one. Ctrl+C (or SIGTERM) lets the running job finish first."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Command as DbWorker

from needlepoint.core.background.periodic import start_scheduler
from needlepoint.site.tasks import schedule

# How often a worker looks whether a period has begun: well under the shortest period.
TICK_SECONDS = 5.0


class Command(DbWorker):
    help = "Run background jobs and fire the periodic ones (reminders, waitlist offers, ...)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        # Code reloading restarts mid-job; a clinic's worker never reloads unless asked.
        parser.set_defaults(reload=False)
        parser.add_argument(
            "--no-periodic",
            action="store_true",
            help="only run queued jobs; fire no periodic ones (another worker does)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options.pop("no_periodic"):
            entries = schedule()
            shortest = min(entry.every.total_seconds() for entry in entries)
            tick = min(TICK_SECONDS, shortest / 2)
            start_scheduler(entries, tick=tick, clock=timezone.now)
        super().handle(*args, **options)
