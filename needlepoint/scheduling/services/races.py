"""Bookings racing one another on PostgreSQL: which resource a lost race was about, and
which errors mean "a concurrent booking won; try again" (docs/decisions/0691)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from django.db import IntegrityError, OperationalError

from needlepoint.domain.availability import Slot

# The exclusion constraint a concurrent booking beat us on, and the resource it guards.
_CONSTRAINT_RESOURCE = {
    "appt_no_double_booked_staff": "staff",
    "appt_no_double_booked_room": "rooms",
    "appt_no_double_booked_device": "devices",
}


@dataclass
class Lost:
    """Resources concurrent bookings took while this one was being written. Concurrent
    bookings of one start all choose the first free room and pen; a booking that lost leaves
    out what it lost and takes the next free one, so N bookings of N free rooms all succeed
    instead of running out of retries (decision 0691)."""

    staff: set[str] = field(default_factory=set)
    rooms: set[str] = field(default_factory=set)
    devices: set[str] = field(default_factory=set)
    # What the attempt under way chose itself (not asked for by name), by kind.
    chosen: dict[str, str | None] = field(default_factory=dict)

    def choose(self, slot: Slot, *, named: Collection[str]) -> None:
        """Remember what this attempt chose itself; ``named`` kinds were asked for by name."""
        self.chosen = {
            "staff": None if "staff" in named else slot.staff,
            "rooms": None if "rooms" in named else slot.room,
            "devices": None if "devices" in named else slot.device,
        }

    def note(self, violation: str) -> bool:
        """Leave out what the last attempt lost on; False when nothing new was learnt (the
        resource was asked for by name or already left out)."""
        kind = next((kind for name, kind in _CONSTRAINT_RESOURCE.items() if name in violation), "")
        slug = self.chosen.get(kind)
        excluded: set[str] = getattr(self, kind) if kind else set()
        if slug is None or slug in excluded:
            return False
        # The winner has committed (PostgreSQL raises only then), so the next attempt's
        # fresh read shows the resource busy as well; staff stay in the calendars so a
        # busy member reads "booked", not "not qualified".
        excluded.add(slug)
        return True


def is_exclusion_violation(exc: IntegrityError) -> bool:
    cause = exc.__cause__
    return getattr(cause, "sqlstate", None) == "23P01" or "appt_no_double_booked" in str(exc)


def is_deadlock(exc: OperationalError) -> bool:
    # Two exclusion checks waiting on each other's new rows (bookings at two locations
    # sharing a clinician): PostgreSQL rolls one back; it is retried like a lost race.
    return getattr(exc.__cause__, "sqlstate", None) == "40P01"
