"""Reads of outcome data. Object-level rules live here; every read of patient data that
returns something writes one audit event (each photo view too), refusals are audited as
denied and answer ``NotFound`` (no leaking of what exists).

Public for other apps: ``photo_release_granted``, ``baseline_photos_complete``,
``baseline_date``, ``visit_missing_views``, ``sessions_between_dates``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from needlepoint.accounts.models import User
from needlepoint.audit.services import Target, record, record_denied, record_many
from needlepoint.clinic.access import reach, within_reach
from needlepoint.clinic.clock import local_date
from needlepoint.core.errors import NotFound
from needlepoint.domain.outcomes import (
    FACE_VIEWS,
    VIEWS,
    ConcernReport,
    GradePoint,
    PatientCourse,
    baseline_and_latest,
    improvement_report,
    missing_views,
    sessions_between,
)
from needlepoint.patients.models import Patient
from needlepoint.scheduling.models import Appointment

from .models import Assessment, PatientRating, Photo, PhotoMeasure, PhotoRelease
from .services import photo_bytes, stored_file_bytes

# --- photo release ------------------------------------------------------------------------


def photo_release_latest(patient: Patient | int) -> PhotoRelease | None:
    patient_id = patient if isinstance(patient, int) else patient.pk
    return PhotoRelease.objects.filter(patient_id=patient_id).order_by("-signed_at", "-id").first()


def photo_release_granted(patient: Patient | int) -> bool:
    """Whether the patient's latest signed photo release grants use of their photos."""
    latest = photo_release_latest(patient)
    return bool(latest and latest.granted)


def photo_release_status(*, actor: User | None, patient: Patient) -> PhotoRelease | None:
    """The latest release, read by staff (audited)."""
    latest = photo_release_latest(patient)
    record(
        actor=actor,
        action="photo_release.read",
        object_type="patient",
        object_id=patient.pk,
        patient_id=patient.pk,
    )
    return latest


# --- who may see which photos -------------------------------------------------------------


def _deny(
    actor: User | None, action: str, object_type: str, object_id: object, patient_id: object
) -> NotFound:
    record_denied(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        patient_id=patient_id,
        reason="object",
    )
    return NotFound("no such photo" if object_type == "photo" else "no such patient")


def _own_patient_id(actor: User) -> int | None:
    return Patient.objects.filter(user=actor).values_list("pk", flat=True).first()


def may_see_photo(actor: User, photo: Photo) -> bool:
    if actor.may("photo.view"):
        return True
    return (
        actor.may("photo.view_own")
        and photo.shared_with_patient
        and photo.patient_id == _own_patient_id(actor)
    )


def photo_for_viewing(
    *, actor: User | None, photo_id: int, thumb: bool = False, marks: bool = False
) -> tuple[Photo, bytes]:
    """The photo and its bytes for someone allowed to see it; one audit event per view. With
    `marks`, the picture of what its measures counted (NotFound until the worker drew it)."""
    photo = Photo.objects.filter(pk=photo_id).first()
    if actor is None or photo is None or not may_see_photo(actor, photo):
        raise _deny(actor, "photo.view", "photo", photo_id, photo.patient_id if photo else "")
    if marks:
        name = PhotoMeasure.objects.filter(photo=photo).values_list("marks_name", flat=True).first()
        if not name:
            raise NotFound("this photo's measures have no picture yet")
        data = stored_file_bytes(name)
    else:
        data = photo_bytes(photo, thumb=thumb)
    record(
        actor=actor,
        action="photo.view",
        object_type="photo",
        object_id=photo.pk,
        patient_id=photo.patient_id,
        detail={"size": "marks" if marks else "thumb" if thumb else "full", "view": photo.view},
    )
    return photo, data


def photo_measures_for_viewing(*, actor: User | None, photo_id: int) -> PhotoMeasure | None:
    """A photo's measures (None: not queued yet) for whoever may see the photo; audited."""
    photo = Photo.objects.filter(pk=photo_id).first()
    if actor is None or photo is None or not may_see_photo(actor, photo):
        raise _deny(
            actor, "photo.measures_view", "photo", photo_id, photo.patient_id if photo else ""
        )
    measure = PhotoMeasure.objects.filter(photo=photo).prefetch_related("regions").first()
    record(
        actor=actor,
        action="photo.measures_view",
        object_type="photo",
        object_id=photo.pk,
        patient_id=photo.patient_id,
    )
    return measure


@dataclass(frozen=True)
class PhotoPage:
    items: list[Photo]
    count: int


