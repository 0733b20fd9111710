"""Shared by every charting step: the 422 ``RuleRefused``, the 409 helper, and the
checks that the appointment is open and the step is next."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from needlepoint.clinic.clock import clinic_today
from needlepoint.core.errors import Conflict, FieldProblem, InvalidInput
from needlepoint.domain import charting
from needlepoint.domain.charting import Step, TimingRefusal
from needlepoint.scheduling.models import Appointment, AppointmentStatus

from .. import selectors as sel
from ..models import DayOfCheck


class RuleRefused(InvalidInput):
    """422 naming the rule that refused each value (``problems`` and ``rules`` in step)."""

    def __init__(self, problems: Sequence[tuple[str, str, str]], message: str = "") -> None:
        # (field, rule, message)
        self.rules = [rule for _, rule, _ in problems]
        super().__init__([FieldProblem(f, m) for f, _, m in problems], message)
        self.code = self.rules[0] if self.rules else "invalid_input"

    @classmethod
    def single(cls, field: str, rule: str, message: str) -> RuleRefused:
        return cls([(field, rule, message)], message)


def _conflict(rule: str, message: str, **extra: Any) -> Conflict:
    return Conflict(message, code=rule, extra={"rule": rule, **extra})


def _open(appointment: Appointment) -> None:
    if appointment.status not in (AppointmentStatus.BOOKED, AppointmentStatus.COMPLETED):
        raise _conflict(
            charting.APPOINTMENT_NOT_OPEN,
            f"This appointment is {appointment.get_status_display().lower()}.",
        )


def _local_today(appointment: Appointment, now: datetime | None) -> date:
    """Today at the appointment's location: a session's day is its local date."""
    return clinic_today(appointment.location, now=now)


def _refuse_timing(refusal: TimingRefusal | None) -> None:
    if refusal is None:
        return
    if refusal.field:  # a value the caller can supply: 422 naming the field
        raise RuleRefused.single(refusal.field, refusal.rule, refusal.message)
    raise _conflict(refusal.rule, refusal.message)


def _refuse_step(step: Step, appointment: Appointment) -> sel.TreatmentDay:
    day = sel.treatment_day(appointment)
    refusal = charting.refusal_for(step, day.state)
    if refusal is not None:
        extra: dict[str, Any] = {"next_step": day.next_step}
        if refusal.rule == charting.DAY_OF_CHECK_FAILED and day.day_of is not None:
            extra["rebook"] = rebook_offer(day.day_of)
        raise _conflict(refusal.rule, refusal.message, **extra)
    return day


def rebook_offer(check: DayOfCheck) -> dict[str, Any]:
    return {
        "earliest": check.resume_on.isoformat() if check.resume_on else None,
        "message": (
            f"Rebook on or after {check.resume_on.isoformat()}."
            if check.resume_on
            else "Rebook once the finding has resolved."
        ),
        "appointment": check.appointment_id,
    }
