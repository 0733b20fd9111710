"""Staff page: a patient's photo measures over time for one view (issue #14)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from needlepoint.accounts.permissions import role_required
from needlepoint.core.errors import NotFound
from needlepoint.domain.outcomes import VIEW_LABELS, VIEWS
from needlepoint.patients.selectors import patient_to_act_on

from . import measure_selectors, selectors
from .measure_charts import STATUS_WORDS, measure_charts
from .models import Photo
from .wording import on_day


def measures_context(series: measure_selectors.Series, session_days: Any) -> dict[str, Any]:
    """What `_measure_charts.html` needs (the staff page and the portal's progress page)."""
    return {
        "measure_charts": measure_charts(series, session_days),
        "measure_photos": [
            {"day": on_day(p.taken_on), "words": photo_status_words(p.status, p.reason)}
            for p in series.points
        ],
    }


def _picture(point: measure_selectors.SeriesPoint) -> dict[str, Any]:
    spots = sum(int(f.get("spot_count") or 0) for f in point.regions.values())
    return {
        "photo_id": point.photo_id,
        "day": on_day(point.taken_on),
        "has_marks": point.has_marks,
        "spots": f"{spots} spot{'' if spots == 1 else 's'} counted" if point.regions else "",
        "missing": _no_picture_words(point),
    }


def _no_picture_words(point: measure_selectors.SeriesPoint) -> str:
    if point.status == "done":
        return "No picture of what was counted yet: it is drawn when the photo is next measured."
    if point.status == "not_measured":
        return f"No picture: {photo_status_words(point.status, point.reason)}."
    return "No picture yet: measuring…"


def marks_pictures(series: measure_selectors.Series, chosen: str | None) -> dict[str, Any] | None:
    """The baseline's picture of what was counted, beside a later photo's (the chosen one,
    else the latest)."""
    if not series.points:
        return None
    later = series.points[1:]
    pick = next((p for p in later if str(p.photo_id) == chosen), later[-1] if later else None)
    return {
        "baseline": _picture(series.points[0]),
        "later": _picture(pick) if pick else None,
        "choices": [(p.photo_id, on_day(p.taken_on)) for p in later],
        "chosen": pick.photo_id if pick else None,
    }


def photo_status_words(status: str, reason: str) -> str:
    said = STATUS_WORDS.get(status, "measuring…")
    if status == "not_measured" and reason:
        return f"{said}: {reason}"
    return said


@role_required("photo.view", audit_action="patient.measures_view")
def photo_measures(request: HttpRequest, patient_id: int) -> HttpResponse:
    views_taken = [
        v
        for v in VIEWS
        if v in set(Photo.objects.filter(patient_id=patient_id).values_list("view", flat=True))
    ]
    view = request.GET.get("view") or (views_taken[0] if views_taken else "front")
    if view not in VIEWS:
        view = "front"
    try:
        series = measure_selectors.patient_measure_series(
            actor=request.user,  # type: ignore[arg-type]  # signed in: role_required
            patient_id=patient_id,
            view=view,
        )
    except NotFound:
        raise Http404("No such patient.") from None
    patient = patient_to_act_on(patient_id)
    session_days, _ = selectors.treatment_session_days(patient)
    return render(
        request,
        "outcomes/photo_measures.html",
        {
            "patient": patient,
            "view": view,
            "view_label": VIEW_LABELS[view],
            "view_choices": [(v, VIEW_LABELS[v]) for v in views_taken],
            "pictures": marks_pictures(series, request.GET.get("photo")),
            **measures_context(series, session_days),
        },
    )


def portal_photo_measures(
    *, actor: Any, patient: Any, chosen: str | None = None
) -> list[dict[str, Any]]:
    """The portal's progress page: per view with photos the clinic shared, its measures and the
    baseline's picture of what was counted beside a later one (`chosen`, else the latest). The
    patient sees only those photos; audited by the series read and by each picture's view."""
    if not actor.may("photo.view_own"):
        return []
    shared = set(
        Photo.objects.filter(patient=patient, shared_with_patient=True).values_list(
            "view", flat=True
        )
    )
    session_days, _ = selectors.treatment_session_days(patient)
    sections = []
    for view in (v for v in VIEWS if v in shared):
        series = measure_selectors.patient_measure_series(
            actor=actor, patient_id=patient.pk, view=view
        )
        sections.append(
            {
                "view": view,
                "label": VIEW_LABELS[view],
                "pictures": marks_pictures(series, chosen),
                **measures_context(series, session_days),
            }
        )
    return sections
