"""`needlepoint loadtest`: locust (headless) against gunicorn on a throwaway PostgreSQL database.

Creates the database (dropped afterwards), migrates it, loads the demo clinic, creates API
tokens for the demo front desk, aesthetician and portal patient, starts `needlepoint serve`
and runs loadtest/locustfile.py against it. Prints p50/p95/p99 per operation and the errors,
then looks for double bookings (booked appointments overlapping on a staff member, room or
pen). Exits non-zero on any 5xx, transport error or double booking.
"""

from __future__ import annotations

import csv
import io
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from needlepoint.accounts.models import User
from needlepoint.accounts.services import api_token_create
from needlepoint.clinic.models import Location, Service
from needlepoint.patients.models import Patient

SERVER_URL = "postgres://postgres@127.0.0.1:5432"
LOCUSTFILE = Path(settings.PROJECT_DIR) / "loadtest" / "locustfile.py"
# Booked appointments sharing a staff member, room or pen at overlapping times.
DOUBLE_BOOKINGS = """
SELECT count(*) FROM scheduling_appointment a JOIN scheduling_appointment b
  ON a.id < b.id AND a.status = 'booked' AND b.status = 'booked'
 AND a.start < b.busy_until AND b.start < a.busy_until
 AND (a.staff_id = b.staff_id OR a.room_id = b.room_id OR a.device_id = b.device_id)
"""


def count_double_bookings() -> int:
    with connection.cursor() as cursor:
        cursor.execute(DOUBLE_BOOKINGS)
        return int(cursor.fetchone()[0])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Command(BaseCommand):
    help = "Load test: locust against gunicorn on a throwaway PostgreSQL database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--inner", action="store_true", help=""" (internal)""")
        parser.add_argument("--users", type=int, default=200)
        parser.add_argument("--duration", default="5m", help="locust run time, e.g. 20s, 5m")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["inner"]:
            self._run(options)
            return
        name = f"loadtest_{secrets.token_hex(4)}"
        with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        env = {**os.environ, "DATABASE_URL": f"{SERVER_URL}/{name}", "NEEDLEPOINT_ENV": "test"}
        try:
            done = subprocess.run(  # noqa: S603 (our own command, fixed arguments)
                [sys.executable, "-m", "needlepoint", "loadtest", "--inner"]
                + [
                    f"--{key}={options[key]}" for key in ("users", "duration", "workers", "threads")
                ],
                env=env,
                check=False,
            )
        finally:
            with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if done.returncode:
            raise CommandError("load test failed (see above)")

    def _run(self, options: dict[str, Any]) -> None:
        call_command("migrate", verbosity=0)
        call_command("demo", verbosity=0, stdout=io.StringIO())  # its sign-in notes
        workdir = Path(tempfile.mkdtemp(prefix="loadtest-"))
        config = workdir / "config.json"
        config.write_text(json.dumps(self._config()), encoding="utf-8")
        port = _free_port()
        server = subprocess.Popen(  # noqa: S603 (our own command, fixed arguments)
            [
                sys.executable,
                "-m",
                "needlepoint",
                "serve",
                "--port",
                str(port),
                "--workers",
                str(options["workers"]),
                "--threads",
                str(options["threads"]),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            self._wait_for(port)
            users = options["users"]
            locust = subprocess.run(  # noqa: S603 (fixed arguments)
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
                    str(max(1, users // 10)),
                    "--run-time",
                    options["duration"],
                    "--host",
                    f"http://127.0.0.1:{port}",
                    "--csv",
                    str(workdir / "run"),
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                    "--stop-timeout",
                    "10",
                ],
                env={**os.environ, "NEEDLEPOINT_LOADTEST_CONFIG": str(config)},
                capture_output=True,
                text=True,
                check=False,
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
        failures = self._report(workdir / "run_stats.csv", workdir / "run_failures.csv")
        doubles = count_double_bookings()
        self.stdout.write(f"double bookings found afterwards: {doubles}")
        if failures or doubles or not (workdir / "run_stats.csv").exists():
            self.stdout.write(locust.stderr[-2000:])
            raise CommandError(f"{failures} failed requests (5xx or transport), {doubles} double")

    def _config(self) -> dict[str, Any]:
        tokens = {}
        for key, username in (
            ("frontdesk", "frontdesk"),
            ("aesthetician", "aesthetician"),
            ("patient", "patient"),
        ):
            tokens[key] = api_token_create(user=User.objects.get(username=username)).raw
        portal = User.objects.get(username="patient")
        return {
            "tokens": tokens,
            "locations": list(Location.objects.values_list("slug", flat=True)),
            "services": list(Service.objects.filter(active=True).values_list("slug", flat=True)),
            "patients": list(Patient.objects.values_list("pk", flat=True)),
            "portal_patient": Patient.objects.get(user=portal).pk,
        }

    def _report(self, stats: Path, failures: Path) -> int:
        if not stats.exists():
            self.stdout.write("locust wrote no statistics")
            return 1
        self.stdout.write(
            f"{'operation':24} {'requests':>8} {'failed':>6} "
            f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'req/s':>7}"
        )
        failed_total = 0
        with stats.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                failed_total += int(row["Failure Count"]) if row["Name"] == "Aggregated" else 0
                self.stdout.write(
                    f"{row['Name'][:24]:24} {row['Request Count']:>8} {row['Failure Count']:>6} "
                    f"{row['50%']:>7} {row['95%']:>7} {row['99%']:>7} "
                    f"{float(row['Requests/s']):7.1f}"
                )
        if failures.exists():
            with failures.open(encoding="utf-8") as handle:
                for row in csv.DictReader(handle):
                    self.stdout.write(f"error: {row['Name']}: {row['Error']} x{row['Occurrences']}")
        return failed_total

    def _wait_for(self, port: int) -> None:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5):
                    return
            except OSError:
                time.sleep(0.5)
        raise CommandError("the server did not start")
