"""Bookings and cancellations overlapping on PostgreSQL: never a deadlock, never a 5xx.

Eight clients book and cancel for ten seconds through the real HTTP server (`needlepoint
serve`, as in test_concurrency) against a fresh PostgreSQL database. Every answer must be
201 (booked), 200 (cancelled) or 409 (that time or patient was taken meanwhile). Before the
fix, `select_for_update().select_related(...)` also locked the service, location and
patient rows that every new booking's foreign keys share, and the two kinds of request
deadlocked ("deadlock detected", a 500).
"""

from __future__ import annotations

import json
import os
import random
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests

from tests.scheduling.test_concurrency import _env, _free_port, _run, _wait_until_up

CLIENTS = 8
SECONDS = 10
ZONE = ZoneInfo("America/New_York")

SEED = """
import json
from datetime import time
import django
django.setup()
from needlepoint.accounts.models import User
from needlepoint.accounts.services import api_token_create
from needlepoint.clinic.models import Location, LocationAccess, Room, Service, WorkingHours
from needlepoint.patients.models import Patient

location = Location.objects.create(slug="main", name="Main", time_zone="America/New_York")
for n in range(3):
    Room.objects.create(location=location, slug=f"consult-{n}", name=f"Consult {n}",
                        kind="consultation")
Service.objects.create(
    slug="consultation", name="Consultation", duration_minutes=30,
    room_kind="consultation", performer_roles=["aesthetician"], online_booking=True,
)
for name in ("aria", "ayla", "anna"):
    clinician = User.objects.create_user(username=name, role="aesthetician")
    for weekday in range(7):
        WorkingHours.objects.create(
            staff=clinician, location=location, weekday=weekday,
            start_time=time(9), end_time=time(17),
        )
desk = User.objects.create_user(username="fran", role="front_desk")
LocationAccess.objects.create(user=desk, location=None)  # the desk works group-wide
patients = [
    Patient.objects.create(given_name=f"P{i}", family_name="Load", date_of_birth="1990-01-01").pk
    for i in range(40)
]
print(json.dumps({"token": api_token_create(user=desk).raw, "patients": patients}))
"""


@contextmanager
def _fresh_postgres_database() -> Iterator[str]:
    import psycopg
    from django.db import connection

    params = connection.settings_dict
    name = f"np_bookcancel_{secrets.token_hex(6)}"
    admin = {
        "host": params["HOST"] or "127.0.0.1",
        "port": params["PORT"] or 5432,
        "user": params["USER"],
        "password": params["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    password = f":{params['PASSWORD']}" if params["PASSWORD"] else ""
    with psycopg.connect(**admin) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{params['USER']}{password}@{admin['host']}:{admin['port']}/{name}"
    finally:
        with psycopg.connect(**admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _starts() -> list[str]:
    """Half-hour starts on the next few days (real time: the server's clock isn't frozen)."""
    today = datetime.now(ZONE).date()
    return [
        datetime(d.year, d.month, d.day, 9 + half // 2, 30 * (half % 2), tzinfo=ZONE).isoformat()
        for d in (today + timedelta(days=n) for n in range(2, 5))
        for half in range(16)
    ]


def _book_and_cancel(base: str, token: str, patients: list[int], seconds: float) -> Counter[str]:
    """Each client books a random start for a random patient and cancels about half of what
    it booked, until time is up; returns a tally of "book 201", "cancel 200" and so on."""
    starts = _starts()
    tally: Counter[str] = Counter()
    lock = threading.Lock()
    barrier = threading.Barrier(CLIENTS)

    def client(seed: int) -> None:
        rng = random.Random(seed)
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        booked: list[int] = []
        barrier.wait()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if booked and rng.random() < 0.5:
                appointment = booked.pop(rng.randrange(len(booked)))
                kind, url, body = "cancel", f"/appointments/{appointment}/cancel", {}
            else:
                kind, url = "book", "/appointments"
                body = {
                    "service": "consultation",
                    "start": rng.choice(starts),
                    "patient": rng.choice(patients),
                }
            try:
                response = session.post(f"{base}/api/v1{url}", json=body, timeout=60)
                code = response.status_code
            except requests.RequestException:
                code = -1
            if kind == "book" and code == 201:
                booked.append(response.json()["id"])
            with lock:
                tally[f"{kind} {code}"] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally


@pytest.mark.postgres_only
def test_eight_clients_booking_and_cancelling_for_ten_seconds_never_get_an_error(tmp_path: Path):
    with _fresh_postgres_database() as url:
        env = _env(url, tmp_path)
        _run(["-m", "needlepoint", "migrate", "--noinput", "-v", "0"], env)
        seeded = json.loads(_run(["-c", SEED], env).strip().splitlines()[-1])
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [sys.executable, "-m", "needlepoint", "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            _wait_until_up(base, server)
            tally = _book_and_cancel(base, seeded["token"], seeded["patients"], SECONDS)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    allowed = {"book 201", "book 409", "cancel 200", "cancel 409"}
    errors = {outcome: n for outcome, n in tally.items() if outcome not in allowed}
    assert not errors, f"errors: {errors}; all answers: {dict(tally)}"
    assert tally["book 201"] > 0 and tally["cancel 200"] > 0, dict(tally)


def test_every_row_lock_in_the_code_names_the_rows_it_locks():
    """`select_for_update()` with a join locks every joined row (the location, service and
    patient rows a booking's foreign keys share); each lock says `of=` which rows it means."""
    root = Path(__file__).resolve().parents[2] / "needlepoint"
    unscoped = [
        f"{path.relative_to(root)}:{number}"
        for path in root.rglob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if ".select_for_update(" in line and "of=" not in line
    ]
    assert not unscoped, unscoped
