"""Rows for the query budgets: a clinic, staff, and one patient per listed row, so each row's
related objects (patient, staff member, room, plan, chart) differ and an N+1 would show.

Every builder takes ``i``, the row's number, and makes what row ``i`` of a list needs. The
tests measure a page or an operation with one row, add nineteen, and measure again:
``counts(add, fetch)`` returns both numbers.

The budgets' comments count in these units: "page 7" is what every signed-in staff page
costs (session, user, TOTP check, clinic zone; saving the session: savepoint, update,
release), "token" the API's bearer-token lookup, and "audit 4" one audited read (savepoint,
the chain's head, one INSERT for every row, release; see ``pinned`` for PostgreSQL). On SQLite one INSERT carries at most 52 audit rows (999 parameters),
so a list of more rows than that adds an INSERT per 52: lists here stay at 20.

Models are reached through the apps' public modules (``models``, ``services``); the
models are imported from their apps here, in this one file.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from needlepoint.accounts.models import User
from needlepoint.charting.models import (
    AdverseEvent,
    CartridgeUse,
    ChartAmendment,
    ConsentSignature,
    SessionChart,
)
from needlepoint.clinic.models import CartridgeLot, Device, Location, Room, Service
from needlepoint.demo.clinic import (
    ensure_cartridges,
    ensure_location,
    ensure_services,
    ensure_working_hours,
)
from needlepoint.followups.services import followups_propose
from needlepoint.outcomes.models import Assessment, PatientRating, Photo
from needlepoint.patients.models import Patient
from needlepoint.scheduling.models import Appointment, AppointmentStatus
from needlepoint.screening.models import Consultation, Screening
from needlepoint.treatments.models import PlanSession, TreatmentPlan
from needlepoint.waitlist.models import WaitlistEntry

NOW = datetime(2027, 3, 1, 15, 0, tzinfo=UTC)  # Monday 10:00 in New York
TODAY = date(2027, 3, 1)
DAY_START = datetime(2027, 3, 1, 5, 0, tzinfo=UTC)  # local midnight in New York
ROWS = 20


def clinic(*staff: User) -> Location:
    location = ensure_location()
    ensure_services()
    ensure_cartridges(location, TODAY)
    ensure_working_hours(location, list(staff))
    return location


def clinician(i: int) -> User:
    """Staff member ``i``: aestheticians and physicians in turn, each with their own row."""
    role = "aesthetician" if i % 2 == 0 else "physician"
    return User.objects.create_user(
        username=f"clinician{i}", role=role, first_name=f"Clin{i}", email=f"c{i}@example.com"
    )


def patient(i: int, *, user: User | None = None) -> Patient:
    return Patient.objects.create(
        given_name=f"Given{i}",
        family_name=f"Family{i:02d}",
        date_of_birth=date(1980, 1, 1) + timedelta(days=i),
        email=f"p{i}@example.com",
        phone=f"+1 555 01{i:02d}",
        user=user,
    )


def appointment(
    i: int,
    *,
    patient: Patient,
    staff: User,
    start: datetime,
    status: str = AppointmentStatus.BOOKED,
    service: str = "consultation",
    plan: TreatmentPlan | None = None,
    session: int | None = None,
) -> Appointment:
    """Row ``i``'s appointment: rooms and pens alternate with ``i``."""
    svc = Service.objects.get(slug=service)
    kind = "treatment" if svc.is_treatment else "consult"
    room = Room.objects.get(slug=f"treatment-{i % 2 + 1}" if kind == "treatment" else "consult-1")
    device = Device.objects.get(slug=f"micropen-{i % 2 + 1}") if svc.needs_device else None
    return Appointment.objects.create(
        patient=patient,
        service=svc,
        location=Location.objects.get(slug="main"),
        staff=staff,
        room=room,
        device=device,
        start=start,
        end=start + timedelta(minutes=svc.duration_minutes),
        busy_until=start + timedelta(minutes=svc.duration_minutes + svc.buffer_after_minutes),
        status=status,
        booked_via="staff",
        plan=plan,
        plan_session=session if plan else None,
    )


