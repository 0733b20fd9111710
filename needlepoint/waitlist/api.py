"""Waitlist API: join (staff for anyone, a patient for themselves), list, withdraw, and the
public accept of an emailed offer."""

from collections.abc import Callable
from typing import TypeVar

from django.http import HttpRequest
from ninja import Query, Router

from needlepoint.accounts.models import User
from needlepoint.accounts.permissions import require
from needlepoint.accounts.selectors import staff_in_field
from needlepoint.clinic.access import optional_location_in_field_for
from needlepoint.clinic.selectors import service_in_field
from needlepoint.core.errors import InvalidInput, NotFound, Problems
from needlepoint.core.idempotency import idempotent
from needlepoint.core.inputs import Page
from needlepoint.patients.models import Patient
from needlepoint.patients.selectors import linked_patient, patient_to_act_on
from needlepoint.scheduling.selectors import patient_appointment_in_field

from . import selectors, services
from .schemas import AcceptIn, AcceptOut, WaitlistIn, WaitlistList, WaitlistOut

router = Router(tags=["waitlist"])

T = TypeVar("T")


def _patient(actor: User, patient_id: int | None) -> Patient:
    if actor.is_clinic_staff:
        if patient_id is None:
            raise InvalidInput.one("patient", "is required")
        return patient_to_act_on(patient_id)
    found = linked_patient(actor)
    if found is None or (patient_id is not None and found.pk != patient_id):
        raise NotFound("no such patient")
    return found


def _collect(problems: Problems, lookup: Callable[[], T]) -> T | None:
    """The lookup's answer, or None with its refusal added to ``problems`` (all at once)."""
    try:
        return lookup()
    except InvalidInput as exc:
        problems.items.extend(exc.problems)
        return None


@router.post("/waitlist", response={201: WaitlistOut}, summary="Ask for an earlier slot")
@idempotent
def join(request: HttpRequest, body: WaitlistIn) -> tuple[int, object]:
    actor = require(
        request, "waitlist.join", audit_action="waitlist.join", patient_id=body.patient or ""
    )
    patient = _patient(actor, body.patient)
    problems = Problems()
    service = _collect(problems, lambda: service_in_field(body.service))
    location = _collect(problems, lambda: optional_location_in_field_for(actor, body.location))
    # patients name staff by public id only
    staff = _collect(problems, lambda: staff_in_field(body.staff, for_staff=actor.is_clinic_staff))
    appointment = _collect(
        problems, lambda: patient_appointment_in_field(patient, body.appointment)
    )
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
    return 201, WaitlistOut.from_orm(entry, context={"request": request})


@router.get("/waitlist", response=WaitlistList, summary="Waiting entries, oldest first (staff)")
def waitlist(request: HttpRequest, page: Query[Page]) -> object:
    actor = require(request, "waitlist.read")
    entries, count = selectors.waiting_page(actor=actor, limit=page.limit, offset=page.offset)
    return {"items": entries, "count": count}


@router.post(
    "/waitlist/{int:entry_id}/withdraw", response=WaitlistOut, summary="Leave the waitlist"
)
def withdraw(request: HttpRequest, entry_id: int) -> object:
    actor = require(request, "waitlist.join")
    entry = selectors.entry_for(actor=actor, entry_id=entry_id)
    return services.waitlist_withdraw(actor=actor, entry=entry)


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
