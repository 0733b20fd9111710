"""Demo treatment days: past sessions of the demo patients with active plans, each with a
signed consent, a passed day-of check and a signed chart (most co-signed by the medical
director, the latest still in the queue), one adverse event, and the stock they used.

Idempotent: a patient who already has a demo session (notes starting with MARKER) is left
alone. Sessions are on weekdays in working hours, at the first time when the aesthetician,
the room and the pen are all free, and take the plan's sessions in order, so the plan, the
calendar and the charts tell the same story.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from needlepoint.accounts.models import User
from needlepoint.charting import services as svc
from needlepoint.charting.models import CartridgeReceipt
from needlepoint.clinic.clock import clinic_today
from needlepoint.clinic.models import CartridgeLot, Device, Location, Room, Service
from needlepoint.core.errors import Conflict
from needlepoint.scheduling.models import Appointment, AppointmentStatus, BookedVia
from needlepoint.treatments.models import TreatmentPlan

MARKER = "[demo-chart]"
CLEAR_DAY = {
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


def _tuesday_weeks_ago(today: date, weeks: int) -> date:
    return today - timedelta(days=(today.weekday() - 1) % 7) - timedelta(weeks=weeks)


def _free_start(day: date, location: Location, staff: User, room: Room, device: Device) -> datetime:
    """The first half hour from 09:00 when staff, room and pen are all free for 75 minutes."""
    for half_hours in range(0, 14):
        start = timezone.make_aware(
            datetime.combine(day, time(9, 0)) + timedelta(minutes=30 * half_hours), location.zone
        )
        end = start + timedelta(minutes=75)
        clash = Appointment.objects.filter(
            status__in=[AppointmentStatus.BOOKED, AppointmentStatus.COMPLETED],
            start__lt=end,
            busy_until__gt=start,
        ).filter(Q(staff=staff) | Q(room=room) | Q(device=device))
        if not clash.exists():
            return start
    raise Conflict("no free time for a demo session", code="demo_day_full")


def _receipts() -> None:
    for lot in CartridgeLot.objects.filter(receipts__isnull=True):
        CartridgeReceipt.objects.create(
            lot=lot,
            quantity=lot.quantity_received,
            received_by=None,
            received_at=timezone.make_aware(
                datetime.combine(lot.received_on, time(9, 0)), lot.location.zone
            ),
        )


def _chart_zones(plan: TreatmentPlan) -> list[dict[str, object]]:
    zones = []
    for item in plan.zones:
        _low, high = item["depth_mm"]
        zones.append({"zone": item["zone"], "depth_mm": float(high), "passes": 3})
    return zones


def _kit(location: Location) -> tuple[Room, Device, CartridgeLot] | None:
    """The treatment room, pen and longest-dated cartridge lot a location's sessions use."""
    room = Room.objects.filter(location=location, kind="treatment").order_by("slug").first()
    device = Device.objects.filter(location=location, status="in_service").order_by("slug").first()
    lot = (
        CartridgeLot.objects.filter(location=location, expiry__gte=clinic_today(location))
        .order_by("-expiry")
        .first()
    )
    return (room, device, lot) if room and device and lot else None


def ensure_charts(location: Location, elsewhere: Location | None = None) -> int:
    """Add the demo's charted sessions; returns how many charts were signed. With
    ``elsewhere`` (the group's second location), the second course is treated there, on
    Wednesdays, so its latest chart waits in the physician's queue as that location's work."""
    aesthetician = User.objects.filter(username="aesthetician").first()
    physician = User.objects.filter(username="physician").first()
    service = (
        Service.objects.filter(is_treatment=True, room_kind="treatment").order_by("pk").first()
    )
    _receipts()
    here = _kit(location)
    there = _kit(elsewhere) if elsewhere is not None else None
    if aesthetician is None or physician is None or service is None or here is None:
        return 0
    today = clinic_today(location)
    plans = (
        TreatmentPlan.objects.filter(status=TreatmentPlan.Status.ACTIVE)
        .select_related("patient")
        .order_by("pk")[:4]
    )
    signed = 0
    for index, plan in enumerate(plans):
        patient = plan.patient
        if Appointment.objects.filter(patient=patient, notes__startswith=MARKER).exists():
            continue
        if svc.baseline_photos_missing(patient):
            continue  # the first session's chart could not be signed
        away = index == 1 and elsewhere is not None and there is not None
        where = elsewhere if away and elsewhere is not None else location
        room, device, lot = there if away and there is not None else here
        for number, weeks_ago in enumerate((10, 5), start=1):
            day = _tuesday_weeks_ago(today, weeks_ago) + timedelta(days=1 if away else 0)
            start = _free_start(day, where, aesthetician, room, device)
            appointment = Appointment.objects.create(
                patient=patient,
                service=service,
                location=where,
                staff=aesthetician,
                room=room,
                device=device,
                start=start,
                end=start + timedelta(minutes=service.duration_minutes),
                busy_until=start
                + timedelta(minutes=service.duration_minutes + service.buffer_after_minutes),
                status=AppointmentStatus.BOOKED,
                booked_via=BookedVia.STAFF,
                plan=plan,
                plan_session=number,
                notes=f"{MARKER} session {number} of the course (demo)",
            )
            actor = aesthetician
            try:
                svc.consent_sign(
                    actor=actor,
                    appointment=appointment,
                    consent_version="current",
                    signature=patient.full_name,
                    photo_release=True,
                    source="tablet",
                    now=start,
                )
                svc.day_of_check_record(
                    actor=actor,
                    appointment=appointment,
                    answers=svc.day_of_answers(CLEAR_DAY),
                    now=start + timedelta(minutes=5),
                )
                chart = svc.chart_save(
                    actor=actor,
                    appointment=appointment,
                    data=svc.ChartInput(
                        device=device.slug,
                        cartridge_lot=lot.lot,
                        zones=_chart_zones(plan),
                        endpoint="even_erythema" if number == 1 else "pinpoint_bleeding",
                        anesthetic="Lidocaine 4% cream, 30 minutes",
                        topicals=[{"product": "sterile-ha-serum", "lot": "HA2611"}],
                        immediate_reactions="Even erythema; settled before leaving.",
                        aftercare_given=True,
                    ),
                    now=start + timedelta(minutes=50),
                )
                svc.chart_sign(actor=actor, chart=chart, now=start + timedelta(minutes=55))
            except Conflict:
                # e.g. no baseline photos for this patient: leave the session for staff
                continue
            signed += 1
            if weeks_ago > 5:
                svc.chart_cosign(actor=physician, chart=chart, now=start + timedelta(days=1))
            if index == 0 and number == 2:
                svc.adverse_event_record(
                    actor=actor,
                    chart=chart,
                    kind="prolonged_erythema",
                    severity="mild",
                    onset=day + timedelta(days=1),
                    outcome="resolved",
                    description="Redness lasted four days.",
                    actions="Bland emollient, mineral SPF; review call on day 5.",
                )
    return signed
