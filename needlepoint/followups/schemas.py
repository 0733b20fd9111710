"""The follow-up API's request and response shapes."""

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from needlepoint.core.inputs import MAX_OFFSET, ClinicDateTime

from .selectors import FollowUpRow


class FollowUpOut(Schema):
    id: int
    patient: int
    patient_name: str
    plan: int
    kind: str
    months_after: int
    last_session_on: date
    due_on: date
    state: str
    text: str
    appointment: int | None
    appointment_start: str | None
    raised_at: datetime | None


class FollowUpList(Schema):
    items: list[FollowUpOut]
    count: int


class ListQuery(Schema):
    state: list[str] = Field(default_factory=list, description="missed, due, proposed, …")
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class BookIn(Schema):
    start: ClinicDateTime
    staff: str | None = None
    location: str = Field(
        default="",
        max_length=100,
        description="Where the visit is booked (a location slug). Empty: where the course's "
        "last session was (staff: when they work there, else their only location).",
    )


def followup_out(row: FollowUpRow) -> dict[str, Any]:
    f = row.followup
    appointment = f.appointment
    return {
        "id": f.pk,
        "patient": f.patient_id,
        "patient_name": f.patient.full_name,
        "plan": f.plan_id,
        "kind": f.kind,
        "months_after": f.months_after,
        "last_session_on": f.last_session_on,
        "due_on": f.due_on,
        "state": row.state,
        "text": f.text,
        "appointment": appointment.pk if appointment else None,
        "appointment_start": appointment.start.isoformat() if appointment else None,
        "raised_at": f.raised_at,
    }
