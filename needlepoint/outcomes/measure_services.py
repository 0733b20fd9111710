"""Writes of photo measures and of the regions they are measured in (issue #14).

`photo_measure_run` is slow (seconds) and runs in the worker (`tasks.measure_photo`), never
in a request. `view_regions_save` stores the regions drawn on a view's baseline and queues
the view's photos to be measured again. Both are re-exported by `services`."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Sequence
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from needlepoint.accounts.models import User
from needlepoint.audit.services import record
from needlepoint.core.errors import Problems
from needlepoint.core.file_store import photo_storage
from needlepoint.domain.photo_measures import MeasureResult, Region
from needlepoint.domain.photo_measures.regions import check_regions, default_regions
from needlepoint.patients.models import Patient

from . import tasks
from .models import Photo, PhotoMeasure, PhotoMeasureRegion, ViewRegions

_REGION_FIGURES = (
    "l_star", "a_star", "b_star", "ita_deg", "redness_area_pct", "evenness_sd",
    "spot_count", "spot_area_pct", "line_density", "texture",
)  # fmt: skip


def marks_file_name() -> str:
    """A private random name in the photos' folder, like the photos' own."""
    return f"photos/{secrets.token_hex(16)}.marks.jpg"


def _delete_files(names: Sequence[str]) -> None:
    storage = photo_storage()
    for name in names:
        with contextlib.suppress(Exception):  # already gone: nothing left to remove
            storage.delete(name)


def stored_regions(row: ViewRegions | None) -> tuple[Region, ...]:
    if row is None:
        return ()
    return tuple(Region(r["name"], tuple(r["box"])) for r in row.regions)  # type: ignore[arg-type]


def _detected_regions(photo: Photo) -> tuple[Region, ...]:
    """Default regions for a view nobody has drawn on: placed from the face found on the
    view's baseline (the central area for body views), stored so every later photo of the
    view is measured in the same boxes. None found: nothing stored, the photo is not measured."""
    # Here, not at the top: the engine and the detector load only in the worker (0644).
    from needlepoint.domain.photo_measures.faces import detect_face

    from .measuring import photo_pixels, view_baseline

    baseline = view_baseline(photo) or photo
    image = photo_pixels(baseline)
    if image is None:
        return ()
    height, width = image.shape[:2]
    regions = default_regions(
        photo.view,
        face=detect_face(image, profile=photo.view != "front"),
        width=width,
        height=height,
    )
    if not regions:
        return ()
    with transaction.atomic():
        row, created = ViewRegions.objects.get_or_create(
            patient_id=photo.patient_id,
            view=photo.view,
            defaults={
                "regions": [{"name": r.name, "box": list(r.box)} for r in regions],
                "source": ViewRegions.Source.DETECTED,
                "drawn_at": timezone.now(),
            },
        )
        if created:
            record(
                actor=None,
                action="photo.regions_detect",
                object_type="patient",
                object_id=photo.patient_id,
                patient_id=photo.patient_id,
                detail={"view": photo.view, "regions": [r.name for r in regions]},
            )
    return stored_regions(row)


def photo_measure_run(
    *, actor: User | None = None, photo_id: int, regions: Sequence[Region] | None = None
) -> PhotoMeasure:
    """Measure a stored photo and store the result (the worker runs this, never a request).
    Regions are in the view's baseline pixels; by default the view's stored regions, else
    ones placed from the detected face; with none the photo is not measured."""
    from .measuring import measure_stored_photo  # the engine loads in the worker only (0644)

    photo = Photo.objects.get(pk=photo_id)
    if regions is None:
        row = ViewRegions.objects.filter(patient_id=photo.patient_id, view=photo.view).first()
        regions = stored_regions(row) if row is not None else _detected_regions(photo)
    measured = measure_stored_photo(photo, regions=regions)
    result = measured.result
    storage = photo_storage()
    # Saved before the row names it; a failed transaction removes it again (no orphans).
    picture = (
        storage.save(marks_file_name(), ContentFile(measured.picture)) if measured.picture else ""
    )
    try:
        measure = _store_result(actor, photo, result, picture)
    except BaseException:
        if picture:
            with contextlib.suppress(Exception):
                storage.delete(picture)
        raise
    return measure


def _store_result(
    actor: User | None, photo: Photo, result: MeasureResult, picture: str
) -> PhotoMeasure:
    with transaction.atomic():
        measure, _ = PhotoMeasure.objects.select_for_update(of=("self",)).get_or_create(photo=photo)
        replaced = measure.marks_name
        measure.marks_name = picture
        measure.status = result.status
        measure.reason = result.reason
        measure.warnings = list(result.warnings)
        measure.method_version = result.method_version
        measure.card_found = result.calibration.card_found
        measure.delta_e2000_mean = result.calibration.delta_e2000_mean
        measure.baseline_photo_id = result.alignment.baseline_photo
        measure.residual_px = result.alignment.residual_px
        measure.measured_at = timezone.now()
        measure.save()
        measure.regions.all().delete()
        PhotoMeasureRegion.objects.bulk_create(
            PhotoMeasureRegion(
                measure=measure,
                region=row.region,
                **{name: getattr(row, name) for name in _REGION_FIGURES},
            )
            for row in result.regions
        )
        record(
            actor=actor,
            action="photo.measure",
            object_type="photo",
            object_id=photo.pk,
            patient_id=photo.patient_id,
            detail={"status": result.status, "method_version": result.method_version},
        )
        if replaced:
            transaction.on_commit(lambda: _delete_files([replaced]))
    return measure


def _parse_regions(problems: Problems, raw: Any) -> list[Region]:
    if not isinstance(raw, list):
        problems.add("regions", "must be a list of {name, box}")
        return []
    parsed: list[Region] = []
    for index, item in enumerate(raw):
        name = item.get("name") if isinstance(item, dict) else None
        box = item.get("box") if isinstance(item, dict) else None
        if not isinstance(name, str):
            problems.add(f"regions[{index}].name", "is required")
            continue
        if not (
            isinstance(box, list)
            and len(box) == 4
            and all(isinstance(v, int) and not isinstance(v, bool) for v in box)
        ):
            problems.add(f"regions[{index}].box", "must be four whole numbers [x, y, w, h]")
            continue
        parsed.append(Region(name, (box[0], box[1], box[2], box[3])))
    return parsed


def view_regions_save(
    *, actor: User | None, patient: Patient, view: str, regions: Any
) -> ViewRegions:
    """Store the regions drawn on a view's baseline (its pixels) and measure the view's
    photos again with them (queued after commit)."""
    problems = Problems()
    baseline = (
        Photo.objects.filter(patient=patient, view=view).order_by("taken_on", "id").first()
        if isinstance(view, str)
        else None
    )
    if baseline is None:
        problems.add("view", "has no photo of this patient to draw on")
    parsed = _parse_regions(problems, regions)
    if baseline is not None:
        for problem in check_regions(view, parsed, width=baseline.width, height=baseline.height):
            problems.add(problem.field, problem.message)
    if not parsed and not problems.items:
        problems.add("regions", "draw at least one region")
    problems.raise_if_any()
    with transaction.atomic():
        row, _ = ViewRegions.objects.update_or_create(
            patient=patient,
            view=view,
            defaults={
                "regions": [{"name": r.name, "box": list(r.box)} for r in parsed],
                "source": ViewRegions.Source.DRAWN,
                "drawn_by": actor,
                "drawn_at": timezone.now(),
            },
        )
        photo_ids = list(
            Photo.objects.filter(patient=patient, view=view).values_list("pk", flat=True)
        )
        PhotoMeasure.objects.filter(photo_id__in=photo_ids).update(
            status=PhotoMeasure.Status.PENDING, reason=""
        )
        for photo_id in photo_ids:
            PhotoMeasure.objects.get_or_create(photo_id=photo_id)
        record(
            actor=actor,
            action="photo.regions_save",
            object_type="patient",
            object_id=patient.pk,
            patient_id=patient.pk,
            detail={"view": view, "regions": [r.name for r in parsed]},
        )
        transaction.on_commit(lambda: [tasks.measure_photo.enqueue(pk) for pk in photo_ids])
    return row
