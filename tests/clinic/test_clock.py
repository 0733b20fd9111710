"""One clinic clock: each location's zone, today there, and its local day; the API (where the
time-zone middleware is skipped) and the pages agree on "today" late in a New York evening."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from needlepoint.clinic.clock import (
    clinic_today,
    default_location,
    local_date,
    local_day_bounds,
    location_zone,
)
from needlepoint.clinic.models import CartridgeLot, Location, Room, Service
from needlepoint.demo.clinic import ensure_location, ensure_services
from needlepoint.outcomes.models import PatientRating, Photo
from needlepoint.scheduling.models import Appointment
from tests.outcomes.conftest import make_image, upload

pytestmark = pytest.mark.django_db

# 23:30 on Wednesday 25 November 2026 in New York is already the 26th in UTC.
LATE_EVENING = datetime(2026, 11, 26, 4, 30, tzinfo=UTC)
NY_TODAY, UTC_TODAY = date(2026, 11, 25), date(2026, 11, 26)


@pytest.fixture
def new_york() -> Location:
    return ensure_location()


@pytest.fixture
def late_evening():
    with time_machine.travel(LATE_EVENING, tick=False):
        yield


def _location(slug: str, zone: str) -> Location:
    return Location.objects.create(slug=slug, name=slug.title(), time_zone=zone)


# ---------------------------------------------------------------- the clock itself


def test_without_a_location_the_clock_keeps_utc():
    assert default_location() is None
    assert location_zone() == ZoneInfo("UTC")
    assert clinic_today(now=LATE_EVENING) == UTC_TODAY


def test_the_default_location_is_the_first_by_primary_key_not_by_name_or_slug():
    first = _location("zz-first", "America/New_York")
    _location("aa-second", "America/Los_Angeles")
    assert default_location() == first
    assert location_zone() == ZoneInfo("America/New_York")


def test_each_location_keeps_its_own_zone_and_day():
    new_york = _location("ny", "America/New_York")
    honolulu = _location("hnl", "Pacific/Honolulu")
    at = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)  # 05:00 in New York, 00:00 in Honolulu
    assert clinic_today(new_york, now=at) == NY_TODAY
    assert clinic_today(honolulu, now=at) == NY_TODAY
    assert local_date(honolulu, at - timedelta(minutes=1)) == date(2026, 11, 24)
    assert clinic_today(now=at - timedelta(minutes=1)) == NY_TODAY  # the default: New York


def test_a_local_day_is_23_or_25_hours_on_dst_days():
    new_york = _location("ny", "America/New_York")
    spring = local_day_bounds(new_york, date(2026, 3, 8))
    autumn = local_day_bounds(new_york, date(2026, 11, 1))
    assert spring.duration == timedelta(hours=23)
    assert autumn.duration == timedelta(hours=25)
    assert spring.start == datetime(2026, 3, 8, 5, 0, tzinfo=UTC)


def test_today_follows_the_present_when_no_now_is_given(new_york, late_evening):
    assert clinic_today() == NY_TODAY
    assert clinic_today(new_york) == NY_TODAY


# ---------------------------------------------------------------- the API and the pages agree


def test_a_photo_taken_today_in_new_york_is_accepted_by_the_api_and_the_page_alike(
    new_york, late_evening, aesthetician, patient, api, staff_client
):
    record = patient.patient.pk
    page = staff_client(aesthetician)
    url = f"/staff/patients/{record}/photos/"

    def page_upload(view: str, taken_on: date):
        file = SimpleUploadedFile("face.jpg", make_image(), "image/jpeg")
        return page.post(url, {"view": view, "taken_on": taken_on.isoformat(), "file": file})

    # Tomorrow in New York (today in UTC) is in the future for both.
    by_api = upload(api(aesthetician), record, make_image(), taken_on=UTC_TODAY.isoformat())
    by_page = page_upload("front", UTC_TODAY)
    assert by_api.status_code == 422, by_api.content
    assert {e["field"] for e in by_api.json()["errors"]} == {"taken_on"}
    assert by_page.status_code == 422
    assert not Photo.objects.exists()
    # Today in New York is today for both, and the page offers the same day.
    by_api = upload(api(aesthetician), record, make_image(), taken_on=NY_TODAY.isoformat())
    by_page = page_upload("left_45", NY_TODAY)
    assert by_api.status_code == 201, by_api.content
    assert by_page.status_code == 302
    assert by_api.json()["taken_on"] == NY_TODAY.isoformat()
    assert set(Photo.objects.values_list("taken_on", flat=True)) == {NY_TODAY}
    assert page.get(url).context["today"] == NY_TODAY


def test_a_rating_given_through_the_api_and_the_portal_is_dated_the_same_evening(
    new_york, late_evening, patient, api
):
    by_api = api(patient).post("/me/ratings", {"improvement": 2, "satisfaction": 5})
    portal = Client()
    portal.force_login(patient.user)
    by_page = portal.post("/portal/progress/", {"improvement": "2", "satisfaction": "4"})
    assert by_api.status_code == 201, by_api.content
    assert by_page.status_code == 302
    assert by_api.json()["rated_on"] == NY_TODAY.isoformat()
    assert set(PatientRating.objects.values_list("rated_on", flat=True)) == {NY_TODAY}


def test_stock_received_through_the_api_and_the_page_is_judged_on_the_same_day(
    new_york, late_evening, clinic_admin, api, staff_client
):
    # A lot whose last day is today in New York is not expired yet (it is in UTC).
    lot = {"product": "Cartridge", "ref": "C-12", "expiry": NY_TODAY.isoformat(), "quantity": 5}
    by_api = api(clinic_admin).post("/inventory/cartridges", {**lot, "lot": "BY-API"})
    page = staff_client(clinic_admin)
    by_page = page.post("/staff/inventory/", {**lot, "lot": "BY-PAGE"})
    assert by_api.status_code == 201, by_api.content
    assert by_page.status_code == 302
    received = CartridgeLot.objects.values_list("lot", "received_on")
    assert dict(received) == {"BY-API": NY_TODAY, "BY-PAGE": NY_TODAY}
    # The API list and the page list warn of the same lots, judged on the same day.
    listed = api(clinic_admin).get("/inventory/cartridges").json()
    api_warnings = {(w["lot"], w["code"]) for w in listed["warnings"]}
    page_warnings = {(w.lot, w.code) for w in page.get("/staff/inventory/").context["warnings"]}
    assert api_warnings == page_warnings
    assert ("BY-API", "LOT_EXPIRED") not in api_warnings


def test_a_birth_date_of_tomorrow_in_new_york_is_refused_through_the_api(
    new_york, late_evening, front_desk, api
):
    body = {
        "given_name": "Nora",
        "family_name": "Night",
        "email": "nora@example.com",
        "date_of_birth": UTC_TODAY.isoformat(),
    }
    response = api(front_desk).post("/patients", body)
    assert response.status_code == 422, response.content
    assert [e["field"] for e in response.json()["errors"]] == ["date_of_birth"]
    today = {**body, "date_of_birth": NY_TODAY.isoformat()}
    assert api(front_desk).post("/patients", today).status_code == 201


def test_the_staff_today_page_shows_the_new_york_day_late_in_the_evening(
    new_york, late_evening, patient, aesthetician, front_desk, staff_client
):
    ensure_services()
    consultation = Service.objects.get(slug="consultation")

    def visit(start: datetime) -> Appointment:
        length = timedelta(minutes=consultation.duration_minutes)
        return Appointment.objects.create(
            patient=patient.patient,
            service=consultation,
            location=new_york,
            staff=aesthetician.user,
            room=Room.objects.get(slug="consult-1"),
            start=start,
            end=start + length,
            busy_until=start + length,
            status="booked",
            booked_via="staff",
        )

    visit(datetime(2026, 11, 26, 1, 0, tzinfo=UTC))  # 20:00 on the 25th in New York
    visit(datetime(2026, 11, 26, 15, 0, tzinfo=UTC))  # 10:00 on the 26th: tomorrow
    appointments = staff_client(front_desk).get("/staff/").context["appointments"]
    assert [local_date(new_york, a.start) for a in appointments] == [NY_TODAY]
