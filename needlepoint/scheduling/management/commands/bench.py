"""`needlepoint bench`: how fast availability and booking are on a busy clinic.

Builds a scaled-up clinic per size in a throwaway SQLite file under var/ (20 clinicians,
10 rooms, 10 pens; 5,000, 50,000 and 500,000 booked appointments by default), or copies the
one kept in var/bench/ from an earlier run of the same schema (bench_clinic.py), then
times, as medians of repeated runs:

* reading the busy intervals of a 30-day window (the least any availability answer costs);
* the availability of one service over those 30 days (selectors + the domain engine);
* one booking (pre-check, IMMEDIATE transaction, re-check, insert, audit event).

The outer command re-runs itself in a child process pointed at the throwaway database, so
the clinic's own database is never touched; the file is deleted afterwards.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from needlepoint.core.errors import Conflict
from needlepoint.scheduling import selectors, services
from needlepoint.scheduling.management import bench_clinic
from needlepoint.scheduling.management.bench_clinic import FIRST_DAY, PENS, ROOMS, STAFF
from needlepoint.scheduling.models import Appointment, BookedVia

NOW = datetime(2030, 1, 6, 12, 0, tzinfo=UTC)


def _median_ms(run: Callable[[], Any], repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def _interleaved_medians_ms(
    first: Callable[[], Any], second: Callable[[], Any], repeat: int
) -> tuple[float, float]:
    # Alternating the two (after one warm-up each) exposes both to the same machine load, so
    # their ratio holds on a busy machine even when the absolute figures don't.
    first()
    second()
    first_ms: list[float] = []
    second_ms: list[float] = []
    for _ in range(repeat):
        first_ms.append(_median_ms(first, 1))
        second_ms.append(_median_ms(second, 1))
    return statistics.median(first_ms), statistics.median(second_ms)


class Command(BaseCommand):
    help = "Time availability and booking on a scaled-up clinic (throwaway SQLite under var/)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--inner", action="store_true", help=""" (internal)""")
        parser.add_argument("--repeat", type=int, default=15)
        parser.add_argument("--keep", action="store_true", help="keep the database file")
        parser.add_argument("--save-to", default="", help=""" (internal)""")
        parser.add_argument(
            "--rebuild", action="store_true", help="build afresh, ignoring var/bench/"
        )
        parser.add_argument(
            "--appointments",
            default="5000,50000,500000",
            help="booked appointments in the clinic, comma-separated: one run per size",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["inner"]:
            self._measure(options["repeat"], int(options["appointments"]), options["save_to"])
            return
        results = [self._run_one(int(size), options) for size in options["appointments"].split(",")]
        self._side_by_side(results)

    def _side_by_side(self, results: list[dict[str, Any]]) -> None:
        """The sizes next to one another: one booking should cost the same at every size."""
        self.stdout.write("")
        self.stdout.write(
            "appointments in the clinic:   " + "".join(f"{r['size']:>12,}" for r in results)
        )
        rows = (
            ("read busy intervals (ms)", "read_ms", "{:12.1f}"),
            ("availability 30 days (ms)", "availability_ms", "{:12.1f}"),
            ("availability / read", "ratio", "{:11.2f}x"),
            ("one booking (ms)", "booking_ms", "{:12.1f}"),
            ("one booking (queries)", "booking_queries", "{:12d}"),
            ("one booking (SQLite steps)", "booking_steps", "{:12,d}"),
        )
        for label, key, form in rows:
            self.stdout.write(f"{label + ':':30}" + "".join(form.format(r[key]) for r in results))
        self.stdout.write("(aims: availability within 1.3x the read; a booking flat in the size)")

    def _run_one(self, size: int, options: dict[str, Any]) -> dict[str, Any]:
        path = Path(settings.DATA_DIR) / f"bench-{secrets.token_hex(4)}.sqlite3"
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}", "NEEDLEPOINT_ENV": "test"}
        # A clinic of this size built before (same schema, same fixture) is copied, not
        # rebuilt: the measurements write to the copy, never to the kept file.
        cached = bench_clinic.cache_path(size)
        save_to = ""
        if cached.exists() and not options["rebuild"]:
            shutil.copyfile(cached, path)
        else:
            save_to = str(cached)
        try:
            done = subprocess.run(  # noqa: S603 (our own command, fixed arguments)
                [
                    sys.executable,
                    "-m",
                    "needlepoint",
                    "bench",
                    "--inner",
                    "--repeat",
                    str(options["repeat"]),
                    "--appointments",
                    str(size),
                    "--save-to",
                    save_to,
                ],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            *lines, last = done.stdout.strip().splitlines()
            self.stdout.write("\n".join(lines))
            return dict(json.loads(last))
        finally:
            if not options["keep"]:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)

    def _measure(self, repeat: int, size: int, save_to: str) -> None:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        clinic = bench_clinic.load()
        how = "copied from var/bench/"
        if clinic is None:
            clinic = bench_clinic.build(size)
            how = "built"
            if save_to:
                bench_clinic.save_copy(Path(save_to))
        location, service, patients, actor = (
            clinic.location,
            clinic.service,
            clinic.free_patients,
            clinic.actor,
        )
        build_s = time.perf_counter() - started
        self.stdout.write(
            f"{how}: {STAFF} staff, {ROOMS} rooms, {PENS} pens, "
            f"{Appointment.objects.count()} appointments in {build_s:.1f} s"
        )
        window_start = FIRST_DAY + timedelta(days=30)
        window_end = window_start + timedelta(days=29)
        zone = location.zone
        utc_start = datetime.combine(window_start, clock(0), zone)
        utc_end = datetime.combine(window_end + timedelta(days=1), clock(0), zone)

        rows = selectors.busy_rows(location=location, start=utc_start, end=utc_end)
        slots: list[Any] = []

        def read() -> None:
            selectors.busy_rows(location=location, start=utc_start, end=utc_end)

        def availability() -> None:
            slots[:] = selectors.available_slots(
                service=service,
                location=location,
                start_date=window_start,
                end_date=window_end,
                now=NOW,
            )

        read_ms, availability_ms = _interleaved_medians_ms(read, availability, repeat)
        every_ms = _median_ms(
            lambda: selectors.available_slots(
                service=service,
                location=location,
                start_date=window_start,
                end_date=window_end,
                now=NOW,
                every_staff=True,
            ),
            max(3, repeat // 3),
        )
        # Book slots spread over the window (each changes the calendar for the next).
        chosen = slots[:: max(1, len(slots) // repeat)][:repeat]
        booking_timings = []
        for index, slot in enumerate(chosen):
            begun = time.perf_counter()
            services.appointment_book(
                actor=actor,
                patient=patients[index % len(patients)],
                service=service,
                start=slot.start,
                location=location,
                booked_via=BookedVia.STAFF,
                now=NOW,
            )
            booking_timings.append((time.perf_counter() - begun) * 1000)
        booking_ms = statistics.median(booking_timings)
        queries, steps = self._booking_work(
            slots[1 :: max(1, len(slots) // 20)], patients[-5:], service, location, actor
        )

        self.stdout.write(f"window: 30 days ({window_start} to {window_end}), service 60+15 min")
        self.stdout.write(f"busy intervals in the window: {len(rows)}; slots offered: {len(slots)}")
        self.stdout.write(f"medians of {repeat} runs; the read and availability alternate")
        self.stdout.write(f"read busy intervals only:        {read_ms:8.1f} ms")
        self.stdout.write(
            f"availability (one per start):    {availability_ms:8.1f} ms "
            f"({availability_ms / read_ms:.1f}x the read)"
        )
        self.stdout.write(f"availability (every staff):      {every_ms:8.1f} ms")
        self.stdout.write(
            f"one booking (median of {len(booking_timings)}):     {booking_ms:8.1f} ms"
            f" ({queries} queries, {steps:,} SQLite steps)"
        )
        result = {
            "size": size,
            "read_ms": read_ms,
            "availability_ms": availability_ms,
            "ratio": availability_ms / read_ms,
            "booking_ms": booking_ms,
            "booking_queries": queries,
            "booking_steps": steps,
        }
        self.stdout.write(json.dumps(result))

    def _booking_work(
        self, starts: list[Any], patients: list[Any], service: Any, location: Any, actor: Any
    ) -> tuple[int, int]:
        """Queries and SQLite virtual-machine steps of one booking (medians): what it costs
        the database, independent of how busy the machine is."""
        counted: list[tuple[int, int]] = []
        steps = [0]

        def tick() -> int:
            steps[0] += 1
            return 0

        raw = connection.connection
        for slot in starts:
            if len(counted) == len(patients):
                break
            steps[0] = 0
            raw.set_progress_handler(tick, 100)
            try:
                with CaptureQueriesContext(connection) as captured:
                    services.appointment_book(
                        actor=actor,
                        patient=patients[len(counted)],
                        service=service,
                        start=slot.start,
                        location=location,
                        booked_via=BookedVia.STAFF,
                        now=NOW,
                    )
            except Conflict:
                continue  # taken by a timed booking: try the next start
            finally:
                raw.set_progress_handler(None, 0)
            counted.append((len(captured.captured_queries), steps[0] * 100))
        return (
            int(statistics.median(q for q, _ in counted)),
            int(statistics.median(s for _, s in counted)),
        )
