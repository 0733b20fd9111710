"""Writes: screenings, consultations, amendments, clearances and data overrides.

Each service owns its transaction and writes its audit event inside it. Audit details hold
codes and versions only, never a person's answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from needlepoint.accounts.models import User
from needlepoint.audit.services import record
from needlepoint.clinic.clock import clinic_today
from needlepoint.core.errors import Conflict, FieldProblem, Forbidden, InvalidInput, Problems
from needlepoint.data.loading import DataFileError
from needlepoint.domain.protocols import GradedConcern, validate_request
from needlepoint.domain.screening import ScreeningResult, evaluate
from needlepoint.patients.models import Patient

from . import clinic_data
from .models import (
    Amendment,
    Clearance,
    Consultation,
    DataKind,
    DataOverride,
    Determination,
    Screening,
)
from .results import result_payload
from .selectors import current_state
from .submission import parse_submission


@dataclass(frozen=True)
class SubmittedScreening:
    """The domain's judgement, and the stored screening (None without consent to store).
    The API builds its answer from these (``schemas.ScreeningSubmittedOut.of``)."""

    result: ScreeningResult
    screening: Screening | None


def screening_submit(
    *,
    actor: User | None,
    data: object,
    channel: str = Screening.Channel.ONLINE,
    patient: Patient | None = None,
) -> SubmittedScreening:
    """Judge a self-screening; store it (and audit that) only with consent_to_store."""
    submission = parse_submission(data, today=clinic_today())
    policy = clinic_data.current_policy()
    result = evaluate(submission.answers, policy, submission.planned_date)
    if not submission.consent_to_store:
        return SubmittedScreening(result, None)
    staff = actor if actor is not None and actor.is_clinic_staff else None
    if patient is not None and (staff is None or not staff.may("screening.take")):
        raise Forbidden("only clinic staff may link a screening to a patient record")
    with transaction.atomic():
        screening = Screening(
            patient=patient,
            taken_by=staff,
            channel=channel,
            answers=submission.answers_json(),
            judged_for=result.judged_for,
            policy_version=result.policy_version,
            verdict=result.verdict,
            resume_on=result.resume_on,
            requires_physician=result.requires_physician,
        )
        # The judgement is stored as JSON with the screening (results.py: its stored form).
        screening.result = result_payload(result, screening.pk)
        screening.save()
        record(
            actor=staff,
            action="screening.create",
            object_type="screening",
            object_id=screening.pk,
            patient_id=patient.pk if patient else "",
            detail={
                "verdict": result.verdict,
                "reasons": [r.code for r in result.reasons],
                "policy_version": result.policy_version,
                "channel": channel,
            },
        )
    return SubmittedScreening(result, screening)


def screening_link_patient(*, screening: Screening, patient: Patient) -> Screening:
    """A screening booked through its result belongs to the patient who booked: staff then
    find it on the patient's record. One already linked to a record keeps that link."""
    with transaction.atomic():
        row = Screening.objects.select_for_update(of=("self",)).get(pk=screening.pk)
        if row.patient_id is not None:
            return row
        row.patient = patient
        row.save(update_fields=["patient"])
        record(
            actor=None,
            action="screening.link_patient",
            object_type="screening",
            object_id=row.pk,
            patient_id=patient.pk,
            detail={"via": "online_booking"},
        )
    return row


def _check_consultation_fields(
    *,
    patient: Patient,
    screening: Screening | None,
    fitzpatrick: int,
    concerns: list[dict[str, Any]],
    zones: list[str],
    determination: str,
) -> None:
    problems = Problems()
    table = clinic_data.current_protocols()
    graded = [GradedConcern(c.get("concern", ""), c.get("grade")) for c in concerns]
    for field, message in validate_request(graded, fitzpatrick, zones, table):
        problems.add(field, message)
    if determination not in Determination.values:
        problems.add("determination", f"must be one of {', '.join(Determination.values)}")
    if screening is not None and screening.patient_id not in (None, patient.pk):
        problems.add("screening", "belongs to another patient")
    problems.raise_if_any()


def consultation_record(
    *,
    actor: User,
    patient: Patient,
    fitzpatrick: int,
    concerns: list[dict[str, Any]],
    zones: list[str],
    determination: str,
    notes: str = "",
    screening: Screening | None = None,
) -> Consultation:
    """Record the examination and sign the determination (who, when). Never edited later."""
    if not actor.may("consultation.record"):
        raise Forbidden("your role may not record a consultation")
    _check_consultation_fields(
        patient=patient,
        screening=screening,
        fitzpatrick=fitzpatrick,
        concerns=concerns,
        zones=zones,
        determination=determination,
    )
    table = clinic_data.current_protocols()
    with transaction.atomic():
        linked = screening is not None and screening.patient_id is None
        if screening is not None and linked:
            # The anonymous screening now belongs to the person examined.
            Screening.objects.filter(pk=screening.pk, patient__isnull=True).update(patient=patient)
        consultation = Consultation.objects.create(
            patient=patient,
            screening=screening,
            fitzpatrick=fitzpatrick,
            concerns=[{"concern": c["concern"], "grade": c.get("grade")} for c in concerns],
            zones=list(zones),
            notes=notes.strip(),
            determination=determination,
            protocol_version=table.version,
            signed_by=actor,
            signed_at=timezone.now(),
        )
        record(
            actor=actor,
            action="consultation.create",
            object_type="consultation",
            object_id=consultation.pk,
            patient_id=patient.pk,
            detail={
                "determination": determination,
                "protocol_version": table.version,
                "screening": str(screening.pk) if screening else "",
                "screening_linked": linked,
            },
        )
    return consultation


