"""Outcomes: clinician grades and GAIS, the patient's ratings, and photos (Media + Binary)."""

from __future__ import annotations

import base64
from typing import Any

from needlepoint.domain.outcomes import VIEW_LABELS
from needlepoint.outcomes.models import Assessment, PatientRating, Photo, PhotoMeasure

from .. import codes
from .common import compact, fhir_id, instant
from .context import PatientContext


def _observation(
    ctx: PatientContext, resource_id: str, code: str, category: str, **value: Any
) -> dict[str, Any]:
    return compact(
        {
            "resourceType": "Observation",
            "id": resource_id,
            "status": "final",
            "category": [codes.concept(codes.OBSERVATION_CATEGORY, category, category.title())],
            "code": codes.observation_code(code),
            "subject": ctx.subject,
            **value,
        }
    )


def assessment_observations(ctx: PatientContext, item: Assessment) -> list[dict[str, Any]]:
    about = [
        {
            "code": codes.observation_code("concern"),
            "valueCodeableConcept": codes.concept(codes.CONCERN, item.concern),
        },
        {
            "code": codes.observation_code("assessment-kind"),
            "valueCodeableConcept": codes.concept(codes.ASSESSMENT_KIND, item.kind),
        },
    ]
    common = {
        "effectiveDateTime": item.assessed_on.isoformat(),
        "performer": [ctx.person(item.assessed_by_id)],
        "component": about,
    }
    found = []
    if item.grade:
        found.append(
            _observation(
                ctx,
                fhir_id("assessment", item.pk, "grade"),
                "concern-grade",
                "exam",
                valueString=item.grade,
                **common,
            )
        )
    if item.mmasi is not None:
        found.append(
            _observation(
                ctx,
                fhir_id("assessment", item.pk, "mmasi"),
                "mmasi",
                "exam",
                valueQuantity=codes.score(float(item.mmasi)),
                **common,
            )
        )
    if item.gais is not None:
        found.append(
            _observation(
                ctx,
                fhir_id("assessment", item.pk, "gais"),
                "gais",
                "exam",
                valueInteger=item.gais,
                **common,
            )
        )
    return found


def rating_observations(ctx: PatientContext, item: PatientRating) -> list[dict[str, Any]]:
    common = {
        "effectiveDateTime": item.rated_on.isoformat(),
        "performer": [ctx.subject],
        "note": [{"text": item.comment}] if item.comment else [],
    }
    return [
        _observation(
            ctx,
            fhir_id("rating", item.pk, "improvement"),
            "patient-improvement",
            "survey",
            valueInteger=item.improvement,
            **common,
        ),
        _observation(
            ctx,
            fhir_id("rating", item.pk, "satisfaction"),
            "patient-satisfaction",
            "survey",
            valueInteger=item.satisfaction,
            **common,
        ),
    ]


_EXPERIMENTAL = frozenset({"line_density", "texture"})


def photo_measure_observations(ctx: PatientContext, photo: Photo) -> list[dict[str, Any]]:
    """One Observation per measured figure of each region, derived from the photo's Media;
    pending and not-measured photos have none (their reason is not a finding)."""
    try:
        measure = photo.measure
    except PhotoMeasure.DoesNotExist:
        return []
    if measure.status != PhotoMeasure.Status.DONE:
        return []
    found = []
    for region in measure.regions.all():
        for figure, unit in codes.PHOTO_MEASURE_UNITS.items():
            value = getattr(region, figure)
            if value is None:
                continue
            shown = (
                {"valueInteger": int(value)}
                if unit is None
                else {
                    "valueQuantity": {
                        "value": round(float(value), 4),
                        "unit": unit,
                        "system": codes.UCUM,
                        "code": unit,
                    }
                }
            )
            note = (
                "Experimental: a same-setup trend, never a depth."
                if figure in _EXPERIMENTAL
                else ""
            )
            found.append(
                compact(
                    {
                        "resourceType": "Observation",
                        "id": fhir_id("photo-measure", region.pk, figure),
                        "status": "final",
                        "category": [
                            codes.concept(codes.OBSERVATION_CATEGORY, "imaging", "Imaging")
                        ],
                        "code": codes.concept(codes.PHOTO_MEASURE, figure),
                        "subject": ctx.subject,
                        "effectiveDateTime": photo.taken_on.isoformat(),
                        "bodySite": codes.concept(codes.PHOTO_REGION, region.region),
                        "method": {"text": f"Needlepoint photo measures {measure.method_version}"},
                        "derivedFrom": [{"reference": f"Media/{fhir_id(photo.pk)}"}],
                        "note": [{"text": note}] if note else [],
                        **shown,
                    }
                )
            )
    return found


def binary_id(photo: Photo) -> str:
    return fhir_id("photo", photo.pk)


def media(ctx: PatientContext, photo: Photo, *, has_bytes: bool) -> dict[str, Any]:
    """``has_bytes``: the file could be read, so its Binary is exported beside it."""
    label = VIEW_LABELS.get(photo.view, photo.view)
    content: dict[str, Any] = {
        "contentType": "image/jpeg",
        "size": photo.byte_size,
        "title": f"{label}, {photo.taken_on.isoformat()}",
        "creation": photo.taken_on.isoformat(),
    }
    if has_bytes:
        content["url"] = f"Binary/{binary_id(photo)}"
    return compact(
        {
            "resourceType": "Media",
            "id": fhir_id(photo.pk),
            "status": "completed",
            "type": codes.concept(codes.MEDIA_TYPE, "image", "Image"),
            "view": codes.concept(codes.PHOTO_VIEW, photo.view, label),
            "subject": ctx.subject,
            "createdDateTime": photo.taken_on.isoformat(),
            "issued": instant(photo.uploaded_at),
            "operator": ctx.person(photo.uploaded_by_id),
            "height": photo.height,
            "width": photo.width,
            "content": content,
        }
    )


def binary(ctx: PatientContext, photo: Photo, data: bytes) -> dict[str, Any]:
    return {
        "resourceType": "Binary",
        "id": binary_id(photo),
        "contentType": "image/jpeg",
        "securityContext": ctx.subject,
        "data": base64.b64encode(data).decode("ascii"),
    }
