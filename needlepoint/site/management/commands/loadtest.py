"""`needlepoint loadtest`: locust (headless) against gunicorn and `needlepoint worker`.

PostgreSQL (the default, issue #16's configuration): a throwaway database (dropped
afterwards), two app servers and two workers on it, a group of four locations, 200 users for
5 minutes. SQLite (`--db sqlite`): one server and one worker on a file, one clinic's load.

The run loads the demo clinic plus the group (site/bench/load_world.py), starts the servers
and workers, runs loadtest/locustfile.py with its users spread over the servers, lets the
workers finish what is due, then prints p50/p95/p99 per operation, the answers by status, and
the after-checks (site/bench/load_checks.py): double bookings, duplicate messages, photos
measured more than once. Exits non-zero on any 5xx, transport error, double booking,
duplicate message or photo measured twice.
"""

from __future__ import annotations

import io
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from needlepoint.outcomes.models import Photo
from needlepoint.site.bench import load_checks
from needlepoint.site.bench.load_report import report_locust
from needlepoint.site.bench.load_world import build_group
from needlepoint.site.bench.processes import (
    free_port,
    run_inner,
    start_server,
    start_worker,
    stop,
    throwaway_postgres,
    wait_for,
)

LOCUSTFILE = Path(settings.PROJECT_DIR) / "loadtest" / "locustfile.py"
# Shape of each mode; every figure can be overridden on the command line.
MODES = {
    "postgres": {"servers": 2, "job_workers": 2, "locations": 4, "users": 200},
    # One clinic: a front desk or two, three clinicians, patients booking online.
    "sqlite": {"servers": 1, "job_workers": 1, "locations": 1, "users": 25},
}
SETTLE_SECONDS = 180


