"""GET /api/v1/patients/{id}/fhir (clinic admin, physician) and GET /api/v1/me/fhir."""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from ninja import Router

from needlepoint.accounts.permissions import require

from . import selectors

router = Router(tags=["fhir"])
FHIR_JSON = "application/fhir+json"
BUNDLE_DOC = {
    "responses": {
        200: {
            "description": "A FHIR R4 Bundle of type collection (docs/fhir.md)",
            "content": {FHIR_JSON: {"schema": {"type": "object"}}},
        }
    }
}


def fhir_response(resource: dict[str, object]) -> HttpResponse:
    response = HttpResponse(
        json.dumps(resource, cls=DjangoJSONEncoder), content_type=f"{FHIR_JSON}; fhirVersion=4.0"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@router.get(
    "/patients/{int:patient_id}/fhir",
    response={200: None},
    openapi_extra=BUNDLE_DOC,
    summary="One patient's record as a FHIR R4 Bundle (clinic admin, physician)",
)
def patient_fhir(request: HttpRequest, patient_id: int) -> HttpResponse:
    actor = require(
        request, "patient.fhir_export", audit_action=selectors.FHIR_READ, patient_id=patient_id
    )
    return fhir_response(selectors.patient_fhir_for_staff(actor=actor, patient_id=patient_id))


@router.get(
    "/me/fhir",
    response={200: None},
    openapi_extra=BUNDLE_DOC,
    summary="My own record as a FHIR R4 Bundle, photos included",
)
def own_fhir(request: HttpRequest) -> HttpResponse:
    actor = require(request, "data.export_own", audit_action=selectors.FHIR_READ)
    return fhir_response(selectors.own_fhir(actor=actor))
