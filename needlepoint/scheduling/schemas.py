from __future__ import annotations

from typing import Annotated

from ninja import Schema
from pydantic import ConfigDict, Field

from needlepoint.core.inputs import ClinicDate, ClinicDateTime

MAX_RANGE_DAYS = 62


class AvailabilityQuery(Schema):
    service: str = Field(max_length=100)
    start: ClinicDate
    end: ClinicDate
    location: str | None = Field(default=None, max_length=100)
    staff: str | None = Field(
        default=None,
        max_length=150,
        description="username (staff) or the public id from a slot's `staff` (anyone else)",
    )


class SlotOut(Schema):
    start: str
    end: str
    staff: str = Field(description="username for staff; an opaque public id for anyone else")
    staff_name: str
    room: str
    device: str | None


class AvailabilityOut(Schema):
    timezone: str
    location: str
    service: str
    slots: list[SlotOut]


class AppointmentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    service: str = Field(max_length=100)
    start: ClinicDateTime
    patient: int = Field(ge=1)
    staff: str | None = Field(default=None, max_length=150)
    location: str | None = Field(default=None, max_length=100)
    notes: str = Field(default="", max_length=4000)
    spacing_override_reason: str = Field(
        default="",
        max_length=500,
        description="A clinician's reason to place a plan session closer to another than the "
        "plan's spacing (aesthetician or physician only; ignored when the spacing holds)",
    )


class CancelIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(default="", max_length=500)


class RescheduleIn(Schema):
    model_config = ConfigDict(extra="forbid")

    start: ClinicDateTime
    staff: str | None = Field(default=None, max_length=150)
    spacing_override_reason: str = Field(
        default="",
        max_length=500,
        description="A clinician's reason to place a plan session closer to another than the "
        "plan's spacing (aesthetician or physician only; ignored when the spacing holds)",
    )


class AppointmentOut(Schema):
    id: int
    patient: int
    service: str
    location: str
    timezone: str
    start: str
    end: str
    busy_until: str
    staff: str = Field(description="username for staff; an opaque public id for anyone else")
    staff_name: str
    room: str
    device: str | None
    status: str
    late_cancellation: bool
    cancelled_at: str | None
    cancel_reason: str
    booked_via: str
    series: int | None
    plan: int | None
    plan_session: int | None
    spacing_override_reason: str
    notes: str


class CourseBookIn(Schema):
    model_config = ConfigDict(extra="forbid")

    service: str = Field(max_length=100)
    location: str | None = Field(default=None, max_length=100)
    earliest: ClinicDateTime | None = None
    staff: str | None = Field(default=None, max_length=150)
    weekdays: list[Annotated[int, Field(ge=0, le=6)]] | None = Field(default=None, max_length=7)


class CourseOut(Schema):
    series: int
    plan: int
    appointments: list[AppointmentOut]