class Command(BaseCommand):
    help = "Load test: locust against gunicorn servers and workers (PostgreSQL or SQLite)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--inner", action="store_true", help=""" (internal)""")
        parser.add_argument("--db", choices=sorted(MODES), default="postgres")
        parser.add_argument("--database", default="", help="PostgreSQL database name to use")
        parser.add_argument("--servers", type=int, help="gunicorn app servers")
        parser.add_argument("--job-workers", type=int, help="`needlepoint worker` processes")
        parser.add_argument("--locations", type=int, help="locations in the group")
        parser.add_argument("--users", type=int, help="simulated users")
        parser.add_argument("--duration", default="5m", help="locust run time, e.g. 20s, 5m")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers a server")
        parser.add_argument("--threads", type=int, default=6, help="threads a gunicorn worker")
        parser.add_argument("--patients", type=int, default=300)
        parser.add_argument("--settle", type=int, default=SETTLE_SECONDS)

    def handle(self, *args: Any, **options: Any) -> None:
        for key, value in MODES[options["db"]].items():
            if options[key] is None:
                options[key] = value
        if options["inner"]:
            self._run(options)
            return
        keys = ["db", "servers", "job_workers", "locations", "users", "duration", "workers"]
        keys += ["threads", "patients", "settle"]
        arguments = [f"--{key.replace('_', '-')}={options[key]}" for key in keys]
        data_dir = Path(tempfile.mkdtemp(prefix="loadtest-"))
        env = {
            "NEEDLEPOINT_DATA_DIR": str(data_dir),
            "NEEDLEPOINT_SMS_BACKEND": "needlepoint.notifications.backends.sms.FileSmsBackend",
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        }
        try:
            if options["db"] == "sqlite":
                failed = run_inner(
                    "loadtest", arguments, f"sqlite:///{data_dir}/load.sqlite3", **env
                )
            else:
                name = options["database"] or f"loadtest_{secrets.token_hex(4)}"
                with throwaway_postgres(name) as database_url:
                    failed = run_inner("loadtest", arguments, database_url, **env)
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)
        if failed:
            raise CommandError("load test failed (see above)")

    def _run(self, options: dict[str, Any]) -> None:
        data_dir = Path(settings.DATA_DIR)
        began = time.monotonic()
        call_command("migrate", verbosity=0)
        call_command("demo", verbosity=0, stdout=io.StringIO())  # its sign-in notes
        config = build_group(
            locations=options["locations"],
            patients=options["patients"],
            portal_patients=min(options["patients"], 100),
        )
        photos_before = Photo.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        ports = [free_port() for _ in range(options["servers"])]
        config["hosts"] = [f"http://127.0.0.1:{port}" for port in ports]
        config["statuses"] = str(data_dir / "statuses.json")
        (data_dir / "config.json").write_text(json.dumps(config), encoding="utf-8")
        started: list[subprocess.Popen[bytes]] = []
        workers: list[subprocess.Popen[bytes]] = []
        try:
            for port in ports:  # one after the other: each collects the static files
                started.append(
                    start_server(
                        port,
                        workers=options["workers"],
                        threads=options["threads"],
                        log=data_dir / f"server-{port}.log",
                    )
                )
                wait_for(port)
            for number in range(options["job_workers"]):
                workers.append(start_worker(log=data_dir / f"worker-{number}.log"))
            self.stdout.write(
                f"{self._shape(options)} (set up in {time.monotonic() - began:.0f} s)"
            )
            locust = self._locust(options, data_dir, config["hosts"][0])
            stop(started)
            waited = time.monotonic()
            settled = self._settle(options["settle"], timezone.now())
            self.stdout.write(f"workers caught up in {time.monotonic() - waited:.0f} s")
        finally:
            stop(started + workers)
        self._verdict(options, data_dir, locust, photos_before, settled)

    def _shape(self, options: dict[str, Any]) -> str:
        return (
            f"{options['db']}: {options['servers']} app server(s) x {options['workers']} gunicorn "
            f"workers x {options['threads']} threads, {options['job_workers']} job worker(s), "
            f"{options['locations']} location(s), {options['users']} users for "
            f"{options['duration']}"
        )

    def _locust(
        self, options: dict[str, Any], data_dir: Path, host: str
    ) -> subprocess.CompletedProcess[str]:
        users = options["users"]
        return subprocess.run(  # noqa: S603 (fixed arguments)
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(LOCUSTFILE),
                "--headless",
                "--users",
                str(users),
                "--spawn-rate",
                str(max(1, users // 20)),
                "--run-time",
                options["duration"],
                "--host",
                host,
                "--csv",
                str(data_dir / "run"),
                "--only-summary",
                "--loglevel",
                "WARNING",
                "--stop-timeout",
                "30",
            ],
            env={
                **os.environ,
                "NEEDLEPOINT_LOADTEST_CONFIG": str(data_dir / "config.json"),
            },
            capture_output=True,
            text=True,
            check=False,
        )

    def _settle(self, seconds: int, ended_at: datetime) -> bool:
        """Let the workers send what is due and measure what was uploaded; True if they did."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if load_checks.work_left(ended_at) == 0:
                return True
            time.sleep(2)
        return False

    def _verdict(
        self,
        options: dict[str, Any],
        data_dir: Path,
        locust: subprocess.CompletedProcess[str],
        photos_before: int,
        settled: bool,
    ) -> None:
        failures = report_locust(self.stdout, data_dir)
        doubles = load_checks.count_double_bookings()
        messages = load_checks.check_messages(data_dir)
        photos = load_checks.check_photos(photos_before)
        self.stdout.write(f"double bookings found afterwards: {doubles}")
        self.stdout.write(
            f"messages: {messages.outbox_sent} outbox rows sent ({messages.emails} emails, "
            f"{messages.texts} texts); duplicates: {messages.sent_twice_by_audit} rows sent "
            f"twice, {messages.emails_repeated} emails and {messages.texts_repeated} texts "
            f"repeated; {messages.pending_due} due and unsent"
        )
        self.stdout.write(
            f"photos: {photos.uploaded} uploaded, {photos.measured} measured, {photos.waiting} "
            f"waiting, {photos.measured_twice} measured twice"
        )
        if not settled:
            self.stdout.write(
                f"the workers had not caught up {options['settle']} s after the run ended"
            )
        problems = failures + doubles + messages.duplicates + photos.measured_twice
        if problems or not settled or not (data_dir / "run_stats.csv").exists():
            self.stdout.write(locust.stderr[-3000:])
            raise CommandError(
                f"{failures} failed requests (5xx or transport), {doubles} double bookings, "
                f"{messages.duplicates} duplicate messages, {photos.measured_twice} photos "
                f"measured twice, {'' if settled else 'not '}caught up"
            )
