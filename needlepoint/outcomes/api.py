from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from needlepoint.accounts.permissions import request_user, require
from needlepoint.core.errors import InvalidInput, NotFound
from needlepoint.core.idempotency import idempotent, idempotent_call
from needlepoint.core.inputs import Page
from needlepoint.domain.photo_measures import HintError, parse_card_hint
from needlepoint.patients.selectors import linked_patient, patient_to_act_on

from . import selectors, services
from .images import MAX_BYTES
from .measures_api import router as measures_router
from .schemas import (
    AssessmentIn,
    AssessmentList,
    AssessmentOut,
    PhotoList,
    PhotoMeasuresOut,
    PhotoOut,
    PhotoReleaseIn,
    PhotoReleaseOut,
    RatingIn,
    RatingOut,
    ReportOut,
    ShareIn,
)

router = Router(tags=["outcomes"])
router.add_router("", measures_router)  # regions and measures over time


class ImageQuery(Schema):
    # marks: the picture of what the photo's measures counted (404 until the worker drew it).
    size: Literal["full", "thumb", "marks"] = "full"


@router.post(
    "/patients/{int:patient_id}/photos",
    response={201: PhotoOut},
    summary="Upload one standard-view photo of a visit (multipart: view, taken_on, file)",
    description=(
        "A visit is (patient, taken_on). Views: front, left_45, right_45, left_90, right_90, "
        "abdomen, thighs, hips, buttocks, upper_arms, breasts, back. JPEG, PNG or WebP up to "
        "25 MB and 40 megapixels; metadata is removed and the image re-encoded as JPEG. "
        "Optional colour-card hint, in the stored photo's pixels, as a JSON string: card_box "
        "[x, y, w, h] or card_quad [[x, y] x 4] (corners clockwise from dark skin)."
    ),
)
def upload_photo(
    request: HttpRequest,
    patient_id: int,
    view: str = Form(""),
    taken_on: str = Form(""),
    file: UploadedFile | None = File(None),  # noqa: B008 (ninja declares parameters so)
    card_box: str = Form(""),
    card_quad: str = Form(""),
) -> Status[Any]:
    actor = require(request, "photo.capture", audit_action="photo.upload", patient_id=patient_id)
    patient = patient_to_act_on(patient_id)
    try:
        card_hint = parse_card_hint(card_box, card_quad)
    except HintError as error:
        raise InvalidInput.one(error.field, error.message) from None
    if file is None:
        raise InvalidInput.one("file", "is required: choose a photo")
    if (file.size or 0) > MAX_BYTES:
        raise InvalidInput.one(
            "file", f"is larger than {MAX_BYTES // (1024 * 1024)} MB; send a smaller photo"
        )

    def create() -> tuple[int, Any]:
        photo = services.photo_upload(
            actor=actor,
            patient=patient,
            view=view.strip(),
            taken_on=taken_on,
            data=file.read(),
            filename=file.name or "",
            content_type=file.content_type or "",
            card_hint=card_hint,
        )
        return 201, PhotoOut.from_orm(photo)

    # Not ``@idempotent``: a replay must pass the permission, patient and size checks first.
    status, payload = idempotent_call(request, create)
    return Status(status, payload)


@router.get(
    "/patients/{int:patient_id}/photos",
    response=PhotoList,
    summary="A patient's photos (staff; a patient: own photos the clinic shared)",
)
def list_photos(request: HttpRequest, patient_id: int, page: Query[Page]) -> object:
    actor = request_user(request)
    result = selectors.patient_photos(
        actor=actor, patient_id=patient_id, limit=page.limit, offset=page.offset
    )
    return {"items": result.items, "count": result.count}


@router.get(
    "/photos/{int:photo_id}",
    response={200: None},
    openapi_extra={
        "responses": {
            200: {"content": {"image/jpeg": {"schema": {"type": "string", "format": "binary"}}}}
        }
    },
    summary="The photo's JPEG bytes (audited each time; ?size=thumb for the thumbnail)",
    description=(
        "?size=marks: the picture of what the photo's measures counted (regions, spots and "
        "lines drawn over it; 404 until the photo was measured). Same access as the photo: "
        "staff, or the patient for their own shared photos."
    ),
)
def get_photo(request: HttpRequest, photo_id: int, query: Query[ImageQuery]) -> HttpResponse:
    actor = request_user(request)
    photo, data = selectors.photo_for_viewing(
        actor=actor, photo_id=photo_id, thumb=query.size == "thumb", marks=query.size == "marks"
    )
    suffix = "" if query.size == "full" else f"-{query.size}"
    return image_response(data, f"photo-{photo.pk}{suffix}.jpg")


@router.get(
    "/photos/{int:photo_id}/measures",
    response=PhotoMeasuresOut,
    summary="A photo's objective measures (staff; a patient: own shared photos)",
    description="Status pending, done or not_measured (with the reason); docs/photo-measures.md.",
)
def get_photo_measures(request: HttpRequest, photo_id: int) -> object:
    actor = request_user(request)
    return PhotoMeasuresOut.of(selectors.photo_measures_for_viewing(actor=actor, photo_id=photo_id))


