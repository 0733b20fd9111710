"""Reads of photo measures over time and of a view's regions (issue #14), audited.

The MDC of each figure is pooled over the clinic's repeat photos: every (patient, visit date,
view) with more than one measured photo is one group (`domain.photo_measures.mdc95`). The
patient's own repeats give a second MDC beside it once they rest on at least
`OWN_MDC_MIN_PHOTOS` photos: fewer say little about one person's photos."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from needlepoint.accounts.models import User
from needlepoint.audit.services import record
from needlepoint.domain.photo_measures import METHOD_VERSION, Mdc, mdc95
from needlepoint.patients.models import Patient

from .models import Photo, PhotoMeasure, PhotoMeasureRegion, ViewRegions
from .selectors import _deny

OWN_MDC_MIN_PHOTOS = 6  # three visits with a pair of repeats each
FIGURES = (
    "l_star", "a_star", "b_star", "ita_deg", "redness_area_pct", "evenness_sd",
    "spot_count", "spot_area_pct", "line_density", "texture",
)  # fmt: skip
EXPERIMENTAL = frozenset({"line_density", "texture"})


@dataclass(frozen=True)
class SeriesPoint:
    photo_id: int
    taken_on: date
    status: str
    reason: str
    regions: dict[str, dict[str, float | None]]
    has_marks: bool = False  # the worker drew what it counted over the photo


@dataclass(frozen=True)
class MeasureMdc:
    region: str
    figure: str
    clinic: Mdc
    own: Mdc | None  # None until the patient's repeats reach OWN_MDC_MIN_PHOTOS


@dataclass(frozen=True)
class Series:
    patient_id: int
    view: str
    points: list[SeriesPoint]
    mdc: list[MeasureMdc] = field(default_factory=list)


def _visible_photos(actor: User | None, patient_id: int, action: str) -> tuple[Patient, Any]:
    patient = Patient.objects.filter(pk=patient_id).first()
    if actor is None or patient is None:
        raise _deny(actor, action, "patient", patient_id, patient_id if patient else "")
    if actor.may("photo.view"):
        return patient, Photo.objects.filter(patient=patient)
    if actor.may("photo.view_own") and patient.user_id == actor.pk:
        return patient, Photo.objects.filter(patient=patient, shared_with_patient=True)
    raise _deny(actor, action, "patient", patient_id, patient_id)


def _repeat_groups(
    rows: list[tuple[int, date, str, str, str, float | None]],
) -> dict[tuple[str, str], dict[tuple[int, date, str], list[float]]]:
    """(region, figure) -> visit key -> values, from (patient, day, view, region, figure, v)."""
    out: dict[tuple[str, str], dict[tuple[int, date, str], list[float]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for patient_id, day, view, region, figure, value in rows:
        if value is not None:
            out[(region, figure)][(patient_id, day, view)].append(float(value))
    return out


def clinic_repeat_rows(view: str) -> list[tuple[int, date, str, str, str, float | None]]:
    """Every measured region figure of the view at visits with more than one photo."""
    regions = PhotoMeasureRegion.objects.filter(
        measure__status=PhotoMeasure.Status.DONE,
        measure__method_version=METHOD_VERSION,
        measure__photo__view=view,
    ).values("measure__photo__patient_id", "measure__photo__taken_on", "region", *FIGURES)
    rows = []
    for item in regions:
        for figure in FIGURES:
            rows.append(
                (
                    item["measure__photo__patient_id"],
                    item["measure__photo__taken_on"],
                    view,
                    item["region"],
                    figure,
                    item[figure],
                )
            )
    return rows


def patient_measure_series(*, actor: User | None, patient_id: int, view: str) -> Series:
    """The view's photos in date order with their status and region figures, and the MDC of
    each (region, figure), for staff or the patient (their shared photos); audited."""
    patient, photos = _visible_photos(actor, patient_id, "patient.measures_view")
    photos = photos.filter(view=view).order_by("taken_on", "id").select_related("measure")
    points = []
    for photo in photos:
        measure = getattr(photo, "measure", None)
        figures: dict[str, dict[str, float | None]] = {}
        if measure is not None and measure.status == PhotoMeasure.Status.DONE:
            for region in measure.regions.all():
                figures[region.region] = {f: getattr(region, f) for f in FIGURES}
        points.append(
            SeriesPoint(
                photo_id=photo.pk,
                taken_on=photo.taken_on,
                status=measure.status if measure else PhotoMeasure.Status.PENDING,
                reason=measure.reason if measure else "",
                regions=figures,
                has_marks=bool(measure and measure.marks_name),
            )
        )
    groups = _repeat_groups(clinic_repeat_rows(view))
    names = sorted({(r, f) for point in points for r in point.regions for f in FIGURES})
    mdc = []
    for region, figure in names:
        visits = groups.get((region, figure), {})
        own_mdc = mdc95(v for key, v in visits.items() if key[0] == patient.pk)
        mdc.append(
            MeasureMdc(
                region=region,
                figure=figure,
                clinic=mdc95(visits.values()),
                own=own_mdc if own_mdc.photos >= OWN_MDC_MIN_PHOTOS else None,
            )
        )
    record(
        actor=actor,
        action="patient.measures_view",
        object_type="patient",
        object_id=patient.pk,
        patient_id=patient.pk,
        detail={"view": view},
    )
    return Series(patient_id=patient.pk, view=view, points=points, mdc=mdc)


def view_regions_for_staff(*, actor: User | None, patient_id: int, view: str) -> ViewRegions | None:
    """The stored regions of a view (None: none drawn or placed yet), staff only; audited."""
    patient = Patient.objects.filter(pk=patient_id).first()
    if actor is None or patient is None or not actor.may("photo.view"):
        raise _deny(
            actor, "photo.regions_view", "patient", patient_id, patient_id if patient else ""
        )
    row = ViewRegions.objects.filter(patient=patient, view=view).first()
    record(
        actor=actor,
        action="photo.regions_view",
        object_type="patient",
        object_id=patient.pk,
        patient_id=patient.pk,
        detail={"view": view},
    )
    return row
