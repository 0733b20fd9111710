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
    # audit trail
    "audit.read": frozenset({Role.CLINIC_ADMIN}),
}


def role_may(role: str, capability: str) -> bool:
    try:
        return role in CAPABILITIES[capability]
    except KeyError:
        raise KeyError(f"unknown capability {capability!r}") from None


def is_staff_role(role: str) -> bool:
    return role in STAFF_ROLES
