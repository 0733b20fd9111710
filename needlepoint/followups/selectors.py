"""Follow-ups after a course (reads): a follow-up's state, the front desk's list, one
patient's follow-ups, one follow-up for an actor, the first free times to book one.

A follow-up's state is read from its appointment and the date (``followup_state``), never
stored twice: booked, done, missed (a no-show, or never booked and past its due date).
The writes are in ``services.py``. See docs/decisions/0161-follow-up-proposal.md and
0162-missed-outcome-visit.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from needlepoint.accounts.models import User
from needlepoint.audit.services import Target, record, record_many
from needlepoint.clinic.access import location_in_field_for, may_act_at, reach
from needlepoint.clinic.clock import clinic_today
from needlepoint.clinic.models import Location, Service
from needlepoint.core.audited import found_or_denied
from needlepoint.core.errors import InvalidInput
from needlepoint.patients.models import Patient
from needlepoint.scheduling.models import Appointment
from needlepoint.scheduling.selectors import booking_calendars, default_location, service_spec

from .models import FollowUp

FOLLOW_UP_SERVICE = "follow-up"
BOOKING_WINDOW_BEFORE = timedelta(days=7)  # an outcome visit may be booked a week early
SLOT_SEARCH_DAYS = 21


class State:
    PROPOSED = "proposed"  # not booked yet, not yet due
    BOOKED = "booked"
    DONE = "done"
    MISSED = "missed"  # no-show, or never booked and past its due date
    UPCOMING = "upcoming"  # a recall not yet due
    DUE = "due"  # a recall that has come due (raised)
    DISMISSED = "dismissed"

    ALL = ("proposed", "booked", "done", "missed", "upcoming", "due", "dismissed")
    # What the front desk acts on.
    ACTION = ("missed", "due", "proposed")


def course_last_session(plan: Any) -> date | None:
    """The day of the course's last session, once every session of the plan is done."""
    sessions = list(plan.plan_sessions.all())
    if not sessions or any(s.status != "done" for s in sessions):
        return None
    days = [s.done_on for s in sessions if s.done_on]
    return max(days) if days else None


def followup_state(followup: FollowUp, today: date) -> str:
    if followup.dismissed_at:
        return State.DISMISSED
    appointment = followup.appointment
    status = appointment.status if appointment is not None else None
    if status == "completed":
        return State.DONE
    if status == "booked":
        return State.BOOKED
    if status == "no_show":
        return State.MISSED
    if followup.kind == FollowUp.Kind.MAINTENANCE_RECALL:
        return State.DUE if followup.due_on <= today else State.UPCOMING
    return State.MISSED if followup.due_on < today else State.PROPOSED


def usual_locations(followups: Sequence[FollowUp]) -> dict[int, Location | None]:
    """Where each follow-up is booked unless someone chooses otherwise: the location of the
    course's last session (a course may move between locations, decision 0713), else the
    clinic's first. Two reads however many follow-ups."""
    last_at: dict[int, int] = {}
    sessions = (
        Appointment.objects.filter(plan_id__in={f.plan_id for f in followups})
        .exclude(status="cancelled")
        .order_by("plan_id", "-start")
        .values_list("plan_id", "location_id")
    )
    for plan_id, location_id in sessions:
        last_at.setdefault(plan_id, location_id)
    places = Location.objects.in_bulk(set(last_at.values()))
    fallback = default_location() if len(last_at) < len({f.plan_id for f in followups}) else None
    return {f.pk: places.get(last_at.get(f.plan_id, 0), fallback) for f in followups}


def booking_place(actor: Any, followup: FollowUp, slug: str = "") -> Location:
    """Where ``actor`` books ``followup``: the location named (404 when out of their reach,
    decision 0700), else where the course's last session was when they may act there, else
    their only location; 422 on ``location`` when they must choose."""
    if slug:
        return location_in_field_for(actor, slug)
    usual = usual_locations([followup])[followup.pk]
    if usual is not None and may_act_at(actor, usual):
        return usual
    ids = reach(actor)
    if ids is not None and len(ids) == 1:
        return Location.objects.get(pk=next(iter(ids)))
    raise InvalidInput.one("location", "choose where the visit is booked")


def followup_slots(
    followup: FollowUp,
    *,
    now: datetime | None = None,
    limit: int = 5,
    location: Location | None = None,
) -> list[Any]:
    """The first free follow-up slots from a week before the due date (never in the past),
    at ``location`` (default: where the course's last session was)."""
    places = {followup.pk: location} if location else None
    return followup_slots_many([followup], now=now, limit=limit, places=places)[followup.pk]


