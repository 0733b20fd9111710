"""The week grid, closures and time off."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from django.urls import reverse

from needlepoint.audit.models import AuditEvent
from needlepoint.clinic.clock import clinic_today
from needlepoint.clinic.models import Closure, Location, ScheduleException, WorkingHours

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _grid(slug: str, **days: tuple[str, str]) -> dict[str, str]:
    data = {}
    for day in DAYS:
        start, end = days.get(day, ("", ""))
        data[f"{day}-{slug}-start"], data[f"{day}-{slug}-end"] = start, end
    return data


def test_the_week_grid_shows_monday_to_sunday_with_the_hours_on_record(
    admin: Any, clinic: Location, aesthetician: Any
) -> None:
    page = admin.get(
        reverse("setup:hours_edit", args=[aesthetician.user.public_id])
    ).content.decode()
    for day in DAYS:
        assert f'name="{day}-{clinic.slug}-start"' in page
    assert f'name="monday-{clinic.slug}-start" value="09:00"' in page


def test_the_week_grid_replaces_the_week_and_is_audited(
    admin: Any, clinic: Location, aesthetician: Any
) -> None:
    staff = aesthetician.user
    data = _grid(clinic.slug, monday=("08:00", "12:30"), saturday=("10:00", "14:00"))
    response = admin.post(reverse("setup:hours_edit", args=[staff.public_id]), data)
    assert response.status_code == 302
    week = list(WorkingHours.objects.filter(staff=staff).order_by("weekday"))
    assert [(w.weekday, w.start_time, w.end_time) for w in week] == [
        (0, time(8), time(12, 30)),
        (5, time(10), time(14)),
    ]
    assert AuditEvent.objects.filter(action="working_hours.set", object_id=str(staff.pk)).exists()
    listing = admin.get(reverse("setup:hours")).content.decode()
    assert "Monday 8:00 am to 12:30 pm" in listing


def test_an_end_before_the_start_is_refused_beside_that_end_and_nothing_changes(
    admin: Any, clinic: Location, aesthetician: Any
) -> None:
    staff = aesthetician.user
    before = WorkingHours.objects.filter(staff=staff).count()
    data = _grid(clinic.slug, monday=("08:00", "12:00"), tuesday=("17:00", "09:00"))
    response = admin.post(reverse("setup:hours_edit", args=[staff.public_id]), data)
    page = response.content.decode()
    assert response.status_code == 422
    assert "must be after the start time" in page
    assert f'id="id_tuesday-{clinic.slug}-end_error"' in page
    assert f'name="tuesday-{clinic.slug}-start" value="17:00"' in page  # kept as typed
    assert WorkingHours.objects.filter(staff=staff).count() == before


def test_overlapping_hours_at_two_locations_are_refused(
    admin: Any, clinic: Location, aesthetician: Any
) -> None:
    other = Location.objects.create(slug="uptown", name="Uptown", time_zone="America/New_York")
    data = {
        **_grid(clinic.slug, monday=("09:00", "13:00")),
        **_grid(other.slug, monday=("12:00", "17:00")),
    }
    response = admin.post(reverse("setup:hours_edit", args=[aesthetician.user.public_id]), data)
    assert response.status_code == 422
    assert "a person works at one place at a time" in response.content.decode()


def test_a_closure_is_added_listed_in_words_and_removed(admin: Any, clinic: Location) -> None:
    day = clinic_today(clinic) + timedelta(days=10)
    response = admin.post(
        reverse("setup:closures"),
        {
            "form": "closure",
            "closure-location": clinic.pk,
            "closure-date": day.isoformat(),
            "closure-reason": "Staff training",
        },
    )
    assert response.status_code == 302
    closure = Closure.objects.get(location=clinic, date=day)
    page = admin.get(reverse("setup:closures")).content.decode()
    assert f"{day:%A} {day.day} {day:%B %Y}" in page and "Staff training" in page
    asked = admin.get(reverse("setup:closure_remove", args=[closure.pk])).content.decode()
    assert "Yes, open again" in asked and Closure.objects.filter(pk=closure.pk).exists()
    admin.post(reverse("setup:closure_remove", args=[closure.pk]), {"confirmed": "yes"})
    assert not Closure.objects.filter(pk=closure.pk).exists()
    assert AuditEvent.objects.filter(action="closure.remove").exists()


def test_a_closure_twice_or_in_the_past_is_refused_beside_the_date(
    admin: Any, clinic: Location
) -> None:
    day = clinic_today(clinic) + timedelta(days=3)
    Closure.objects.create(location=clinic, date=day)
    for when in (day, clinic_today(clinic) - timedelta(days=1)):
        response = admin.post(
            reverse("setup:closures"),
            {
                "form": "closure",
                "closure-location": clinic.pk,
                "closure-date": when.isoformat(),
                "closure-reason": "Holiday",
            },
        )
        assert response.status_code == 422
        assert 'value="Holiday"' in response.content.decode()
    assert Closure.objects.count() == 1


def test_time_off_and_extra_hours_are_added_and_checked(
    admin: Any, clinic: Location, aesthetician: Any
) -> None:
    day = clinic_today(clinic) + timedelta(days=5)
    base = {
        "form": "exception",
        "exception-staff": aesthetician.user.public_id,
        "exception-location": clinic.pk,
        "exception-date": day.isoformat(),
    }
    response = admin.post(reverse("setup:closures"), {**base, "exception-kind": "time_off"})
    assert response.status_code == 302
    response = admin.post(
        reverse("setup:closures"),
        {
            **base,
            "exception-kind": "extra_hours",
            "exception-start": "18:00",
            "exception-end": "17:00",
        },
    )
    assert response.status_code == 422
    assert "must be after the start time" in response.content.decode()
    assert ScheduleException.objects.count() == 1
    page = admin.get(reverse("setup:closures")).content.decode()
    assert "All day" in page and aesthetician.user.display_name in page


def test_a_split_shift_on_record_is_pointed_out_before_the_grid_is_saved(
    admin: Any, clinic: Location, aesthetician: Any
) -> None:
    WorkingHours.objects.filter(staff=aesthetician.user, weekday=0).update(end_time=time(12))
    WorkingHours.objects.create(
        staff=aesthetician.user, location=clinic, weekday=0, start_time=time(13), end_time=time(17)
    )
    page = admin.get(
        reverse("setup:hours_edit", args=[aesthetician.user.public_id])
    ).content.decode()
    assert f"More than one block of hours is on record for Monday at {clinic.name}" in page


def test_closing_a_day_with_appointments_booked_says_how_many_need_moving(
    admin: Any, clinic: Location, aesthetician: Any, patient: Any
) -> None:
    from datetime import datetime

    from needlepoint.clinic.models import Room, Service
    from needlepoint.scheduling.models import Appointment

    day = clinic_today(clinic) + timedelta(days=7)
    start = datetime(day.year, day.month, day.day, 10, tzinfo=clinic.zone)
    service = Service.objects.get(slug="consultation")
    Appointment.objects.create(
        patient=patient.patient,
        service=service,
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
        reverse("setup:closures"),
        {"form": "closure", "closure-location": clinic.pk, "closure-date": day.isoformat()},
        follow=True,
    )
    assert "1 appointment is still booked that day: move or cancel them" in (
        response.content.decode()
    )
