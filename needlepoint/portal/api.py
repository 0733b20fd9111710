"""The portal's API: GET /api/v1/me/export (the patient's own data as a ZIP)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router

from needlepoint.accounts.permissions import require
from needlepoint.core.errors import NotFound
from needlepoint.patients.selectors import linked_patient

from .export import export_filename, patient_export

router = Router(tags=["portal"])


def zip_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/zip")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@router.get(
    "/me/export",
    response={200: None},
    openapi_extra={
        "responses": {
            200: {
                "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}}
            }
        }
    },
    summary="Download my data: a ZIP of data.json (every record about me) and my photos",
)
def export_own(request: HttpRequest) -> HttpResponse:
    actor = require(request, "data.export_own", audit_action="data.export")
    patient = linked_patient(actor)
    if patient is None:
        raise NotFound("your login is not linked to a patient record")
    export = patient_export(actor=actor, patient=patient)
    return zip_response(export.zip_bytes(), export_filename(patient))
