"""`needlepoint bench_reports`: how long each clinic report takes over 50,000 appointments.

Builds a two-location group in a throwaway SQLite file under var/ (20 clinicians, 8 rooms,
8 pens, a year of 50,000 appointments with no-shows, cancellations, courses, screenings and
grades), then times each report for the group over the whole year and over 12 weeks, as
medians of repeated runs. The outer command re-runs itself in a child process pointed at
the throwaway database (as `needlepoint bench` does), and deletes the file afterwards.
"""

from __future__ import annotations

import os
import random
import secrets
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from needlepoint.accounts.models import User
from needlepoint.clinic.models import Device, Location, Room, Service, WorkingHours
from needlepoint.outcomes.models import Assessment
from needlepoint.patients.models import Patient
from needlepoint.reports.pages import REPORTS
from needlepoint.scheduling.models import Appointment
from needlepoint.screening.models import Consultation, Screening
from needlepoint.treatments.models import TreatmentPlan

APPOINTMENTS, PATIENTS, PLANS = 50_000, 5_000, 2_000
FIRST_DAY = date(2030, 1, 7)  # a Monday
WEEKS = 52
STATUSES = ["completed"] * 80 + ["no_show"] * 6 + ["cancelled"] * 10 + ["booked"] * 4


def _median_ms(run: Any, repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


class Command(BaseCommand):
    help = "Time each clinic report over a year of 50,000 appointments (throwaway SQLite)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--inner", action="store_true", help="(internal) measure here")
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--keep", action="store_true", help="keep the throwaway database")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["inner"]:
            self._measure(options["repeat"])
            return
        path = Path(settings.DATA_DIR) / f"bench-reports-{secrets.token_hex(4)}.sqlite3"
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}", "NEEDLEPOINT_ENV": "test"}
        try:
            subprocess.run(  # noqa: S603 (our own command, fixed arguments)
                [
                    sys.executable,
                    "-m",
                    "needlepoint",
                    "bench_reports",
                    "--inner",
                    "--repeat",
                    str(options["repeat"]),
                ],
                env=env,
                check=True,
            )
        finally:
            if not options["keep"]:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)

    def _measure(self, repeat: int) -> None:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        locations = self._build()
        self.stdout.write(
            f"built: 2 locations, {APPOINTMENTS} appointments over {WEEKS} weeks, {PLANS} "
            f"courses in {time.perf_counter() - started:.1f} s"
        )
        year_end = FIRST_DAY + timedelta(weeks=WEEKS) - timedelta(days=1)
        quarter_end = FIRST_DAY + timedelta(weeks=12) - timedelta(days=1)
        self.stdout.write(f"medians of {repeat} runs, the whole group")
        self.stdout.write(f"{'report':<26}{'52 weeks':>12}{'12 weeks':>12}")
        for name, (_, build) in REPORTS.items():
            year = _median_ms(lambda b=build: b(FIRST_DAY, year_end, locations, True), repeat)
            quarter = _median_ms(lambda b=build: b(FIRST_DAY, quarter_end, locations, True), repeat)
            self.stdout.write(f"{name:<26}{year:>9.0f} ms{quarter:>9.0f} ms")

    def _build(self) -> list[Location]:
        # Bulk rows straight into a throwaway database: a fixture, not clinic data.
        rng = random.Random(15)
        with transaction.atomic():
            locations = [
                Location.objects.create(slug="east", name="East", time_zone="America/New_York"),
                Location.objects.create(slug="west", name="West", time_zone="America/Chicago"),
            ]
            treatment = Service.objects.create(
                slug="bench-facial",
                name="Facial",
                duration_minutes=60,
                buffer_after_minutes=15,
                room_kind="treatment",
                needs_device=True,
                is_treatment=True,
            )
            consult = Service.objects.create(
                slug="bench-consult",
                name="Consultation",
                duration_minutes=30,
                room_kind="treatment",
            )
            staff, rooms, pens = {}, {}, {}
            for location in locations:
                staff[location.pk] = [
                    User.objects.create_user(
                        username=f"{location.slug}{i}", role="aesthetician", first_name=f"C{i}"
                    )
                    for i in range(10)
                ]
                WorkingHours.objects.bulk_create(
                    WorkingHours(
                        staff=user,
                        location=location,
                        weekday=day,
                        start_time=clock(8),
                        end_time=clock(20),
                    )
                    for user in staff[location.pk]
                    for day in range(6)
                )
                rooms[location.pk] = [
                    Room.objects.create(
                        location=location,
                        slug=f"{location.slug}-r{i}",
                        name=f"Room {i}",
                        kind="treatment",
                    )
                    for i in range(4)
                ]
                pens[location.pk] = [
                    Device.objects.create(
                        location=location,
                        slug=f"{location.slug}-p{i}",
                        model_name="Pen",
                        serial_number=f"{location.slug}{i}",
                    )
                    for i in range(4)
                ]
            patients = Patient.objects.bulk_create(
                Patient(
                    given_name=f"G{i}",
                    family_name="Bench",
                    date_of_birth=date(1980, 1, 1),
                    email=f"b{i}@example.com",
                    phone="+1 555 0100",
                )
                for i in range(PATIENTS)
            )
            signer = staff[locations[0].pk][0]
            screenings = Screening.objects.bulk_create(
                Screening(
                    channel="online",
                    answers={},
                    judged_for=FIRST_DAY,
                    policy_version="b",
                    verdict="likely_candidate",
                    result={},
                )
                for _ in range(PLANS * 2)
            )
            consultations = Consultation.objects.bulk_create(
                Consultation(
                    patient=patients[i],
                    screening=screenings[i],
                    fitzpatrick=2,
                    concerns=[],
                    zones=[],
                    determination="candidate",
                    protocol_version="b",
                    signed_by=signer,
                    signed_at=datetime(2030, 1, 1, tzinfo=UTC),
                )
                for i in range(PLANS)
            )
            plans = TreatmentPlan.objects.bulk_create(
                TreatmentPlan(
                    patient=patients[i],
                    consultation=consultations[i],
                    protocol_version="b",
                    recommendation={},
                    sessions=4,
                    interval_weeks=4,
                    maintenance_months=12,
                    zones=[],
                    created_by=signer,
                )
                for i in range(PLANS)
            )
            rows = []
            for i in range(APPOINTMENTS):
                location = locations[i % 2]
                day = FIRST_DAY + timedelta(days=rng.randrange(WEEKS * 7))
                start = datetime.combine(day, clock(8 + rng.randrange(11)), location.zone)
                plan_index = i % (PLANS * 4) if i < PLANS * 4 else None
                is_treatment = i % 5 != 0
                service = treatment if is_treatment else consult
                end = start + timedelta(minutes=service.duration_minutes)
                status = rng.choice(STATUSES)
                rows.append(
                    Appointment(
                        patient=patients[i % PATIENTS],
                        service=service,
                        location=location,
                        staff=rng.choice(staff[location.pk]),
                        room=rng.choice(rooms[location.pk]),
                        device=rng.choice(pens[location.pk]) if is_treatment else None,
                        start=start,
                        end=end,
                        busy_until=end + timedelta(minutes=15),
                        status=status,
                        late_cancellation=status == "cancelled" and i % 3 == 0,
                        cancelled_at=start - timedelta(days=1) if status == "cancelled" else None,
                        booked_via="staff",
                        plan=plans[plan_index // 4] if plan_index is not None else None,
                        plan_session=plan_index % 4 + 1 if plan_index is not None else None,
                        screening=screenings[i % PLANS] if not is_treatment else None,
                    )
                )
            Appointment.objects.bulk_create(rows, batch_size=2000)
            Assessment.objects.bulk_create(
                Assessment(
                    patient=patients[i % PLANS],
                    concern="acne_scars",
                    grade=str(1 + rng.randrange(4)),
                    kind="before_session",
                    assessed_on=FIRST_DAY + timedelta(days=rng.randrange(WEEKS * 7)),
                )
                for i in range(PLANS * 3)
            )
        return locations
