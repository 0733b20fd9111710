"""Fifty simultaneous requests for one slot through the real HTTP server: one wins.

The app runs as it does in production (`needlepoint serve`: gunicorn, several processes with
threads) against its own throwaway database: a SQLite file with IMMEDIATE transactions, or a
fresh PostgreSQL database with the exclusion constraints. Each round fires 50 bookings for
one start at once; exactly one may be 201, all others 409, never a 5xx, and one row stored.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests

ROUNDS = 3
REQUESTS_PER_ROUND = 50
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
Room.objects.create(location=location, slug="consult-1", name="Consult", kind="consultation")
Service.objects.create(
    slug="consultation", name="Consultation", duration_minutes=30,
    room_kind="consultation", performer_roles=["aesthetician"], online_booking=True,
)
clinician = User.objects.create_user(username="aria", role="aesthetician")
for weekday in range(7):
    WorkingHours.objects.create(
        staff=clinician, location=location, weekday=weekday, start_time=time(9), end_time=time(17)
    )
desk = User.objects.create_user(username="fran", role="front_desk")
LocationAccess.objects.create(user=desk, location=None)  # the desk works group-wide
patients = [
    Patient.objects.create(given_name=f"P{i}", family_name="Load", date_of_birth="1990-01-01").pk
    for i in range(50)
]
print(json.dumps({"token": api_token_create(user=desk).raw, "patients": patients}))
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(database_url: str, data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        NEEDLEPOINT_ENV="test",
        NEEDLEPOINT_DATA_DIR=str(data_dir),
        WEB_WORKERS="3",
        WEB_THREADS="8",
    )
    return env


def _run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server exited while starting"
        try:
            if requests.get(f"{base}/api/v1/services", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise AssertionError("the server did not come up within 30 s")


def _fire(base: str, token: str, start: str, patients: list[int]) -> list[int]:
    barrier = threading.Barrier(len(patients))
    statuses: list[int] = []
    lock = threading.Lock()

    def one(patient_id: int) -> None:
        session = requests.Session()
        barrier.wait()
        try:
            response = session.post(
                f"{base}/api/v1/appointments",
                json={"service": "consultation", "start": start, "patient": patient_id},
                headers={"Authorization": f"Bearer {token}"},
                timeout=60,
            )
            code = response.status_code
        except requests.RequestException:
            code = -1
        with lock:
            statuses.append(code)

    threads = [threading.Thread(target=one, args=(p,)) for p in patients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def _slot_starts() -> list[str]:
    # Real time: the server's clock isn't frozen. Two days ahead is past any notice period.
    day: date = datetime.now(ZONE).date() + timedelta(days=2)
    return [
        datetime(day.year, day.month, day.day, 9 + r, 0, tzinfo=ZONE).isoformat()
        for r in range(ROUNDS)
    ]


def hammer(database_url: str, data_dir: Path, count_rows: Any) -> None:
    env = _env(database_url, data_dir)
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
        for start in _slot_starts():
            statuses = _fire(base, seeded["token"], start, seeded["patients"])
            tally = Counter(statuses)
            assert tally[201] == 1, tally
            assert tally[409] == REQUESTS_PER_ROUND - 1, tally
            assert not [s for s in statuses if s >= 500 or s < 0], tally
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    assert count_rows() == ROUNDS


def test_fifty_concurrent_bookings_of_one_slot_on_sqlite_make_one_appointment(tmp_path):
    import sqlite3

    database = tmp_path / "concurrency.sqlite3"

    def count_rows() -> int:
        with sqlite3.connect(database) as conn:
            return int(conn.execute("SELECT count(*) FROM scheduling_appointment").fetchone()[0])

    hammer(f"sqlite:///{database}", tmp_path, count_rows)


@pytest.mark.postgres_only
def test_fifty_concurrent_bookings_of_one_slot_on_postgresql_make_one_appointment(tmp_path):
    import psycopg
    from django.db import connection

    params = connection.settings_dict
    name = f"np_conc_{secrets.token_hex(6)}"
    admin = {
        "host": params["HOST"] or "127.0.0.1",
        "port": params["PORT"] or 5432,
        "user": params["USER"],
        "password": params["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    password = f":{params['PASSWORD']}" if params["PASSWORD"] else ""
    url = f"postgres://{params['USER']}{password}@{admin['host']}:{admin['port']}/{name}"
    with psycopg.connect(**admin) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:

        def count_rows() -> int:
            with psycopg.connect(**{**admin, "dbname": name}) as conn:
                row = conn.execute("SELECT count(*) FROM scheduling_appointment").fetchone()
                return int(row[0]) if row else 0

        hammer(url, tmp_path, count_rows)
    finally:
        with psycopg.connect(**admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
