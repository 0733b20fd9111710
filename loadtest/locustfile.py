"""The `make loadtest` scenario (locust, headless): a group of clinics busy at once.

Patients look at the treatment and book; front desks book and move appointments;
aestheticians chart (read appointments, patients, photos) and upload photos. Everything goes
through the API with bearer tokens the driver (`needlepoint loadtest`) created for the demo
users and wrote to the JSON file named by NEEDLEPOINT_LOADTEST_CONFIG.

A 409 (slot taken meanwhile) or 4xx is the clinic answering correctly under contention: only
5xx responses and transport errors count as failures.
"""

from __future__ import annotations

import io
import json
import os
import random
from datetime import date, timedelta
from typing import Any

from locust import HttpUser, between, task

CONFIG: dict[str, Any] = json.loads(
    open(os.environ["NEEDLEPOINT_LOADTEST_CONFIG"], encoding="utf-8").read()  # noqa: SIM115
)


def _tiny_jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 160, 140)).save(buffer, "JPEG")
    return buffer.getvalue()


PHOTO = _tiny_jpeg()


class ClinicUser(HttpUser):
    abstract = True
    wait_time = between(0.5, 2.0)
    persona = ""

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Bearer {CONFIG['tokens'][self.persona]}"
        self.location = random.choice(CONFIG["locations"])
        self.service = random.choice(CONFIG["services"])
        self.booked: list[int] = []

    def call(self, method: str, path: str, name: str, **kwargs: Any) -> Any:
        with self.client.request(method, path, name=name, catch_response=True, **kwargs) as answer:
            if answer.status_code >= 500 or answer.status_code == 0:
                answer.failure(f"{answer.status_code} {answer.error!r}"[:200])
            else:
                answer.success()
            return answer

    def slots(self) -> list[dict[str, Any]]:
        first = date.today() + timedelta(days=random.randint(1, 40))
        answer = self.call(
            "GET",
            f"/api/v1/availability?service={self.service}&location={self.location}"
            f"&start={first}&end={first + timedelta(days=6)}",
            "availability (7 days)",
        )
        if answer.status_code != 200:
            return []
        return list(answer.json().get("slots", []))

    def book(self, patient: int) -> None:
        found = self.slots()
        if not found:
            return
        slot = random.choice(found)
        answer = self.call(
            "POST",
            "/api/v1/appointments",
            "book",
            json={
                "service": self.service,
                "start": slot["start"],
                "patient": patient,
                "location": self.location,
            },
        )
        if answer.status_code == 201:
            self.booked.append(answer.json()["id"])


class Patient(ClinicUser):
    weight = 5
    persona = "patient"

    @task(3)
    def screen(self) -> None:
        self.call("GET", "/api/v1/services", "services")
        self.call("GET", f"/api/v1/services/{self.service}", "service")

    @task(1)
    def book_own(self) -> None:
        self.book(CONFIG["portal_patient"])


class FrontDesk(ClinicUser):
    weight = 3
    persona = "frontdesk"

    @task(3)
    def book_for_patient(self) -> None:
        self.book(random.choice(CONFIG["patients"]))

    @task(1)
    def move(self) -> None:
        if not self.booked:
            return
        appointment = random.choice(self.booked)
        found = self.slots()
        if found:
            self.call(
                "POST",
                f"/api/v1/appointments/{appointment}/reschedule",
                "reschedule",
                json={"start": random.choice(found)["start"]},
            )


class Aesthetician(ClinicUser):
    weight = 2
    persona = "aesthetician"

    @task(3)
    def chart(self) -> None:
        patient = random.choice(CONFIG["patients"])
        self.call("GET", f"/api/v1/patients/{patient}", "patient")
        self.call("GET", f"/api/v1/patients/{patient}/photos", "photos")

    @task(1)
    def upload(self) -> None:
        patient = random.choice(CONFIG["patients"])
        self.call(
            "POST",
            f"/api/v1/patients/{patient}/photos",
            "upload photo",
            data={"view": "front", "taken_on": str(date.today())},
            files={"file": ("photo.jpg", PHOTO, "image/jpeg")},
        )
