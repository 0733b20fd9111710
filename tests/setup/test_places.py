"""Locations, rooms and pens: added, changed and taken out of use through the services,
each audited; a refusal sits beside its field and the form keeps what was typed."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from needlepoint.audit.models import AuditEvent
from needlepoint.clinic.models import Device, Location, Room


def test_a_location_is_added_with_a_time_zone_shown_in_words(admin: Any) -> None:
    response = admin.post(
        reverse("setup:locations"),
        {
            "name": "Uptown",
            "address": "1 Main St",
            "phone": "+1 555 0100",
            "time_zone": "America/Chicago",
        },
    )
    assert response.status_code == 302
    added = Location.objects.get(name="Uptown")
    assert added.time_zone == "America/Chicago"
    page = admin.get(reverse("setup:locations")).content.decode()
    assert "Chicago (Central time)" in page and "America/Chicago<" not in page
    assert AuditEvent.objects.filter(action="location.create", object_id=str(added.pk)).exists()


def test_a_location_time_zone_outside_the_list_is_refused_beside_the_field(admin: Any) -> None:
    response = admin.post(
        reverse("setup:locations"), {"name": "Moon base", "time_zone": "Moon/Crater"}
    )
    assert response.status_code == 422
    assert 'value="Moon base"' in response.content.decode()
    assert not Location.objects.filter(name="Moon base").exists()


def test_a_location_is_changed(admin: Any, clinic: Location) -> None:
    response = admin.post(
        reverse("setup:location_edit", args=[clinic.slug]),
        {"name": clinic.name, "address": "2 New Road", "phone": "", "time_zone": "America/Denver"},
    )
    assert response.status_code == 302
    clinic.refresh_from_db()
    assert clinic.address == "2 New Road" and clinic.time_zone == "America/Denver"


def test_a_room_name_taken_at_the_location_is_refused_beside_the_name(
    admin: Any, clinic: Location
) -> None:
    taken = Room.objects.filter(location=clinic).first()
    assert taken is not None
    response = admin.post(
        reverse("setup:rooms"),
        {"location": clinic.pk, "name": taken.name.upper(), "kind": "treatment"},
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "already has a room called" in page
    assert f'value="{taken.name.upper()}"' in page  # what was typed stays
    assert Room.objects.filter(location=clinic).count() == 3


def test_a_room_is_added_and_taken_out_of_use_not_deleted(admin: Any, clinic: Location) -> None:
    admin.post(
        reverse("setup:rooms"), {"location": clinic.pk, "name": "Room 9", "kind": "treatment"}
    )
    room = Room.objects.get(name="Room 9")
    asked = admin.post(reverse("setup:room_active", args=[room.pk]), {"active": "no"})
    assert "Yes, take Room 9 out of use" in asked.content.decode()  # asks once (0504)
    room.refresh_from_db()
    assert room.active is True
    response = admin.post(
        reverse("setup:room_active", args=[room.pk]), {"active": "no", "confirmed": "yes"}
    )
    assert response.status_code == 302
    room.refresh_from_db()
    assert room.active is False
    assert AuditEvent.objects.filter(action="room.deactivate", object_id=str(room.pk)).exists()


def test_a_pen_is_added_in_service_and_audited(admin: Any, clinic: Location) -> None:
    response = admin.post(
        reverse("setup:pens"),
        {
            "location": clinic.pk,
            "label": "MicroPen 3",
            "model_name": "Eclipse MicroPen EVO",
            "serial_number": "EMP-EVO-999",
        },
    )
    assert response.status_code == 302
    pen = Device.objects.get(serial_number="EMP-EVO-999")
    assert pen.slug == "micropen-3" and pen.status == Device.Status.IN_SERVICE
    assert AuditEvent.objects.filter(action="pen.create", object_id=str(pen.pk)).exists()


def test_a_duplicate_serial_number_is_refused_beside_the_field(
    admin: Any, clinic: Location
) -> None:
    response = admin.post(
        reverse("setup:pens"),
        {
            "location": clinic.pk,
            "label": "spare",
            "model_name": "Other pen",
            "serial_number": "emp-evo-240117",
        },
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "a pen with this serial number is already on record" in page
    assert 'value="Other pen"' in page
    assert not Device.objects.filter(slug="spare").exists()


def test_a_pen_is_taken_out_of_service_and_there_is_no_way_to_delete_it(
    admin: Any, clinic: Location
) -> None:
    pen = Device.objects.get(slug="micropen-1")
    response = admin.post(reverse("setup:pen_status", args=[pen.pk]), {"status": "maintenance"})
    assert response.status_code == 302
    pen.refresh_from_db()
    assert pen.status == Device.Status.MAINTENANCE
    event = AuditEvent.objects.get(action="pen.status", object_id=str(pen.pk))
    assert event.detail == {"from": "in_service", "to": "maintenance"}
    page = admin.get(reverse("setup:pens")).content.decode()
    assert ">Delete" not in page and '<option value="maintenance" selected>Maintenance' in page


def test_cartridge_products_list_their_lots_in_words(admin: Any, clinic: Location) -> None:
    from datetime import date, timedelta

    from needlepoint.demo.clinic import ensure_cartridges

    ensure_cartridges(clinic, date.today())
    page = admin.get(reverse("setup:cartridges")).content.decode()
    assert "Receive a delivery" in page
    assert "Eclipse MicroPen 12-needle cartridge</h2>" in page
    soon = date.today() + timedelta(days=20)
    assert f"expires on {soon:%A} {soon.day} {soon:%B %Y}" in page


def test_changing_the_time_zone_with_appointments_ahead_says_to_check_them(
    admin: Any, clinic: Location, aesthetician: Any, patient: Any
) -> None:
    from datetime import datetime, timedelta

    from needlepoint.clinic.clock import clinic_today
    from needlepoint.clinic.models import Service
    from needlepoint.scheduling.models import Appointment

    day = clinic_today(clinic) + timedelta(days=3)
    start = datetime(day.year, day.month, day.day, 10, tzinfo=clinic.zone)
    Appointment.objects.create(
        patient=patient.patient,
        service=Service.objects.get(slug="consultation"),
        location=clinic,
        staff=aesthetician.user,
        room=Room.objects.get(slug="consult-1"),
        start=start,
        end=start + timedelta(minutes=30),
        busy_until=start + timedelta(minutes=30),
        status="booked",
        booked_via="staff",
    )
    response = admin.post(
        reverse("setup:location_edit", args=[clinic.slug]),
        {"name": clinic.name, "time_zone": "America/Los_Angeles"},
        follow=True,
    )
    assert "1 appointment booked ahead now shows at different clock times" in (
        response.content.decode()
    )
