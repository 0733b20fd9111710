"""One patient's resources, in the order a reader meets them, and the bundle around them."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from typing import Any

from needlepoint.outcomes.models import Photo

from ..records import PatientRecords
from . import care, forms, outcomes, procedures
from .common import instant
from .context import PatientContext

PhotoReader = Callable[[Photo], bytes | None]


def patient_resources(
    records: PatientRecords,
    *,
    staff_ids: frozenset[int],
    photos: PhotoReader | None,
    consent_texts: Mapping[str, str] | None = None,
) -> Iterator[dict[str, Any]]:
    """Every resource about the patient; photos (Media + Binary) only with a reader."""
    ctx = PatientContext(records.patient, staff_ids, consent_texts or {})
    yield care.patient_resource(ctx)
    for plan in records.plans:
        yield care.care_plan(ctx, plan)
    for appointment in records.appointments:
        yield care.appointment(ctx, appointment)
    for screening in records.screenings:
        yield forms.screening_response(ctx, screening)
    for check in records.day_of_checks:
        yield forms.day_of_response(ctx, check)
    for signature in records.consents:
        yield forms.consent(ctx, signature)
        yield forms.consent_provenance(ctx, signature)
    charted = {chart.pk for chart in records.charts}
    for chart in records.charts:
        yield procedures.procedure(ctx, chart)
        yield from procedures.chart_observations(ctx, chart)
    for event in records.adverse_events:
        yield procedures.adverse_event(ctx, event, charted=event.chart_id in charted)
    for assessment in records.assessments:
        yield from outcomes.assessment_observations(ctx, assessment)
    for rating in records.ratings:
        yield from outcomes.rating_observations(ctx, rating)
    if photos is not None:
        for photo in records.photos:
            data = photos(photo)
            yield outcomes.media(ctx, photo, has_bytes=data is not None)
            yield from outcomes.photo_measure_observations(ctx, photo)
            if data is not None:
                yield outcomes.binary(ctx, photo, data)


def questionnaires_for(records: PatientRecords) -> set[tuple[str, str]]:
    """(kind, policy version) of every Questionnaire the patient's responses answer."""
    found = {(forms.SCREENING, s.policy_version) for s in records.screenings}
    found |= {(forms.DAY_OF, c.policy_version) for c in records.day_of_checks}
    return found


def references_in(value: Any) -> Iterator[str]:
    """Every ``Type/id`` a resource points at: its References and attachment URLs."""
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str) and (
                key == "reference" or (key == "url" and item.startswith("Binary/"))
            ):
                yield item
            else:
                yield from references_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from references_in(item)


def key_of(resource: dict[str, Any]) -> str:
    return f"{resource['resourceType']}/{resource['id']}"


def with_referenced(
    own: list[dict[str, Any]], shared: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    """The patient's resources, then the clinic resources they reach (directly or through
    another clinic resource), so every reference resolves inside the bundle."""
    included = {key_of(r) for r in own}
    result = list(own)
    pending = [ref for r in own for ref in references_in(r)]
    while pending:
        key = pending.pop()
        if key in included or key not in shared:
            continue
        included.add(key)
        resource = shared[key]
        result.append(resource)
        pending.extend(references_in(resource))
        if resource["resourceType"] == "Practitioner":
            pending.append(f"PractitionerRole/{resource['id']}")
    return result


def bundle(resources: list[dict[str, Any]], *, base: str, now: datetime) -> dict[str, Any]:
    """A ``collection`` Bundle; each fullUrl is ``{base}/{Type}/{id}``, so the relative
    references inside resolve against it (FHIR R4, Bundle: resolving references)."""
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "meta": {"lastUpdated": instant(now)},
        "type": "collection",
        "timestamp": instant(now),
        "entry": [{"fullUrl": f"{base}/{key_of(r)}", "resource": r} for r in resources],
    }