def plan(patient: Patient, staff: User, *, done: int = 0) -> TreatmentPlan:
    """A signed consultation and a three-session plan, ``done`` sessions of it done."""
    screening = Screening.objects.create(
        patient=patient,
        channel="online",
        answers={"q": "a"},
        judged_for=TODAY,
        policy_version="test",
        verdict="eligible",
        result={"verdict": "eligible", "precautions": []},
    )
    consultation = Consultation.objects.create(
        patient=patient,
        screening=screening,
        fitzpatrick=3,
        concerns=[{"concern": "acne_scars", "grade": "3"}],
        zones=["cheeks"],
        determination="candidate",
        protocol_version="test",
        signed_by=staff,
        signed_at=NOW - timedelta(days=200),
    )
    treatment_plan = TreatmentPlan.objects.create(
        patient=patient,
        consultation=consultation,
        protocol_version="test",
        recommendation={},
        sessions=3,
        interval_weeks=4,
        maintenance_months=12,
        zones=[{"zone": "cheeks", "depth_mm": [1.0, 1.5]}],
        created_by=staff,
    )
    for index in (1, 2, 3):
        finished = index <= done
        PlanSession.objects.create(
            plan=treatment_plan,
            index=index,
            status="done" if finished else "planned",
            done_on=TODAY - timedelta(days=200 - 28 * index) if finished else None,
        )
    return treatment_plan


def recommended_plan(client: Any, owner: Patient) -> int:
    """A consultation and the plan the protocol engine recommends, through the API."""
    body = {
        "patient": owner.pk,
        "concerns": [{"concern": "acne_scars", "grade": "3"}],
        "fitzpatrick": 3,
        "zones": ["cheeks", "forehead"],
        "determination": "candidate",
    }
    consultation = client.post("/consultations", body)
    assert consultation.status_code == 201, consultation.content
    made = client.post("/plans", {"consultation": consultation.json()["id"]})
    assert made.status_code == 201, made.content
    return int(made.json()["id"])


def chart(
    i: int,
    *,
    patient: Patient,
    operator: User,
    plan: TreatmentPlan,
    signed: bool = True,
    needs_cosign: bool = False,
    amended_by: User | None = None,
    lot_code: str = "",
) -> SessionChart:
    """A completed session ``i`` days ago charted by ``operator`` with a cartridge used."""
    start = NOW - timedelta(days=i + 1)
    visit = appointment(
        i,
        patient=patient,
        staff=operator,
        start=start,
        status=AppointmentStatus.COMPLETED,
        service="microneedling-face",
        plan=plan,
        session=1,
    )
    lot = CartridgeLot.objects.get(lot=lot_code or ("L25C031" if i % 2 == 0 else "L25D220"))
    session_chart = SessionChart.objects.create(
        appointment=visit,
        patient=patient,
        plan=plan,
        session_date=(start - timedelta(hours=5)).date(),
        operator=operator,
        operator_role=operator.role,
        device=visit.device,
        cartridge_lot=lot,
        zones=[{"zone": "cheeks", "depth_mm": 1.25, "passes": 3}],
        endpoint="pinpoint_bleeding",
        protocol_version="test",
        status=SessionChart.Status.SIGNED if signed else SessionChart.Status.DRAFT,
        signed_at=start + timedelta(hours=1) if signed else None,
        needs_cosign=needs_cosign,
    )
    CartridgeUse.objects.create(chart=session_chart, lot=lot, used_at=start)
    if amended_by is not None:
        amendment(session_chart, amended_by, i)
    return session_chart


def amendment(session_chart: SessionChart, author: User, i: int) -> ChartAmendment:
    return ChartAmendment.objects.create(
        chart=session_chart,
        changes={"notes": {"from": "", "to": f"note {i}"}},
        reason="late note",
        amended_by=author,
        amended_at=NOW - timedelta(hours=20 - i),
    )


def adverse_event(session_chart: SessionChart, staff: User, i: int) -> AdverseEvent:
    kinds = ["prolonged_erythema", "infection", "post_inflammatory_hyperpigmentation"]
    return AdverseEvent.objects.create(
        patient=session_chart.patient,
        chart=session_chart,
        kind=kinds[i % len(kinds)],
        severity="mild" if i % 2 else "moderate",
        onset=session_chart.session_date + timedelta(days=1),
        outcome="resolved",
        recorded_by=staff,
        recorded_at=NOW,
    )


