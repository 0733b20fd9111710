from __future__ import annotations

from datetime import date, datetime
from typing import Literal, cast

from ninja import Schema
from pydantic import ConfigDict, Field

from needlepoint.core.out_schemas import ModelOut

from .models import Assessment, PatientRating, Photo, PhotoMeasure


class PhotoOut(ModelOut):
    id: int
    patient: int
    view: str
    taken_on: date
    width: int
    height: int
    shared_with_patient: bool
    uploaded_at: datetime
    url: str
    thumbnail_url: str

    @staticmethod
    def resolve_patient(photo: Photo) -> int:
        return photo.patient_id

    @staticmethod
    def resolve_url(photo: Photo) -> str:
        return f"/api/v1/photos/{photo.pk}"

    @staticmethod
    def resolve_thumbnail_url(photo: Photo) -> str:
        return f"/api/v1/photos/{photo.pk}?size=thumb"


class PhotoList(Schema):
    items: list[PhotoOut]
    count: int


class ShareIn(Schema):
    model_config = ConfigDict(extra="forbid")

    shared: bool


class PhotoReleaseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    granted: bool
    source: str = Field(min_length=1, max_length=200)
    signed_at: datetime | None = None


class PhotoReleaseOut(Schema):
    patient: int
    granted: bool
    signed_at: datetime | None
    source: str


class AssessmentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    concern: str = Field(max_length=32)
    grade: str | None = Field(default=None, max_length=16)
    kind: str = Field(max_length=16)
    assessed_on: date
    gais: int | None = None
    mmasi: float | None = None


class AssessmentOut(ModelOut):
    id: int
    patient: int
    concern: str
    grade: str | None
    mmasi: float | None
    gais: int | None
    kind: str
    assessed_on: date

    @staticmethod
    def resolve_patient(assessment: Assessment) -> int:
        return assessment.patient_id

    @staticmethod
    def resolve_mmasi(assessment: Assessment) -> float | None:
        return float(assessment.mmasi) if assessment.mmasi is not None else None


class AssessmentList(Schema):
    items: list[AssessmentOut]
    count: int


class RatingIn(Schema):
    model_config = ConfigDict(extra="forbid")

    improvement: int = Field(
        description="1 very much improved, 2 much improved, 3 improved, 4 no change, 5 worse"
    )
    satisfaction: int = Field(description="1 very dissatisfied … 5 very satisfied")
    comment: str = Field(default="", max_length=2000)


class RatingOut(ModelOut):
    id: int
    patient: int
    improvement: int
    satisfaction: int
    comment: str
    rated_on: date

    @staticmethod
    def resolve_patient(rating: PatientRating) -> int:
        return rating.patient_id


class ReportRowOut(Schema):
    sessions: int
    patients: int
    improved: int
    unknown: int


class ConcernReportOut(Schema):
    concern: str
    patients: int
    improved: int
    rows: list[ReportRowOut]


class ReportOut(Schema):
    concerns: list[ConcernReportOut]


class MeasureCalibrationOut(Schema):
    card_found: bool
    delta_e2000_mean: float | None


class MeasureAlignmentOut(Schema):
    baseline_photo: int | None
    residual_px: float | None


class RegionMeasuresOut(Schema):
    region: str
    l_star: float | None
    a_star: float | None
    b_star: float | None
    ita_deg: float | None
    redness_area_pct: float | None
    evenness_sd: float | None
    spot_count: int | None
    spot_area_pct: float | None
    line_density: float | None
    texture: float | None


_REGION_FIELDS = tuple(RegionMeasuresOut.model_fields)


class PhotoMeasuresOut(Schema):
    """Issue #14's contract; colour figures are null without a usable card."""

    status: Literal["pending", "done", "not_measured"]
    reason: str
    warnings: list[str]
    method_version: str
    calibration: MeasureCalibrationOut
    alignment: MeasureAlignmentOut
    regions: list[RegionMeasuresOut]
    # The picture of what was counted (regions, spots, lines), once the worker drew it.
    marks_url: str | None = None

    @staticmethod
    def of(measure: PhotoMeasure | None) -> PhotoMeasuresOut:
        if measure is None:  # stored before measuring existed, or not yet queued
            return PhotoMeasuresOut(
                status="pending", reason="", warnings=[], method_version="",
                calibration=MeasureCalibrationOut(card_found=False, delta_e2000_mean=None),
                alignment=MeasureAlignmentOut(baseline_photo=None, residual_px=None),
                regions=[],
            )  # fmt: skip
        return PhotoMeasuresOut(
            status=cast(Literal["pending", "done", "not_measured"], measure.status),
            reason=measure.reason,
            warnings=[str(w) for w in measure.warnings or []],
            method_version=measure.method_version,
            calibration=MeasureCalibrationOut(
                card_found=measure.card_found, delta_e2000_mean=measure.delta_e2000_mean
            ),
            alignment=MeasureAlignmentOut(
                baseline_photo=measure.baseline_photo_id, residual_px=measure.residual_px
            ),
            regions=[
                RegionMeasuresOut(**{name: getattr(row, name) for name in _REGION_FIELDS})
                for row in measure.regions.all()
            ],
            marks_url=(
                f"/api/v1/photos/{measure.photo_id}?size=marks" if measure.marks_name else None
            ),
        )
