"""Demo follow-ups: courses finished weeks to months ago, so every follow-up page (the front
desk's list, a patient's outcome visits) looks like a clinic in use. Ada and Bruno are mid-
course (the charting demo's sessions); these are other demo patients:

* Esme: enlarged pores, course finished about six weeks ago; her 1-month outcome visit done,
  the 3-month visit proposed.
* Dmitri: fine lines, course finished about three and a half months ago; a no-show at his
  1-month outcome visit and the 3-month one never booked: both on the front desk's missed
  list.
* Farah: uneven skin tone (her cleared plan), course finished thirteen months ago: her
  maintenance recall is due (raised).

Idempotent: a plan that already has follow-ups is left alone.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from needlepoint.accounts.models import User
from needlepoint.clinic.clock import clinic_today
from needlepoint.clinic.models import Location, Room, Service
from needlepoint.followups.models import FollowUp
from needlepoint.followups.services import followup_link, followups_propose, followups_sync
from needlepoint.patients.models import Patient
from needlepoint.scheduling.models import AppointmentStatus
from needlepoint.scheduling.services import appointment_record_past
from needlepoint.screening.services import consultation_record
from needlepoint.treatments.models import TreatmentPlan
from needlepoint.treatments.services import plan_create, plan_session_mark

MARKER = "[demo]"

# email, the consultation to plan from (None: the patient's plan from the screening demo),
# days before today of the last session, outcome visits {months: (status, days ago)}
COURSES: list[tuple[str, dict[str, Any] | None, int, dict[int, tuple[str, int]]]] = [
    (
        "esme.fictionova@example.com",
        {
            "concerns": [{"concern": "enlarged_pores", "grade": None}],
            "zones": ["cheeks", "nose"],
            "fitzpatrick": 2,
            "notes": "Enlarged pores on the cheeks and nose.",
        },
        45,
        {1: (AppointmentStatus.COMPLETED, 12)},
    ),
    (
        "dmitri.placeholder@example.com",
        {
            "concerns": [{"concern": "fine_lines_wrinkles", "grade": "I"}],
            "zones": ["forehead", "periorbital"],
            "fitzpatrick": 2,
            "notes": "Fine lines on the forehead and around the eyes.",
        },
        105,
        {1: (AppointmentStatus.NO_SHOW, 74)},
    ),
    ("farah.mockford@example.com", None, 400, {}),
]
# Chicago's: Hana's acne-scar course finished two months ago; her 1-month visit done there.
CHICAGO_COURSES: list[tuple[str, dict[str, Any] | None, int, dict[int, tuple[str, int]]]] = [
    (
        "hana.exemplar@example.com",
        {
            "concerns": [{"concern": "acne_scars", "grade": "2"}],
            "zones": ["cheeks", "chin_jawline"],
            "fitzpatrick": 4,
            "notes": "Rolling scars on both cheeks.",
        },
        60,
        {1: (AppointmentStatus.COMPLETED, 28)},
    ),
]


def _plan(patient: Patient, consultation: dict[str, Any] | None, clinician: User) -> Any:
    plan = TreatmentPlan.objects.filter(patient=patient).order_by("-created_at").first()
    if plan is not None or consultation is None:
        return plan
    recorded = consultation_record(
        actor=clinician, patient=patient, determination="candidate", **consultation
    )
    return plan_create(actor=clinician, consultation=recorded)


def _weekday(day: date) -> date:
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _at(day: date, hour: int, location: Location) -> datetime:
    return datetime.combine(day, time(hour, 0), location.zone)


def ensure_followups(
    location: Location, users: dict[str, User], courses: list[Any] | None = None
) -> int:
    """Returns how many plans were given a demo course history (``courses``: COURSES)."""
    clinician, desk = users["aesthetician"], users["frontdesk"]
    treatment = Service.objects.filter(slug="microneedling-face").first()
    follow_up = Service.objects.filter(slug="follow-up").first()
    treatment_room = (
        Room.objects.filter(location=location, kind="treatment").order_by("slug").first()
    )
    consult_room = (
        Room.objects.filter(location=location, kind="consultation").order_by("slug").first()
    )
    if not (treatment and follow_up and treatment_room and consult_room):
        return 0
    now = timezone.now()
    today = clinic_today(location, now=now)
    done = 0
    for email, consultation, last_days_ago, visits in COURSES if courses is None else courses:
        patient = Patient.objects.filter(email=email).first()
        plan = _plan(patient, consultation, clinician) if patient else None
        if patient is None or plan is None or FollowUp.objects.filter(plan=plan).exists():
            continue
        last = _weekday(today - timedelta(days=last_days_ago))
        days = [
            _weekday(last - timedelta(weeks=plan.interval_weeks * k)) for k in range(plan.sessions)
        ]
        for index, day in enumerate(reversed(days), start=1):
            appointment = appointment_record_past(
                actor=desk,
                patient=patient,
                service=treatment,
                location=location,
                staff=clinician,
                room=treatment_room,
                start=_at(day, 10, location),
                notes=f"{MARKER} session {index} of the course",
                now=now,
            )
            plan_session_mark(
                actor=clinician,
                plan=plan,
                index=index,
                status="done",
                on=day,
                reference=f"appointment:{appointment.pk}",
            )
        plan.refresh_from_db()
        for followup in followups_propose(actor=clinician, plan=plan, now=now):
            if followup.kind != FollowUp.Kind.OUTCOME_VISIT or followup.months_after not in visits:
                continue
            status, days_ago = visits[followup.months_after]
            visit = appointment_record_past(
                actor=desk,
                patient=patient,
                service=follow_up,
                location=location,
                staff=clinician,
                room=consult_room,
                start=_at(_weekday(today - timedelta(days=days_ago)), 14, location),
                status=status,
                notes=f"{MARKER} {followup.months_after}-month outcome visit",
                now=now,
            )
            followup_link(actor=desk, followup=followup, appointment=visit)
        done += 1
    followups_sync(actor=None, now=now)  # raises the recall that is due
    return done
