"""The clinic setup pages (needlepoint/setup): one row of each list per ``i``."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from django.core.cache import cache

from needlepoint.clinic.models import (
    CartridgeLot,
    Closure,
    ConsentText,
    Device,
    Location,
    Room,
    RoomKind,
    ScheduleException,
    Service,
    WorkingHours,
)
from needlepoint.clinic.selectors import CONSENT_TEXTS_CACHE_KEY, published_consent_texts

from . import builders
from .builders import counts, pinned


@pytest.fixture
def admin_client(clinic: Any, clinic_admin: Any, staff_client: Any) -> Any:
    return staff_client(clinic_admin)


def _location(i: int) -> None:
    Location.objects.create(slug=f"site-{i}", name=f"Site {i}", time_zone="America/Chicago")


def _room(i: int) -> None:
    location = Location.objects.create(slug=f"r-{i}", name=f"R {i}", time_zone="America/Denver")
    Room.objects.create(
        location=location, slug=f"room-{i}", name=f"Room {i}", kind=RoomKind.TREATMENT
    )


def _pen(i: int) -> None:
    location = Location.objects.create(slug=f"p-{i}", name=f"P {i}", time_zone="America/Denver")
    Device.objects.create(
        location=location, slug=f"pen-{i}", model_name="Pen", serial_number=f"S{i}"
    )


def _lot(i: int) -> None:
    CartridgeLot.objects.create(
        location=Location.objects.get(slug="main"),
        product=f"Product {i % 4}",
        ref=f"REF-{i}",
        lot=f"LOT-{i}",
        expiry=builders.TODAY + timedelta(days=200 + i),
        quantity_received=10,
        received_on=builders.TODAY,
    )


def _service(i: int) -> None:
    Service.objects.create(
        slug=f"service-{i}",
        name=f"Service {i}",
        duration_minutes=30 + i,
        room_kind=RoomKind.CONSULTATION,
        price=100 + i,
    )


def _staff_with_hours(i: int) -> None:
    person = builders.clinician(i)
    location = Location.objects.get(slug="main")
    for weekday in (0, 2, 4):
        WorkingHours.objects.create(
            staff=person, location=location, weekday=weekday, start_time=time(9), end_time=time(17)
        )


def _closure_and_time_off(i: int) -> None:
    location = Location.objects.create(slug=f"c-{i}", name=f"C {i}", time_zone="America/Denver")
    day = builders.TODAY + timedelta(days=1 + i)
    Closure.objects.create(location=location, date=day, reason="Holiday")
    ScheduleException.objects.create(
        staff=builders.clinician(100 + i), location=location, date=day, kind="time_off"
    )


def _consent_version(i: int) -> None:
    ConsentText.objects.create(
        version=f"2027.{i}",
        effective=builders.TODAY,
        text_hash=f"{i:064d}",
        note=f"Change {i}",
        sections=[{"key": "procedure", "title": "The procedure", "text": "Text."}],
        published_by=builders.clinician(200 + i),
        published_at=datetime(2027, 2, 1, tzinfo=UTC) + timedelta(hours=i),
    )
    # Publishing drops the cached list; the next reader fills it again (measured warm).
    cache.delete(CONSENT_TEXTS_CACHE_KEY)
    published_consent_texts()


# "page 7" is every signed-in staff page (see builders); then the list and the form's choices.
# Pages that show location-bound objects read the admin's location grants once (decision 0700).
PAGES = [
    ("/staff/setup/locations/", _location, 9),  # page 7 + locations with room counts
    ("/staff/setup/rooms/", _room, 11),  # page 7 + rooms (joined) + the form's locations (2)
    ("/staff/setup/pens/", _pen, 11),  # page 7 + pens (joined, chart counts) + locations (2)
    ("/staff/setup/cartridges/", _lot, 10),  # page 7 + the stock report (2)
    ("/staff/setup/services/", _service, 8),  # page 7 + services
    ("/staff/setup/hours/", _staff_with_hours, 9),  # page 7 + staff + their hours (prefetch)
    # page 7 + closures + time off (both joined) + the two forms' choices (a select's
    # choices are read twice as Django renders it)
    ("/staff/setup/closures/", _closure_and_time_off, 17),
    ("/staff/setup/consent/", _consent_version, 9),  # page 7 + versions (joined) + zone
    ("/staff/setup/", _location, 15),  # page 7 + one count per area
]


@pytest.mark.parametrize(("path", "add", "budget"), PAGES, ids=[p for p, _, _ in PAGES])
def test_setup_list_pages_run_the_same_queries_for_1_and_20_rows(
    admin_client: Any, path: str, add: Any, budget: int
) -> None:
    assert counts(add, lambda: admin_client.get(path)) == pinned(budget)
