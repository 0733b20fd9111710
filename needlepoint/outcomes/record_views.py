"""Staff pages that record outcome data: a visit's grades and GAIS, the patient's photo
release (signed or withdrawn), and sharing a before/after comparison with the patient.

Each page keeps what was typed when a service refuses it, and shows the refusal beside the
field it names (needlepoint.core.form_errors); values are shown in words, never codes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from needlepoint.accounts.permissions import role_required
from needlepoint.clinic.clock import clinic_today
from needlepoint.core.confirm import is_confirmed
from needlepoint.core.errors import Conflict, InvalidInput, NotFound
from needlepoint.core.form_errors import FormErrors, form_errors
from needlepoint.domain.outcomes import ASSESSMENT_KINDS, VIEW_LABELS, VIEWS
from needlepoint.patients.models import Patient
from needlepoint.patients.selectors import patient_to_act_on

from . import selectors, services, wording

NOT_SEEN = ""
UNGRADED = "present"


def _patient(patient_id: int) -> Patient:
    try:
        return patient_to_act_on(patient_id)
    except NotFound:
        raise Http404("No such patient.") from None


def _sentence(label: str, message: str) -> str:
    """ "Visit date" + "cannot be in the future" -> "Visit date cannot be in the future." """
    text = f"{label} {message}".strip()
    return text if text.endswith(".") else f"{text}."


# --- grades and GAIS ----------------------------------------------------------------------


def _grade_rows(
    scales: list[wording.ConcernScale], values: dict[str, str], errors: dict[str, str]
) -> list[dict[str, Any]]:
    rows = []
    for scale in scales:
        options = list(scale.grades) or [(UNGRADED, "Seen (this concern is not graded)")]
        rows.append(
            {
                "name": scale.name,
                "label": scale.label,
                "scale": scale.scale,
                "options": options,
                "grade": values.get(f"grade_{scale.name}", NOT_SEEN),
                "gais": values.get(f"gais_{scale.name}", ""),
                "mmasi": values.get(f"mmasi_{scale.name}", ""),
                "has_mmasi": scale.name == "uneven_skin_tone",
                "grade_error": errors.get(f"grade_{scale.name}", ""),
                "gais_error": errors.get(f"gais_{scale.name}", ""),
                "mmasi_error": errors.get(f"mmasi_{scale.name}", ""),
            }
        )
    return rows


def _posted_grades(
    scales: list[wording.ConcernScale], post: Any
) -> tuple[list[services.ConcernGrade], dict[str, str]]:
    """The concerns graded on the form, and problems the page finds before the service."""
    graded: list[services.ConcernGrade] = []
    problems: dict[str, str] = {}
    for scale in scales:
        grade = post.get(f"grade_{scale.name}", NOT_SEEN).strip()
        gais_raw = post.get(f"gais_{scale.name}", "").strip()
        mmasi = post.get(f"mmasi_{scale.name}", "").strip() or None
        if grade == NOT_SEEN:
            if gais_raw or mmasi:
                problems[f"grade_{scale.name}"] = (
                    f"Choose the {scale.label.lower()} grade too, or clear the GAIS."
                    if scale.grades
                    else f"Mark {scale.label.lower()} as seen at this visit, or clear the GAIS."
                )
            continue
        gais: int | None = None
        if gais_raw:
            gais = int(gais_raw) if gais_raw in ("1", "2", "3", "4", "5") else 0
        graded.append(
            services.ConcernGrade(
                concern=scale.name,
                grade=None if grade == UNGRADED else grade,
                gais=gais,
                mmasi=mmasi,
            )
        )
    return graded, problems


GRADE_FIELD_WORDS = {"grade": "Grade", "gais": "GAIS", "mmasi": "mMASI score"}


def _grade_errors(exc: InvalidInput | Conflict) -> FormErrors:
    shown = form_errors(exc)
    fields: dict[str, str] = {}
    for name, message in shown.fields.items():
        if name == "kind":
            fields[name] = "Choose the kind of visit."
        elif name == "assessed_on":
            fields[name] = _sentence("The visit date", message.replace("YYYY-MM-DD", "a date"))
        elif name == "concerns":
            fields[name] = "Grade at least one concern seen at this visit."
        elif name.startswith("grade_"):
            fields[name] = "Choose one of the grades listed."
        else:
            prefix = name.split("_", 1)[0]
            fields[name] = _sentence(GRADE_FIELD_WORDS.get(prefix, "This value"), message)
    shown.fields = fields
    return shown


def _latest_grades(patient: Patient, table: Any) -> dict[str, str]:
    """Each concern's last grade in words, as a reminder beside the form."""
    latest: dict[str, str] = {}
    for concern, points in selectors.grade_series(patient).items():
        point = points[-1]
        grade = wording.grade_words(concern, point.grade, table)
        latest[concern] = f"Last: {grade} on {wording.on_day(point.on)}"
    return latest


