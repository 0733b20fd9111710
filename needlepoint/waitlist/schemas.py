"""The waitlist API's request and response shapes."""

from __future__ import annotations

from datetime import date
from typing import Any

from ninja import Schema
from pydantic import ConfigDict, Field

from needlepoint.accounts.public_ids import staff_ref
from needlepoint.core.inputs import ClinicDate
from needlepoint.core.out_schemas import ModelOut
from needlepoint.scheduling.schemas import caller_is_staff

from .models import WaitlistEntry


class WaitlistIn(Schema):
    model_config = ConfigDict(extra="forbid")

    patient: int | None = Field(default=None, ge=1, description="staff: whose entry")
    service: str = Field(max_length=100)
    location: str | None = Field(default=None, max_length=100)
    staff: str | None = Field(default=None, max_length=150)
    earliest: ClinicDate | None = None
    latest: ClinicDate | None = None
    appointment: int | None = Field(default=None, ge=1, description="the booking to move earlier")


class WaitlistOut(ModelOut):
    id: int
    patient: int
    service: str
    location: str | None
    staff: str | None
    earliest: date | None
    latest: date | None
    appointment: int | None
    status: str
    created_at: str

    # Built from a ``WaitlistEntry``; staff callers see usernames, anyone else public ids.

    @staticmethod
    def resolve_patient(entry: WaitlistEntry) -> int:
        return entry.patient_id

    @staticmethod
    def resolve_service(entry: WaitlistEntry) -> str:
        return entry.service.slug

    @staticmethod
    def resolve_location(entry: WaitlistEntry) -> str | None:
        return entry.location.slug if entry.location else None

    @staticmethod
    def resolve_staff(entry: WaitlistEntry, context: Any) -> str | None:
        if entry.staff is None:
            return None
        return staff_ref(entry.staff, for_staff=caller_is_staff(context))

    @staticmethod
    def resolve_appointment(entry: WaitlistEntry) -> int | None:
        return entry.appointment_id

    @staticmethod
    def resolve_created_at(entry: WaitlistEntry) -> str:
        return entry.created_at.isoformat()


class WaitlistList(Schema):
    items: list[WaitlistOut]
    count: int


class AcceptIn(Schema):
    model_config = ConfigDict(extra="forbid")

    token: str = Field(max_length=300)


class AcceptOut(Schema):
    offer: int
    appointment: int
    start: str
    status: str
