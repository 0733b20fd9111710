"""Reads: a patient's FHIR Bundle for staff or for the patient themself; each read audited."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

from needlepoint.accounts.models import User
from needlepoint.audit.services import record, record_denied
from needlepoint.core.errors import NotFound
from needlepoint.outcomes.models import Photo
from needlepoint.outcomes.services import photo_bytes
from needlepoint.patients.models import Patient

from .records import Directory, clinic_directory, consent_texts, patient_records
from .resources import forms
from .resources.directory import directory_resources
from .resources.patient import (
    bundle,
    key_of,
    patient_resources,
    questionnaires_for,
    with_referenced,
)

FHIR_READ = "fhir.read"


def fhir_base() -> str:
    """The base every fullUrl hangs from: the clinic's own address, so two clinics' bundles
    never claim the same URLs."""
    return f"{settings.NEEDLEPOINT_BASE_URL}/fhir"


def readable_photo(photo: Photo) -> bytes | None:
    try:
        return photo_bytes(photo)
    except OSError:  # a file lost from the store: the Media says so by having no Binary
        return None


def shared_resources(directory: Directory) -> dict[str, dict[str, Any]]:
    return {key_of(r): r for r in directory_resources(directory)}


def patient_bundle(
    patient: Patient, *, with_photos: bool, now: datetime | None = None
) -> dict[str, Any]:
    """The patient's Bundle (no audit: the callers below audit)."""
    directory = clinic_directory()
    records = patient_records([patient])[0]
    staff_ids = frozenset(u.pk for u in directory.staff)
    own = list(
        patient_resources(
            records,
            staff_ids=staff_ids,
            photos=readable_photo if with_photos else None,
            consent_texts=consent_texts(),
        )
    )
    own += [
        forms.questionnaire(kind, version) for kind, version in sorted(questionnaires_for(records))
    ]
    resources = with_referenced(own, shared_resources(directory))
    return bundle(resources, base=fhir_base(), now=now or timezone.now())


def _audit(actor: User, patient: Patient, fhir: dict[str, Any], via: str) -> None:
    record(
        actor=actor,
        action=FHIR_READ,
        object_type="patient",
        object_id=patient.pk,
        patient_id=patient.pk,
        detail={"via": via, "resources": len(fhir["entry"])},
    )


def patient_fhir_for_staff(*, actor: User, patient_id: int) -> dict[str, Any]:
    """A clinic admin's or physician's export of one record. Photos come along only when
    the caller's role may see photos."""
    patient = Patient.objects.filter(pk=patient_id).first()
    if patient is None or not actor.may("patient.fhir_export"):
        record_denied(
            actor=actor,
            action=FHIR_READ,
            object_type="patient",
            object_id=patient_id,
            patient_id=patient_id if patient else "",
            reason="not_found" if patient is None else "role",
        )
        raise NotFound("no such patient")
    fhir = patient_bundle(patient, with_photos=actor.may("photo.view"))
    _audit(actor, patient, fhir, "staff")
    return fhir


def own_fhir(*, actor: User) -> dict[str, Any]:
    """The patient's own record, photos always included: their right of access."""
    patient = Patient.objects.filter(user=actor).first()
    if patient is None:
        raise NotFound("your login is not linked to a patient record")
    fhir = patient_bundle(patient, with_photos=True)
    _audit(actor, patient, fhir, "me")
    return fhir
