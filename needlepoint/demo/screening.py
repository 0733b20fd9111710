"""Demo screenings, consultations (one cleared by the physician) and active plans. Idempotent:
a patient who already has a consultation is left alone."""

from __future__ import annotations

from typing import Any

from needlepoint.accounts.models import User
from needlepoint.domain.screening import DATE_FIELDS, TRI_STATE_FIELDS
from needlepoint.patients.models import Patient
from needlepoint.screening.models import Consultation, Screening
from needlepoint.screening.services import (
    consultation_clear,
    consultation_record,
    screening_submit,
)
from needlepoint.treatments.services import plan_create

# email, screening changes, concerns (graded), zones, fitzpatrick, determination, notes
DEMO: list[tuple[Any, ...]] = [
    (
        "ada.testwell@example.com",
        {"concerns": ["acne_scars"]},
        [{"concern": "acne_scars", "grade": "3"}],
        ["cheeks", "forehead", "chin_jawline"],
        3,
        "candidate",
        "Rolling and boxcar scars on both cheeks.",
    ),
    (
        "bruno.samplesson@example.com",
        {"concerns": ["fine_lines_wrinkles", "sun_damage"], "cold_sore_history": "yes"},
        [
            {"concern": "fine_lines_wrinkles", "grade": "II"},
            {"concern": "sun_damage", "grade": "II"},
        ],
        ["forehead", "periorbital", "cheeks"],
        2,
        "candidate",
        "Antiviral prophylaxis before each session (cold sore history).",
    ),
    (
        "farah.mockford@example.com",
        {"concerns": ["uneven_skin_tone"], "blood_thinners": "yes"},
        [{"concern": "uneven_skin_tone", "grade": "moderate"}],
        ["cheeks", "forehead"],
        5,
        "physician_clearance_required",
        "Takes apixaban; physician to review before treatment.",
    ),
]


def _answers(dob: str, changes: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "date_of_birth": dob,
        "concerns": ["acne_scars"],
        "areas": ["face"],
        "diabetes": "none",
        "consent_to_store": True,
    }
    data.update(dict.fromkeys(TRI_STATE_FIELDS, "no"))
    data.update(dict.fromkeys(DATE_FIELDS))
    data.update(changes)
    return data


def ensure_screening_demo(users: dict[str, User]) -> None:
    aesthetician, physician, desk = users["aesthetician"], users["physician"], users["frontdesk"]
    for email, changes, concerns, zones, phototype, determination, notes in DEMO:
        patient = Patient.objects.filter(email=email).first()
        if patient is None or Consultation.objects.filter(patient=patient).exists():
            continue
        submitted = screening_submit(
            actor=desk,
            data=_answers(patient.date_of_birth.isoformat(), changes),
            channel=Screening.Channel.PHONE,
            patient=patient,
        )
        consultation = consultation_record(
            actor=aesthetician,
            patient=patient,
            screening=submitted.screening,
            fitzpatrick=phototype,
            concerns=concerns,
            zones=zones,
            determination=determination,
            notes=notes,
        )
        if determination == "physician_clearance_required":
            consultation_clear(
                actor=physician,
                consultation=consultation,
                cleared=True,
                notes="Reviewed: may proceed; hold apixaban per protocol with the prescriber.",
            )
        plan_create(actor=aesthetician, consultation=consultation)
