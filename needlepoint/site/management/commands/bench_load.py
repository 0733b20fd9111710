"""`needlepoint bench_load`: booking throughput on PostgreSQL under 50 concurrent clients.

Creates a throwaway PostgreSQL database (dropped afterwards), builds a small clinic in it,
starts gunicorn (the `serve` setup: gthread workers) with the bench settings, and measures in
one run, side by side, with the same client (threads, one keep-alive connection each):

* bookings/s through the real API (`POST /api/v1/appointments`, bearer token);
* inserts/s of the same row through a minimal Django view on the same server;
* inserts/s of the same row by a raw psycopg loop (same threads, same exclusion
  constraints): the physical limit.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timedelta
from datetime import time as clock
from typing import Any

import psycopg
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.test import Client

from needlepoint.accounts.models import User
from needlepoint.accounts.services import api_token_create
from needlepoint.clinic.clock import clinic_today
from needlepoint.clinic.models import Device, Location, Room, Service, WorkingHours
from needlepoint.patients.models import Patient
from needlepoint.scheduling.models import Appointment
from needlepoint.site.bench.processes import (
    free_port,
    run_inner,
    start_server,
    stop,
    throwaway_postgres,
    wait_for,
)
from needlepoint.site.bench.views import BASELINE_START, LANES

SLOT_MINUTES = 75
ROUNDS = 4  # the API and the minimal view take turns this many times


def _drive(
    clients: int, jobs: list[Any], work: Callable[[Any, Any], int], setup: Callable[[], Any]
) -> tuple[float, Counter[int]]:
    """Run `work(state, job)` for every job on `clients` threads; return (seconds, statuses)."""
    lock = threading.Lock()
    pending = list(reversed(jobs))
    statuses: Counter[int] = Counter()

    def client() -> None:
        state = setup()
        while True:
            with lock:
                if not pending:
                    return
                job = pending.pop()
            status = work(state, job)
            with lock:
                statuses[status] += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, statuses


class Command(BaseCommand):
    help = "Booking throughput on PostgreSQL: the API vs a minimal ORM view vs raw inserts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--inner", action="store_true", help=""" (internal)""")
        parser.add_argument("--clients", type=int, default=50)
        parser.add_argument("--requests", type=int, default=600, help="per measurement")
        parser.add_argument("--page-requests", type=int, default=300, help="per page")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["inner"]:
            self._measure(options)
            return
        arguments = [
            f"--{key.replace('_', '-')}={options[key]}"
            for key in ("clients", "requests", "page_requests", "workers", "threads")
        ]
        with throwaway_postgres(f"bench_{secrets.token_hex(4)}") as database_url:
            if run_inner("bench_load", arguments, database_url):
                raise CommandError("the load bench failed (see above)")

    def _measure(self, options: dict[str, Any]) -> None:
        call_command("migrate", verbosity=0)
        token, location, cookie = self._build()
        count, clients = options["requests"], options["clients"]
        port = free_port()
        server = start_server(
            port,
            workers=options["workers"],
            threads=options["threads"],
            env={"DJANGO_SETTINGS_MODULE": "needlepoint.site.bench.settings"},
        )
        try:
            wait_for(port, "/__bench__/hello")
            api_jobs = self._api_starts(location, count)
            refusals: dict[int, str] = {}
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

            def connect() -> http.client.HTTPConnection:
                return http.client.HTTPConnection("127.0.0.1", port, timeout=120)

            def book(conn: http.client.HTTPConnection, job: tuple[str, str, int]) -> int:
                start, staff, patient = job
                body = json.dumps(
                    {
                        "service": "bench-treatment",
                        "start": start,
                        "patient": patient,
                        "staff": staff,
                        "location": "bench",
                    }
                )
                conn.request("POST", "/api/v1/appointments", body=body, headers=headers)
                response = conn.getresponse()
                answer = response.read()
                if response.status != 201:
                    refusals.setdefault(response.status, answer.decode()[:300])
                return response.status

            def insert(conn: http.client.HTTPConnection, number: int) -> int:
                conn.request("POST", f"/__bench__/insert/{number}")
                response = conn.getresponse()
                response.read()
                return response.status

            raw_sql, raw_params = self._raw_insert()

            def raw_connect() -> psycopg.Connection[Any]:
                return psycopg.connect(os.environ["DATABASE_URL"], autocommit=True)

            def raw(conn: psycopg.Connection[Any], number: int) -> int:
                conn.execute(raw_sql, raw_params(number))
                return 201

            # Warm both paths (imports, connections) before timing.
            _drive(4, list(range(count, count + 40)), insert, connect)
            # The API and the minimal view alternate in rounds, so a machine shared with
            # other work loads both alike and their ratio holds when the rates swing.
            api_s, orm_s = 0.0, 0.0
            api_status, orm_status = Counter[int](), Counter[int]()
            size = -(-count // ROUNDS)
            for first in range(0, count, size):
                seconds, statuses = _drive(clients, api_jobs[first : first + size], book, connect)
                api_s, api_status = api_s + seconds, api_status + statuses
                inserts = list(range(first, min(count, first + size)))
                seconds, statuses = _drive(clients, inserts, insert, connect)
                orm_s, orm_status = orm_s + seconds, orm_status + statuses
            raw_s, raw_status = _drive(
                clients, list(range(10 * count, 11 * count)), raw, raw_connect
            )
            pages = self._pages(connect, clients, options["page_requests"], cookie)
        finally:
            stop([server])
        api_rate = api_status[201] / api_s
        orm_rate = orm_status[201] / orm_s
        raw_rate = raw_status[201] / raw_s
        self.stdout.write(
            f"{clients} clients, {count} requests each measurement, gunicorn "
            f"{options['workers']} workers x {options['threads']} threads, PostgreSQL"
        )
        self.stdout.write(
            f"booking API:            {api_rate:8.1f} bookings/s  statuses {dict(api_status)}"
        )
        self.stdout.write(
            f"minimal ORM view:       {orm_rate:8.1f} inserts/s   statuses {dict(orm_status)}"
        )
        self.stdout.write(f"raw psycopg loop:       {raw_rate:8.1f} inserts/s   (physical limit)")
        self.stdout.write(
            f"API / minimal view:     {100 * api_rate / orm_rate:8.1f} %  (aim: at least 40 %)"
        )
        for status, answer in refusals.items():
            self.stdout.write(f"  first {status} from the API: {answer}")
        aims = {"public treatment page": "at least 50 %", "staff week calendar": "at least 25 %"}
        aims["patient profile"] = "at least 25 %"
        for label, page_rate, base_rate, page_status, _base in pages:
            self.stdout.write(
                f"{label + ':':23} {page_rate:8.1f} req/s vs minimal view {base_rate:8.1f} req/s"
                f" = {100 * page_rate / base_rate:5.1f} % (aim: {aims.get(label, 'none')})"
                f"  statuses {dict(page_status)}"
            )

    def _pages(
        self, connect: Callable[[], Any], clients: int, count: int, cookie: str
    ) -> list[tuple[str, float, float, Counter[int], Counter[int]]]:
        """Requests/s of each page against the minimal view, measured alternately."""
        patient = Patient.objects.order_by("pk").values_list("pk", flat=True).first()
        headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"}
        today = clinic_today(Location.objects.get(slug="bench"))
        monday = today - timedelta(days=today.weekday())
        week = f"start={monday}&end={monday + timedelta(days=6)}"
        results = []
        for label, path in (
            ("public treatment page", "/micro-needling/"),
            ("staff week calendar", "/staff/calendar/week/"),
            # What the grid then fetches, and the page without JavaScript (no aims: shown
            # so the week's whole cost stays in sight; decision 0730).
            ("  its feed (JSON)", f"/staff/calendar/feed/?{week}"),
            ("  as a list (no JS)", "/staff/calendar/week/?layout=list"),
            ("patient profile", f"/staff/patients/{patient}/"),
        ):

            def get(conn: http.client.HTTPConnection, target: str) -> int:
                conn.request("GET", target, headers=headers)
                response = conn.getresponse()
                response.read()
                return response.status

            _drive(4, [path] * 8, get, connect)
            page_s, page_status = _drive(clients, [path] * count, get, connect)
            base_s, base_status = _drive(clients, ["/__bench__/hello"] * count, get, connect)
            results.append((label, count / page_s, count / base_s, page_status, base_status))
        return results

    def _api_starts(self, location: Location, count: int) -> list[tuple[str, str, int]]:
        # One 75-minute lane per clinician (and room and pen), from tomorrow: no two overlap.
        first = date.today() + timedelta(days=2)
        patients = list(Patient.objects.order_by("pk").values_list("pk", flat=True))
        jobs: list[tuple[str, str, int]] = []
        day = 0
        while len(jobs) < count:
            for turn in range(9):
                minutes = 8 * 60 + turn * SLOT_MINUTES
                start = datetime.combine(
                    first + timedelta(days=day), clock(minutes // 60, minutes % 60), location.zone
                )
                for lane in range(LANES):
                    jobs.append(
                        (
                            start.isoformat(),
                            f"clinician-{lane:02}",
                            patients[len(jobs) % len(patients)],
                        )
                    )
            day += 1
        return jobs[:count]

    def _raw_insert(self) -> tuple[str, Callable[[int], tuple[Any, ...]]]:
        location = Location.objects.get(slug="bench")
        patient = Patient.objects.order_by("pk").first()
        service = Service.objects.get(slug="bench-treatment")
        staff = [User.objects.get(username=f"clinician-{i:02}").pk for i in range(LANES)]
        rooms = [Room.objects.get(location=location, slug=f"room-{i:02}").pk for i in range(LANES)]
        pens = [Device.objects.get(location=location, slug=f"pen-{i:02}").pk for i in range(LANES)]
        assert patient is not None
        table = "scheduling_appointment"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {table} LIMIT 0")  # noqa: S608 (fixed name)
            columns = [column.name for column in cursor.description]
        # Copy every column's default from a model instance so the row is the ORM's row.
        template = Appointment(
            patient=patient, service=service, location=location, booked_via="staff"
        )
        values = {c: getattr(template, attname) for c, attname in self._fields(columns)}

        def params(number: int) -> tuple[Any, ...]:
            lane, turn = number % LANES, number // LANES
            start = BASELINE_START + timedelta(minutes=SLOT_MINUTES * turn)
            now = datetime.now(tz=start.tzinfo)
            row = {
                **values,
                "staff_id": staff[lane],
                "room_id": rooms[lane],
                "device_id": pens[lane],
                "start": start,
                "end": start + timedelta(minutes=60),
                "busy_until": start + timedelta(minutes=SLOT_MINUTES),
                "created_at": now,
                "updated_at": now,
                "link_secret": secrets.token_hex(16),
            }
            return tuple(row[c] for c in insert_columns)

        insert_columns = [c for c in columns if c != "id"]
        quoted = ", ".join(f'"{c}"' for c in insert_columns)
        marks = ", ".join(["%s"] * len(insert_columns))
        return f"INSERT INTO {table} ({quoted}) VALUES ({marks})", params  # noqa: S608

    def _fields(self, columns: list[str]) -> list[tuple[str, str]]:
        by_column = {field.column: field.attname for field in Appointment._meta.concrete_fields}
        return [(column, by_column[column]) for column in columns if column != "id"]

    def _build(self) -> tuple[str, Location, str]:
        with transaction.atomic():
            location = Location.objects.create(
                slug="bench", name="Bench", time_zone="America/New_York"
            )
            Room.objects.bulk_create(
                Room(location=location, slug=f"room-{i:02}", name=f"Room {i}", kind="treatment")
                for i in range(LANES)
            )
            Device.objects.bulk_create(
                Device(
                    location=location, slug=f"pen-{i:02}", model_name="Pen", serial_number=f"B{i}"
                )
                for i in range(LANES)
            )
            Service.objects.create(
                slug="bench-treatment",
                name="Bench treatment",
                duration_minutes=60,
                buffer_after_minutes=15,
                room_kind="treatment",
                needs_device=True,
                performer_roles=["aesthetician", "physician"],
            )
            staff = User.objects.bulk_create(
                User(username=f"clinician-{i:02}", role="aesthetician") for i in range(LANES)
            )
            WorkingHours.objects.bulk_create(
                WorkingHours(
                    staff=member,
                    location=location,
                    weekday=weekday,
                    start_time=clock(8),
                    end_time=clock(20),
                )
                for member in staff
                for weekday in range(7)
            )
            Patient.objects.bulk_create(
                Patient(given_name=f"P{i}", family_name="Bench", date_of_birth=date(1990, 1, 1))
                for i in range(500)
            )
        desk = User.objects.create(username="bench-desk", role="front_desk")
        # Staff pages want an enrolled TOTP and a signed-in session (database-backed).
        TOTP.activate(desk, generate_totp_secret())
        browser = Client()
        browser.force_login(desk)
        cookie = browser.cookies[settings.SESSION_COOKIE_NAME].value
        return api_token_create(user=desk).raw, location, cookie
