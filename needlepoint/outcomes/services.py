"""Writes of outcome data. Each service owns its transaction and writes its audit event.

Public for other apps: ``photo_release_record`` (the consent engineer calls it when the
consent with photo release is signed), ``photo_upload`` (the demo and the pages),
``photo_storage``, ``photo_bytes``, ``photo_files_delete`` and ``photo_delete`` (backup,
export and erasure reach photo files only through these),
``assessment_record``, ``visit_grades_record``, ``rating_submit``, ``photo_share_set``,
``comparison_share_set``, ``photo_measure_run`` and ``view_regions_save``.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from needlepoint.accounts.models import User
from needlepoint.audit.services import record
from needlepoint.clinic.clock import clinic_today
from needlepoint.core.errors import InvalidInput, Problems
from needlepoint.core.file_store import photo_storage
from needlepoint.domain.outcomes import (
    ASSESSMENT_KINDS,
    MMASI_RANGE,
    VIEWS,
    UnknownValue,
    check_grade,
)
from needlepoint.patients.models import Patient

from . import tasks
from .images import process_photo

# Measuring and regions live beside (this file would pass 450 lines); they are services too.
from .measure_services import photo_measure_run as photo_measure_run
from .measure_services import view_regions_save as view_regions_save
from .models import (
    Assessment,
    PatientRating,
    Photo,
    PhotoMeasure,
    PhotoRelease,
)

PHOTO_DIR = "photos"


def _storage() -> Any:
    return photo_storage()


def parse_day(problems: Problems, field: str, raw: object, *, today: date) -> date | None:
    """A calendar date that is not in the future, or a problem on ``field``."""
    if isinstance(raw, datetime):
        raw = raw.date()
    if isinstance(raw, date):
        day = raw
    else:
        try:
            day = date.fromisoformat(str(raw or "").strip())
        except ValueError:
            problems.add(field, "must be a date as YYYY-MM-DD")
            return None
    if day > today:
        problems.add(field, "cannot be in the future")
        return None
    return day


def _random_name(suffix: str) -> str:
    return f"{PHOTO_DIR}/{secrets.token_hex(16)}{suffix}"


def photo_upload(
    *,
    actor: User | None,
    patient: Patient,
    view: str,
    taken_on: object,
    data: bytes,
    filename: str = "",
    content_type: str = "",
    shared_with_patient: bool = False,
    today: date | None = None,
    card_hint: dict[str, Any] | None = None,
) -> Photo:
    """Check the fields and the image, store it under a random private name, audit."""
    problems = Problems()
    if view not in VIEWS:
        problems.add("view", f"must be one of {', '.join(VIEWS)}")
    day = parse_day(problems, "taken_on", taken_on, today=today or clinic_today())
    processed = None
    try:
        processed = process_photo(data, filename=filename, content_type=content_type)
    except InvalidInput as exc:
        problems.items.extend(exc.problems)
    problems.raise_if_any()
    assert processed is not None and day is not None
    storage = _storage()
    file_name = storage.save(_random_name(".jpg"), ContentFile(processed.image))
    thumb_name = storage.save(_random_name(".thumb.jpg"), ContentFile(processed.thumbnail))
    try:
        with transaction.atomic():
            photo = Photo.objects.create(
                patient=patient,
                view=view,
                taken_on=day,
                file_name=file_name,
                thumb_name=thumb_name,
                width=processed.width,
                height=processed.height,
                byte_size=len(processed.image),
                sha256=hashlib.sha256(processed.image).hexdigest(),
                source_format=processed.source_format,
                shared_with_patient=shared_with_patient,
                uploaded_by=actor,
            )
            # Measured later by the worker (issue #14); the hint is the capture page's.
            PhotoMeasure.objects.create(photo=photo, card_hint=card_hint)
            photo_id = photo.pk
            transaction.on_commit(lambda: tasks.measure_photo.enqueue(photo_id))
            record(
                actor=actor,
                action="photo.upload",
                object_type="photo",
                object_id=photo.pk,
                patient_id=patient.pk,
                detail={"view": view},
            )
    except BaseException:
        # No row, no file: a failed transaction must not leave orphaned photos behind. A
        # failure to clean up (disk or bucket) must not hide the error that got us here.
        for name in (file_name, thumb_name):
            with contextlib.suppress(Exception):
                storage.delete(name)
        raise
    return photo


def photo_bytes(photo: Photo, *, thumb: bool = False) -> bytes:
    return stored_file_bytes(photo.thumb_name if thumb else photo.file_name)


def stored_file_bytes(name: str) -> bytes:
    with _storage().open(name, "rb") as handle:
        data: bytes = handle.read()
    return data


def photo_files_delete(names: Sequence[str]) -> None:
    """Remove stored files by name (after their rows are gone: call it on commit). A file
    already missing is not an error: a retried erasure must be able to finish."""
    storage = _storage()
    for name in names:
        if name:
            storage.delete(name)


def photo_delete(*, actor: User | None, photo: Photo) -> None:
    """Delete one photo: its row, its history rows (they name the files) and, once the
    transaction commits, its files in the photo storage (image, thumbnail, measured picture)."""
    names = photo.stored_names()
    photo_id, patient_id = photo.pk, photo.patient_id
    with transaction.atomic():
        Photo.objects.filter(pk=photo_id).delete()
        Photo.history.filter(id=photo_id).delete()
        record(
            actor=actor,
            action="photo.delete",
            object_type="photo",
            object_id=photo_id,
            patient_id=patient_id,
            detail={"view": photo.view},
        )
        transaction.on_commit(lambda: photo_files_delete(names))


def photo_share_set(*, actor: User | None, photo: Photo, shared: bool) -> Photo:
    with transaction.atomic():
        photo.shared_with_patient = shared
        photo.save(update_fields=["shared_with_patient"])
        record(
            actor=actor,
            action="photo.share" if shared else "photo.unshare",
            object_type="photo",
            object_id=photo.pk,
            patient_id=photo.patient_id,
        )
    return photo


def comparison_share_set(
    *, actor: User | None, patient: Patient, photos: Sequence[Photo], shared: bool
) -> list[Photo]:
    """Share a before/after pair (or stop sharing it) with the patient, both or neither."""
    if len({p.pk for p in photos}) != 2 or any(p.patient_id != patient.pk for p in photos):
        raise InvalidInput.one("photos", "choose two different photos of this patient")
    with transaction.atomic():
        for photo in photos:
            photo_share_set(actor=actor, photo=photo, shared=shared)
    return list(photos)


def photo_release_record(
    *,
    actor: User | None,
    patient: Patient,
    granted: bool,
    source: str,
    signed_at: datetime | None = None,
) -> PhotoRelease:
    """Record the patient's photo release (or its withdrawal). The latest signature decides.

    ``source`` names where it was signed, e.g. ``"consent:42"``; it must not hold patient
    values. Called by the consent flow on treatment day and by the staff API.
    """
    problems = Problems()
    source = (source or "").strip()
    if not source:
        problems.add("source", "is required: say where the release was signed (e.g. consent:42)")
    elif len(source) > 200:
        problems.add("source", "must be at most 200 characters")
    when = signed_at or timezone.now()
    if timezone.is_naive(when):
        problems.add("signed_at", "must include a UTC offset")
    elif when > timezone.now() + timedelta(minutes=5):
        problems.add("signed_at", "cannot be in the future")
    problems.raise_if_any()
    with transaction.atomic():
        release = PhotoRelease.objects.create(
            patient=patient, granted=granted, signed_at=when, source=source, signed_by=actor
        )
        record(
            actor=actor,
            action="photo_release.record",
            object_type="photo_release",
            object_id=release.pk,
            patient_id=patient.pk,
            detail={"granted": granted},
        )
    return release


def _grade_problem(problems: Problems, concern: str, grade: str | None) -> None:
    try:
        check_grade(concern, grade)
    except UnknownValue as exc:
        problems.add(exc.field, exc.message)


def assessment_record(
    *,
    actor: User | None,
    patient: Patient,
    concern: str,
    grade: str | None,
    kind: str,
    assessed_on: object,
    gais: int | None = None,
    mmasi: object = None,
    today: date | None = None,
) -> Assessment:
    """A clinician's grade on the concern's own scale (protocols.md), with optional GAIS."""
    problems = Problems()
    if isinstance(grade, str):
        grade = grade.strip() or None
    _grade_problem(problems, concern, grade)
    if kind not in ASSESSMENT_KINDS:
        problems.add("kind", f"must be one of {', '.join(ASSESSMENT_KINDS)}")
    if gais is not None and (isinstance(gais, bool) or gais not in (1, 2, 3, 4, 5)):
        problems.add("gais", "must be 1 (very much improved) to 5 (worse)")
    if kind == "baseline" and gais is not None:
        problems.add("gais", "is not given at baseline: there is nothing to compare with yet")
    score: Decimal | None = None
    if mmasi is not None and mmasi != "":
        if concern != "uneven_skin_tone":
            problems.add("mmasi", "is only recorded for uneven_skin_tone")
        else:
            try:
                score = Decimal(str(mmasi)).quantize(Decimal("0.1"))
                low, high = MMASI_RANGE
                if not (Decimal(str(low)) <= score <= Decimal(str(high))):
                    problems.add("mmasi", "must be between 0 and 24")
                    score = None
            except (InvalidOperation, ValueError):
                problems.add("mmasi", "must be a number between 0 and 24")
    day = parse_day(problems, "assessed_on", assessed_on, today=today or clinic_today())
    problems.raise_if_any()
    assert day is not None
    with transaction.atomic():
        assessment = Assessment.objects.create(
            patient=patient,
            concern=concern,
            grade=grade,
            mmasi=score,
            gais=gais,
            kind=kind,
            assessed_on=day,
            assessed_by=actor,
        )
        record(
            actor=actor,
            action="assessment.record",
            object_type="assessment",
            object_id=assessment.pk,
            patient_id=patient.pk,
            detail={"concern": concern, "kind": kind},
        )
    return assessment


@dataclass(frozen=True)
class ConcernGrade:
    """One concern graded at a visit, as the page posts it."""

    concern: str
    grade: str | None
    gais: int | None = None
    mmasi: object = None


def visit_grades_record(
    *,
    actor: User | None,
    patient: Patient,
    kind: str,
    assessed_on: object,
    grades: Sequence[ConcernGrade],
    today: date | None = None,
) -> list[Assessment]:
    """Grade several concerns of one visit together: all are recorded, or none.

    Problems name the page's fields: ``kind``, ``assessed_on``, ``concerns`` (nothing
    graded), and ``<field>_<concern>`` (e.g. ``gais_acne_scars``) for one concern's values."""
    if not grades:
        raise InvalidInput.one("concerns", "grade at least one concern seen at this visit")
    problems = Problems()
    recorded: list[Assessment] = []
    shared = {"kind", "assessed_on"}
    with transaction.atomic():
        for item in grades:
            try:
                recorded.append(
                    assessment_record(
                        actor=actor,
                        patient=patient,
                        concern=item.concern,
                        grade=item.grade,
                        kind=kind,
                        assessed_on=assessed_on,
                        gais=item.gais,
                        mmasi=item.mmasi,
                        today=today,
                    )
                )
            except InvalidInput as exc:
                for p in exc.problems:
                    name = p.field if p.field in shared else f"{p.field}_{item.concern}"
                    if all(q.field != name for q in problems.items):
                        problems.add(name, p.message)
        # Raised inside the transaction: the concerns graded before the refusal roll back.
        problems.raise_if_any()
    return recorded


def rating_submit(
    *,
    actor: User | None,
    patient: Patient,
    improvement: int,
    satisfaction: int,
    comment: str = "",
    rated_on: date | None = None,
) -> PatientRating:
    """The patient's own rating: improvement 1–5 (GAIS wording), satisfaction 1–5."""
    problems = Problems()
    for field, value in (("improvement", improvement), ("satisfaction", satisfaction)):
        if isinstance(value, bool) or value not in (1, 2, 3, 4, 5):
            problems.add(field, "must be a whole number from 1 to 5")
    comment = (comment or "").strip()
    if len(comment) > 2000:
        problems.add("comment", "must be at most 2000 characters")
    problems.raise_if_any()
    with transaction.atomic():
        rating = PatientRating.objects.create(
            patient=patient,
            improvement=improvement,
            satisfaction=satisfaction,
            comment=comment,
            rated_on=rated_on or clinic_today(),
        )
        record(
            actor=actor,
            action="rating.submit",
            object_type="patient_rating",
            object_id=rating.pk,
            patient_id=patient.pk,
        )
    return rating