def followup_slots_many(
    followups: Sequence[FollowUp],
    *,
    now: datetime | None = None,
    limit: int = 5,
    places: Mapping[int, Location | None] | None = None,
) -> dict[int, list[Any]]:
    """``followup_slots`` of each follow-up (by id) at its place (``places``, default
    ``usual_locations``), from one read of each location's calendars spanning every
    follow-up's search window there: a list of them costs what one does per location."""
    found: dict[int, list[Any]] = {f.pk: [] for f in followups}
    if not followups:
        return found
    now = now or timezone.now()
    service = Service.objects.filter(slug=FOLLOW_UP_SERVICE, active=True).first()
    if service is None:
        return found
    places = places if places is not None else usual_locations(followups)
    for location in {p for p in places.values() if p is not None}:
        here = [f for f in followups if places.get(f.pk) == location]
        found.update(_slots_at(here, service, location, now, limit))
    return found


def _slots_at(
    followups: Sequence[FollowUp], service: Service, location: Location, now: datetime, limit: int
) -> dict[int, list[Any]]:
    found: dict[int, list[Any]] = {f.pk: [] for f in followups}
    today = clinic_today(location, now=now)
    windows = {}
    for f in followups:
        start = max(f.due_on - BOOKING_WINDOW_BEFORE, today)
        windows[f.pk] = (start, start + timedelta(days=SLOT_SEARCH_DAYS))
    spec = service_spec(service, location)
    calendars = booking_calendars(
        location=location,
        start_date=min(start for start, _ in windows.values()),
        end_date=max(end for _, end in windows.values()),
        reach=spec.occupied,
    )
    for f in followups:
        # The engine clips to the dates asked for, so the wider calendars answer the same.
        start, end = windows[f.pk]
        slots = replace(calendars, start_date=start, end_date=end).slots(spec, now=now)
        seen_starts = set()
        for slot in slots:
            if slot.start not in seen_starts:
                seen_starts.add(slot.start)
                found[f.pk].append(slot)
            if len(found[f.pk]) >= limit:
                break
    return found


@dataclass(frozen=True)
class FollowUpRow:
    followup: FollowUp
    state: str

    @property
    def patient(self) -> Patient:
        return self.followup.patient


def _rows(query: Iterable[FollowUp], today: date) -> list[FollowUpRow]:
    return [FollowUpRow(f, followup_state(f, today)) for f in query]


def followup_list(
    *,
    actor: User,
    states: Iterable[str] = State.ACTION,
    today: date | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[FollowUpRow], int]:
    """The front desk's follow-up list, oldest due first: missed outcome visits, recalls due,
    and outcome visits to book. Each patient listed counts as one read (audited)."""
    today = today or clinic_today()
    wanted = set(states)
    query = FollowUp.objects.select_related("patient", "plan", "appointment").order_by(
        "due_on", "id"
    )
    if not wanted & {State.UPCOMING, State.PROPOSED, State.BOOKED}:
        query = query.filter(due_on__lte=today)  # missed/due/done rows are past their day
    rows = [r for r in _rows(query, today) if r.state in wanted]
    page = rows[offset : offset + limit]
    if page:
        record_many(
            actor=actor,
            action="followup.read",
            targets=[
                Target("follow_up", str(r.followup.pk), str(r.followup.patient_id)) for r in page
            ],
            detail={"via": "list"},
        )
    return page, len(rows)


def patient_followups(
    *, actor: User, patient: Patient, today: date | None = None
) -> list[FollowUpRow]:
    """One patient's follow-ups (the portal, the patient page); one audit event."""
    today = today or clinic_today()
    rows = _rows(
        FollowUp.objects.filter(patient=patient)
        .select_related("appointment", "plan")
        .order_by("due_on", "id"),
        today,
    )
    record(
        actor=actor,
        action="followup.read",
        object_type="patient",
        object_id=patient.pk,
        patient_id=patient.pk,
    )
    return rows


def followup_for(*, actor: User, followup_id: int, for_booking: bool = False) -> FollowUp:
    """One follow-up: staff with followup.read any (to book one: staff with appointment.book,
    as docs/roles.md grants the clinic admin), a patient only their own; else 404."""
    query = FollowUp.objects.select_related("patient", "appointment").filter(pk=followup_id)
    staff_booking = for_booking and actor.is_clinic_staff and actor.may("appointment.book")
    if actor.may("followup.read") or staff_booking:
        pass
    elif actor.may("patient.read_own"):
        query = query.filter(patient__user=actor)
    else:
        query = query.none()
    return found_or_denied(
        query.first(),
        actor=actor,
        action="followup.read",
        object_type="follow_up",
        object_id=followup_id,
        not_found="no such follow-up",
    )