def consent(appointment_row: Appointment, staff: User) -> ConsentSignature:
    return ConsentSignature.objects.create(
        patient=appointment_row.patient,
        plan=appointment_row.plan,
        appointment=appointment_row,
        version="1",
        text_hash="0" * 64,
        signature_kind="typed",
        signature="Full Name",
        signer_name="Full Name",
        source="tablet",
        collected_by=staff,
        signed_at=NOW - timedelta(days=1),
    )


def photo(i: int, *, patient: Patient, view: str = "front", shared: bool = True) -> Photo:
    """Photo ``i`` of ``patient``: one visit per row, ``i`` weeks apart (rows only)."""
    taken_on = TODAY - timedelta(weeks=i)
    return Photo.objects.create(
        patient=patient,
        view=view,
        taken_on=taken_on,
        file_name=f"test/{patient.pk}-{view}-{taken_on}.jpg",
        thumb_name=f"test/{patient.pk}-{view}-{taken_on}-thumb.jpg",
        width=10,
        height=10,
        byte_size=1,
        sha256=f"{i:064d}",
        source_format="jpeg",
        shared_with_patient=shared,
    )


def assessment(patient: Patient, staff: User, *, days_ago: int, grade: str, kind: str) -> Any:
    return Assessment.objects.create(
        patient=patient,
        concern="acne_scars",
        grade=grade,
        kind=kind,
        assessed_on=TODAY - timedelta(days=days_ago),
        assessed_by=staff,
    )


def rating(patient: Patient, i: int) -> PatientRating:
    return PatientRating.objects.create(
        patient=patient, improvement=1 + i % 5, satisfaction=1 + i % 5, rated_on=TODAY
    )


def follow_ups(treatment_plan: TreatmentPlan, staff: User) -> None:
    """The finished course's outcome visits and maintenance recall (the service's own)."""
    followups_propose(actor=staff, plan=treatment_plan, now=NOW)


def waitlist_entry(i: int, *, patient: Patient, staff: User) -> WaitlistEntry:
    return WaitlistEntry.objects.create(
        patient=patient,
        service=Service.objects.get(slug="follow-up" if i % 2 else "consultation"),
        location=Location.objects.get(slug="main"),
        staff=staff,
        earliest=TODAY + timedelta(days=i),
        created_by=staff,
    )


def cartridge_lot(i: int) -> CartridgeLot:
    return CartridgeLot.objects.create(
        location=Location.objects.get(slug="main"),
        product="Eclipse MicroPen 12-needle cartridge",
        ref=f"EMP-12-{i % 3}.5",
        lot=f"LQ{i:03d}",
        expiry=TODAY + timedelta(days=10 + 30 * i),
        quantity_received=5 + i,
        received_on=TODAY - timedelta(days=30),
    )


def pinned(budget: int) -> tuple[int, int]:
    """The budget for one row and for twenty: the same on SQLite and PostgreSQL. (PostgreSQL
    also takes an audit chain's advisory lock once per transaction; the test's transaction
    took it while the rows were built, so it never shows here.)"""
    return budget, budget


# ---------------------------------------------------------------- measuring


def queries_of(fetch: Callable[[], Any]) -> int:
    """How many queries one request (or call) runs; it must answer 200."""
    with CaptureQueriesContext(connection) as captured:
        response = fetch()
    status = getattr(response, "status_code", 200)
    assert status == 200, getattr(response, "content", response)
    if os.environ.get("NEEDLEPOINT_SHOW_QUERIES"):  # to explain a budget: print its queries
        for number, query in enumerate(captured.captured_queries, 1):
            print(f"{number:3} {query['sql'][:200]}")
    return len(captured.captured_queries)


def counts(
    add: Callable[[int], Any], fetch: Callable[[], Any], rows: int = ROWS
) -> tuple[int, int]:
    """(queries with one row, queries with ``rows`` rows). The first request warms what is
    cached once per process (clinic data files, content types), so both are steady state."""
    add(0)
    fetch()
    one = queries_of(fetch)
    for i in range(1, rows):
        add(i)
    return one, queries_of(fetch)
