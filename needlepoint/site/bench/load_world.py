"""The clinic group `needlepoint loadtest` drives: the demo clinic plus more locations.

The demo loads one location (`main`) with a handful of patients. A group of clinics under
load needs more: each extra location gets its own rooms, pens and clinicians (Mon–Sat,
9:00–17:00), and the group many patients, some with a portal login, so that contention is
on rooms, pens and clinicians (what double bookings are made of), not on one patient's diary.
Tokens are created for the front desk, the aesthetician and every portal patient; the
locustfile reads them from the JSON this returns.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

from django.db import transaction

from needlepoint.accounts.models import User
from needlepoint.accounts.roles import Role
from needlepoint.accounts.services import api_token_create
from needlepoint.clinic.models import Device, Location, Room, RoomKind, Service, WorkingHours
from needlepoint.patients.models import Patient
from needlepoint.patients.services import patient_create, patient_link_user

# (slug, name, time zone) of the locations added to the demo's `main`.
EXTRA_LOCATIONS = [
    ("north", "Needlepoint North", "America/New_York"),
    ("lakeside", "Needlepoint Lakeside", "America/Chicago"),
    ("harbour", "Needlepoint Harbour", "America/Los_Angeles"),
]
# What each extra location has: two treatment rooms, a consultation room, two pens, three
# clinicians (two aestheticians and a physician).
CLINICIAN_ROLES = [Role.AESTHETICIAN, Role.AESTHETICIAN, Role.PHYSICIAN]


def _add_location(slug: str, name: str, zone: str) -> Location:
    location = Location.objects.create(slug=slug, name=name, time_zone=zone)
    for number, kind in [(1, RoomKind.TREATMENT), (2, RoomKind.TREATMENT)]:
        Room.objects.create(
            location=location, slug=f"{slug}-treatment-{number}", name=f"Room {number}", kind=kind
        )
    Room.objects.create(
        location=location, slug=f"{slug}-consult-1", name="Consultation", kind=RoomKind.CONSULTATION
    )
    for number in (1, 2):
        Device.objects.create(
            location=location,
            slug=f"{slug}-pen-{number}",
            model_name="Eclipse MicroPen EVO",
            serial_number=f"LOAD-{slug}-{number}",
        )
    for number, role in enumerate(CLINICIAN_ROLES, start=1):
        user = User.objects.create(
            username=f"{slug}-clinician-{number}",
            role=role,
            first_name="Clinician",
            last_name=f"{name} {number}",
            email=f"{slug}-clinician-{number}@example.com",
        )
        for weekday in range(6):
            WorkingHours.objects.create(
                staff=user,
                location=location,
                weekday=weekday,
                start_time=time(9),
                end_time=time(17),
            )
    return location


def _add_patients(count: int, portal: int) -> list[tuple[Patient, User | None]]:
    patients: list[tuple[Patient, User | None]] = []
    for number in range(count):
        patient = patient_create(
            actor=None,
            given_name="Load",
            family_name=f"Patient {number}",
            date_of_birth=date(1970 + number % 30, 1 + number % 12, 1 + number % 28),
            email=f"load.patient.{number}@example.com",
            phone=f"+1 555 {2000 + number:04d}",
        )
        user = None
        if number < portal:
            user = User.objects.create(
                username=f"load-patient-{number}",
                role=Role.PATIENT,
                email=patient.email,
                first_name="Load",
                last_name=f"Patient {number}",
            )
            patient_link_user(actor=None, patient=patient, user=user)
        patients.append((patient, user))
    return patients


def build_group(*, locations: int, patients: int, portal_patients: int) -> dict[str, Any]:
    """Add locations (to `locations` in all) and patients; return the locustfile's config."""
    with transaction.atomic():
        for slug, name, zone in EXTRA_LOCATIONS[: max(0, locations - 1)]:
            _add_location(slug, name, zone)
        added = _add_patients(patients, portal_patients)
    return {
        "tokens": {
            "frontdesk": api_token_create(user=User.objects.get(username="frontdesk")).raw,
            "aesthetician": api_token_create(user=User.objects.get(username="aesthetician")).raw,
        },
        "portal": [
            {"patient": patient.pk, "token": api_token_create(user=user).raw}
            for patient, user in added
            if user is not None
        ],
        "locations": list(Location.objects.order_by("slug").values_list("slug", flat=True)),
        "online_services": list(
            Service.objects.filter(active=True, online_booking=True).values_list("slug", flat=True)
        ),
        "desk_services": list(
            Service.objects.filter(active=True, is_treatment=False).values_list("slug", flat=True)
        ),
        "patients": [patient.pk for patient, _user in added],
        "chart_patients": list(Patient.objects.values_list("pk", flat=True)),
    }
