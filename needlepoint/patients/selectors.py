"""Reads of patient records. Every read that returns a record writes one audit event."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from needlepoint.accounts.models import User
from needlepoint.audit.services import Target, record, record_many
from needlepoint.core.audited import audited_read
from needlepoint.core.errors import InvalidInput, NotFound
from needlepoint.core.inputs import record_number

from .models import Patient


@dataclass(frozen=True)
class PatientPage:
    items: list[Patient]
    count: int


def _search(q: str) -> Q:
    condition = Q()
    for term in q.split():
        term_q = (
            Q(given_name__icontains=term)
            | Q(family_name__icontains=term)
            | Q(email__icontains=term)
            | Q(phone__icontains=term)
        )
        number = record_number(term)
        if number is not None:
            term_q |= Q(pk=number)
        condition &= term_q
    return condition


def patient_search(*, actor: User, q: str = "", limit: int = 50, offset: int = 0) -> PatientPage:
    """A staff search; each patient on the page returned counts as one read."""
    matches = Patient.objects.filter(_search(q.strip())) if q.strip() else Patient.objects.all()
    count = matches.count()
    items = list(matches.order_by("family_name", "given_name", "id")[offset : offset + limit])
    if items:
        record_many(
            actor=actor,
            action="patient.read",
            targets=[Target("patient", str(p.pk), str(p.pk)) for p in items],
            detail={"via": "search"},
        )
    return PatientPage(items=items, count=count)


def patient_for_staff(*, actor: User, patient_id: int) -> Patient:
    return audited_read(
        actor=actor,
        found=Patient.objects.filter(pk=patient_id).first(),
        object_id=patient_id,
        capability="patient.read",
        action="patient.read",
        object_type="patient",
        not_found="no such patient",
    )


def own_patient_record(*, actor: User) -> Patient | None:
    patient = Patient.objects.filter(user=actor).first()
    if patient is not None:
        record(
            actor=actor,
            action="patient.read",
            object_type="patient",
            object_id=patient.pk,
            patient_id=patient.pk,
            detail={"via": "me"},
        )
    return patient


# Lookups for entry points (docs/decisions/0308). These do not write a read event: the
# write that follows (a booking, an upload, a consultation) writes its own audit event, and
# a page that shows the record reads it through ``patient_for_staff``.

NO_SUCH_PATIENT = "no such patient"


def patient_by_id(patient_id: object) -> Patient | None:
    """The patient with this record number (None for anything that is not one)."""
    if not isinstance(patient_id, int) or isinstance(patient_id, bool):
        return None
    return Patient.objects.filter(pk=patient_id).first()


def patient_to_act_on(patient_id: int) -> Patient:
    """The patient a URL names, for staff about to act on the record (404 when none)."""
    patient = patient_by_id(patient_id)
    if patient is None:
        raise NotFound(NO_SUCH_PATIENT)
    return patient


def patient_in_field(patient_id: object, *, field: str = "patient") -> Patient:
    """The patient a request field names (InvalidInput on that field when none)."""
    patient = patient_by_id(patient_id)
    if patient is None:
        raise InvalidInput.one(field, NO_SUCH_PATIENT)
    return patient


def patient_by_record_number(text: str) -> Patient | None:
    """The patient a typed record number names (None when it names nobody)."""
    number = record_number(text)
    return patient_by_id(number) if number else None


def linked_patient(actor: User) -> Patient | None:
    """The patient record the signed-in login belongs to (None for staff and the unlinked)."""
    return Patient.objects.filter(user=actor).first()


def patient_for_actor(actor: User, patient_id: int) -> Patient:
    """Staff act for any patient; a patient only for themselves (anyone else: 404)."""
    query = Patient.objects.filter(pk=patient_id)
    if not actor.is_clinic_staff:
        query = query.filter(user=actor)
    patient = query.first()
    if patient is None:
        raise NotFound(NO_SUCH_PATIENT)
    return patient
