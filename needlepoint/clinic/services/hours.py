"""Working hours, closures and time off."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time

from django.db import transaction

from needlepoint.accounts.models import User
from needlepoint.accounts.roles import STAFF_ROLES
from needlepoint.audit.services import record
from needlepoint.core.errors import Conflict, Problems

from ..models import (
    Closure,
    Location,
    ScheduleException,
    WorkingHours,
)
from .common import WEEKDAYS, optional_text

# --- Working hours ---------------------------------------------------------------------


@dataclass(frozen=True)
class WeekBlock:
    weekday: int
    location: Location
    start: time | None
    end: time | None

    @property
    def field(self) -> str:
        """The block's name on the week grid: ``monday-main``."""
        return f"{WEEKDAYS[self.weekday]}-{self.location.slug}"


def working_week_set(
    *, actor: User, staff: User, blocks: Sequence[WeekBlock], only_at: Sequence[Location] = ()
) -> int:
    """Replace a staff member's weekly hours with one block per day and location (a block
    with neither time is a day off there). Returns how many blocks the week now has.
    ``only_at``: replace the hours at these locations only (a location's admin leaves the
    other locations' hours as they are, decision 0700)."""
    if staff.role not in STAFF_ROLES or not staff.is_active:
        raise Conflict("Working hours are for active staff members.")
    problems = Problems()
    kept: list[tuple[WeekBlock, time, time]] = []
    for block in blocks:
        if block.start is None and block.end is None:
            continue
        if block.start is None:
            problems.add(f"{block.field}-start", "enter the start time, or clear both times")
        elif block.end is None:
            problems.add(f"{block.field}-end", "enter the end time, or clear both times")
        elif block.end <= block.start:
            problems.add(f"{block.field}-end", "must be after the start time")
        else:
            kept.append((block, block.start, block.end))
    for i, (one, one_start, one_end) in enumerate(kept):
        for other, other_start, other_end in kept[i + 1 :]:
            if one.weekday == other.weekday and one_start < other_end and other_start < one_end:
                problems.add(
                    f"{other.field}-start",
                    f"overlaps the hours at {one.location.name} that day; "
                    "a person works at one place at a time",
                )
    problems.raise_if_any()
    with transaction.atomic():
        replaced = WorkingHours.objects.filter(staff=staff)
        if only_at:
            replaced = replaced.filter(location__in=list(only_at))
        replaced.delete()
        WorkingHours.objects.bulk_create(
            WorkingHours(
                staff=staff, location=b.location, weekday=b.weekday, start_time=s, end_time=e
            )
            for b, s, e in kept
        )
        record(
            actor=actor,
            action="working_hours.set",
            object_type="staff",
            object_id=staff.pk,
            detail={"blocks": [f"{b.field} {s:%H:%M}-{e:%H:%M}" for b, s, e in kept]},
        )
    return len(kept)


# --- Closures and time off -------------------------------------------------------------


def closure_add(*, actor: User, location: Location, on: date, reason: str, today: date) -> Closure:
    problems = Problems()
    if on < today:
        problems.add("date", "is in the past; choose today or a later day")
    reason = optional_text(problems, "reason", reason, 200)
    if Closure.objects.filter(location=location, date=on).exists():
        problems.add("date", f"{location.name} is already closed that day")
    problems.raise_if_any()
    with transaction.atomic():
        closure = Closure.objects.create(location=location, date=on, reason=reason)
        record(
            actor=actor,
            action="closure.add",
            object_type="closure",
            object_id=closure.pk,
            detail={"location": location.slug, "date": on.isoformat()},
        )
    return closure


def closure_remove(*, actor: User, closure: Closure) -> None:
    """A closure names no other row, so removing it (reopening the day) deletes it."""
    with transaction.atomic():
        record(
            actor=actor,
            action="closure.remove",
            object_type="closure",
            object_id=closure.pk,
            detail={"location": closure.location.slug, "date": closure.date.isoformat()},
        )
        closure.delete()


def schedule_exception_add(
    *,
    actor: User,
    staff: User,
    location: Location,
    on: date,
    kind: str,
    start: time | None,
    end: time | None,
    note: str,
    today: date,
) -> ScheduleException:
    """Time off (a whole day when no times are given) or extra hours on one date."""
    problems = Problems()
    if staff.role not in STAFF_ROLES:
        problems.add("staff", "choose a staff member")
    if kind not in ScheduleException.Kind.values:
        problems.add("kind", "choose time off or extra hours")
    if on < today:
        problems.add("date", "is in the past; choose today or a later day")
    if (start is None) != (end is None):
        problems.add("end" if end is None else "start", "enter both times, or neither")
    elif start is None and kind == ScheduleException.Kind.EXTRA_HOURS:
        problems.add("start", "extra hours need a start and an end time")
    elif start is not None and end is not None and end <= start:
        problems.add("end", "must be after the start time")
    note = optional_text(problems, "note", note, 200)
    problems.raise_if_any()
    with transaction.atomic():
        exception = ScheduleException.objects.create(
            staff=staff,
            location=location,
            date=on,
            kind=kind,
            start_time=start,
            end_time=end,
            note=note,
        )
        record(
            actor=actor,
            action="schedule_exception.add",
            object_type="schedule_exception",
            object_id=exception.pk,
            detail={"staff": staff.pk, "date": on.isoformat(), "kind": kind},
        )
    return exception


def schedule_exception_remove(*, actor: User, exception: ScheduleException) -> None:
    with transaction.atomic():
        record(
            actor=actor,
            action="schedule_exception.remove",
            object_type="schedule_exception",
            object_id=exception.pk,
            detail={"staff": exception.staff_id, "date": exception.date.isoformat()},
        )
        exception.delete()
