from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from needlepoint.accounts.models import User
from needlepoint.audit.services import Target, record, record_many
from needlepoint.clinic.clock import clinic_today
from needlepoint.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from needlepoint.domain.importing import Person

from .merging import MergePlan, merge_plan, move_rows
from .models import Patient
from .selectors import same_person_candidates
from .validation import check_patient_fields

REASON_LENGTH = 500


def patient_create(
    *,
    actor: User | None,
    given_name: str,
    family_name: str,
    date_of_birth: date,
    email: str = "",
    phone: str = "",
    allow_duplicate: bool = False,
    duplicate_reason: str | None = None,
) -> Patient:
    """Register a patient. A record with the same name and date of birth is refused unless
    ``allow_duplicate``; the pages then ask why (``duplicate_reason``, kept in the audit
    event), the API does not (None)."""
    given_name, family_name, email, phone = (
        given_name.strip(),
        family_name.strip(),
        email.strip().lower(),
        phone.strip(),
    )
    check_patient_fields(
        given_name=given_name,
        family_name=family_name,
        date_of_birth=date_of_birth,
        email=email,
        phone=phone,
        today=clinic_today(),
    )
    with transaction.atomic():
        twins = same_person_candidates(
            given_name=given_name, family_name=family_name, date_of_birth=date_of_birth
        )
        twin = twins[0] if twins else None
        if twin is not None and not allow_duplicate:
            raise Conflict(
                f"patient #{twin.pk} has the same name and date of birth; use that record, "
                "or confirm this is a different person",
                code="duplicate_patient",
                extra={"existing_id": twin.pk},
            )
        detail: dict[str, object] = {}
        if twin is not None:
            reason = (duplicate_reason or "").strip()
            if duplicate_reason is not None and not reason:
                raise InvalidInput.one(
                    "duplicate_reason",
                    "say why this is a different person (for example: a different middle name)",
                )
            detail = {"possible_duplicate_of": [t.pk for t in twins]}
            if reason:
                # The person's own words, asked for by the page: why it is not the same person.
                detail["reason"] = reason[:REASON_LENGTH]
        patient = Patient.objects.create(
            given_name=given_name,
            family_name=family_name,
            date_of_birth=date_of_birth,
            email=email,
            phone=phone,
        )
        record(
            actor=actor,
            action="patient.create",
            object_type="patient",
            object_id=patient.pk,
            patient_id=patient.pk,
            detail=detail or None,
        )
    return patient


def patient_import(*, actor: User | None, person: Person, where: str, source: str) -> Patient:
    """Create a patient read from another system's export (``where``: "line 4"; ``source``:
    "csv" or "fhir"), audited as an import. A record with the same name and date of birth is
    refused: an import reports duplicates and never merges them (decision 0610). ``actor``
    None is the operator running ``needlepoint import``."""
    if actor is not None and not actor.may("patient.import"):
        raise Forbidden("your role may not import patients")
    email, phone = person.email.strip().lower(), person.phone.strip()
    check_patient_fields(
        given_name=person.given_name,
        family_name=person.family_name,
        date_of_birth=person.date_of_birth,
        email=email,
        phone=phone,
        today=clinic_today(),
    )
    with transaction.atomic():
        twins = same_person_candidates(
            given_name=person.given_name,
            family_name=person.family_name,
            date_of_birth=person.date_of_birth,
        )
        if twins:
            raise Conflict(
                f"patient #{twins[0].pk} has the same name and date of birth",
                code="duplicate_patient",
                extra={"existing_id": twins[0].pk},
            )
        patient = Patient.objects.create(
            given_name=person.given_name,
            family_name=person.family_name,
            date_of_birth=person.date_of_birth,
            email=email,
            phone=phone,
        )
        record(
            actor=actor,
            action="patient.imported",
            object_type="patient",
            object_id=patient.pk,
            patient_id=patient.pk,
            detail={"source": source, "where": where},
        )
    return patient


def patient_link_user(*, actor: User | None, patient: Patient, user: User) -> Patient:
    with transaction.atomic():
        patient.user = user
        patient.save(update_fields=["user", "updated_at"])
        record(
            actor=actor,
            action="patient.link_login",
            object_type="patient",
            object_id=patient.pk,
            patient_id=patient.pk,
        )
    return patient


CONTACT_FIELDS = ("given_name", "family_name", "date_of_birth", "email", "phone")


def patient_update(
    *,
    actor: User,
    patient_id: int,
    given_name: str,
    family_name: str,
    date_of_birth: date,
    email: str = "",
    phone: str = "",
) -> Patient:
    """Correct a patient's name, date of birth or contact details (the audit event names
    the fields changed, never their values)."""
    if not actor.may("patient.change"):
        raise Forbidden("your role may not change a patient's details")
    values = {
        "given_name": given_name.strip(),
        "family_name": family_name.strip(),
        "date_of_birth": date_of_birth,
        "email": email.strip().lower(),
        "phone": phone.strip(),
    }
    check_patient_fields(**values, today=clinic_today())  # type: ignore[arg-type]
    with transaction.atomic():
        patient = Patient.objects.select_for_update(of=("self",)).filter(pk=patient_id).first()
        if patient is None:
            raise NotFound("no such patient")
        if patient.merged_into_id is not None:
            raise Conflict(
                "this record was merged into another; change the details on that record",
                code="patient_merged",
                extra={"merged_into": patient.merged_into_id},
            )
        changed = [name for name in CONTACT_FIELDS if getattr(patient, name) != values[name]]
        if changed:
            for name in changed:
                setattr(patient, name, values[name])
            patient.save()
        record(
            actor=actor,
            action="patient.change",
            object_type="patient",
            object_id=patient.pk,
            patient_id=patient.pk,
            detail={"changed": changed},
        )
    return patient


def patient_merge(*, actor: User, kept_id: int, duplicate_id: int) -> MergePlan:
    """Merge the duplicate record of one person into the kept one (clinic admin).

    Every row pointing at the duplicate moves to the kept record (histories of both join),
    the duplicate's portal login moves when the kept record has none, and the duplicate
    stays as a tombstone marked merged into the kept record. Refused, changing nothing,
    when something may exist only once per patient on both records."""
    if not actor.may("patient.merge"):
        raise Forbidden("your role may not merge patient records")
    with transaction.atomic():
        locked = {
            p.pk: p
            for p in Patient.objects.select_for_update(of=("self",)).filter(
                pk__in=[kept_id, duplicate_id]
            )
        }
        kept, duplicate = locked.get(kept_id), locked.get(duplicate_id)
        if kept is None or duplicate is None:
            raise NotFound("no such patient")
        plan = merge_plan(kept, duplicate)
        if plan.problems:
            raise Conflict(" ".join(plan.problems), code="merge_refused")
        login = duplicate.user
        moved = move_rows(kept, duplicate)
        duplicate.merged_into = kept
        duplicate.merged_at = timezone.now()
        duplicate.user = None
        duplicate.save()
        if plan.login_moves and login is not None:
            kept.user = login
            kept.save(update_fields=["user", "updated_at"])
        detail = {
            "kept": kept.pk,
            "merged": duplicate.pk,
            "moved": moved,
            "login_moved": plan.login_moves,
        }
        # One event on each record's trail, both naming both records; no earlier audit row
        # is rewritten (the duplicate's reads stay under its own number).
        record_many(
            actor=actor,
            action="patient.merge",
            targets=[
                Target("patient", str(kept.pk), str(kept.pk)),
                Target("patient", str(duplicate.pk), str(duplicate.pk)),
            ],
            detail=detail,
        )
    return plan
