"""A clinic on treatment day: location main (America/New_York), the demo pens and lots,
aria (aesthetician) and phil (physician), patient pat with a signed consultation and an
active plan (acne scars grade 3, cheeks and forehead), and her first session booked this
morning. Time is frozen on Monday 2027-03-01 10:00 local."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine

NOW = datetime(2027, 3, 1, 15, 0, tzinfo=UTC)  # 10:00 EST
TODAY = date(2027, 3, 1)

CONSULTATION = {
    "concerns": [{"concern": "acne_scars", "grade": "3"}],
    "fitzpatrick": 3,
    "zones": ["cheeks", "forehead"],
    "determination": "candidate",
}

DAY_OF_CLEAR = {
    "active_skin_infection": "no",
    "active_cold_sore": "no",
    "open_wounds_or_irritated_skin": "no",
    "active_inflamed_acne": "no",
    "dermatitis_flare": "no",
    "pregnant_or_breastfeeding": "no",
    "new_medication": "no",
    "sunburn_last": None,
    "filler_in_area_last": None,
    "neurotoxin_last": None,
    "peel_or_laser_last": None,
    "retinoid_or_acid_last_use": None,
}

CHART = {
    "device": "micropen-1",
    "cartridge_lot": "L25C031",
    "zones": [
        {"zone": "cheeks", "depth_mm": 1.25, "passes": 3},
        {"zone": "forehead", "depth_mm": 0.5, "passes": 2},
    ],
    "endpoint": "pinpoint_bleeding",
    "anesthetic": "Lidocaine 4% cream, 30 min",
    "topicals": [{"product": "sterile-ha-serum", "lot": "HA2611"}],
    "immediate_reactions": "Even erythema, no bleeding after 5 minutes.",
    "aftercare_given": True,
}


@pytest.fixture
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def clinic(db: None, frozen: Any) -> Any:
    from needlepoint.demo.clinic import ensure_cartridges, ensure_location, ensure_services

    location = ensure_location()
    ensure_services()
    ensure_cartridges(location, TODAY)
    return location


def make_plan(api: Any, clinician: Any, patient: Any, **changes: Any) -> dict[str, Any]:
    body = {**CONSULTATION, "patient": patient.patient.pk, **changes}
    consultation = api(clinician).post("/consultations", body)
    assert consultation.status_code == 201, consultation.content
    plan = api(clinician).post("/plans", {"consultation": consultation.json()["id"]})
    assert plan.status_code == 201, plan.content
    return plan.json()


def make_appointment(
    *, patient: Any, staff: Any, plan_id: int | None, session: int | None = 1, start: Any = None
) -> Any:
    from needlepoint.clinic.models import Device, Location, Room, Service
    from needlepoint.scheduling.models import Appointment

    start = start or NOW - timedelta(minutes=30)
    service = Service.objects.get(slug="microneedling-face")
    return Appointment.objects.create(
        patient=patient,
        service=service,
        location=Location.objects.get(slug="main"),
        staff=staff,
        room=Room.objects.get(slug="treatment-1"),
        device=Device.objects.get(slug="micropen-1"),
        start=start,
        end=start + timedelta(minutes=60),
        busy_until=start + timedelta(minutes=75),
        booked_via="staff",
        plan_id=plan_id,
        plan_session=session if plan_id else None,
    )


@pytest.fixture
def plan(clinic: Any, api: Any, aesthetician: Any, patient: Any) -> dict[str, Any]:
    return make_plan(api, aesthetician, patient)


def baseline_photos(patient: Any, on: date = TODAY - timedelta(days=7)) -> None:
    """The five standard face views, as rows (the pictures themselves do not matter here)."""
    from needlepoint.domain.outcomes import FACE_VIEWS
    from needlepoint.outcomes.models import Photo

    for view in FACE_VIEWS:
        Photo.objects.create(
            patient=patient,
            view=view,
            taken_on=on,
            file_name=f"test/{patient.pk}-{view}-{on}.jpg",
            thumb_name=f"test/{patient.pk}-{view}-{on}-thumb.jpg",
            width=10,
            height=10,
            byte_size=1,
            sha256="0" * 64,
            source_format="jpeg",
        )


@pytest.fixture
def appointment(plan: dict[str, Any], aesthetician: Any, patient: Any) -> Any:
    baseline_photos(patient.patient)
    return make_appointment(patient=patient.patient, staff=aesthetician.user, plan_id=plan["id"])


@pytest.fixture
def day(api: Any, aesthetician: Any, appointment: Any) -> Any:
    """Walks the steps: ``day.consent()``, ``day.check()``, ``day.chart()``, ``day.sign()``."""

    class Day:
        id = appointment.pk
        client = api(aesthetician)

        def consent(self, **body: Any) -> Any:
            data = {"consent_version": "current", "signature": "Pat Persona", "photo_release": True}
            return self.client.post(f"/appointments/{self.id}/consent", {**data, **body})

        def check(self, **answers: Any) -> Any:
            return self.client.post(
                f"/appointments/{self.id}/day-of-check", {**DAY_OF_CLEAR, **answers}
            )

        def chart(self, who: Any = None, **changes: Any) -> Any:
            client = api(who) if who else self.client
            return client.post(f"/appointments/{self.id}/chart", {**CHART, **changes})

        def sign(self, chart_id: int, who: Any = None) -> Any:
            return (api(who) if who else self.client).post(f"/charts/{chart_id}/sign")

        def ready(self) -> None:
            assert self.consent().status_code == 201
            assert self.check().status_code == 201

        def signed_chart(self) -> dict[str, Any]:
            self.ready()
            chart = self.chart()
            assert chart.status_code == 201, chart.content
            signed = self.sign(chart.json()["id"])
            assert signed.status_code == 200, signed.content
            return signed.json()

    return Day()