def patient_photos(
    *, actor: User | None, patient_id: int, limit: int = 50, offset: int = 0
) -> PhotoPage:
    """Staff with photo.view: every photo; the patient: their own shared photos; else 404."""
    patient = Patient.objects.filter(pk=patient_id).first()
    if actor is None or patient is None:
        raise _deny(actor, "photo.list", "patient", patient_id, patient_id if patient else "")
    if actor.may("photo.view"):
        photos = Photo.objects.filter(patient=patient)
    elif actor.may("photo.view_own") and patient.user_id == actor.pk:
        photos = Photo.objects.filter(patient=patient, shared_with_patient=True)
    else:
        raise _deny(actor, "photo.list", "patient", patient_id, patient_id)
    photos = photos.order_by("-taken_on", "view", "-id")
    count = photos.count()
    items = list(photos[offset : offset + limit])
    record(
        actor=actor,
        action="photo.list",
        object_type="patient",
        object_id=patient.pk,
        patient_id=patient.pk,
    )
    return PhotoPage(items=items, count=count)


def photo_for_staff(*, actor: User, photo_id: int) -> Photo:
    """Photo metadata for a staff member with photo.view (no bytes, no audit: the caller
    audits its own action)."""
    photo = Photo.objects.filter(pk=photo_id).select_related("patient").first()
    if photo is None or not actor.may("photo.view"):
        raise _deny(actor, "photo.read", "photo", photo_id, photo.patient_id if photo else "")
    return photo


# --- visits ----------------------------------------------------------------------------


def visit_dates(patient: Patient | int) -> list[date]:
    """Dates with photos (each is a visit: docs/decisions/0148-visit-key.md), oldest first."""
    patient_id = patient if isinstance(patient, int) else patient.pk
    return sorted(
        set(Photo.objects.filter(patient_id=patient_id).values_list("taken_on", flat=True))
    )


def visit_photos(patient: Patient | int, day: date) -> dict[str, Photo]:
    """The current photo of each view taken on ``day`` (a retake replaces the earlier one)."""
    patient_id = patient if isinstance(patient, int) else patient.pk
    latest: dict[str, Photo] = {}
    for photo in Photo.objects.filter(patient_id=patient_id, taken_on=day).order_by("id"):
        latest[photo.view] = photo
    return latest


def views_photographed(patient: Patient | int) -> list[str]:
    """The standard views the patient has at least one photo of, in standard order."""
    patient_id = patient if isinstance(patient, int) else patient.pk
    have = set(Photo.objects.filter(patient_id=patient_id).values_list("view", flat=True))
    return [v for v in VIEWS if v in have]


def view_dates(patient: Patient | int, view: str) -> list[date]:
    patient_id = patient if isinstance(patient, int) else patient.pk
    rows = Photo.objects.filter(patient_id=patient_id, view=view).values_list("taken_on", flat=True)
    return sorted(set(rows))


def baseline_date(patient: Patient | int) -> date | None:
    """The baseline visit: the first day the patient was photographed."""
    days = visit_dates(patient)
    return days[0] if days else None


def visit_missing_views(
    patient: Patient | int, day: date, required: Sequence[str] = FACE_VIEWS
) -> tuple[str, ...]:
    return missing_views(required, visit_photos(patient, day))


def baseline_photos_complete(patient: Patient | int, required: Sequence[str] = FACE_VIEWS) -> bool:
    """Whether the baseline visit has every required standard view (the five face views by
    default; pass ``required_views(face=False, body_areas=[...])`` for stretch marks)."""
    day = baseline_date(patient)
    return day is not None and not visit_missing_views(patient, day, required)


def photo_of_view(patient: Patient | int, view: str, day: date) -> Photo | None:
    return visit_photos(patient, day).get(view)


# --- sessions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionCount:
    count: int
    note: str = ""


def _session_days_by_patient(patient_ids: list[int]) -> tuple[dict[int, list[date]], str]:
    """Days of completed treatment appointments (local clinic dates) per patient, in one
    query."""
    rows = Appointment.objects.filter(
        patient_id__in=patient_ids, status="completed", service__is_treatment=True
    ).select_related("location")
    days: dict[int, list[date]] = {}
    for a in rows:
        days.setdefault(a.patient_id, []).append(local_date(a.location, a.start))
    return days, ""


def treatment_session_days(patient: Patient | int) -> tuple[list[date], str]:
    """Days of the patient's completed treatment appointments, and a note when unknown."""
    patient_id = patient if isinstance(patient, int) else patient.pk
    days, note = _session_days_by_patient([patient_id])
    return days.get(patient_id, []), note


