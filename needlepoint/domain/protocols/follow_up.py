"""Follow-up visits, maintenance recall and the patient's post-session timeline."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from needlepoint.domain.errors import DomainError
from needlepoint.domain.protocols.table import ProtocolTable

# --- Follow-up and patient education --------------------------------------------------


@dataclass(frozen=True)
class FollowUp:
    due_date: date
    kind: str
    months_after: int
    text: str


@dataclass(frozen=True)
class TimelineStep:
    kind: str
    first_day: int
    last_day: int
    starts_on: date
    ends_on: date
    text: str


def add_months(day: date, months: int) -> date:
    """Calendar months later; the 31st lands on the last day of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def follow_up_schedule(
    last_session_date: date,
    table: ProtocolTable,
    *,
    maintenance_months: int,
) -> list[FollowUp]:
    """Outcome visits after the last session of a course and the maintenance recall."""
    if maintenance_months < 1:
        raise DomainError("maintenance_months must be at least 1", code="invalid_months")
    rules = table.follow_up
    due = [
        FollowUp(add_months(last_session_date, v.months), v.kind, v.months, v.text)
        for v in rules.after_course
    ]
    due.append(
        FollowUp(
            add_months(last_session_date, maintenance_months),
            rules.maintenance_recall_kind,
            maintenance_months,
            rules.maintenance_recall_text,
        )
    )
    # sorted() is stable: an outcome visit stays before a recall due the same day.
    return sorted(due, key=lambda f: f.due_date)


def session_timeline(session_date: date, table: ProtocolTable) -> list[TimelineStep]:
    """What the patient can expect, and do, in the days and weeks after a session."""
    return [
        TimelineStep(
            s.kind,
            s.first_day,
            s.last_day,
            session_date + timedelta(days=s.first_day),
            session_date + timedelta(days=s.last_day),
            s.text,
        )
        for s in table.follow_up.after_session
    ]
