"""Reads of patient records. Every read that returns a record writes one audit event."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from needlepoint.accounts.models import User
from needlepoint.audit.services import Target, record, record_many
from needlepoint.core.audited import audited_read
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
