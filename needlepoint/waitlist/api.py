"""Waitlist API: join (staff for anyone, a patient for themselves), list, withdraw, and the
public accept of an emailed offer."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import ConfigDict, Field

from needlepoint.accounts.models import User
from needlepoint.accounts.permissions import require
from needlepoint.accounts.public_ids import NOT_BOOKABLE, staff_by_public_id, staff_ref
from needlepoint.clinic.models import Location, Service
from needlepoint.core.errors import InvalidInput, NotFound, Problems
from needlepoint.core.idempotency import idempotent
from needlepoint.core.inputs import ClinicDate, Page
from needlepoint.patients.models import Patient
from needlepoint.scheduling.models import Appointment

from . import services
from .models import WaitlistEntry

router = Router(tags=["waitlist"])


class WaitlistIn(Schema):
    model_config = ConfigDict(extra="forbid")

    patient: int | None = Field(default=None, ge=1, description="staff: whose entry")
    service: str = Field(max_length=100)
    location: str | None = Field(default=None, max_length=100)
    staff: str | None = Field(default=None, max_length=150)
    earliest: ClinicDate | None = None
    latest: ClinicDate | None = None
    appointment: int | None = Field(default=None, ge=1, description="the booking to move earlier")


class WaitlistOut(Schema):
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


def entry_out(entry: WaitlistEntry, *, for_staff: bool = True) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "patient": entry.patient_id,
        "service": entry.service.slug,
        "location": entry.location.slug if entry.location else None,
        "staff": staff_ref(entry.staff, for_staff=for_staff) if entry.staff else None,
        "earliest": entry.earliest,
        "latest": entry.latest,
        "appointment": entry.appointment_id,
        "status": entry.status,
        "created_at": entry.created_at.isoformat(),
    }


def _patient(actor: User, patient_id: int | None) -> Patient:
    if actor.is_clinic_staff:
        if patient_id is None:
            raise InvalidInput.one("patient", "is required")
        found = Patient.objects.filter(pk=patient_id).first()
    else:
        found = Patient.objects.filter(user=actor).first()
        if patient_id is not None and found is not None and found.pk != patient_id:
            found = None
    if found is None:
        raise NotFound("no such patient")
    return found


@router.post("/waitlist", response={201: WaitlistOut}, summary="Ask for an earlier slot")
@idempotent
def join(request: HttpRequest, body: WaitlistIn) -> tuple[int, object]:
    actor = require(
        request, "waitlist.join", audit_action="waitlist.join", patient_id=body.patient or ""
    )
    patient = _patient(actor, body.patient)
    problems = Problems()
    service = Service.objects.filter(slug=body.service, active=True).first()
    if service is None:
        problems.add("service", f"there is no service {body.service!r}")
    location = None
    if body.location:
        location = Location.objects.filter(slug=body.location).first()
        if location is None:
            problems.add("location", f"there is no location {body.location!r}")
    staff = None
    if body.staff and not actor.is_clinic_staff:  # patients name staff by public id only
        staff = staff_by_public_id(body.staff)
        if staff is None:
            problems.add("staff", NOT_BOOKABLE)
    elif body.staff:
        staff = (
            User.objects.filter(username=body.staff, is_active=True).exclude(role="patient").first()
        )
        if staff is None:
            problems.add("staff", f"there is no staff member {body.staff!r}")
    appointment = None
    if body.appointment:
        appointment = Appointment.objects.filter(pk=body.appointment, patient=patient).first()
        if appointment is None:
            problems.add("appointment", "there is no such appointment of this patient")
    problems.raise_if_any()
    assert service is not None
    entry = services.waitlist_join(
        actor=actor,
        patient=patient,
        service=service,
        location=location,
        staff=staff,
        earliest=body.earliest,
        latest=body.latest,
        appointment=appointment,
    )
    return 201, entry_out(entry, for_staff=actor.is_clinic_staff)


@router.get("/waitlist", response=WaitlistList, summary="Waiting entries, oldest first (staff)")
def waitlist(request: HttpRequest, page: Query[Page]) -> object:
    require(request, "waitlist.read")
    limit, offset = page.limit, page.offset
    query = WaitlistEntry.objects.select_related("service", "location", "staff").filter(
        status=WaitlistEntry.Status.WAITING
    )
    return {"items": [entry_out(e) for e in query[offset : offset + limit]], "count": query.count()}


@router.post(
    "/waitlist/{int:entry_id}/withdraw", response=WaitlistOut, summary="Leave the waitlist"
)
def withdraw(request: HttpRequest, entry_id: int) -> object:
    actor = require(request, "waitlist.join")
    query = WaitlistEntry.objects.select_related("service", "location", "staff").filter(pk=entry_id)
    if not actor.is_clinic_staff:
        query = query.filter(patient__user=actor)
    entry = query.first()
    if entry is None:
        raise NotFound("no such waitlist entry")
    return entry_out(
        services.waitlist_withdraw(actor=actor, entry=entry), for_staff=actor.is_clinic_staff
    )


@router.post(
    "/waitlist/offers/accept",
    auth=None,
    response=AcceptOut,
    summary="Accept an emailed offer (public, by its token): first to accept gets the slot",
)
def accept(request: HttpRequest, body: AcceptIn) -> object:
    accepted = services.waitlist_offer_accept(offer=services.offer_for_token(body.token))
    appointment = accepted.appointment
    return {
        "offer": accepted.offer.pk,
        "appointment": appointment.pk,
        "start": appointment.start.astimezone(appointment.location.zone).isoformat(),
        "status": appointment.status,
    }
