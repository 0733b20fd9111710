from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from ninja import Schema
from pydantic import ConfigDict, Field

from needlepoint.accounts.models import User
from needlepoint.accounts.permissions import request_user
from needlepoint.accounts.public_ids import staff_name, staff_ref
from needlepoint.clinic.models import Location
from needlepoint.core.inputs import ClinicDate, ClinicDateTime
from needlepoint.core.out_schemas import ModelOut
from needlepoint.domain.availability import Slot

from .models import Appointment

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

    @classmethod
    def of(cls, slot: Slot, *, location: Location, member: User, for_staff: bool) -> SlotOut:
        """A free slot in the location's zone; staff see usernames, anyone else public ids."""
        zone = location.zone
        return cls(
            start=slot.start.astimezone(zone).isoformat(),
            end=slot.end.astimezone(zone).isoformat(),
            staff=staff_ref(member, for_staff=for_staff),
            staff_name=staff_name(member, for_staff=for_staff),
            room=slot.room,
            device=slot.device,
        )


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
    location: str | None = Field(
        default=None,
        max_length=100,
        description="Move the visit to another location too (its slug); a course may move "
        "between locations when the patient asks. Empty: where it is.",
    )
    spacing_override_reason: str = Field(
        default="",
        max_length=500,
        description="A clinician's reason to place a plan session closer to another than the "
        "plan's spacing (aesthetician or physician only; ignored when the spacing holds)",
    )


class AppointmentOut(ModelOut):
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

    # Built from an ``Appointment``: times in its location's zone; the staff member named
    # by username for staff callers and by public id and public name for anyone else.

    @staticmethod
    def resolve_patient(appointment: Appointment) -> int:
        return appointment.patient_id

    @staticmethod
    def resolve_service(appointment: Appointment) -> str:
        return appointment.service.slug

    @staticmethod
    def resolve_location(appointment: Appointment) -> str:
        return appointment.location.slug

    @staticmethod
    def resolve_timezone(appointment: Appointment) -> str:
        return appointment.location.time_zone

    @staticmethod
    def resolve_start(appointment: Appointment) -> str | None:
        return _local(appointment, appointment.start)

    @staticmethod
    def resolve_end(appointment: Appointment) -> str | None:
        return _local(appointment, appointment.end)

    @staticmethod
    def resolve_busy_until(appointment: Appointment) -> str | None:
        return _local(appointment, appointment.busy_until)

    @staticmethod
    def resolve_cancelled_at(appointment: Appointment) -> str | None:
        return _local(appointment, appointment.cancelled_at)

    @staticmethod
    def resolve_staff(appointment: Appointment, context: Any) -> str:
        return staff_ref(appointment.staff, for_staff=caller_is_staff(context))

    @staticmethod
    def resolve_staff_name(appointment: Appointment, context: Any) -> str:
        return staff_name(appointment.staff, for_staff=caller_is_staff(context))

    @staticmethod
    def resolve_room(appointment: Appointment) -> str:
        return appointment.room.slug

    @staticmethod
    def resolve_device(appointment: Appointment) -> str | None:
        return appointment.device.slug if appointment.device else None

    @staticmethod
    def resolve_series(appointment: Appointment) -> int | None:
        return appointment.series_id

    @staticmethod
    def resolve_plan(appointment: Appointment) -> int | None:
        return appointment.plan_id


def _local(appointment: Appointment, value: datetime | None) -> str | None:
    return value.astimezone(appointment.location.zone).isoformat() if value else None


def caller_is_staff(context: Any) -> bool:
    """Whether the caller is clinic staff (outside a request, e.g. a test: yes)."""
    request = (context or {}).get("request")
    if request is None:
        return True
    user = request_user(request)
    return bool(user and user.is_clinic_staff)


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
