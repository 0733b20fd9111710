"""The scaled-up clinic `needlepoint bench` measures, built fast and kept between runs.

Building 500,000 appointments through the ORM took about 7 minutes (an `Appointment` object
per row); here the rows are plain tuples sent with one `executemany` in one transaction
(SQLite's fsync off for the build: it is a throwaway file). The built database is copied to
``var/bench/`` under a name keyed by its size and a fingerprint of the schema (every
migration's name) and of this module's source, so the next run copies the file instead of
building again, and any change to the schema or to the fixture builds afresh.
"""

from __future__ import annotations

import hashlib
import inspect
import os
import secrets
import sqlite3
import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader

from needlepoint.accounts.models import User
from needlepoint.clinic.models import Device, Location, Room, Service, WorkingHours
from needlepoint.patients.models import Patient
from needlepoint.scheduling.models import Appointment, new_link_secret

STAFF, ROOMS, PENS, DAYS = 20, 10, 10, 90
FIRST_DAY = date(2030, 1, 7)  # a Monday, far from any real data
BATCH = 20_000  # rows per executemany: bounded memory at 500,000


@dataclass(frozen=True)
class BenchClinic:
    location: Location
    service: Service
    free_patients: list[Patient]  # nothing booked: bookings measured are never refused
    actor: User


def cache_dir() -> Path:
    return Path(settings.DATA_DIR) / "bench"


def cache_path(size: int) -> Path:
    """Where a built clinic of ``size`` appointments is kept, for this schema and fixture."""
    loader = MigrationLoader(None, ignore_no_migrations=True, load=True)
    names = sorted(f"{app}.{name}" for app, name in loader.disk_migrations)
    fingerprint = hashlib.sha256(
        ("\n".join(names) + inspect.getsource(sys.modules[__name__])).encode()
    ).hexdigest()[:12]
    return cache_dir() / f"clinic-{size}-{fingerprint}.sqlite3"