@role_required("assessment.record", audit_action="assessment.record")
@require_http_methods(["GET", "POST"])
def grades_new(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = _patient(patient_id)
    user: Any = request.user
    today = clinic_today()
    table = wording.current_protocols()
    scales = wording.concern_scales(table)
    values: dict[str, str] = {}
    shown = FormErrors()
    if request.method == "POST":
        values = {k: str(v)[:40] for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
        graded, page_problems = _posted_grades(scales, request.POST)
        try:
            if page_problems:
                raise InvalidInput([])  # the page's own problems, shown below
            recorded = services.visit_grades_record(
                actor=user,
                patient=patient,
                kind=values.get("kind", ""),
                assessed_on=values.get("assessed_on", ""),
                grades=graded,
            )
        except InvalidInput as exc:
            shown = _grade_errors(exc)
            shown.fields = {**page_problems, **shown.fields}
        else:
            names = ", ".join(wording.concern_words(a.concern, table) for a in recorded)
            day = wording.on_day(recorded[0].assessed_on)
            messages.success(request, f"Grades recorded for {day}: {names}.")
            return redirect("outcomes:progress", patient_id=patient.pk)
    else:
        has_grades = bool(selectors.grade_series(patient))
        values = {"assessed_on": today.isoformat(), "kind": "" if has_grades else "baseline"}
        if request.GET.get("on"):
            values["assessed_on"] = request.GET["on"][:10]
    selectors.patient_page_read(
        actor=user, patient=patient, action="assessment.read", detail={"page": "grades_new"}
    )
    context = {
        "patient": patient,
        "today": today,
        "values": values,
        "errors": shown.fields,
        "summary": shown.summary,
        "kinds": [(k, wording.KIND_LABELS[k]) for k in ASSESSMENT_KINDS],
        "gais_choices": wording.gais_choices(),
        "rows": _grade_rows(scales, values, shown.fields),
        "latest": _latest_grades(patient, table),
    }
    status = 422 if shown else 200
    return render(request, "outcomes/grades_new.html", context, status=status)


# --- photo release --------------------------------------------------------------------------

RELEASE_FIELDS = ("granted", "source")


@role_required("photo_release.record", audit_action="photo_release.record")
@require_http_methods(["GET", "POST"])
def photo_release(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = _patient(patient_id)
    user: Any = request.user
    values: dict[str, str] = {}
    shown = FormErrors()
    if request.method == "POST":
        values = {
            "granted": request.POST.get("granted", ""),
            "source": request.POST.get("source", "")[:300],
        }
        try:
            if values["granted"] not in ("yes", "no"):
                raise InvalidInput.one(
                    "granted", "choose whether the release is signed or withdrawn"
                )
            release = services.photo_release_record(
                actor=user,
                patient=patient,
                granted=values["granted"] == "yes",
                source=values["source"],
            )
        except InvalidInput as exc:
            shown = form_errors(exc, fields=RELEASE_FIELDS)
            shown.fields = {
                name: (
                    "Choose whether the patient signed or withdrew the release."
                    if name == "granted"
                    else "Say where the release was signed, or how it was withdrawn."
                    if message.startswith("is required")
                    else _sentence("Where it was signed", message)
                )
                for name, message in shown.fields.items()
            }
        else:
            done = "signed" if release.granted else "withdrawn"
            messages.success(request, f"Photo release {done}: recorded for {patient.full_name}.")
            return redirect("outcomes:photo_release", patient_id=patient.pk)
    latest = selectors.photo_release_status(actor=user, patient=patient)
    context = {
        "patient": patient,
        "latest": latest,
        "latest_when": wording.at_moment(latest.signed_at) if latest else "",
        "latest_by": latest.signed_by.display_name if latest and latest.signed_by else "",
        "values": values,
        "errors": shown.fields,
        "summary": shown.summary,
        "may_view_photos": user.may("photo.view"),
    }
    return render(request, "outcomes/photo_release.html", context, status=422 if shown else 200)


# --- share a comparison -----------------------------------------------------------------


def _day(raw: str | None) -> date | None:
    try:
        return date.fromisoformat((raw or "").strip()[:10])
    except ValueError:
        return None


def _pair(patient: Patient, params: Any) -> tuple[str, Any, Any]:
    view = params.get("view", "")
    if view not in VIEWS:
        raise Http404("No such view.")
    a, b = _day(params.get("a")), _day(params.get("b"))
    before = selectors.photo_of_view(patient, view, a) if a else None
    after = selectors.photo_of_view(patient, view, b) if b else None
    if before is None or after is None or before.pk == after.pk:
        raise Http404("No such pair of photos.")
    return view, before, after


@role_required("photo.share", audit_action="photo.share")
@require_http_methods(["GET", "POST"])
def share_comparison(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = _patient(patient_id)
    user: Any = request.user
    params = request.POST if request.method == "POST" else request.GET
    view, before, after = _pair(patient, params)
    stop = params.get("shared") == "no" or params.get("stop") == "1"
    query = f"?view={view}&a={before.taken_on.isoformat()}&b={after.taken_on.isoformat()}"
    # Stopping is the destructive way: only this page's "Yes" does it (decision 0504).
    if request.method == "POST" and (not stop or is_confirmed(request)):
        services.comparison_share_set(
            actor=user, patient=patient, photos=[before, after], shared=not stop
        )
        if stop:
            messages.success(request, "The comparison is no longer shared with the patient.")
        else:
            messages.success(
                request, f"Shared with {patient.full_name}: they see it under My photos."
            )
        return redirect(reverse("outcomes:compare", args=[patient.pk]) + query)
    selectors.patient_page_read(
        actor=user, patient=patient, action="photo.compare", detail={"page": "share", "view": view}
    )
    sessions = selectors.sessions_between_dates(patient, before.taken_on, after.taken_on)
    context = {
        "patient": patient,
        "view": view,
        "view_label": VIEW_LABELS[view],
        "before": before,
        "after": after,
        "before_day": wording.on_day(before.taken_on),
        "after_day": wording.on_day(after.taken_on),
        "sessions": sessions.count,
        "stop": stop,
        "has_portal": patient.user_id is not None,
        "back": reverse("outcomes:compare", args=[patient.pk]) + query,
        "already": before.shared_with_patient and after.shared_with_patient,
    }
    return render(request, "outcomes/share_comparison.html", context)