def sessions_between_dates(patient: Patient | int, start: date, end: date) -> SessionCount:
    days, note = treatment_session_days(patient)
    return SessionCount(count=sessions_between(days, start, end), note=note)


# --- grades -----------------------------------------------------------------------------


def grade_series(patient: Patient | int) -> dict[str, list[GradePoint]]:
    """Each concern's grades over time (oldest first). No audit: callers audit their read."""
    patient_id = patient if isinstance(patient, int) else patient.pk
    series: dict[str, list[GradePoint]] = {}
    for a in Assessment.objects.filter(patient_id=patient_id).order_by("assessed_on", "id"):
        series.setdefault(a.concern, []).append(GradePoint(a.assessed_on, a.grade, a.kind, a.gais))
    return series


def patient_assessments(
    *, actor: User, patient_id: int, limit: int = 50, offset: int = 0
) -> tuple[list[Assessment], int]:
    patient = Patient.objects.filter(pk=patient_id).first()
    if patient is None or not actor.may("assessment.read"):
        raise _deny(actor, "assessment.read", "patient", patient_id, patient_id if patient else "")
    rows = Assessment.objects.filter(patient=patient).order_by("assessed_on", "id")
    record(
        actor=actor,
        action="assessment.read",
        object_type="patient",
        object_id=patient.pk,
        patient_id=patient.pk,
    )
    return list(rows[offset : offset + limit]), rows.count()


def patient_ratings(patient: Patient | int) -> list[PatientRating]:
    patient_id = patient if isinstance(patient, int) else patient.pk
    return list(PatientRating.objects.filter(patient_id=patient_id).order_by("rated_on", "id"))


def courses(patient_ids: Iterable[int] | None = None) -> list[PatientCourse]:
    """One course per patient and concern: baseline grade, latest grade, sessions between."""
    rows = Assessment.objects.order_by("patient_id", "assessed_on", "id")
    if patient_ids is not None:
        rows = rows.filter(patient_id__in=list(patient_ids))
    points: dict[tuple[int, str], list[GradePoint]] = {}
    for a in rows:
        points.setdefault((a.patient_id, a.concern), []).append(
            GradePoint(a.assessed_on, a.grade, a.kind, a.gais)
        )
    session_days, _note = _session_days_by_patient(sorted({pid for pid, _c in points}))
    result = []
    for (patient_id, concern), series in points.items():
        base, latest = baseline_and_latest(series)
        if base is None or latest is None:
            continue
        result.append(
            PatientCourse(
                patient_id=patient_id,
                concern=concern,
                baseline=base.grade,
                latest=latest.grade,
                sessions=sessions_between(session_days.get(patient_id, []), base.on, latest.on),
                gais=latest.gais,
            )
        )
    return result


def clinic_report(*, actor: User) -> tuple[ConcernReport, ...]:
    """Aggregates only (no patient is identifiable): one audit event for the report. Staff
    bound to locations see the patients treated at them; the group's figures are for
    group-wide users (decision 0700)."""
    treated_here = None
    if reach(actor) is not None:
        appointments = within_reach(Appointment.objects.all(), actor)
        treated_here = set(appointments.values_list("patient_id", flat=True).distinct())
    report = improvement_report(courses(treated_here))
    record(actor=actor, action="outcome.report", object_type="report", object_id="outcomes")
    return report


def photo_to_act_on(photo_id: int) -> Photo:
    """The photo a URL names, before a service changes it (404 when none)."""
    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is None:
        raise NotFound("no such photo")
    return photo


def patient_page_read(
    *,
    actor: User,
    patient: Patient,
    action: str,
    detail: dict[str, object],
    outcome: str = "allowed",
) -> None:
    """Audit one staff page's read of a patient's photos or grades (the page has read them
    through the selectors above; this records that a person saw them, or was refused)."""
    record(
        actor=actor,
        action=action,
        object_type="patient",
        object_id=patient.pk,
        patient_id=patient.pk,
        outcome=outcome,
        detail=detail,
    )


def photo_pair_exported(
    *, actor: User, patient: Patient, photos: Sequence[Photo], view: str
) -> None:
    """Audit the export of a before/after pair: one read of each photo."""
    record_many(
        actor=actor,
        action="photo.export",
        targets=[Target("photo", str(p.pk), str(patient.pk)) for p in photos],
        detail={"view": view},
    )
