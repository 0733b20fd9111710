"""A course's spacing for one session booked or moved on its own (docs/decisions/0210).

The rule is ``domain.spacing``; this reads the plan's other dated sessions (one query), and
turns a refusal into a 422 on ``start`` that says the earliest allowed date, or, when a
clinician gives a reason, into the override that is stored on the appointment and written
into its audit event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from needlepoint.accounts.models import User
from needlepoint.core.errors import FieldProblem, Forbidden, InvalidInput
from needlepoint.domain.spacing import HeldSession, TooClose, check_spacing
from needlepoint.treatments.models import PlanSession

from .courses import _plan_intervals

OVERRIDE_FIELD = "spacing_override_reason"


def _words(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


class SpacingTooClose(InvalidInput):
    """422 on ``start``: the session would be too close to another of its course."""

    def __init__(self, too_close: TooClose, *, session: int | None) -> None:
        self.too_close = too_close
        self.earliest = too_close.earliest
        self.extra = {"earliest_allowed": too_close.earliest.isoformat()}
        neighbour = too_close.neighbour
        which = f"Session {session}" if session else "This session"
        message = (
            f"{which} would be {abs((too_close.day - neighbour.day).days)} days from session "
            f"{neighbour.index} on {_words(neighbour.day)}; this plan's sessions are at least "
            f"{too_close.min_gap_weeks} weeks apart. The earliest allowed date is "
            f"{_words(too_close.earliest)} (or an aesthetician or physician overrides the "
            "spacing with a reason)."
        )
        super().__init__([FieldProblem("start", message)], message=message)


@dataclass(frozen=True)
class SpacingOverride:
    """A clinician's decision to place a session closer than the plan's spacing."""

    reason: str
    too_close: TooClose

    def audit_detail(self) -> dict[str, Any]:
        return {
            "reason": self.reason,
            "earliest_allowed": self.too_close.earliest.isoformat(),
            "too_close_to_session": self.too_close.neighbour.index,
        }


def spacing_check(
    *,
    actor: User | None,
    plan: Any,
    session: int | None,
    start: datetime,
    zone: Any,
    now: datetime,
    override_reason: str = "",
) -> SpacingOverride | None:
    """None when the session at ``start`` keeps the plan's spacing to every other dated
    session (``session``, the one being placed, excluded); a ``SpacingOverride`` when it
    doesn't and a clinician gave a reason. Otherwise 422 (``SpacingTooClose``), or 403 for
    a reason given by someone who may not override."""
    dated = (
        PlanSession.objects.filter(plan=plan)
        .exclude(status=PlanSession.Status.PLANNED)
        .values_list("index", "booked_for", "done_on")
    )
    held = [
        HeldSession(index, day)
        for index, booked_for, done_on in dated
        if index != session and (day := booked_for or done_on) is not None
    ]
    if not held:
        return None
    _, min_gap_weeks, _ = _plan_intervals(plan)
    too_close = check_spacing(
        day=start.astimezone(zone).date(),
        held=held,
        min_gap_weeks=min_gap_weeks,
        not_before=now.astimezone(zone).date(),
    )
    if too_close is None:
        return None
    reason = " ".join(override_reason.split())
    if not reason:
        raise SpacingTooClose(too_close, session=session)
    if actor is None or not actor.may("appointment.spacing_override"):
        raise Forbidden(
            "Only an aesthetician or physician may override a course's spacing; the earliest "
            f"allowed date is {_words(too_close.earliest)}."
        )
    return SpacingOverride(reason=reason[:500], too_close=too_close)
