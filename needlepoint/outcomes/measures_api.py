"""Photo measures over the API beyond one photo (issue #14): the regions drawn on a view's
baseline, and a view's measures over time with the change that means something (MDC95)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from needlepoint.accounts.permissions import request_user, require
from needlepoint.core.errors import InvalidInput
from needlepoint.domain.outcomes import VIEWS
from needlepoint.patients.selectors import patient_to_act_on

from . import measure_selectors, services

router = Router(tags=["outcomes"])


class RegionIO(Schema):
    name: str
    box: list[int]


class RegionsIn(Schema):
    view: str
    regions: list[Any]


class RegionsOut(Schema):
    view: str
    regions: list[RegionIO]
    source: str | None  # "drawn", "detected"; None: none stored yet
    drawn_at: str | None


class ViewQuery(Schema):
    view: str = "front"


class MdcOut(Schema):
    region: str
    measure: str
    experimental: bool
    mdc95: float | None
    photos: int
    groups: int
    own_mdc95: float | None
    own_photos: int


class PointOut(Schema):
    photo_id: int
    taken_on: date
    status: str
    reason: str
    regions: dict[str, dict[str, float | None]]


class SeriesOut(Schema):
    view: str
    own_mdc_min_photos: int
    points: list[PointOut]
    mdc: list[MdcOut]


def _view(raw: str) -> str:
    if raw not in VIEWS:
        raise InvalidInput.one("view", f"must be one of {', '.join(VIEWS)}")
    return raw


def _regions_out(view: str, row: Any) -> dict[str, Any]:
    if row is None:
        return {"view": view, "regions": [], "source": None, "drawn_at": None}
    return {
        "view": view,
        "regions": row.regions,
        "source": row.source,
        "drawn_at": row.drawn_at.isoformat(),
    }


@router.put(
    "/patients/{int:patient_id}/regions",
    response=RegionsOut,
    summary="Draw the measured regions of a view on its baseline photo (staff)",
    description=(
        "Boxes [x, y, w, h] in the view's baseline (first) photo's pixels. Names: front: "
        "forehead, left_cheek, right_cheek, chin, nose; obliques and profiles: that side's "
        "cheek; body views: area. The view's photos are measured again."
    ),
)
def put_regions(request: HttpRequest, patient_id: int, body: RegionsIn) -> object:
    actor = require(
        request, "photo.capture", audit_action="photo.regions_save", patient_id=patient_id
    )
    patient = patient_to_act_on(patient_id)
    view = _view(body.view)
    row = services.view_regions_save(actor=actor, patient=patient, view=view, regions=body.regions)
    return _regions_out(view, row)


@router.get(
    "/patients/{int:patient_id}/regions",
    response=RegionsOut,
    summary="The measured regions of a view (staff; source drawn or detected)",
)
def get_regions(request: HttpRequest, patient_id: int, query: Query[ViewQuery]) -> object:
    actor = request_user(request)
    view = _view(query.view)
    row = measure_selectors.view_regions_for_staff(actor=actor, patient_id=patient_id, view=view)
    return _regions_out(view, row)


@router.get(
    "/patients/{int:patient_id}/measures",
    response=SeriesOut,
    summary="A view's photo measures over time, with the MDC95 of each (staff; the patient)",
    description=(
        "mdc95 is pooled over the clinic's repeat photos (visits with more than one photo of "
        "the view); own_mdc95 is the patient's own once it rests on own_mdc_min_photos photos."
    ),
)
def get_measures(request: HttpRequest, patient_id: int, query: Query[ViewQuery]) -> object:
    actor = request_user(request)
    view = _view(query.view)
    series = measure_selectors.patient_measure_series(actor=actor, patient_id=patient_id, view=view)
    return {
        "view": view,
        "own_mdc_min_photos": measure_selectors.OWN_MDC_MIN_PHOTOS,
        "points": [point.__dict__ for point in series.points],
        "mdc": [
            {
                "region": row.region,
                "measure": row.figure,
                "experimental": row.figure in measure_selectors.EXPERIMENTAL,
                "mdc95": row.clinic.value,
                "photos": row.clinic.photos,
                "groups": row.clinic.groups,
                "own_mdc95": row.own.value if row.own else None,
                "own_photos": row.own.photos if row.own else 0,
            }
            for row in series.mdc
        ],
    }
