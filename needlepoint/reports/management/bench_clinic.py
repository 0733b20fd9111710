"""A clinic group for the reports' bench: ``groups`` copies of a two-location group (New York
and Chicago first, then Denver and Los Angeles), each location with 10 clinicians working
Mon–Sat 08:00–20:00, 4 rooms and 4 pens, and 25,000 appointments over 52 weeks.

Bulk rows straight into a throwaway database (a fixture, not clinic data): appointments
are written by one executemany on SQLite and by COPY on PostgreSQL, not model by model.
Each appointment takes its own (clinician, day, hour) slot, so no clinician is booked twice;
"booked" ones use the clinician's own room and pen, so the booking constraints hold.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from typing import Any

from django.db import connection, transaction

from needlepoint.accounts.models import User
from needlepoint.clinic.models import Device, Location, Room, Service, WorkingHours
from needlepoint.outcomes.models import Assessment
from needlepoint.patients.models import Patient
from needlepoint.scheduling.models import Appointment
from needlepoint.screening.models import Consultation, Screening
from needlepoint.treatments.models import TreatmentPlan

FIRST_DAY = date(2030, 1, 7)  # a Monday
WEEKS = 52
PER_LOCATION = 25_000
CLINICIANS, ROOMS = 10, 4
PATIENTS_PER_LOCATION, PLANS_PER_LOCATION = 2_500, 1_000
ZONES = ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"]
STATUSES = ["completed"] * 80 + ["no_show"] * 6 + ["cancelled"] * 10 + ["booked"] * 4
HOURS = range(8, 19)


def build(groups: int) -> list[Location]:
    rng = random.Random(15)
    count = 2 * groups
    with transaction.atomic():
        locations = [
            Location.objects.create(
                slug=f"loc{i}", name=f"Clinic {i:02d}", time_zone=ZONES[(i % 2) + 2 * (i >= 2)]
            )
            for i in range(count)
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
            slug="bench-consult", name="Consultation", duration_minutes=30, room_kind="treatment"
        )
        staff, rooms, pens = _resources(locations)
        patients = Patient.objects.bulk_create(
            (
                Patient(
                    given_name=f"G{i}",
                    family_name="Bench",
                    date_of_birth=date(1980, 1, 1),
                    email=f"b{i}@example.com",
                    phone="+1 555 0100",
                )
                for i in range(PATIENTS_PER_LOCATION * count)
            ),
            batch_size=5000,
        )
        plans, screenings = _courses(count, patients, staff[locations[0].pk][0])
        rows: list[dict[str, Any]] = []
        days = [FIRST_DAY + timedelta(days=d) for d in range(WEEKS * 7)]
        working_days = [day for day in days if day.weekday() < 6]
        for n, location in enumerate(locations):
            slots = len(working_days) * CLINICIANS * len(HOURS)
            for k, slot in enumerate(rng.sample(range(slots), PER_LOCATION)):
                i = n * PER_LOCATION + k
                day_index, rest = divmod(slot, CLINICIANS * len(HOURS))
                who, hour = divmod(rest, len(HOURS))
                start = datetime.combine(working_days[day_index], clock(HOURS[hour]), location.zone)
                plan_index = i if i < len(plans) * 4 else None
                is_treatment = i % 5 != 0
                service = treatment if is_treatment else consult
                end = start + timedelta(minutes=service.duration_minutes)
                status = rng.choice(STATUSES)
                if status == "booked" and (who >= ROOMS or hour % 2):
                    # Booked ones only for clinicians with a room and pen of their own, every
                    # other hour (a treatment's busy time runs 15 minutes past the hour).
                    status = "completed"
                patient = (
                    plans[plan_index // 4].patient_id
                    if plan_index is not None
                    else patients[i % len(patients)].pk
                )
                rows.append(
                    {
                        "patient_id": patient,
                        "service_id": service.pk,
                        "location_id": location.pk,
                        "staff_id": staff[location.pk][who].pk,
                        "room_id": rooms[location.pk][who % ROOMS].pk,
                        "device_id": pens[location.pk][who % ROOMS].pk if is_treatment else None,
                        "start": start.astimezone(UTC),
                        "end": end.astimezone(UTC),
                        "busy_until": (end + timedelta(minutes=15)).astimezone(UTC),
                        "status": status,
                        "late_cancellation": status == "cancelled" and i % 3 == 0,
                        "cancelled_at": (start - timedelta(days=1)).astimezone(UTC)
                        if status == "cancelled"
                        else None,
                        "created_at": (start - timedelta(days=rng.randrange(1, 60))).astimezone(
                            UTC
                        ),
                        "booked_via": "staff",
                        "plan_id": plans[plan_index // 4].pk if plan_index is not None else None,
                        "plan_session": plan_index % 4 + 1 if plan_index is not None else None,
                        "screening_id": screenings[i % len(plans)].pk if not is_treatment else None,
                    }
                )
        _insert_appointments(rows, rng)
        Assessment.objects.bulk_create(
            (
                Assessment(
                    patient_id=plans[i % len(plans)].patient_id,
                    concern="acne_scars",
                    grade=str(1 + rng.randrange(4)),
                    kind="before_session",
                    assessed_on=FIRST_DAY + timedelta(days=rng.randrange(WEEKS * 7)),
                )
                for i in range(len(plans) * 3)
            ),
            batch_size=5000,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return locations


def _resources(locations: list[Location]) -> tuple[dict[int, Any], dict[int, Any], dict[int, Any]]:
    staff, rooms, pens = {}, {}, {}
    for location in locations:
        staff[location.pk] = [
            User.objects.create_user(
                username=f"{location.slug}c{i}", role="aesthetician", first_name=f"C{i}"
            )
            for i in range(CLINICIANS)
        ]
        WorkingHours.objects.bulk_create(
            WorkingHours(
                staff=user, location=location, weekday=day, start_time=clock(8), end_time=clock(20)
            )
            for user in staff[location.pk]
            for day in range(6)
        )
        rooms[location.pk] = [
            Room.objects.create(
                location=location, slug=f"{location.slug}-r{i}", name=f"Room {i}", kind="treatment"
            )
            for i in range(ROOMS)
        ]
        pens[location.pk] = [
            Device.objects.create(
                location=location,
                slug=f"{location.slug}-p{i}",
                model_name="Pen",
                serial_number=f"{location.slug}{i}",
            )
            for i in range(ROOMS)
        ]
    return staff, rooms, pens


def _courses(count: int, patients: list[Patient], signer: User) -> tuple[list[Any], list[Any]]:
    total = PLANS_PER_LOCATION * count
    screenings = Screening.objects.bulk_create(
        (
            Screening(
                channel="online",
                answers={},
                judged_for=FIRST_DAY,
                policy_version="b",
                verdict="likely_candidate",
                result={},
            )
            for _ in range(total * 2)
        ),
        batch_size=5000,
    )
    # Taken during the bench's year (auto_now_add stamped them with today).
    Screening.objects.update(created_at=datetime(2030, 3, 2, 15, tzinfo=UTC))
    consultations = Consultation.objects.bulk_create(
        (
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
            for i in range(total)
        ),
        batch_size=5000,
    )
    plans = TreatmentPlan.objects.bulk_create(
        (
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
            for i in range(total)
        ),
        batch_size=5000,
    )
    return plans, screenings


def _insert_appointments(rows: list[dict[str, Any]], rng: random.Random) -> None:
    fields = [f for f in Appointment._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    defaults["updated_at"] = None
    table = connection.ops.quote_name(Appointment._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    for row in rows:
        row["updated_at"] = row["created_at"]
        row["link_secret"] = f"{rng.getrandbits(128):032x}"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg's own cursor: COPY is not in the DB-API
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([row.get(f.attname, defaults[f.attname]) for f in fields])
            return
        prepared = [
            [
                f.get_db_prep_save(row.get(f.attname, defaults[f.attname]), connection)
                for f in fields
            ]
            for row in rows
        ]
        marks = ", ".join(["%s"] * len(fields))
        # Names from the model's own metadata, values as parameters.
        insert = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
        cursor.executemany(insert, prepared)
