import json
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Router

from needlepoint.accounts.auth import BearerToken
from needlepoint.accounts.permissions import request_user, require
from needlepoint.core.errors import InvalidInput, NotFound, Problems
from needlepoint.core.idempotency import idempotent
from needlepoint.core.input_guard import NUL_MESSAGE, nul_field
from needlepoint.patients.models import Patient

from . import selectors, services
from .booking_reference import booking_reference
from .models import Consultation, Screening
from .payloads import consultation_payload, screening_payload
from .schemas import (
    ClearanceIn,
    ConsultationIn,
    ConsultationOut,
    DeterminationAmendmentIn,
    ScreeningIn,
    ScreeningSubmittedOut,
    StoredScreeningOut,
)

router = Router(tags=["screening"])


class _Anonymous:
    """Marks a public call: the bearer token is optional on `POST /screenings`."""

    pk = None

    def __bool__(self) -> bool:
        return True


def _anyone(request: HttpRequest) -> _Anonymous:
    return _Anonymous()


_SCREENING_BODY = {
    # The token is optional: anyone may screen themselves; staff may send theirs.
    "security": [{"BearerToken": []}, {}],
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": ScreeningIn.model_json_schema()}},
    },
}


def _json_body(request: HttpRequest) -> Any:
    try:
        data = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput.one("body", "is not valid JSON") from None
    field = nul_field(data)
    if field:
        raise InvalidInput.one(field, NUL_MESSAGE)
    return data


@router.post(
    "/screenings",
    response={200: ScreeningSubmittedOut},
    auth=[BearerToken(), _anyone],
    openapi_extra=_SCREENING_BODY,
    summary="Is micro-needling for me? (public; staff may send a bearer token)",
)
@idempotent
def submit_screening(request: HttpRequest) -> tuple[int, object]:
    data = _json_body(request)
    actor = request_user(request)
    patient = None
    # Staff taking it by phone may link it to a record; the field is not in the public
    # contract, so anyone else sending it gets "not a known field".
    staff_link = actor is not None and actor.may("screening.take")
    if isinstance(data, dict) and "patient" in data and staff_link:
        data = dict(data)
        patient_id = data.pop("patient")
        if patient_id is not None:
            valid = isinstance(patient_id, int) and not isinstance(patient_id, bool)
            patient = Patient.objects.filter(pk=patient_id).first() if valid else None
            if patient is None:
                raise InvalidInput.one("patient", "no such patient")
    channel = Screening.Channel.API if actor is not None else Screening.Channel.ONLINE
    submitted = services.screening_submit(actor=actor, data=data, channel=channel, patient=patient)
    stored_id = submitted.payload["id"]
    reference = booking_reference(stored_id) if stored_id else None
    return 200, {**submitted.payload, "booking_reference": reference}


@router.get(
    "/screenings/{uuid:screening_id}",
    response=StoredScreeningOut,
    summary="A stored screening (staff)",
)
def get_screening(request: HttpRequest, screening_id: uuid.UUID) -> object:
    # Without screening.read (a patient) it is 404, as for a screening that does not exist
    # (docs/roles.md): the answer never says whether the id is real.
    actor = request_user(request)
    if actor is None:
        raise NotFound("no such screening")
    return screening_payload(selectors.screening_for_staff(actor=actor, screening_id=screening_id))


def _consultation(request: HttpRequest, consultation_id: int, capability: str) -> Consultation:
    actor = require(request, capability, audit_action=capability)
    found = Consultation.objects.filter(pk=consultation_id).first()
    if found is None:
        raise NotFound("no such consultation")
    del actor
    return found


@router.post(
    "/consultations",
    response={201: ConsultationOut},
    summary="Record a consultation and sign the determination (aesthetician, physician)",
)
@idempotent
def record_consultation(request: HttpRequest, body: ConsultationIn) -> tuple[int, object]:
    actor = require(request, "consultation.record", audit_action="consultation.create")
    problems = Problems()
    patient = Patient.objects.filter(pk=body.patient).first()
    if patient is None:
        problems.add("patient", "no such patient")
    screening = None
    if body.screening is not None:
        screening = Screening.objects.filter(pk=body.screening).first()
        if screening is None:
            problems.add("screening", "no such screening")
    problems.raise_if_any()
    assert patient is not None
    consultation = services.consultation_record(
        actor=actor,
        patient=patient,
        screening=screening,
        fitzpatrick=body.fitzpatrick,
        concerns=[c.dict() for c in body.concerns],
        zones=body.zones,
        determination=body.determination,
        notes=body.notes,
    )
    return 201, consultation_payload(consultation)


@router.get(
    "/consultations/{int:consultation_id}",
    response=ConsultationOut,
    summary="A consultation with its current determination (clinical staff)",
)
def get_consultation(request: HttpRequest, consultation_id: int) -> object:
    actor = require(request, "consultation.read", audit_action="consultation.read")
    found = selectors.consultation_for_staff(actor=actor, consultation_id=consultation_id)
    return consultation_payload(found)


@router.post(
    "/consultations/{int:consultation_id}/amendments",
    response={201: ConsultationOut},
    summary="Amend a signed determination, with a reason (aesthetician, physician)",
)
@idempotent
def amend_consultation(
    request: HttpRequest, consultation_id: int, body: DeterminationAmendmentIn
) -> tuple[int, object]:
    consultation = _consultation(request, consultation_id, "consultation.record")
    actor = require(request, "consultation.record")
    services.consultation_amend(
        actor=actor,
        consultation=consultation,
        determination=body.determination,
        reason=body.reason,
    )
    return 201, consultation_payload(Consultation.objects.get(pk=consultation.pk))


@router.post(
    "/consultations/{int:consultation_id}/clearance",
    response={201: ConsultationOut},
    summary="Record a physician's clearance (physician)",
)
@idempotent
def clear_consultation(
    request: HttpRequest, consultation_id: int, body: ClearanceIn
) -> tuple[int, object]:
    consultation = _consultation(request, consultation_id, "consultation.clear")
    actor = require(request, "consultation.clear")
    services.consultation_clear(
        actor=actor, consultation=consultation, cleared=body.cleared, notes=body.notes
    )
    return 201, consultation_payload(Consultation.objects.get(pk=consultation.pk))
