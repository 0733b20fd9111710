from __future__ import annotations

from datetime import date

from django.db import transaction

from needlepoint.accounts.models import User
from needlepoint.audit.services import record
from needlepoint.clinic.clock import clinic_today
from needlepoint.core.errors import Conflict

from .models import Patient
from .validation import check_patient_fields


def patient_create(
    *,
    actor: User | None,
    given_name: str,
    family_name: str,
    date_of_birth: date,
    email: str = "",
    phone: str = "",
    allow_duplicate: bool = False,
) -> Patient:
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
        twin = Patient.objects.filter(
            given_name__iexact=given_name,
            family_name__iexact=family_name,
            date_of_birth=date_of_birth,
        ).first()
        if twin is not None and not allow_duplicate:
            raise Conflict(
                f"patient #{twin.pk} has the same name and date of birth; use that record, "
                "or confirm this is a different person",
                code="duplicate_patient",
                extra={"existing_id": twin.pk},
            )
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
