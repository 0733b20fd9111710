"""Running the photo-measures engine on a stored photo (read through Django's storage API
only, so object storage can come later) and drawing what it counted over the photo. No
writes here: `services.photo_measure_run` stores the result and the picture."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from needlepoint.core.file_store import photo_storage
from needlepoint.domain.photo_measures import (
    METHOD_VERSION,
    Alignment,
    Calibration,
    MeasureResult,
    Region,
    card_hint_from_stored,
    decode_photo,
)
from needlepoint.domain.photo_measures.colour_space import ByteImage
from needlepoint.domain.photo_measures.engine import Baseline, measure_photo
from needlepoint.domain.photo_measures.overlay import draw_marks

from .models import Photo, PhotoMeasure


def photo_pixels(photo: Photo) -> ByteImage | None:
    with photo_storage().open(photo.file_name, "rb") as handle:
        return decode_photo(handle.read())


def view_baseline(photo: Photo) -> Photo | None:
    """The first photo of this patient's view: the one regions are drawn on."""
    return (
        Photo.objects.filter(patient_id=photo.patient_id, view=photo.view)
        .order_by("taken_on", "id")
        .first()
    )


@dataclass(frozen=True)
class Measured:
    result: MeasureResult
    picture: bytes | None  # JPEG of the photo with its regions, spots and lines drawn


def measure_stored_photo(photo: Photo, *, regions: Sequence[Region]) -> Measured:
    baseline = view_baseline(photo)
    stored_hint = (
        PhotoMeasure.objects.filter(photo=photo).values_list("card_hint", flat=True).first()
    )
    image = photo_pixels(photo)
    base_image = photo_pixels(baseline) if baseline and baseline.pk != photo.pk else None
    if image is None or (baseline and baseline.pk != photo.pk and base_image is None):
        failed = MeasureResult(
            status="not_measured",
            reason="the stored photo (or its view's baseline) cannot be decoded",
            warnings=(),
            method_version=METHOD_VERSION,
            calibration=Calibration(card_found=False, delta_e2000_mean=None),
            alignment=Alignment(baseline_photo=None, residual_px=None),
            regions=(),
        )
        return Measured(failed, None)
    result = measure_photo(
        image,
        regions=regions,
        card_hint=card_hint_from_stored(stored_hint),
        baseline=Baseline(baseline.pk, base_image) if baseline and base_image is not None else None,
    )
    return Measured(result, draw_marks(image, result.marks) if result.marks else None)
