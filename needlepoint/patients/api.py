from django.http import HttpRequest
from ninja import Query, Router
from pydantic import Field

from needlepoint.accounts.permissions import request_user, require
from needlepoint.core.errors import NotFound
from needlepoint.core.idempotency import idempotent
from needlepoint.core.inputs import Page

from . import selectors, services
from .schemas import MeOut, PatientIn, PatientList, PatientOut

router = Router(tags=["patients"])


class PatientQuery(Page):
    q: str = Field(default="", max_length=200)


@router.post("/patients", response={201: PatientOut}, summary="Register a patient (staff)")
@idempotent
def create_patient(request: HttpRequest, body: PatientIn) -> tuple[int, object]:
    actor = require(request, "patient.create", audit_action="patient.create")
    patient = services.patient_create(actor=actor, **body.dict())
    return 201, PatientOut.from_orm(patient)


@router.get("/patients", response=PatientList, summary="Find patients (staff)")
def list_patients(request: HttpRequest, query: Query[PatientQuery]) -> object:
    actor = require(request, "patient.read", audit_action="patient.read")
    page = selectors.patient_search(actor=actor, q=query.q, limit=query.limit, offset=query.offset)
    return {"items": page.items, "count": page.count}


@router.get("/patients/{int:patient_id}", response=PatientOut, summary="One patient (staff)")
def get_patient(request: HttpRequest, patient_id: int) -> object:
    actor = request_user(request)
    if actor is None:
        raise NotFound("no such patient")
    return selectors.patient_for_staff(actor=actor, patient_id=patient_id)


@router.get("/me", response=MeOut, summary="Who am I (and my patient record)")
def me(request: HttpRequest) -> object:
    actor = request_user(request)
    assert actor is not None  # the bearer authenticator ran
    patient = selectors.own_patient_record(actor=actor) if actor.role == "patient" else None
    return {"username": actor.username, "role": actor.role, "patient": patient}
