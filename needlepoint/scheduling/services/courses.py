"""Booking a treatment plan's remaining sessions as one course: all of them or none
(docs/decisions/0123)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from needlepoint.accounts.models import User
from needlepoint.clinic.clock import local_date
from needlepoint.clinic.models import Location, Service
from needlepoint.clinic.offerings import refuse_unless_offered
from needlepoint.core.errors import Conflict, InvalidInput
from needlepoint.domain.availability import AvailabilityRules, Slot
from needlepoint.domain.series import SeriesFailure, SeriesPreferences, plan_series
from needlepoint.domain.time import as_utc, local_to_utc
from needlepoint.treatments.models import PlanSession, TreatmentPlan
from needlepoint.treatments.services import plan_session_mark

from ..models import Appointment, AppointmentSeries, BookedVia
from .placing import (
    _create,
    _free_slots,
    _place,
    _resolve_location,
    _SlotGone,
    _SlotRequest,
    _utc_now,
    _with_retries,
    rules_for,
    treatment_check,
)


@dataclass(frozen=True)
class CourseBooking:
    series: AppointmentSeries
    appointments: list[Appointment]


def _plan_intervals(plan: Any) -> tuple[int, int, int]:
    """(default, min, max) weeks: the plan's interval within the protocol's range."""
    default = int(plan.interval_weeks)
    low, high = default, default
    recommended = plan.recommendation if isinstance(plan.recommendation, dict) else {}
    window = recommended.get("interval_weeks_range")
    if isinstance(window, list | tuple) and len(window) == 2:
        low, high = min(int(window[0]), default), max(int(window[1]), default)
    return default, max(1, low), high


def _course_earliest(
    *,
    sessions: Sequence[Any],
    min_gap_weeks: int,
    location: Location,
    rules: AvailabilityRules,
    earliest: datetime | None,
    now: datetime,
) -> datetime:
    """No earlier than the notice, the requested ``earliest``, and the minimum gap after the
    last session booked or done."""
    start_from = max(now + rules.min_notice, as_utc(earliest, "earliest") if earliest else now)
    last_held = max(
        (s.booked_for or s.done_on for s in sessions if s.booked_for or s.done_on), default=None
    )
    if last_held is not None:
        after_gap = local_to_utc(
            last_held + timedelta(weeks=min_gap_weeks), datetime.min.time(), location.zone
        )
        start_from = max(start_from, after_gap)
    return start_from


def _course_slots(
    *,
    plan: Any,
    sessions: Sequence[Any],
    remaining: Sequence[int],
    service: Service,
    location: Location,
    staff_username: str | None,
    weekdays: Sequence[int] | None,
    earliest: datetime | None,
    rules: AvailabilityRules,
    now: datetime,
) -> list[Slot]:
    """One free slot per remaining session, spaced by the plan; 409 naming the first session
    that can't be placed."""
    default, low, high = _plan_intervals(plan)

    def free(first_day: date, last_day: date) -> list[Slot]:
        return _free_slots(
            service=service,
            location=location,
            first_day=first_day,
            last_day=last_day,
            staff_username=staff_username,
            rules=rules,
            now=now,
            every_staff=bool(staff_username),
        )

    outcome = plan_series(
        sessions=len(remaining),
        interval_default_weeks=default,
        interval_min_weeks=low,
        interval_max_weeks=high,
        earliest_start=_course_earliest(
            sessions=sessions,
            min_gap_weeks=low,
            location=location,
            rules=rules,
            earliest=earliest,
            now=now,
        ),
        horizon_end=now + rules.horizon,
        slots=free,
        zone=location.zone,
        preferences=SeriesPreferences(staff=staff_username, weekdays=weekdays or None),
    )
    if isinstance(outcome, SeriesFailure):
        session = remaining[outcome.session - 1]
        raise Conflict(
            f"Session {session} could not be placed: {outcome.reason.split(': ', 1)[-1]}.",
            code=outcome.code,
            extra={
                "session": session,
                "window_start": outcome.window_start.isoformat(),
                "window_end": outcome.window_end.isoformat(),
            },
        )
    return list(outcome.slots)


def course_book(
    *,
    actor: User | None,
    plan: Any,
    service: Service,
    location: Location | None = None,
    staff_username: str | None = None,
    weekdays: Sequence[int] | None = None,
    earliest: datetime | None = None,
    now: datetime | None = None,
) -> CourseBooking:
    """Book every session of ``plan`` still to be booked, spaced by the plan's interval, in one
    transaction: all of them or none. A course that does not fit is a 409 naming the first
    session that could not be placed and why."""
    now = _utc_now(now)
    location = _resolve_location(location)
    refuse_unless_offered(service, location)
    rules = rules_for(actor)
    if not service.is_treatment:
        raise InvalidInput.one("service", "a course is booked for a treatment service")
    if plan.status != TreatmentPlan.Status.ACTIVE:
        raise Conflict("This plan is not active.", code="plan_not_active")
    treatment_check(patient=plan.patient, service=service)
    sessions = list(plan.plan_sessions.order_by("index"))
    remaining = [s.index for s in sessions if s.status == PlanSession.Status.PLANNED]
    if not remaining:
        raise Conflict(
            "Every session of this plan is already booked or done.", code="nothing_to_book"
        )
    chosen_slots = _course_slots(
        plan=plan,
        sessions=sessions,
        remaining=remaining,
        service=service,
        location=location,
        staff_username=staff_username,
        weekdays=weekdays,
        earliest=earliest,
        rules=rules,
        now=now,
    )

    def write() -> CourseBooking:
        series = AppointmentSeries.objects.create(
            patient=plan.patient, service=service, plan=plan, created_by=actor
        )
        booked = []
        for index, chosen in zip(remaining, chosen_slots, strict=True):
            asked = _SlotRequest(
                service=service,
                location=location,
                start=chosen.start,
                staff_username=chosen.staff,
                rules=rules,
                now=now,
            )
            try:
                slot = _place(asked, patient=plan.patient)
            except _SlotGone as gone:
                raise _SlotGone(gone.code, gone.message, session=index) from None
            appointment = _create(
                actor=actor,
                patient=plan.patient,
                service=service,
                location=location,
                slot=slot,
                calendars=asked.read.calendars,
                notes="",
                booked_via=BookedVia.COURSE,
                plan_id=plan.pk,
                plan_session=index,
                series=series,
            )
            plan_session_mark(
                actor=actor,
                plan=plan,
                index=index,
                status=PlanSession.Status.BOOKED,
                on=local_date(location, slot.start),
                reference=f"appointment:{appointment.pk}",
            )
            booked.append(appointment)
        return CourseBooking(series=series, appointments=booked)

    try:
        return _with_retries(write)
    except _SlotGone as gone:
        session = gone.session or remaining[0]
        raise Conflict(
            f"Session {session} could not be placed: {gone.message}.",
            code=gone.code,
            extra={"session": session},
        ) from None
