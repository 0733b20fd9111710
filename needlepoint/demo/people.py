"""Demo logins and patients. Names are realistic in shape and obviously invented."""

from __future__ import annotations

import secrets
from datetime import date
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings

from needlepoint.accounts.models import User
from needlepoint.accounts.roles import Role
from needlepoint.clinic.services.access import (
    location_access_grant_at,
    location_access_grant_group,
)
from needlepoint.patients.models import Patient
from needlepoint.patients.services import patient_create, patient_link_user

STAFF = [
    ("admin", Role.CLINIC_ADMIN, "Morgan", "Adminova"),
    ("frontdesk", Role.FRONT_DESK, "Frankie", "Deskworth"),
    ("aesthetician", Role.AESTHETICIAN, "Alex", "Skinner"),
    ("aesthetician2", Role.AESTHETICIAN, "Sam", "Glowfield"),
    ("physician", Role.PHYSICIAN, "Dr. Jordan", "Collagenberg"),
    ("frontdesk2", Role.FRONT_DESK, "Casey", "Lakeshore"),
]

WEEKDAYS = (0, 1, 2, 3, 4)
# Who works where, and on which weekdays (0 = Monday), at each location of the group: the one
# table the demo's working hours come from (clinicians), and the one per-location access is
# granted from. The clinic admin runs the whole group; Alex and Dr. Collagenberg share their
# week between New York (`main`) and Chicago; Casey answers Chicago's desk only.
WHERE_THEY_WORK: dict[str, dict[str, tuple[int, ...]]] = {
    "admin": {"main": WEEKDAYS, "chicago": WEEKDAYS},
    "frontdesk": {"main": WEEKDAYS},
    "frontdesk2": {"chicago": WEEKDAYS},
    "aesthetician": {"main": (0, 1, 4), "chicago": (2, 3)},
    "aesthetician2": {"main": WEEKDAYS},
    "physician": {"main": (2, 3), "chicago": (0, 1, 4)},
}


def locations_of(username: str) -> list[str]:
    """The slugs of the locations a demo staff member works at (WHERE_THEY_WORK)."""
    return sorted(WHERE_THEY_WORK.get(username, {}))


PATIENTS = [
    ("Ada", "Testwell", date(1988, 4, 12), "ada.testwell@example.com", "+1 555 0100"),
    ("Bruno", "Samplesson", date(1979, 9, 30), "bruno.samplesson@example.com", "+1 555 0101"),
    ("Cleo", "Demoiselle", date(1995, 1, 22), "cleo.demoiselle@example.com", "+1 555 0102"),
    ("Dmitri", "Placeholder", date(1969, 7, 4), "dmitri.placeholder@example.com", "+1 555 0103"),
    ("Esme", "Fictionova", date(2001, 11, 8), "esme.fictionova@example.com", "+1 555 0104"),
    ("Farah", "Mockford", date(1984, 3, 17), "farah.mockford@example.com", "+1 555 0105"),
    # Chicago's own patients (the group's second location)
    ("Gus", "Fakerton", date(1991, 6, 14), "gus.fakerton@example.com", "+1 312 555 0106"),
    ("Hana", "Exemplar", date(1986, 2, 27), "hana.exemplar@example.com", "+1 312 555 0107"),
]
# Treated at Chicago (Bruno's course moved there); everyone else is New York's.
CHICAGO_PATIENTS = [
    "bruno.samplesson@example.com",
    "gus.fakerton@example.com",
    "hana.exemplar@example.com",
]
PORTAL_PATIENT = ("patient", "ada.testwell@example.com")


def demo_password() -> tuple[str, bool]:
    """The demo password: from NEEDLEPOINT_DEMO_PASSWORD, else generated once and kept
    (owner-only) under the data dir so a second `needlepoint demo` prints the same one."""
    configured = settings.NEEDLEPOINT_DEMO_PASSWORD
    if configured:
        return configured, False
    keep = Path(settings.DATA_DIR) / "demo-password"
    if keep.exists():
        return keep.read_text().strip(), True
    password = "-".join(secrets.token_urlsafe(6) for _ in range(3))
    keep.write_text(password + "\n")
    keep.chmod(0o600)
    return password, True


def _grant_where_they_work(user: User) -> None:
    """The clinic admin runs the whole group; everyone else acts only where they work, so
    Casey at Chicago's desk cannot open New York's day (decision 0700)."""
    if user.role == Role.CLINIC_ADMIN or user.username not in WHERE_THEY_WORK:
        location_access_grant_group(staff=user)
    else:
        location_access_grant_at(staff=user, slugs=locations_of(user.username))


def _ensure_user(username: str, role: str, first: str, last: str, password: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, role=role, first_name=first, last_name=last)
        user.email = f"{username}@example.com"
        user.is_staff = role == Role.CLINIC_ADMIN
        user.is_superuser = role == Role.CLINIC_ADMIN
        user.set_password(password)
        user.save()
        _grant_where_they_work(user)
    elif not user.check_password(password):
        user.set_password(password)  # NEEDLEPOINT_DEMO_PASSWORD changed since last time
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


def ensure_people(password: str) -> dict[str, User]:
    users = {
        name: _ensure_user(name, role, first, last, password) for name, role, first, last in STAFF
    }
    for given, family, dob, email, phone in PATIENTS:
        if not Patient.objects.filter(email=email).exists():
            patient_create(
                actor=None,
                given_name=given,
                family_name=family,
                date_of_birth=dob,
                email=email,
                phone=phone,
            )
    username, email = PORTAL_PATIENT
    portal_user = User.objects.filter(username=username).first()
    if portal_user is None:
        portal_user = User(
            username=username,
            role=Role.PATIENT,
            email=email,
            first_name="Ada",
            last_name="Testwell",
        )
        portal_user.set_password(password)
        portal_user.save()
    elif not portal_user.check_password(password):
        portal_user.set_password(password)
        portal_user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=portal_user, email=email, defaults={"verified": True, "primary": True}
    )
    patient = Patient.objects.get(email=email)
    if patient.user_id != portal_user.pk:
        patient_link_user(actor=None, patient=patient, user=portal_user)
    users[username] = portal_user
    return users
