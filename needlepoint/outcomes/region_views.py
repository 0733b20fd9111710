"""Staff page: draw (or adjust) the measured regions of a view on its baseline photo.

Plain number inputs over a preview with the boxes drawn in SVG: it works without script
(the CSP forbids inline script, and no dragging is needed to enter four numbers)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from needlepoint.accounts.permissions import role_required
from needlepoint.core.errors import InvalidInput, NotFound
from needlepoint.core.form_errors import form_errors
from needlepoint.domain.outcomes import VIEW_LABELS, VIEWS
from needlepoint.domain.photo_measures.regions import region_names
from needlepoint.patients.selectors import patient_to_act_on

from . import measure_selectors, services
from .charts import words
from .models import Photo

_SIDES = ("x", "y", "w", "h")
_SIDE_WORDS = {"x": "From left", "y": "From top", "w": "Width", "h": "Height"}


def _posted_regions(post: Any, names: tuple[str, ...]) -> list[dict[str, Any]]:
    """The rows filled in (a row left empty is not drawn); unreadable numbers go through
    as text so the service names the field."""
    regions = []
    for name in names:
        raw = [post.get(f"{name}_{side}", "").strip() for side in _SIDES]
        if not any(raw):
            continue
        box = [int(v) if v.lstrip("-").isdigit() else v for v in raw]
        regions.append({"name": name, "box": box})
    return regions


@role_required("photo.capture", audit_action="photo.regions_save")
def draw_regions(request: HttpRequest, patient_id: int) -> HttpResponse:
    try:
        patient = patient_to_act_on(patient_id)
    except NotFound:
        raise Http404("No such patient.") from None
    view = request.GET.get("view") or request.POST.get("view") or "front"
    if view not in VIEWS:
        raise Http404("No such view.")
    names = region_names(view)
    baseline = Photo.objects.filter(patient=patient, view=view).order_by("taken_on", "id").first()
    errors: dict[str, str] = {}
    summary = ""
    status = 200
    if request.method == "POST":
        regions = _posted_regions(request.POST, names)
        try:
            services.view_regions_save(
                actor=request.user,  # type: ignore[arg-type]  # signed in: role_required
                patient=patient,
                view=view,
                regions=regions,
            )
        except InvalidInput as exc:
            shown = form_errors(exc, rename=lambda f: _field_for(f, regions))
            errors, summary, status = shown.fields, shown.summary, 422
        else:
            url = reverse("outcomes:photo_measures", args=[patient.pk])
            return redirect(f"{url}?view={view}")
    stored = measure_selectors.view_regions_for_staff(
        actor=request.user,  # type: ignore[arg-type]
        patient_id=patient.pk,
        view=view,
    )
    boxes = {r["name"]: r["box"] for r in (stored.regions if stored else [])}
    rows = []
    for name in names:
        values = [
            request.POST.get(f"{name}_{side}", "") if request.method == "POST" else ""
            for side in _SIDES
        ]
        if request.method != "POST" and name in boxes:
            values = [str(v) for v in boxes[name]]
        rows.append(
            {
                "name": name,
                "label": words(name),
                "inputs": [
                    {"id": f"{name}_{side}", "label": _SIDE_WORDS[side], "value": value}
                    for side, value in zip(_SIDES, values, strict=True)
                ],
                "box": boxes.get(name),
                "error": errors.get(name, ""),
            }
        )
    return render(
        request,
        "outcomes/draw_regions.html",
        {
            "patient": patient,
            "view": view,
            "view_label": VIEW_LABELS[view],
            "baseline": baseline,
            "rows": rows,
            "source_words": stored.get_source_display() if stored else "",
            "summary": summary or errors.get("", "") or errors.get("regions", ""),
            "view_error": errors.get("view", ""),
        },
        status=status,
    )


def _field_for(field: str, regions: list[dict[str, Any]]) -> str:
    """``regions[1].box`` -> the name of the row it came from, where the page shows it."""
    if field.startswith("regions[") and "]" in field:
        index = int(field[len("regions[") : field.index("]")])
        if index < len(regions):
            return str(regions[index]["name"])
    return field
