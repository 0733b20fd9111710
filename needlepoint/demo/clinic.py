"""The demo clinic's set-up: location `main` (New York, America/New_York), rooms, pens, lots;
the group's second location, Chicago, is in chicago.py."""

from __future__ import annotations

from datetime import date, time, timedelta

from needlepoint.accounts.models import User
from needlepoint.accounts.roles import Role
from needlepoint.clinic.models import (
    CartridgeLot,
    Device,
    Location,
    Room,
    RoomKind,
    Service,
    WorkingHours,
)

CLINICIANS = [Role.AESTHETICIAN, Role.PHYSICIAN]

SERVICES = [
    # slug, name, minutes, buffer, room kind, pen, roles, online, treatment, description
    (
        "consultation",
        "Micro-needling consultation",
        30,
        0,
        RoomKind.CONSULTATION,
        False,
        CLINICIANS,
        True,
        False,
        "Meet an aesthetician, examine your skin and plan your course.",
    ),
    (
        "microneedling-face",
        "Micro-needling: face",
        60,
        15,
        RoomKind.TREATMENT,
        True,
        CLINICIANS,
        False,
        True,
        "Collagen induction therapy for the face.",
    ),
    (
        "microneedling-face-neck",
        "Micro-needling: face and neck",
        75,
        15,
        RoomKind.TREATMENT,
        True,
        CLINICIANS,
        False,
        True,
        "Collagen induction therapy for the face and neck.",
    ),
    (
        "microneedling-body",
        "Micro-needling: body (stretch marks)",
        60,
        15,
        RoomKind.TREATMENT,
        True,
        CLINICIANS,
        False,
        True,
        "Collagen induction therapy for stretch marks.",
    ),
    (
        "follow-up",
        "Follow-up visit",
        15,
        0,
        RoomKind.CONSULTATION,
        False,
        CLINICIANS,
        False,
        False,
        "Photos and progress check after a course.",
    ),
    (
        "signature-facial",
        "Signature facial",
        60,
        0,
        RoomKind.TREATMENT,
        False,
        [Role.AESTHETICIAN],
        True,
        False,
        "A restorative facial by our aestheticians.",
    ),
]


def ensure_location() -> Location:
    location, _ = Location.objects.get_or_create(
        slug="main",
        defaults={
            "name": "Needlepoint Upper East Side, New York",
            "time_zone": "America/New_York",
            "address": "1040 Lexington Avenue, Suite 2, New York, NY 10021",
            "phone": "+1 212 555 0199",
        },
    )
    for slug, name, kind in [
        ("treatment-1", "Treatment room 1", RoomKind.TREATMENT),
        ("treatment-2", "Treatment room 2", RoomKind.TREATMENT),
        ("consult-1", "Consultation room", RoomKind.CONSULTATION),
    ]:
        Room.objects.get_or_create(
            slug=slug, defaults={"location": location, "name": name, "kind": kind}
        )
    for slug, serial in [("micropen-1", "EMP-EVO-240117"), ("micropen-2", "EMP-EVO-240388")]:
        Device.objects.get_or_create(
            slug=slug,
            defaults={
                "location": location,
                "model_name": "Eclipse MicroPen EVO",
                "serial_number": serial,
            },
        )
    return location


def ensure_cartridges(location: Location, today: date) -> None:
    lots = [
        ("EMP-12-0.5", "L24A117", today + timedelta(days=20), 10),  # expiring soon
        ("EMP-12-0.5", "L25C031", today + timedelta(days=400), 50),
        ("EMP-12-2.0", "L25D220", today + timedelta(days=540), 40),
    ]
    for ref, lot, expiry, quantity in lots:
        CartridgeLot.objects.get_or_create(
            location=location,
            ref=ref,
            lot=lot,
            defaults={
                "product": "Eclipse MicroPen 12-needle cartridge",
                "expiry": expiry,
                "quantity_received": quantity,
                "received_on": today - timedelta(days=30),
            },
        )


def ensure_services() -> None:
    for slug, name, minutes, buffer, room_kind, pen, roles, online, treatment, text in SERVICES:
        Service.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "duration_minutes": minutes,
                "buffer_after_minutes": buffer,
                "room_kind": room_kind,
                "needs_device": pen,
                "performer_roles": list(roles),
                "online_booking": online,
                "is_treatment": treatment,
                "description": text,
            },
        )


def ensure_working_hours(location: Location, staff: list[User]) -> None:
    """Mon–Fri 09:00–17:00 local for every clinician."""
    for user in staff:
        for weekday in range(5):
            WorkingHours.objects.get_or_create(
                staff=user,
                location=location,
                weekday=weekday,
                start_time=time(9),
                end_time=time(17),
            )