def image_response(data: bytes, filename: str, *, attachment: bool = False) -> HttpResponse:
    response = HttpResponse(data, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@router.post(
    "/photos/{int:photo_id}/share",
    response=PhotoOut,
    summary="Share a photo with the patient, or stop sharing it (aesthetician, physician)",
)
def share_photo(request: HttpRequest, photo_id: int, body: ShareIn) -> object:
    actor = require(request, "photo.share")
    photo = selectors.photo_to_act_on(photo_id)
    return services.photo_share_set(actor=actor, photo=photo, shared=body.shared)


@router.post(
    "/patients/{int:patient_id}/photo-releases",
    response={201: PhotoReleaseOut},
    summary="Record a photo release signed or withdrawn (front desk, clinicians)",
)
@idempotent
def record_photo_release(
    request: HttpRequest, patient_id: int, body: PhotoReleaseIn
) -> tuple[int, object]:
    actor = require(
        request, "photo_release.record", audit_action="photo_release.record", patient_id=patient_id
    )
    patient = patient_to_act_on(patient_id)
    release = services.photo_release_record(
        actor=actor,
        patient=patient,
        granted=body.granted,
        source=body.source,
        signed_at=body.signed_at,
    )
    return 201, {
        "patient": patient.pk,
        "granted": release.granted,
        "signed_at": release.signed_at,
        "source": release.source,
    }


@router.get(
    "/patients/{int:patient_id}/photo-release",
    response=PhotoReleaseOut,
    summary="The patient's current photo release (granted false when none was signed)",
)
def get_photo_release(request: HttpRequest, patient_id: int) -> object:
    actor = request_user(request)
    if actor is None or not (actor.may("photo.view") or actor.may("photo_release.record")):
        require(request, "photo.view", audit_action="photo_release.read", patient_id=patient_id)
    patient = patient_to_act_on(patient_id)
    latest = selectors.photo_release_status(actor=actor, patient=patient)
    return {
        "patient": patient.pk,
        "granted": bool(latest and latest.granted),
        "signed_at": latest.signed_at if latest else None,
        "source": latest.source if latest else "",
    }


@router.post(
    "/patients/{int:patient_id}/assessments",
    response={201: AssessmentOut},
    summary="Grade a concern on its own scale, with the GAIS (aesthetician, physician)",
    description=(
        'Grades: acne_scars "1"–"4"; fine_lines_wrinkles "I"–"III"; sun_damage "I"–"IV"; '
        "uneven_skin_tone mild | moderate | severe (optional mmasi 0–24); stretch_marks "
        "rubra | alba; enlarged_pores null. gais: 1 very much improved … 5 worse (not at "
        "baseline). kind: baseline, before_session, outcome_1m, outcome_3m, outcome_6m."
    ),
)
@idempotent
def record_assessment(
    request: HttpRequest, patient_id: int, body: AssessmentIn
) -> tuple[int, object]:
    actor = require(
        request, "assessment.record", audit_action="assessment.record", patient_id=patient_id
    )
    patient = patient_to_act_on(patient_id)
    assessment = services.assessment_record(actor=actor, patient=patient, **body.dict())
    return 201, AssessmentOut.from_orm(assessment)


@router.get(
    "/patients/{int:patient_id}/assessments",
    response=AssessmentList,
    summary="A patient's grades over time (clinicians, clinic admin)",
)
def list_assessments(request: HttpRequest, patient_id: int, page: Query[Page]) -> object:
    actor = request_user(request)
    if actor is None:
        raise NotFound("no such patient")
    items, count = selectors.patient_assessments(
        actor=actor, patient_id=patient_id, limit=page.limit, offset=page.offset
    )
    return {"items": items, "count": count}


@router.post(
    "/me/ratings",
    response={201: RatingOut},
    summary="Rate your own result (patient): improvement 1–5 and satisfaction 1–5",
    description=(
        "improvement uses the GAIS wording: 1 very much improved, 2 much improved, "
        "3 improved, 4 no change, 5 worse. satisfaction: 1 very dissatisfied, "
        "2 dissatisfied, 3 neither, 4 satisfied, 5 very satisfied. comment is optional."
    ),
)
@idempotent
def submit_rating(request: HttpRequest, body: RatingIn) -> tuple[int, object]:
    actor = require(request, "rating.submit")
    patient = linked_patient(actor)
    if patient is None:
        raise NotFound("your login has no patient record")
    rating = services.rating_submit(
        actor=actor,
        patient=patient,
        improvement=body.improvement,
        satisfaction=body.satisfaction,
        comment=body.comment,
    )
    return 201, RatingOut.from_orm(rating)


@router.get(
    "/reports/outcomes",
    response=ReportOut,
    summary="Patients improved by at least one grade, per concern and number of sessions",
)
def outcome_report(request: HttpRequest) -> object:
    actor = require(request, "outcome.report")
    report = selectors.clinic_report(actor=actor)
    return {
        "concerns": [
            {
                "concern": r.concern,
                "patients": r.patients,
                "improved": r.improved,
                "rows": [
                    {
                        "sessions": row.sessions,
                        "patients": row.patients,
                        "improved": row.improved,
                        "unknown": row.unknown,
                    }
                    for row in r.rows
                ],
            }
            for r in report
        ]
    }
