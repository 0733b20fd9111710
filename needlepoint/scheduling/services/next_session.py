"""A patient books the next session of their own plan, inside the plan's window
(docs/decisions/0490-portal-books-the-next-plan-session.md).

The window is the spacing rule read forwards: no earlier than the plan's minimum gap after
every session booked or done (``domain.spacing``) and the booking notice, no later than the
plan's maximum gap after the last of them (or the booking horizon). The booking itself is
``appointment_book`` with the patient as the actor, exactly as ``POST /api/v1/appointments``
books for a patient: the same notice, horizon, eligibility, spacing and slot checks. The only
rule added here is the latest date: a clinician may place a late session (decision 0210),
but a patient on their own is asked to call the clinic for one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from needlepoint.accounts.models import User
from needlepoint.clinic.models import Location, Service
from needlepoint.core.errors import FieldProblem, InvalidInput
from needlepoint.domain.spacing import HeldSession, earliest_spaced
from needlepoint.domain.time import as_utc
from needlepoint.patients.models import Patient
from needlepoint.treatments.models import PlanSession, TreatmentPlan

from ..models import Appointment, BookedVia
from .appointments import appointment_book
from .courses import _plan_intervals
from .placing import _utc_now, rules_for
from .spacing import SpacingTooClose, _words


@dataclass(frozen=True)
class NextSession:
    """The plan's next planned session and the dates a patient may book it on."""

    plan: TreatmentPlan
    index: int
    total: int
    service: Service
    earliest: date
    latest: date
    after: HeldSession | None  # the last session booked or done, if any

    def refusal(self, day: date) -> str:
        """Why ``day`` is outside the window ('' when it is inside)."""
        if day < self.earliest:
            return (
                f"Too soon: session {self.index} can be booked from {_words(self.earliest)} "
                f"at the earliest ({self.gap_words})."
            )
        if day > self.latest:
            return (
                f"Too late: session {self.index} should be no later than "
                f"{_words(self.latest)}. The earliest allowed date is {_words(self.earliest)}; "
                "for a later date, please call the clinic."
            )
        return ""

    @property
    def gap_words(self) -> str:
        _, low, _ = _plan_intervals(self.plan)
        if self.after is None:
            return "the clinic needs notice to book"
        return f"at least {low} weeks after session {self.after.index}"


def treatment_service(plan: TreatmentPlan) -> Service | None:
    """The service the plan's sessions are booked as: its last one's, else the first treatment
    the clinic offers."""
    last = (
        Appointment.objects.select_related("service")
        .filter(plan=plan, service__is_treatment=True, service__active=True)
        .order_by("-start")
        .first()
    )
    if last is not None:
        return last.service
    return Service.objects.filter(is_treatment=True, active=True).order_by("pk").first()


def next_session_window(
    *, actor: User | None, plan: TreatmentPlan, location: Location, now: datetime
) -> NextSession | None:
    """None when the plan has no session left to book (or is not active)."""
    if plan.status != TreatmentPlan.Status.ACTIVE:
        return None
    sessions = list(PlanSession.objects.filter(plan=plan).order_by("index"))
    planned = [s for s in sessions if s.status == PlanSession.Status.PLANNED]
    service = treatment_service(plan)
    if not planned or service is None:
        return None
    held = [
        HeldSession(s.index, day)
        for s in sessions
        if s.status != PlanSession.Status.PLANNED and (day := s.booked_for or s.done_on)
    ]
    rules = rules_for(actor)
    zone = location.zone
    first_day = (as_utc(now, "now") + rules.min_notice).astimezone(zone).date()
    last_day = (as_utc(now, "now") + rules.horizon).astimezone(zone).date()
    _, low, high = _plan_intervals(plan)
    earliest = earliest_spaced(not_before=first_day, held=held, min_gap_weeks=low)
    after = max(held, key=lambda s: s.day) if held else None
    latest = last_day
    if after is not None:
        latest = min(last_day, max(earliest, after.day + timedelta(weeks=high)))
    return NextSession(
        plan=plan,
        index=planned[0].index,
        total=len(sessions),
        service=service,
        earliest=earliest,
        latest=latest,
        after=after,
    )


def next_session_book(
    *,
    actor: User,
    patient: Patient,
    window: NextSession,
    start: datetime,
    location: Location,
    staff_username: str | None = None,
    now: datetime | None = None,
) -> Appointment:
    """Book ``window``'s session at ``start``. 422 on ``start`` when the day is too soon or too
    late (the message names the earliest allowed date), 409 when the time was taken."""
    day = as_utc(start, "start").astimezone(location.zone).date()
    refusal = window.refusal(day)
    if refusal:
        raise InvalidInput([FieldProblem("start", refusal)], message=refusal)
    try:
        return appointment_book(
            actor=actor,
            patient=patient,
            service=window.service,
            start=start,
            location=location,
            staff_username=staff_username,
            booked_via=BookedVia.PATIENT,
            now=_utc_now(now),
        )
    except SpacingTooClose as exc:
        # Worded for the patient: the staff message mentions a clinician's override.
        message = (
            f"Too soon: session {window.index} can be booked from {_words(exc.earliest)} at "
            "the earliest."
        )
        raise InvalidInput([FieldProblem("start", message)], message=message) from exc
