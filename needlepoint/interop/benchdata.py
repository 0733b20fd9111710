"""A generated clinic for measuring the FHIR export (`needlepoint bench_export`): bulk rows
straight into a throwaway database. A fixture, not clinic data: it bypasses the services
(and their audit events) on purpose, as `needlepoint bench` does."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db import transaction

from needlepoint.accounts.models import User
from needlepoint.charting.models import ConsentSignature, DayOfCheck, SessionChart
from needlepoint.clinic.models import CartridgeLot, Device, Location, Room, Service
from needlepoint.outcomes.models import Assessment, PatientRating
from needlepoint.patients.models import Patient
from needlepoint.scheduling.models import Appointment, BookedVia
from needlepoint.screening.models import Screening

FIRST = datetime(2030, 1, 7, 14, 0, tzinfo=UTC)
ANSWERS = {"active_skin_infection": "no", "active_cold_sore": "no", "new_medication": "no"}
ZONES = [
    {"zone": "cheeks", "depth_mm": 1.0, "passes": 3, "rule": "DEPTH_OK"},
    {"zone": "forehead", "depth_mm": 0.5, "passes": 2, "rule": "DEPTH_OK"},
]


def _clinic() -> dict[str, Any]:
    location = Location.objects.create(slug="bench", name="Bench", time_zone="America/New_York")
    return {
        "location": location,
        "room": Room.objects.create(
            location=location, slug="b-room", name="Room", kind="treatment"
        ),
        "device": Device.objects.create(
            location=location, slug="b-pen", model_name="Pen", serial_number="BENCH-1"
        ),
        "lot": CartridgeLot.objects.create(
            location=location,
            product="Cartridge 12-pin",
            ref="C12",
            lot="L1",
            expiry=date(2031, 1, 1),
            quantity_received=100_000,
            received_on=date(2029, 12, 1),
        ),
        "service": Service.objects.create(
            slug="b-treatment", name="Treatment", duration_minutes=60, room_kind="treatment"
        ),
        "staff": User.objects.create(username="b-clinician", role="physician", first_name="B"),
    }


def build_patients(count: int, batch: int = 500) -> None:
    """``count`` patients, each with 3 appointments, a signed chart (2 zones), a consent, a
    screening, a day-of check, 2 assessments and a rating: about 20 resources each."""
    with transaction.atomic():
        c = _clinic()
        for offset in range(0, count, batch):
            _batch(c, offset, min(batch, count - offset))


def _batch(c: dict[str, Any], offset: int, size: int) -> None:
    patients = Patient.objects.bulk_create(
        Patient(given_name=f"P{offset + i}", family_name="Bench", date_of_birth=date(1990, 1, 1))
        for i in range(size)
    )
    appointments = Appointment.objects.bulk_create(
        Appointment(
            patient=p,
            service=c["service"],
            location=c["location"],
            staff=c["staff"],
            room=c["room"],
            device=c["device"],
            start=FIRST + timedelta(hours=3 * (n * 10_000 + offset + i)),
            end=FIRST + timedelta(hours=3 * (n * 10_000 + offset + i), minutes=60),
            busy_until=FIRST + timedelta(hours=3 * (n * 10_000 + offset + i), minutes=60),
            status="completed",
            booked_via=BookedVia.STAFF,
        )
        for i, p in enumerate(patients)
        for n in range(3)
    )
    firsts = appointments[::3]
    SessionChart.objects.bulk_create(
        SessionChart(
            appointment=a,
            patient_id=a.patient_id,
            session_date=a.start.date(),
            operator=c["staff"],
            operator_role="physician",
            device=c["device"],
            cartridge_lot=c["lot"],
            zones=ZONES,
            endpoint="even_erythema",
            protocol_version="bench",
            status="signed",
            signed_at=a.end,
        )
        for a in firsts
    )
    ConsentSignature.objects.bulk_create(
        ConsentSignature(
            patient_id=a.patient_id,
            appointment=a,
            version="bench-1",
            text_hash="0" * 64,
            signature_kind="typed",
            signature="P Bench",
            signer_name="P Bench",
            source="tablet",
            collected_by=c["staff"],
            signed_at=a.start,
        )
        for a in firsts
    )
    DayOfCheck.objects.bulk_create(
        DayOfCheck(
            appointment=a,
            patient_id=a.patient_id,
            answers=ANSWERS,
            judged_for=a.start.date(),
            policy_version="bench-1",
            verdict="proceed",
            blocked=False,
            checked_by=c["staff"],
            checked_at=a.start,
        )
        for a in firsts
    )
    Screening.objects.bulk_create(
        Screening(
            patient=p,
            channel="online",
            answers={**ANSWERS, "diabetes": "none", "areas": ["face"]},
            judged_for=date(2030, 1, 1),
            policy_version="bench-1",
            verdict="candidate",
            result={},
        )
        for p in patients
    )
    Assessment.objects.bulk_create(
        Assessment(
            patient=p,
            concern="acne_scars",
            grade="2",
            gais=2 if kind == "outcome_1m" else None,
            kind=kind,
            assessed_on=date(2030, 1, 1),
            assessed_by=c["staff"],
        )
        for p in patients
        for kind in ("baseline", "outcome_1m")
    )
    PatientRating.objects.bulk_create(
        PatientRating(patient=p, improvement=2, satisfaction=4, rated_on=date(2030, 3, 1))
        for p in patients
    )
