"""One row of every model that holds records about a patient, built for one patient.

``BUILDERS`` is keyed by model label; the export's meta-test checks that its keys are
exactly the models the export discovers, so a new patient-related model without a builder
here fails the suite (docs/decisions/0160-export-scope-and-format.md).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from PIL import Image

NOW = datetime(2027, 3, 1, 15, 0, tzinfo=UTC)  # Monday 10:00 in New York
TODAY = date(2027, 3, 1)


def jpeg(colour: tuple[int, int, int] = (200, 150, 140), size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="JPEG")
    return out.getvalue()


@dataclass
class World:
    patient: Any
    staff: Any
    rows: dict[str, Any] = field(default_factory=dict)


def _clinic() -> Any:
    from needlepoint.demo.clinic import ensure_cartridges, ensure_location, ensure_services

    location = ensure_location()
    ensure_services()
    ensure_cartridges(location, TODAY)
    return location


def _appointment(
    w: World,
    *,
    start: datetime,
    status: str = "completed",
    plan: Any = None,
    service: str = "microneedling-face",
    session: int | None = None,
) -> Any:
    from needlepoint.clinic.models import Location, Room, Service
    from needlepoint.scheduling.models import Appointment

    svc = Service.objects.get(slug=service)
    return Appointment.objects.create(
        patient=w.patient,
        service=svc,
        location=Location.objects.get(slug="main"),
        staff=w.staff,
        room=Room.objects.get(slug="treatment-1" if svc.is_treatment else "consult-1"),
        start=start,
        end=start + timedelta(minutes=svc.duration_minutes),
        busy_until=start + timedelta(minutes=svc.duration_minutes + svc.buffer_after_minutes),
        status=status,
        booked_via="staff",
        plan=plan,
        plan_session=session if plan else None,
    )


def b_screening(w: World) -> None:
    from needlepoint.screening.models import Screening

    w.rows["screening"] = Screening.objects.create(
        patient=w.patient,
        channel="online",
        answers={"q": "a"},
        judged_for=TODAY,
        policy_version="test",
        verdict="eligible",
        result={"verdict": "eligible"},
    )


def b_consultation(w: World) -> None:
    from needlepoint.screening.models import Consultation

    w.rows["consultation"] = Consultation.objects.create(
        patient=w.patient,
        screening=w.rows["screening"],
        fitzpatrick=3,
        concerns=[{"concern": "acne_scars", "grade": "3"}],
        zones=["cheeks"],
        determination="candidate",
        protocol_version="test",
        signed_by=w.staff,
        signed_at=NOW - timedelta(days=200),
    )


def b_amendment(w: World) -> None:
    from needlepoint.screening.models import Amendment

    Amendment.objects.create(
        consultation=w.rows["consultation"],
        determination="candidate",
        reason="typo",
        signed_by=w.staff,
        signed_at=NOW - timedelta(days=199),
    )


def b_clearance(w: World) -> None:
    from needlepoint.screening.models import Clearance

    Clearance.objects.create(
        consultation=w.rows["consultation"],
        cleared=True,
        signed_by=w.staff,
        signed_at=NOW - timedelta(days=199),
    )


def b_plan(w: World) -> None:
    from needlepoint.treatments.models import PlanSession, TreatmentPlan

    plan = TreatmentPlan.objects.create(
        patient=w.patient,
        consultation=w.rows["consultation"],
        protocol_version="test",
        recommendation={},
        sessions=3,
        interval_weeks=4,
        maintenance_months=12,
        zones=[{"zone": "cheeks", "depth_mm": [1.0, 1.5]}],
        created_by=w.staff,
    )
    for index in (1, 2, 3):
        PlanSession.objects.create(
            plan=plan, index=index, status="done", done_on=TODAY - timedelta(days=120 - 28 * index)
        )
    w.rows["plan"] = plan


def b_series(w: World) -> None:
    from needlepoint.clinic.models import Service
    from needlepoint.scheduling.models import AppointmentSeries

    w.rows["series"] = AppointmentSeries.objects.create(
        patient=w.patient,
        service=Service.objects.get(slug="microneedling-face"),
        plan=w.rows["plan"],
        created_by=w.staff,
    )


def b_appointment(w: World) -> None:
    appointment = _appointment(w, start=NOW - timedelta(days=40), plan=w.rows["plan"], session=3)
    appointment.series = w.rows["series"]
    appointment.save()
    w.rows["appointment"] = appointment
    w.rows["cancelled"] = _appointment(
        w, start=NOW + timedelta(days=10), status="cancelled", service="follow-up"
    )


def b_consent(w: World) -> None:
    from needlepoint.charting.models import ConsentSignature

    ConsentSignature.objects.create(
        patient=w.patient,
        plan=w.rows["plan"],
        appointment=w.rows["appointment"],
        version="1",
        text_hash="0" * 64,
        signature_kind="typed",
        signature="Full Name",
        signer_name="Full Name",
        source="tablet",
        collected_by=w.staff,
        signed_at=NOW - timedelta(days=40),
    )


def b_day_of(w: World) -> None:
    from needlepoint.charting.models import DayOfCheck

    DayOfCheck.objects.create(
        appointment=w.rows["appointment"],
        patient=w.patient,
        answers={},
        judged_for=TODAY,
        policy_version="test",
        verdict="proceed",
        blocked=False,
        checked_by=w.staff,
        checked_at=NOW - timedelta(days=40),
    )


def b_chart(w: World) -> None:
    from needlepoint.charting.models import SessionChart
    from needlepoint.clinic.models import CartridgeLot, Device

    w.rows["chart"] = SessionChart.objects.create(
        appointment=w.rows["appointment"],
        patient=w.patient,
        plan=w.rows["plan"],
        session_date=TODAY - timedelta(days=40),
        operator=w.staff,
        operator_role="aesthetician",
        device=Device.objects.get(slug="micropen-1"),
        cartridge_lot=CartridgeLot.objects.get(lot="L25C031"),
        zones=[{"zone": "cheeks", "depth_mm": 1.25, "passes": 3}],
        endpoint="pinpoint_bleeding",
        protocol_version="test",
    )


def b_chart_amendment(w: World) -> None:
    from needlepoint.charting.models import ChartAmendment

    ChartAmendment.objects.create(
        chart=w.rows["chart"],
        changes={"notes": {"from": "", "to": "x"}},
        reason="late note",
        amended_by=w.staff,
        amended_at=NOW,
    )


def b_cartridge_use(w: World) -> None:
    from needlepoint.charting.models import CartridgeUse

    CartridgeUse.objects.create(
        chart=w.rows["chart"], lot=w.rows["chart"].cartridge_lot, used_at=NOW - timedelta(days=40)
    )


def b_adverse_event(w: World) -> None:
    from needlepoint.charting.models import AdverseEvent

    AdverseEvent.objects.create(
        patient=w.patient,
        chart=w.rows["chart"],
        kind="prolonged_erythema",
        severity="mild",
        onset=TODAY - timedelta(days=38),
        outcome="resolved",
        recorded_by=w.staff,
        recorded_at=NOW,
    )


def b_photo(w: World) -> None:
    from needlepoint.outcomes.services import photo_upload

    for day, shared in ((TODAY - timedelta(days=150), True), (TODAY - timedelta(days=10), True)):
        photo_upload(
            actor=w.staff,
            patient=w.patient,
            view="front",
            taken_on=day.isoformat(),
            data=jpeg(),
            content_type="image/jpeg",
            filename="f.jpg",
            shared_with_patient=shared,
            today=TODAY,
        )
    photo_upload(
        actor=w.staff,
        patient=w.patient,
        view="left_45",
        taken_on=TODAY.isoformat(),
        data=jpeg((10, 20, 30)),
        content_type="image/jpeg",
        filename="g.jpg",
        today=TODAY,
    )


def b_photo_measures(w: World) -> None:
    # The regions drawn on the front view's baseline, and one region's figures for a photo
    # (written directly: measuring a flat test JPEG proves nothing about the export).
    from needlepoint.outcomes.models import Photo, PhotoMeasureRegion
    from needlepoint.outcomes.services import view_regions_save

    patient_photo = Photo.objects.filter(patient=w.patient, view="front").order_by("id").first()
    view_regions_save(
        actor=w.staff,
        patient=w.patient,
        view="front",
        regions=[{"name": "left_cheek", "box": [4, 4, 20, 20]}],
    )
    PhotoMeasureRegion.objects.create(
        measure=patient_photo.measure, region="left_cheek", spot_count=2, spot_area_pct=1.5
    )


def b_photo_release(w: World) -> None:
    from needlepoint.outcomes.services import photo_release_record

    photo_release_record(
        actor=w.staff,
        patient=w.patient,
        granted=True,
        source="consent:test",
        signed_at=NOW - timedelta(days=40),
    )


def b_assessment(w: World) -> None:
    from needlepoint.outcomes.models import Assessment

    for days, grade in ((150, "3"), (10, "2")):
        Assessment.objects.create(
            patient=w.patient,
            concern="acne_scars",
            grade=grade,
            kind="baseline" if days == 150 else "outcome_1m",
            assessed_on=TODAY - timedelta(days=days),
            assessed_by=w.staff,
        )


def b_rating(w: World) -> None:
    from needlepoint.outcomes.services import rating_submit

    rating_submit(
        actor=w.patient.user,
        patient=w.patient,
        improvement=2,
        satisfaction=4,
        rated_on=TODAY - timedelta(days=10),
    )


def b_outbox(w: World) -> None:
    from needlepoint.notifications.models import OutboxMessage

    OutboxMessage.objects.create(
        key=f"test:{w.patient.pk}",
        kind="aftercare",
        channel="email",
        patient=w.patient,
        appointment=w.rows["appointment"],
        plan=w.rows["plan"],
        to=w.patient.email,
        subject="Aftercare",
        body="Be gentle with your skin.",
        due_at=NOW,
    )


def b_waitlist(w: World) -> None:
    from needlepoint.clinic.models import Location, Service
    from needlepoint.waitlist.models import FreedSlot, WaitlistEntry, WaitlistOffer

    service = Service.objects.get(slug="follow-up")
    entry = WaitlistEntry.objects.create(patient=w.patient, service=service, created_by=w.staff)
    cancelled = w.rows["cancelled"]
    slot = FreedSlot.objects.create(
        cancelled_appointment=cancelled,
        service=service,
        location=Location.objects.get(slug="main"),
        staff=w.staff,
        start=cancelled.start,
        end=cancelled.end,
    )
    WaitlistOffer.objects.create(
        slot=slot, entry=entry, rank=1, expires_at=NOW + timedelta(hours=12)
    )


def b_follow_up(w: World) -> None:
    from needlepoint.followups.services import followups_propose

    followups_propose(actor=w.staff, plan=w.rows["plan"], now=NOW)


def b_erasure_request(w: World) -> None:
    from needlepoint.privacy.models import ErasureRequest

    ErasureRequest.objects.create(patient=w.patient)


# Order matters (later builders use earlier rows); labels are what each one covers.
BUILDERS: list[tuple[tuple[str, ...], Callable[[World], None]]] = [
    (("patients.patient",), lambda w: None),
    (("screening.screening",), b_screening),
    (("screening.consultation",), b_consultation),
    (("screening.amendment",), b_amendment),
    (("screening.clearance",), b_clearance),
    (("treatments.treatmentplan", "treatments.plansession"), b_plan),
    (("scheduling.appointmentseries",), b_series),
    (("scheduling.appointment",), b_appointment),
    (("charting.consentsignature",), b_consent),
    (("charting.dayofcheck",), b_day_of),
    (("charting.sessionchart",), b_chart),
    (("charting.chartamendment",), b_chart_amendment),
    (("charting.cartridgeuse",), b_cartridge_use),
    (("charting.adverseevent",), b_adverse_event),
    (("outcomes.photo", "outcomes.photomeasure"), b_photo),
    (("outcomes.viewregions", "outcomes.photomeasureregion"), b_photo_measures),
    (("outcomes.photorelease",), b_photo_release),
    (("outcomes.assessment",), b_assessment),
    (("outcomes.patientrating",), b_rating),
    (("notifications.outboxmessage",), b_outbox),
    (("waitlist.waitlistentry", "waitlist.freedslot", "waitlist.waitlistoffer"), b_waitlist),
    (("followups.followup",), b_follow_up),
    (("privacy.erasurerequest",), b_erasure_request),
]
COVERED = frozenset(label for labels, _ in BUILDERS for label in labels)


def build_world(patient: Any, staff: Any) -> World:
    _clinic()
    world = World(patient=patient, staff=staff)
    for _, build in BUILDERS:
        build(world)
    return world
