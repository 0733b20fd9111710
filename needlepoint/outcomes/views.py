"""Staff pages: capture a visit's photos, compare two visits, export a pair, grades over
time, the clinic report; and the authorised image view the pages' <img> tags load."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from needlepoint.accounts.permissions import role_required
from needlepoint.clinic.clock import clinic_today
from needlepoint.core.errors import InvalidInput, NotFound
from needlepoint.core.form_errors import form_errors
from needlepoint.domain.outcomes import (
    BODY_VIEWS,
    FACE_VIEWS,
    GAIS_LABELS,
    SATISFACTION_LABELS,
    VIEW_LABELS,
    VIEWS,
)
from needlepoint.patients.models import Patient
from needlepoint.patients.selectors import patient_to_act_on

from . import selectors, services
from .charts import grade_chart, report_chart, words
from .images import MAX_BYTES, compose_pair
from .wording import KIND_LABELS, concern_words, current_protocols, gais_words, grade_words


def _patient(patient_id: int) -> Patient:
    try:
        return patient_to_act_on(patient_id)
    except NotFound:
        raise Http404("No such patient.") from None


def _actor(request: HttpRequest) -> Any:
    return request.user  # role_required has let only signed-in users through


def _day(raw: str | None, default: date | None) -> date | None:
    try:
        return date.fromisoformat((raw or "").strip()[:10])
    except ValueError:
        return default


def image(request: HttpRequest, photo_id: int) -> HttpResponse:
    """The photo's bytes for a signed-in page (staff with photo.view, or the patient's own
    shared photo). One audit event per request; anything else is a 404."""
    user: Any = request.user
    if not user.is_authenticated:
        raise Http404("No such photo.")
    size = request.GET.get("size")
    try:
        photo, data = selectors.photo_for_viewing(
            actor=user, photo_id=photo_id, thumb=size == "thumb", marks=size == "marks"
        )
    except NotFound:
        raise Http404("No such photo.") from None
    response = HttpResponse(data, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    suffix = f"-{size}" if size in ("thumb", "marks") else ""
    response["Content-Disposition"] = f'inline; filename="photo-{photo.pk}{suffix}.jpg"'
    return response


def _view_cards(
    patient: Patient, day: date, baseline: date | None, views: tuple[str, ...]
) -> list[dict[str, Any]]:
    taken = selectors.visit_photos(patient, day)
    guide = selectors.visit_photos(patient, baseline) if baseline and baseline != day else {}
    return [
        {
            "view": v,
            "label": VIEW_LABELS[v],
            "photo": taken.get(v),
            "guide": guide.get(v),
        }
        for v in views
    ]


@role_required("photo.capture", audit_action="photo.upload")
def capture(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = _patient(patient_id)
    today = clinic_today()
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise InvalidInput.one("file", "is required: take or choose a photo")
            if (upload.size or 0) > MAX_BYTES:
                raise InvalidInput.one("file", "is larger than 25 MB; send a smaller photo")
            photo = services.photo_upload(
                actor=_actor(request),
                patient=patient,
                view=request.POST.get("view", ""),
                taken_on=request.POST.get("taken_on", ""),
                data=upload.read(),
                filename=upload.name or "",
                content_type=upload.content_type or "",
            )
        except InvalidInput as exc:
            errors = form_errors(exc).fields
            status = 422
        else:
            url = reverse("outcomes:capture", args=[patient.pk])
            return redirect(f"{url}?on={photo.taken_on.isoformat()}#view-{photo.view}")
    day = _day(request.POST.get("taken_on") or request.GET.get("on"), today) or today
    day = min(day, today)
    baseline = selectors.baseline_date(patient)
    missing = selectors.visit_missing_views(patient, day)
    body_taken = [v for v in BODY_VIEWS if v in selectors.visit_photos(patient, day)]
    selectors.patient_page_read(
        actor=_actor(request), patient=patient, action="photo.list", detail={"page": "capture"}
    )
    context = {
        "patient": patient,
        "day": day,
        "today": today,
        "baseline": baseline,
        "is_baseline": baseline is None or baseline == day,
        "cards": _view_cards(patient, day, baseline, FACE_VIEWS + tuple(body_taken)),
        "missing": [VIEW_LABELS[v] for v in missing],
        "body_views": [(v, VIEW_LABELS[v]) for v in BODY_VIEWS],
        "visits": selectors.visit_dates(patient),
        "errors": errors,
        "posted_view": request.POST.get("view", ""),
    }
    return render(request, "outcomes/capture.html", context, status=status)


def _comparison(patient: Patient, request: HttpRequest) -> dict[str, Any]:
    views_taken = selectors.views_photographed(patient)
    view = request.GET.get("view", "")
    if view not in VIEWS:
        view = views_taken[0] if views_taken else "front"
    days = selectors.view_dates(patient, view)
    a = _day(request.GET.get("a"), None)
    b = _day(request.GET.get("b"), None)
    a = a if a in days else (days[0] if days else None)
    b = b if b in days else (days[-1] if days else None)
    before = selectors.photo_of_view(patient, view, a) if a else None
    after = selectors.photo_of_view(patient, view, b) if b else None
    sessions = selectors.sessions_between_dates(patient, a, b) if a and b else None
    return {
        "patient": patient,
        "view": view,
        "view_label": VIEW_LABELS[view],
        "views": [(v, VIEW_LABELS[v]) for v in (views_taken or [view])],
        "days": days,
        "a": a,
        "b": b,
        "before": before,
        "after": after,
        "sessions": sessions,
        "months": round((b - a).days / 30.44, 1) if a and b else None,
        "release": selectors.photo_release_granted(patient),
    }


@role_required("photo.view", audit_action="photo.compare")
def compare(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = _patient(patient_id)
    context = _comparison(patient, request)
    selectors.patient_page_read(
        actor=_actor(request),
        patient=patient,
        action="photo.compare",
        detail={"view": context["view"]},
    )
    return render(request, "outcomes/compare.html", context)


@role_required("photo.view", audit_action="photo.export")
def export(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = _patient(patient_id)
    context = _comparison(patient, request)
    before, after = context["before"], context["after"]
    if before is None or after is None or before.pk == after.pk:
        context["refusal"] = "Choose two different visits of the same view to export."
        return render(request, "outcomes/compare.html", context, status=422)
    if not context["release"]:
        context["refusal"] = (
            "This patient has not signed a photo release, so the pair cannot be exported. "
            "Record the release signed with the consent first."
        )
        selectors.patient_page_read(
            actor=_actor(request),
            patient=patient,
            action="photo.export",
            outcome="denied",
            detail={"reason": "no_photo_release"},
        )
        return render(request, "outcomes/compare.html", context, status=409)
    sessions = context["sessions"]
    caption = (
        f"{context['view_label']} · {sessions.count} sessions between · {context['months']} months"
    )
    data = compose_pair(
        services.photo_bytes(before),
        services.photo_bytes(after),
        before_label=f"Before · {before.taken_on.isoformat()}",
        after_label=f"After · {after.taken_on.isoformat()}",
        caption=caption,
    )
    selectors.photo_pair_exported(
        actor=_actor(request), patient=patient, photos=(before, after), view=context["view"]
    )
    response = HttpResponse(data, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    name = f"comparison-{patient.pk}-{context['view']}-{before.taken_on}-{after.taken_on}.jpg"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@role_required("assessment.read", audit_action="assessment.read")
def progress(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = _patient(patient_id)
    series = selectors.grade_series(patient)
    session_days, note = selectors.treatment_session_days(patient)
    today = clinic_today()
    table = current_protocols()
    charts = [
        {
            "chart": replace(
                grade_chart(concern, points, session_days, today=today),
                label=concern_words(concern, table),
            ),
            "points": [
                {
                    **vars(p),
                    "kind_label": KIND_LABELS.get(p.kind, words(p.kind)),
                    "grade_label": grade_words(concern, p.grade, table),
                    "gais_label": gais_words(p.gais),
                }
                for p in points
            ],
        }
        for concern, points in series.items()
    ]
    ratings = selectors.patient_ratings(patient)
    selectors.patient_page_read(
        actor=_actor(request),
        patient=patient,
        action="assessment.read",
        detail={"page": "progress"},
    )
    return render(
        request,
        "outcomes/progress.html",
        {
            "patient": patient,
            "charts": charts,
            "session_days": sorted(session_days),
            "sessions_note": note,
            "ratings": [
                {
                    "r": r,
                    "improvement": GAIS_LABELS[r.improvement],
                    "satisfaction": SATISFACTION_LABELS[r.satisfaction],
                }
                for r in ratings
            ],
            "gais_labels": GAIS_LABELS,
            "may_record": _actor(request).may("assessment.record"),
        },
    )


@role_required("outcome.report")
def report(request: HttpRequest) -> HttpResponse:
    concerns = selectors.clinic_report(actor=_actor(request))
    return render(
        request,
        "outcomes/report.html",
        {"reports": [{"report": r, "chart": report_chart(r)} for r in concerns]},
    )