def consultation_amend(
    *, actor: User, consultation: Consultation, determination: str, reason: str
) -> Amendment:
    """Change a signed determination by a new signed record; the original stays."""
    if not actor.may("consultation.record"):
        raise Forbidden("your role may not amend a determination")
    problems = Problems()
    if determination not in Determination.values:
        problems.add("determination", f"must be one of {', '.join(Determination.values)}")
    if not reason.strip():
        problems.add("reason", "give the reason for the amendment")
    problems.raise_if_any()
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update(of=("self",)).get(pk=consultation.pk)
        state = current_state(consultation)
        if state.determination == determination:
            raise InvalidInput.one("determination", "is already the current determination")
        amendment = Amendment.objects.create(
            consultation=consultation,
            determination=determination,
            reason=reason.strip(),
            signed_by=actor,
            signed_at=timezone.now(),
        )
        record(
            actor=actor,
            action="consultation.amend",
            object_type="consultation",
            object_id=consultation.pk,
            patient_id=consultation.patient_id,
            detail={"from": state.determination, "to": determination, "amendment": amendment.pk},
        )
    return amendment


def consultation_clear(
    *, actor: User, consultation: Consultation, cleared: bool, notes: str = ""
) -> Clearance:
    """A physician's clearance of a `physician_clearance_required` determination."""
    if not actor.may("consultation.clear"):
        raise Forbidden("only a physician may record a clearance")
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update(of=("self",)).get(pk=consultation.pk)
        state = current_state(consultation)
        if state.determination != Determination.PHYSICIAN_CLEARANCE_REQUIRED:
            raise Conflict(
                "this consultation's determination does not ask for a physician's clearance",
                code="clearance_not_required",
            )
        if state.clearance is not None:
            raise Conflict(
                "a physician has already decided; amend the determination to change it",
                code="already_decided",
            )
        clearance = Clearance.objects.create(
            consultation=consultation,
            cleared=cleared,
            notes=notes.strip(),
            signed_by=actor,
            signed_at=timezone.now(),
        )
        record(
            actor=actor,
            action="consultation.clear",
            object_type="consultation",
            object_id=consultation.pk,
            patient_id=consultation.patient_id,
            detail={"cleared": cleared, "clearance": clearance.pk},
        )
    return clearance


def data_override_problems(kind: str, text: str) -> list[FieldProblem]:
    """What is wrong with a clinic's edited data text ("line N: problem"), if anything."""
    try:
        parsed = clinic_data.parse_override_text(kind, text)
    except DataFileError as exc:
        where = f"line {exc.line}: " if exc.line else ""
        return [FieldProblem("text", f"{where}{exc.problem}")]
    version = parsed.version
    if version == clinic_data.shipped_version(kind):
        return [FieldProblem("text", f"line 1: give it a new version (not {version!r})")]
    if DataOverride.objects.filter(kind=kind, version=version).exists():
        return [FieldProblem("text", f"version {version!r} exists already; give a new one")]
    return []


def data_override_create(
    *, actor: User | None, kind: str, text: str, activate: bool = True
) -> DataOverride:
    """Store a clinic's edited policy or protocol table; with ``activate``, put it in force."""
    if kind not in DataKind.values:
        raise InvalidInput.one("kind", f"must be one of {', '.join(DataKind.values)}")
    problems = data_override_problems(kind, text)
    if problems:
        raise InvalidInput(problems)
    version = clinic_data.parse_override_text(kind, text).version
    try:
        with transaction.atomic():
            if activate:
                DataOverride.objects.filter(kind=kind, is_active=True).update(is_active=False)
            override = DataOverride.objects.create(
                kind=kind, version=version, text=text, is_active=activate, created_by=actor
            )
            record(
                actor=actor,
                action="data_override.create",
                object_type="data_override",
                object_id=override.pk,
                detail={"kind": kind, "version": version, "active": activate},
            )
    except IntegrityError:
        raise Conflict("that version was saved at the same moment; reload") from None
    return override


def data_override_set_active(*, actor: User | None, override: DataOverride, active: bool) -> None:
    """Put an override in force (the others of its kind out), or back to the shipped file."""
    with transaction.atomic():
        if active:
            DataOverride.objects.filter(kind=override.kind, is_active=True).exclude(
                pk=override.pk
            ).update(is_active=False)
        override.is_active = active
        override.save(update_fields=["is_active", "updated_at"])
        record(
            actor=actor,
            action="data_override.activate" if active else "data_override.deactivate",
            object_type="data_override",
            object_id=override.pk,
            detail={"kind": override.kind, "version": override.version},
        )
