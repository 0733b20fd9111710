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
from needlepoint.patients.selectors import patient_in_field

from . import selectors, services
from .booking_reference import booking_reference
from .models import Consultation, Screening
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
            patient = patient_in_field(patient_id)
    channel = Screening.Channel.API if actor is not None else Screening.Channel.ONLINE
    submitted = services.screening_submit(actor=actor, data=data, channel=channel, patient=patient)
    stored = submitted.screening
    return 200, ScreeningSubmittedOut.of(
        submitted.result,
        screening_id=stored.pk if stored else None,
        booking_reference=booking_reference(str(stored.pk)) if stored else None,
    )


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
    return selectors.screening_for_staff(actor=actor, screening_id=screening_id)


def _consultation(request: HttpRequest, consultation_id: int, capability: str) -> Consultation:
    require(request, capability, audit_action=capability)
    return selectors.consultation_to_act_on(consultation_id)


@router.post(
    "/consultations",
    response={201: ConsultationOut},
    summary="Record a consultation and sign the determination (aesthetician, physician)",
)
@idempotent
def record_consultation(request: HttpRequest, body: ConsultationIn) -> tuple[int, object]:
    actor = require(request, "consultation.record", audit_action="consultation.create")
    problems = Problems()
    patient = screening = None
    try:
        patient = patient_in_field(body.patient)
    except InvalidInput as exc:
        problems.items.extend(exc.problems)
    try:
        screening = selectors.screening_in_field(body.screening)
    except InvalidInput as exc:
        problems.items.extend(exc.problems)
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
    return 201, ConsultationOut.from_orm(consultation)


@router.get(
    "/consultations/{int:consultation_id}",
    response=ConsultationOut,
    summary="A consultation with its current determination (clinical staff)",
)
def get_consultation(request: HttpRequest, consultation_id: int) -> object:
    actor = require(request, "consultation.read", audit_action="consultation.read")
    return selectors.consultation_for_staff(actor=actor, consultation_id=consultation_id)


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
    return 201, ConsultationOut.from_orm(selectors.consultation_as_stored(consultation))


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
    return 201, ConsultationOut.from_orm(selectors.consultation_as_stored(consultation))
