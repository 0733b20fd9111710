"""What availability is computed from and what it answers: services, calendars of staff,
rooms and devices, the booking rules, and slots."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from needlepoint.domain.errors import DomainError
from needlepoint.domain.time import MINUTES_PER_DAY, Interval

# The longest any appointment may hold staff, room and pen (duration plus buffer). Busy-time
# reads rely on it for a lower bound on the indexed start column: an appointment busy at a
# window's start began at most this long before it (docs/decisions/0690).
MAX_OCCUPIED_MINUTES = MINUTES_PER_DAY
MAX_OCCUPIED = timedelta(minutes=MAX_OCCUPIED_MINUTES)


@dataclass(frozen=True, slots=True)
class ServiceSpec:
    slug: str
    duration_minutes: int
    buffer_after_minutes: int
    room_kind: str
    needs_device: bool
    qualified_roles: frozenset[str]

    def __post_init__(self) -> None:
        if self.duration_minutes <= 0 or self.buffer_after_minutes < 0:
            raise DomainError(
                f"service {self.slug}: duration must be positive and buffer not negative",
                code="invalid_service",
            )
        if self.duration_minutes + self.buffer_after_minutes > MAX_OCCUPIED_MINUTES:
            raise DomainError(
                f"service {self.slug}: duration plus buffer must be at most a day",
                code="invalid_service",
            )
        object.__setattr__(self, "qualified_roles", frozenset(self.qualified_roles))

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)

    @property
    def occupied(self) -> timedelta:
        """How long staff, room and device are taken: the treatment plus the buffer after."""
        return timedelta(minutes=self.duration_minutes + self.buffer_after_minutes)


@dataclass(frozen=True)
class StaffCalendar:
    username: str
    role: str
    working: Sequence[Interval]
    busy: Sequence[Interval] = ()


@dataclass(frozen=True)
class RoomCalendar:
    slug: str
    kind: str
    busy: Sequence[Interval] = ()


@dataclass(frozen=True)
class DeviceCalendar:
    """A pen; ``busy`` includes maintenance. Out of service means never offered."""

    slug: str
    in_service: bool
    busy: Sequence[Interval] = ()


@dataclass(frozen=True, slots=True)
class AvailabilityRules:
    grid_minutes: int = 15
    min_notice: timedelta = field(default=timedelta(hours=12))
    horizon: timedelta = field(default=timedelta(days=120))

    def __post_init__(self) -> None:
        if self.grid_minutes <= 0 or MINUTES_PER_DAY % self.grid_minutes:
            raise DomainError(
                "grid_minutes must divide a day (5, 10, 15, 30, 60 ...)",
                code="invalid_grid",
            )
        if self.min_notice < timedelta(0) or self.horizon <= self.min_notice:
            raise DomainError(
                "horizon must be longer than the minimum notice", code="invalid_rules"
            )


DEFAULT_RULES = AvailabilityRules()


@dataclass(frozen=True, slots=True)
class Slot:
    """A bookable start. ``end`` is start + duration: the buffer is not shown to the patient."""

    start: datetime
    end: datetime
    staff: str
    room: str
    device: str | None


class SlotProblem(StrEnum):
    """Why a requested start can't be booked; checked in this order."""

    OFF_GRID = "off_grid"
    IN_PAST = "in_past"
    TOO_SOON = "too_soon"
    BEYOND_HORIZON = "beyond_horizon"
    NOT_QUALIFIED = "not_qualified"
    OUTSIDE_HOURS = "outside_hours"
    STAFF_BUSY = "staff_busy"
    NO_ROOM = "no_room"
    NO_DEVICE = "no_device"


@dataclass(frozen=True, slots=True)
class SlotCheck:
    start: datetime
    slot: Slot | None
    problem: SlotProblem | None
    message: str

    @property
    def bookable(self) -> bool:
        return self.slot is not None


def _qualified(
    service: ServiceSpec,
    staff: Sequence[StaffCalendar],
    staff_filter: Collection[str] | None,
) -> list[StaffCalendar]:
    if isinstance(staff_filter, str):
        # A lone username, not a collection of characters ("ann" is in "anna").
        staff_filter = {staff_filter}
    return [
        member
        for member in staff
        if member.role in service.qualified_roles
        and (staff_filter is None or member.username in staff_filter)
    ]