def save_copy(target: Path) -> None:
    """A consistent copy of the current SQLite database at ``target`` (the backup API, so
    the write-ahead log is included), written under a temporary name and renamed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".{secrets.token_hex(4)}.partial")
    connection.ensure_connection()
    copy = sqlite3.connect(partial)
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()
    os.replace(partial, target)


def load() -> BenchClinic | None:
    """The clinic in a database copied from the cache (None if it holds none)."""
    location = Location.objects.filter(slug="bench").first()
    if location is None:
        return None
    return BenchClinic(
        location=location,
        service=Service.objects.get(slug="bench-treatment"),
        free_patients=list(
            Patient.objects.filter(family_name="Bench", given_name__startswith="Q").order_by("pk")
        ),
        actor=User.objects.get(username="bench-desk"),
    )


def build(size: int) -> BenchClinic:
    # Bulk rows straight into a throwaway database: a fixture, not clinic data, so it
    # bypasses the services (and their audit events) on purpose.
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous=OFF")
    with transaction.atomic():
        location = Location.objects.create(slug="bench", name="Bench", time_zone="America/New_York")
        rooms = Room.objects.bulk_create(
            Room(location=location, slug=f"room-{i:02}", name=f"Room {i}", kind="treatment")
            for i in range(ROOMS)
        )
        pens = Device.objects.bulk_create(
            Device(location=location, slug=f"pen-{i:02}", model_name="Pen", serial_number=f"B{i}")
            for i in range(PENS)
        )
        service = Service.objects.create(
            slug="bench-treatment",
            name="Bench treatment",
            duration_minutes=60,
            buffer_after_minutes=15,
            room_kind="treatment",
            needs_device=True,
            performer_roles=["aesthetician", "physician"],
        )
        staff = User.objects.bulk_create(
            User(username=f"clinician-{i:02}", role="aesthetician" if i % 4 else "physician")
            for i in range(STAFF)
        )
        actor = User.objects.create(username="bench-desk", role="front_desk")
        WorkingHours.objects.bulk_create(
            WorkingHours(
                staff=member,
                location=location,
                weekday=weekday,
                start_time=clock(8),
                end_time=clock(20),
            )
            for member in staff
            for weekday in range(6)
        )
        patients = Patient.objects.bulk_create(
            Patient(given_name=f"P{i}", family_name="Bench", date_of_birth=date(1990, 1, 1))
            for i in range(500)
        )
        template = Appointment(
            patient=patients[0],
            service=service,
            location=location,
            staff=staff[0],
            room=rooms[0],
            device=pens[0],
            start=datetime.combine(FIRST_DAY, clock(8), location.zone),
            end=datetime.combine(FIRST_DAY, clock(9), location.zone),
            busy_until=datetime.combine(FIRST_DAY, clock(9, 15), location.zone),
            booked_via="staff",
        )
        _insert_appointments(template, _appointment_rows(size, location, staff, rooms, pens))
        free = Patient.objects.bulk_create(
            Patient(given_name=f"Q{i}", family_name="Bench", date_of_birth=date(1990, 1, 1))
            for i in range(50)
        )
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous=NORMAL")
    return BenchClinic(location=location, service=service, free_patients=free, actor=actor)


def _appointment_rows(
    size: int, location: Location, staff: list[User], rooms: list[Room], pens: list[Device]
) -> Any:
    """(patient index, staff, room, pen, start) of each appointment.

    Two staggered groups share rooms and pens without overlapping: group A at 08:00, 10:30,
    13:00, 15:30, 18:00; group B 75 minutes later (each 60 + 15 min), one of them left free
    per person and day so about 70% of the time is booked. Filled from the last day
    backwards: larger clinics get their extra history before the window, so the 30 days
    measured look the same at every size.
    """
    made = 0
    zone = location.zone
    offset = DAYS
    while made < size:
        offset -= 1
        day = FIRST_DAY + timedelta(days=offset)
        if day.weekday() >= 6:
            continue
        for index, member in enumerate(staff):
            group_b = index >= ROOMS
            starts = range(4 if group_b else 5)
            for k in starts:
                if k == (offset + index) % len(starts):
                    continue
                if made >= size:
                    return
                made += 1
                minutes = 8 * 60 + k * 150 + (75 if group_b else 0)
                start = datetime.combine(day, clock(minutes // 60, minutes % 60), zone)
                yield made, member.pk, rooms[index % ROOMS].pk, pens[index % PENS].pk, start


def _insert_appointments(template: Appointment, rows: Any) -> None:
    """Every column as the ORM would write ``template``, varying only patient, staff, room,
    pen, times and link secret per row: one prepared INSERT, rows sent in batches."""
    fields = [f for f in Appointment._meta.concrete_fields if not f.primary_key]
    values = [f.get_db_prep_save(f.pre_save(template, add=True), connection) for f in fields]
    position = {f.attname: i for i, f in enumerate(fields)}
    patient_ids = list(
        Patient.objects.filter(family_name="Bench", given_name__startswith="P")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    as_db = connection.ops.adapt_datetimefield_value
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    # Names from the model's own metadata, values as parameters: nothing from outside.
    sql = (
        f"INSERT INTO {connection.ops.quote_name(Appointment._meta.db_table)} ({columns}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    varying = [
        position[name]
        for name in (
            "patient_id",
            "staff_id",
            "room_id",
            "device_id",
            "start",
            "end",
            "busy_until",
            "link_secret",
        )
    ]
    hour, busy = timedelta(minutes=60), timedelta(minutes=75)
    batch: list[list[Any]] = []
    with connection.cursor() as cursor:
        for made, staff_id, room_id, device_id, start in rows:
            row = list(values)
            for index, value in zip(
                varying,
                (
                    patient_ids[made % len(patient_ids)],
                    staff_id,
                    room_id,
                    device_id,
                    as_db(start),
                    as_db(start + hour),
                    as_db(start + busy),
                    new_link_secret(),
                ),
                strict=True,
            ):
                row[index] = value
            batch.append(row)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)
