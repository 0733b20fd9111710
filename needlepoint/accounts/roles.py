"""Roles and what each may do. The single source for the role matrix in docs/roles.md.

A capability is ``<resource>.<verb>``. Object-level rules (a patient sees only their own
record) are applied by selectors on top of these role-level grants.
"""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    PATIENT = "patient", "Patient"
    FRONT_DESK = "front_desk", "Front desk"
    AESTHETICIAN = "aesthetician", "Aesthetician"
    PHYSICIAN = "physician", "Physician (medical director)"
    CLINIC_ADMIN = "clinic_admin", "Clinic admin"


STAFF_ROLES = frozenset({Role.FRONT_DESK, Role.AESTHETICIAN, Role.PHYSICIAN, Role.CLINIC_ADMIN})
CLINICAL_ROLES = frozenset({Role.AESTHETICIAN, Role.PHYSICIAN})
ALL_STAFF = STAFF_ROLES

CAPABILITIES: dict[str, frozenset[str]] = {
    # clinic setup
    "clinic.read": frozenset({*STAFF_ROLES}),
    "clinic.change": frozenset({Role.CLINIC_ADMIN}),
    # patient record (demographics and contact details)
    "patient.read": frozenset({*STAFF_ROLES}),
    "patient.create": frozenset({*STAFF_ROLES}),
    "patient.change": frozenset({*STAFF_ROLES}),
    "patient.read_own": frozenset({Role.PATIENT}),
    "patient.merge": frozenset({Role.CLINIC_ADMIN}),
    "patient.import": frozenset({Role.CLINIC_ADMIN}),
    "patient.erase": frozenset({Role.CLINIC_ADMIN}),
    # audit trail
    "audit.read": frozenset({Role.CLINIC_ADMIN}),
    # staff users (issue #11): invite, deactivate, reset a second factor
    "staff.manage": frozenset({Role.CLINIC_ADMIN}),
    # screening, consultation and treatment plans (issue #3)
    "screening.take": frozenset({*STAFF_ROLES}),
    "screening.read": frozenset({*STAFF_ROLES}),
    "consultation.read": frozenset({*CLINICAL_ROLES, Role.CLINIC_ADMIN}),
    "consultation.record": frozenset({*CLINICAL_ROLES}),
    "consultation.clear": frozenset({Role.PHYSICIAN}),
    "protocol.recommend": frozenset({*CLINICAL_ROLES}),
    "plan.create": frozenset({*CLINICAL_ROLES}),
    "plan.read": frozenset({*STAFF_ROLES}),
    # scheduling: a patient books, reads and changes only their own appointments
    "appointment.read": frozenset({*STAFF_ROLES, Role.PATIENT}),
    "appointment.book": frozenset({*STAFF_ROLES, Role.PATIENT}),
    "appointment.change": frozenset({*STAFF_ROLES, Role.PATIENT}),
    "appointment.no_show": frozenset({*STAFF_ROLES}),
    "appointment.book_course": frozenset({*STAFF_ROLES}),
    "appointment.spacing_override": frozenset({*CLINICAL_ROLES}),
    "calendar.read": frozenset({*STAFF_ROLES}),
    # waitlist, staff calendar feeds (issue #4, notifications)
    "waitlist.join": frozenset({*STAFF_ROLES, Role.PATIENT}),
    "waitlist.read": frozenset({*STAFF_ROLES}),
    "calendar_feed.manage": frozenset({*STAFF_ROLES}),
    # outcomes (issue #6): photos, grades, patient ratings, the clinic report
    "photo.capture": frozenset({*CLINICAL_ROLES}),
    "photo.view": frozenset({*CLINICAL_ROLES}),
    "photo.share": frozenset({*CLINICAL_ROLES}),
    "photo.view_own": frozenset({Role.PATIENT}),
    "photo_release.record": frozenset({Role.FRONT_DESK, *CLINICAL_ROLES}),
    "assessment.record": frozenset({*CLINICAL_ROLES}),
    "assessment.read": frozenset({*CLINICAL_ROLES, Role.CLINIC_ADMIN}),
    "rating.submit": frozenset({Role.PATIENT}),
    "outcome.report": frozenset({Role.PHYSICIAN, Role.CLINIC_ADMIN}),
    # treatment day (issue #5): consent, day-of check, charts, adverse events, stock, recalls
    "consent.collect": frozenset({Role.FRONT_DESK, *CLINICAL_ROLES}),
    "day_of.check": frozenset({*CLINICAL_ROLES}),
    "chart.read": frozenset({*CLINICAL_ROLES, Role.CLINIC_ADMIN}),
    "chart.write": frozenset({*CLINICAL_ROLES}),
    "chart.cosign": frozenset({Role.PHYSICIAN}),
    "adverse_event.record": frozenset({*CLINICAL_ROLES}),
    "adverse_event.report": frozenset({Role.PHYSICIAN, Role.CLINIC_ADMIN}),
    "inventory.read": frozenset({*STAFF_ROLES}),
    "inventory.receive": frozenset({Role.PHYSICIAN, Role.CLINIC_ADMIN}),
    "recall.read": frozenset({Role.PHYSICIAN, Role.CLINIC_ADMIN}),
    # follow-ups and the patient portal (issue #6)
    "followup.read": frozenset({Role.FRONT_DESK, *CLINICAL_ROLES}),
    "followup.propose": frozenset({Role.FRONT_DESK, *CLINICAL_ROLES}),
    "data.export_own": frozenset({Role.PATIENT}),
    # FHIR R4 export of one patient's record (issue #13)
    "patient.fhir_export": frozenset({Role.PHYSICIAN, Role.CLINIC_ADMIN}),
    # clinic reports (issue #15): figures over many patients, never one patient's record
    "report.read": frozenset({Role.PHYSICIAN, Role.CLINIC_ADMIN}),
}


def role_may(role: str, capability: str) -> bool:
    try:
        return role in CAPABILITIES[capability]
    except KeyError:
        raise KeyError(f"unknown capability {capability!r}") from None


def is_staff_role(role: str) -> bool:
    return role in STAFF_ROLES
