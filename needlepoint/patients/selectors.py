"""Reads of patient records. Every read that returns a record writes one audit event."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from needlepoint.accounts.models import User
from needlepoint.audit.services import Target, record, record_many
from needlepoint.clinic.clock import clinic_today
from needlepoint.core.audited import audited_read
from needlepoint.core.errors import Forbidden, InvalidInput, NotFound
from needlepoint.core.inputs import record_number

from .merging import MergePlan, merge_plan
from .models import Patient
from .validation import PHONE_TEXT, typed_date, typed_phone_digits


@dataclass(frozen=True)
class PatientPage:
    items: list[Patient]
    count: int


def record_patient_reads(*, actor: User, patients: list[Patient], via: str) -> None:
    """Each patient a list shows to staff counts as one read (one audit event each)."""
    if patients:
        record_many(
            actor=actor,
            action="patient.read",
            targets=[Target("patient", str(p.pk), str(p.pk)) for p in patients],
            detail={"via": via},
        )


def _search(q: str, *, today: date, record_numbers: bool) -> Q:
    """Every term must match: a date of birth however typed, a phone number's digits
    (punctuation ignored), or part of a name or an email address."""
    condition = Q()
    whole_number = record_number(q) if record_numbers else None
    typed = typed_date(q, today=today)
    if typed is not None:
        condition &= Q(date_of_birth__in=typed.dates)
        q = typed.rest
    words = [w for w in re.split(r"[\s,;]+", q) if w]
    phone_words = [w for w in words if typed_phone_digits(w) or PHONE_TEXT.match(w)]
    digits = typed_phone_digits(" ".join(phone_words))
    if digits:
        condition &= Q(phone_digits__contains=digits)
    for term in words:
        if term in phone_words and digits:
            continue
        condition &= (
            Q(given_name__icontains=term)
            | Q(family_name__icontains=term)
            | Q(email__icontains=term)
            | Q(phone__icontains=term)
        )
    if whole_number is not None:
        # The API's callers may look a record up by its number; the pages never show one.
        condition |= Q(pk=whole_number)
    return condition


def patient_search(
    *,
    actor: User,
    q: str = "",
    limit: int = 50,
    offset: int = 0,
    record_numbers: bool = True,
    today: date | None = None,
) -> PatientPage:
    """A staff search; each patient on the page returned counts as one read. Records merged
    into another are never found (their histories are on the record they were merged into)."""
    live = Patient.objects.filter(merged_into__isnull=True)
    text = q.strip()
    if text:
        day = today or clinic_today()
        live = live.filter(_search(text, today=day, record_numbers=record_numbers))
    matches = live
    count = matches.count()
    items = list(matches.order_by("family_name", "given_name", "id")[offset : offset + limit])
    record_patient_reads(actor=actor, patients=items, via="search")
    return PatientPage(items=items, count=count)


def patients_born_on(*, actor: User, birth_dates: set[date], limit: int) -> list[Patient]:
    """The patients with one of these dates of birth (a caller's answer may mean more than
    one), in name order; each one returned counts as one read of a search."""
    items = list(
        Patient.objects.filter(date_of_birth__in=birth_dates).order_by(
            "family_name", "given_name", "id"
        )[:limit]
    )
    record_patient_reads(actor=actor, patients=items, via="search")
    return items


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


# ---------------------------------------------------------------- registering and merging


def same_person_candidates(
    *, given_name: str, family_name: str, date_of_birth: date, exclude_id: int | None = None
) -> list[Patient]:
    """The domain's rule for "this may be the same person": the same name (any case) and
    date of birth, among records not merged into another. The API and the pages share it."""
    found = Patient.objects.filter(
        given_name__iexact=given_name.strip(),
        family_name__iexact=family_name.strip(),
        date_of_birth=date_of_birth,
        merged_into__isnull=True,
    ).order_by("pk")
    if exclude_id is not None:
        found = found.exclude(pk=exclude_id)
    return list(found[:5])


def possible_duplicates(
    *, actor: User, given_name: str, family_name: str, date_of_birth: date
) -> list[Patient]:
    """The records that may be the person being registered (the rule the API refuses by),
    shown to staff so they can open one instead: each counts as one read."""
    found = same_person_candidates(
        given_name=given_name, family_name=family_name, date_of_birth=date_of_birth
    )
    record_patient_reads(actor=actor, patients=found, via="duplicate_check")
    return found


def patient_merge_preview(*, actor: User, kept_id: int, duplicate_id: int) -> MergePlan:
    """Both records and what a merge would move (a clinic admin's read of both)."""
    if not actor.may("patient.merge"):
        raise Forbidden("your role may not merge patient records")
    records = {p.pk: p for p in Patient.objects.filter(pk__in=[kept_id, duplicate_id])}
    kept, duplicate = records.get(kept_id), records.get(duplicate_id)
    if kept is None or duplicate is None:
        raise NotFound("no such patient")
    record_patient_reads(actor=actor, patients=[kept, duplicate], via="merge_preview")
    return merge_plan(kept, duplicate)
