"""`needlepoint bench_reports`: how long each clinic report takes for a group over a year.

Twice: 50,000 appointments (two locations) in a throwaway SQLite file under var/, then
500,000 (twenty locations in four time zones) in a throwaway PostgreSQL database on the
local server (skipped with one line when it is not reachable). Each report is timed for the
whole group over the whole year and over 12 weeks, as medians of repeated runs. The outer
command re-runs itself in a child process pointed at each throwaway database (as
`needlepoint bench` does) and deletes it afterwards. The rows: reports/management/bench_clinic.py.
"""

from __future__ import annotations

import os
import secrets
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from needlepoint.reports.management.bench_clinic import FIRST_DAY, PER_LOCATION, WEEKS, build
from needlepoint.reports.pages import REPORTS

SERVER_URL = "postgres://postgres@127.0.0.1:5432"


def _median_ms(run: Any, repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


class Command(BaseCommand):
    help = (
        "Time each clinic report over a year: 50,000 appointments on SQLite, 500,000 on PostgreSQL."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--inner", action="store_true", help="(internal) measure here")
        parser.add_argument("--groups", type=int, default=1, help="(internal) two locations each")
        parser.add_argument("--repeat", type=int, default=3)
        parser.add_argument("--keep", action="store_true", help="keep the throwaway databases")
        parser.add_argument("--sqlite-groups", type=int, default=1, help="0 to skip SQLite")
        parser.add_argument(
            "--postgres-groups", type=int, default=10, help="0 to skip PostgreSQL (default 10)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["inner"]:
            self._measure(options["groups"], options["repeat"])
            return
        if options["sqlite_groups"]:
            self._on_sqlite(options["sqlite_groups"], options["repeat"], options["keep"])
        if options["postgres_groups"]:
            self._on_postgres(options["postgres_groups"], options["repeat"], options["keep"])

    def _on_sqlite(self, groups: int, repeat: int, keep: bool) -> None:
        path = Path(settings.DATA_DIR) / f"bench-reports-{secrets.token_hex(4)}.sqlite3"
        try:
            self._child(f"sqlite:///{path}", groups, repeat)
        finally:
            if not keep:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)

    def _on_postgres(self, groups: int, repeat: int, keep: bool) -> None:
        name = f"bench_reports_{secrets.token_hex(4)}"
        try:
            with psycopg.connect(
                f"{SERVER_URL}/postgres", autocommit=True, connect_timeout=3
            ) as db:
                db.execute(f'CREATE DATABASE "{name}"')
        except psycopg.Error as exc:
            self.stdout.write(f"PostgreSQL at {SERVER_URL} not reachable, skipped: {exc}")
            return
        try:
            self._child(f"{SERVER_URL}/{name}", groups, repeat)
        finally:
            if keep:
                self.stdout.write(f"kept: {SERVER_URL}/{name}")
            else:
                with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True) as db:
                    db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _child(self, url: str, groups: int, repeat: int) -> None:
        env = {**os.environ, "DATABASE_URL": url, "NEEDLEPOINT_ENV": "test"}
        env.pop("DATABASE_REPLICA_URL", None)
        self.stdout.flush()
        subprocess.run(  # noqa: S603 (our own command, fixed arguments)
            [
                *(sys.executable, "-m", "needlepoint", "bench_reports", "--inner"),
                *("--groups", str(groups), "--repeat", str(repeat)),
            ],
            env=env,
            check=True,
        )

    def _measure(self, groups: int, repeat: int) -> None:
        from django.db import connection

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        locations = build(groups)
        if connection.vendor == "postgresql":
            # As autovacuum leaves a clinic's tables: rows freshly COPYed have no visibility
            # map or statistics yet, and the first reads of them would be timed.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        self.stdout.write(
            f"{connection.vendor}: {len(locations)} locations, {PER_LOCATION * len(locations):,} "
            f"appointments over {WEEKS} weeks, built in {time.perf_counter() - started:.0f} s"
        )
        year_end = FIRST_DAY + timedelta(weeks=WEEKS) - timedelta(days=1)
        quarter_end = FIRST_DAY + timedelta(weeks=12) - timedelta(days=1)
        self.stdout.write(f"medians of {repeat} runs, the whole group")
        self.stdout.write(f"{'report':<26}{'52 weeks':>12}{'12 weeks':>12}")
        for name, (_, report) in REPORTS.items():
            year = _median_ms(lambda b=report: b(FIRST_DAY, year_end, locations, True), repeat)
            quarter = _median_ms(
                lambda b=report: b(FIRST_DAY, quarter_end, locations, True), repeat
            )
            self.stdout.write(f"{name:<26}{year:>9.0f} ms{quarter:>9.0f} ms")
