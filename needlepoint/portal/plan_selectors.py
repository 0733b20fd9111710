"""Reads for booking the plan's next session and for the waitlist, for one patient.

A plan or waitlist entry id in the URL is looked up within the signed-in patient's records:
another patient's is a 404 like a missing one, and the refusal is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from needlepoint.accounts.models import User
from needlepoint.clinic.location_face import LocationFace, location_faces
from needlepoint.clinic.models import Location, Service
from needlepoint.clinic.offerings import locations_offering
from needlepoint.core.audited import found_or_denied
from needlepoint.patients.models import Patient
from needlepoint.scheduling.selectors import booking_calendars, service_spec
from needlepoint.scheduling.services import rules_for
from needlepoint.scheduling.services.next_session import NextSession, treatment_service
from needlepoint.treatments.models import TreatmentPlan
from needlepoint.waitlist.models import WaitlistEntry

DAYS_SHOWN = 14
TIMES_PER_DAY = 6
SPREAD = timedelta(hours=1)


def own_plan(*, actor: User, patient: Patient, plan_id: int) -> TreatmentPlan:
    return found_or_denied(
        TreatmentPlan.objects.filter(pk=plan_id, patient=patient).first(),
        actor=actor,
        action="plan.read",
        object_type="treatment_plan",
        object_id=plan_id,
        not_found="no such plan",
    )


@dataclass(frozen=True)
class FreeDay:
    day: date
    times: list[FreeTime]


@dataclass(frozen=True)
class FreeTime:
    value: str  # what the form posts: the start (ISO) and the aesthetician's public id
    local: datetime
    staff_name: str


def free_times(
    *,
    actor: User,
    window: NextSession,
    location: Location,
    first_day: date,
    now: datetime,
) -> list[FreeDay]:
    """A few free times a day for the session, from ``first_day`` for two weeks, never
    outside the window. Staff are read in one query."""
    start_date = max(first_day, window.earliest)
    end_date = min(start_date + timedelta(days=DAYS_SHOWN - 1), window.latest)
    if end_date < start_date:
        return []
    spec = service_spec(window.service, location)
    slots = booking_calendars(
        location=location, start_date=start_date, end_date=end_date, reach=spec.occupied
    ).slots(spec, now=now, rules=rules_for(actor))
    staff = {u.username: u for u in User.objects.filter(username__in={s.staff for s in slots})}
    shown: dict[date, list[datetime]] = {}
    times = []
    for slot in slots:
        local = slot.start.astimezone(location.zone)
        day = shown.setdefault(local.date(), [])
        # A few times spread over each day, rather than one morning in 15-minute steps.
        if len(day) >= TIMES_PER_DAY or (day and local - day[-1] < SPREAD):
            continue
        day.append(local)
        member = staff[slot.staff]
        times.append(FreeTime(f"{local.isoformat()}|{member.public_id}", local, member.public_name))
    return [FreeDay(day, [t for t in times if t.local.date() == day]) for day in shown]


def waiting_entries(patient: Patient) -> list[WaitlistEntry]:
    """The patient's waitlist requests still waiting, oldest first (one query)."""
    return list(
        WaitlistEntry.objects.select_related("service", "location", "staff")
        .filter(patient=patient, status=WaitlistEntry.Status.WAITING)
        .order_by("created_at", "id")
    )


def own_waitlist_entry(*, actor: User, patient: Patient, entry_id: int) -> WaitlistEntry:
    return found_or_denied(
        (
            WaitlistEntry.objects.select_related("service", "location", "staff")
            .filter(pk=entry_id, patient=patient)
            .first()
        ),
        actor=actor,
        action="waitlist.read",
        object_type="waitlist_entry",
        object_id=entry_id,
        not_found="no such waitlist request",
    )


def session_location(plan: TreatmentPlan, asked: str) -> tuple[Location | None, list[LocationFace]]:
    """Where the next session is booked, and the locations the patient may choose from: any
    location offering the course's treatment (a course may move between locations, decision
    0713). The one asked for when it offers it, else where the last session was."""
    return place_choice(treatment_service(plan), asked, booking_location(plan))


def place_choice(
    service: Service | None, asked: str, usual: Location | None
) -> tuple[Location | None, list[LocationFace]]:
    """Where a visit of ``service`` is booked, and the locations the patient may choose from
    (those offering it): the one asked for, else ``usual``, else the first offering it."""
    if service is None:
        return usual, []
    offering = locations_offering(service)
    choices = location_faces(offering)
    by_slug = {location.slug: location for location in offering}
    if asked in by_slug:
        return by_slug[asked], choices
    if usual is not None and usual.slug in by_slug:
        return usual, choices
    return (offering[0] if offering else usual), choices


def booking_location(plan: TreatmentPlan) -> Location | None:
    """Where the next session is booked: where the plan's last one was, else the first
    location."""
    last = Location.objects.filter(appointments__plan=plan).order_by("-appointments__start").first()
    return last or Location.objects.order_by("slug").first()
