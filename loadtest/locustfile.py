"""The `make loadtest` scenario (locust, headless): a group of clinics busy at once.

Patients answer the screening questions, look at the treatments and book a consultation;
front desks book visits for patients and move them; aestheticians chart (read the patient,
their photos, an appointment) and upload photos. Everything goes through the API with
bearer tokens the driver (`needlepoint loadtest`) created and wrote, with the servers'
addresses, to the JSON file named by NEEDLEPOINT_LOADTEST_CONFIG. Users are dealt to the
servers in turn (round robin), as a load balancer would.

A 409 (slot taken meanwhile) or 4xx is the clinic answering correctly under contention: only
5xx responses and transport errors count as failures. Every answer's status is tallied per
operation and written to the config's `statuses` file when the run stops.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import random
from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

from locust import HttpUser, between, events, task

CONFIG: dict[str, Any] = json.loads(
    open(os.environ["NEEDLEPOINT_LOADTEST_CONFIG"], encoding="utf-8").read()  # noqa: SIM115
)
STATUSES: defaultdict[str, Counter[str]] = defaultdict(Counter)
NEXT_HOST = itertools.count()
NEXT_PORTAL = itertools.count()
# A server slower than this is a failure (transport error), not a long wait.
REQUEST_TIMEOUT_SECONDS = 60
NO = "no"
QUESTIONS = [
    "pregnant_or_breastfeeding",
    "active_skin_infection",
    "active_cold_sore",
    "cold_sore_history",
    "open_wounds_or_irritated_skin",
    "skin_lesions_or_changing_moles",
    "active_inflamed_acne",
    "dermatitis_flare",
    "dermatitis_history",
    "bleeding_disorder",
    "blood_thinners",
    "keloid_history",
    "immunosuppressed",
    "metal_allergy",
    "anesthetic_allergy",
    "gold_threads_in_area",
]
LAST_DATES = [
    "isotretinoin_last_dose",
    "radiation_to_area_last",
    "filler_in_area_last",
    "neurotoxin_last",
    "peel_or_laser_last",
    "facial_surgery_last",
    "sunburn_last",
    "retinoid_or_acid_last_use",
]
# A patient with nothing to declare (every answer "no", no recent procedures).
SCREENING = {
    "concerns": ["acne_scars"],
    "areas": ["face"],
    "diabetes": "none",
    "consent_to_store": True,
    **dict.fromkeys(QUESTIONS, NO),
    **dict.fromkeys(LAST_DATES),
}


def _tiny_jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 160, 140)).save(buffer, "JPEG")
    return buffer.getvalue()


PHOTO = _tiny_jpeg()


@events.test_stop.add_listener
def _write_statuses(**_: Any) -> None:
    with open(CONFIG["statuses"], "w", encoding="utf-8") as handle:
        json.dump({name: dict(counts) for name, counts in STATUSES.items()}, handle)


class ClinicUser(HttpUser):
    abstract = True
    # People read and type between requests: a few seconds, not a tight loop.
    wait_time = between(1.0, 5.0)
    persona = ""
    services_key = "desk_services"

    def on_start(self) -> None:
        self.client.base_url = CONFIG["hosts"][next(NEXT_HOST) % len(CONFIG["hosts"])]
        self.client.headers["Authorization"] = f"Bearer {self.token()}"
        # One connection per request. gunicorn closes a keep-alive connection idle for 2 s,
        # and a user thinks 1-5 s: reusing it races the server's close ("connection reset",
        # "remote end closed"), which browsers retry unseen and a load balancer in front
        # never shows. The first 200-user run had 171 of those in 2 minutes, and no 5xx.
        self.client.headers["Connection"] = "close"
        self.location = random.choice(CONFIG["locations"])
        self.booked: list[tuple[int, str]] = []  # (appointment, service)

    def token(self) -> str:
        return str(CONFIG["tokens"][self.persona])

    def call(self, method: str, path: str, name: str, **kwargs: Any) -> Any:
        with self.client.request(
            method,
            path,
            name=name,
            catch_response=True,
            timeout=REQUEST_TIMEOUT_SECONDS,
            **kwargs,
        ) as answer:
            STATUSES[name][str(answer.status_code)] += 1
            if answer.status_code >= 500 or answer.status_code == 0:
                answer.failure(f"{answer.status_code} {answer.error!r}"[:200])
            else:
                answer.success()
            return answer

    def slots(self, service: str) -> list[dict[str, Any]]:
        # Mostly the coming fortnight (tomorrow's visits get their reminders during the run).
        first = date.today() + timedelta(days=random.choice([1, 1, 2, 3, 5, 8, 13, 21]))
        answer = self.call(
            "GET",
            f"/api/v1/availability?service={service}&location={self.location}"
            f"&start={first}&end={first + timedelta(days=6)}",
            "availability (7 days)",
        )
        if answer.status_code != 200:
            return []
        return list(answer.json().get("slots", []))

    def book(self, patient: int, name: str) -> None:
        service = random.choice(CONFIG[self.services_key])
        found = self.slots(service)
        if not found:
            return
        slot = random.choice(found[:8])  # people take the earliest times: contention
        answer = self.call(
            "POST",
            "/api/v1/appointments",
            name,
            json={
                "service": service,
                "start": slot["start"],
                "patient": patient,
                "location": self.location,
            },
        )
        if answer.status_code == 201:
            self.booked.append((answer.json()["id"], service))


class Patient(ClinicUser):
    weight = 5
    persona = "patient"
    services_key = "online_services"

    def token(self) -> str:
        portal = CONFIG["portal"][next(NEXT_PORTAL) % len(CONFIG["portal"])]
        self.patient = int(portal["patient"])
        return str(portal["token"])

    @task(3)
    def screen(self) -> None:
        self.call("GET", "/api/v1/services", "services")
        self.call(
            "POST",
            "/api/v1/screenings",
            "screening",
            json={**SCREENING, "date_of_birth": "1990-05-17", "planned_date": None},
        )

    @task(1)
    def book_own(self) -> None:
        self.book(self.patient, "book (patient)")


class FrontDesk(ClinicUser):
    weight = 3
    persona = "frontdesk"

    @task(3)
    def book_for_patient(self) -> None:
        self.book(random.choice(CONFIG["patients"]), "book (front desk)")

    @task(1)
    def move(self) -> None:
        if not self.booked:
            return
        appointment, service = random.choice(self.booked)
        found = self.slots(service)
        if found:
            self.call(
                "POST",
                f"/api/v1/appointments/{appointment}/reschedule",
                "reschedule",
                json={"start": random.choice(found[:8])["start"]},
            )


class Aesthetician(ClinicUser):
    weight = 2
    persona = "aesthetician"

    @task(3)
    def chart(self) -> None:
        patient = random.choice(CONFIG["chart_patients"])
        self.call("GET", f"/api/v1/patients/{patient}", "patient")
        self.call("GET", f"/api/v1/patients/{patient}/photos", "photos")
        self.call("GET", f"/api/v1/patients/{patient}/plans", "plans")

    @task(1)
    def upload(self) -> None:
        patient = random.choice(CONFIG["chart_patients"])
        self.call(
            "POST",
            f"/api/v1/patients/{patient}/photos",
            "upload photo",
            data={"view": "front", "taken_on": str(date.today())},
            files={"file": ("photo.jpg", PHOTO, "image/jpeg")},
        )
