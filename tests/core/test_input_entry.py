"""Input that used to reach the database or the date arithmetic unparsed, and gave a 500.

Each answer is a 4xx that names the field (``errors[].field`` on the API, the field's name
in the page's message), on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


def _fields(response):
    return {e["field"] for e in response.json()["errors"]}


@pytest.mark.parametrize("name", ["limit", "offset"])
def test_a_huge_limit_or_offset_on_the_patient_list_is_refused(api, front_desk, name):
    response = api(front_desk).get("/patients", **{name: HUGE})
    assert response.status_code == 422
    assert name in _fields(response)


@pytest.mark.parametrize("name", ["limit", "offset"])
def test_a_huge_limit_or_offset_on_the_audit_list_is_refused(api, clinic_admin, name):
    response = api(clinic_admin).get("/audit", **{name: HUGE})
    assert response.status_code == 422
    assert name in _fields(response)


@pytest.mark.parametrize("name", ["limit", "offset"])
def test_a_huge_limit_or_offset_on_the_waitlist_is_refused(api, front_desk, name):
    response = api(front_desk).get("/waitlist", **{name: HUGE})
    assert response.status_code == 422
    assert name in _fields(response)


@pytest.mark.parametrize("kind", ["plans", "assessments", "photos"])
@pytest.mark.parametrize("name", ["limit", "offset"])
def test_a_huge_offset_on_a_patients_lists_is_refused(api, physician, patient, kind, name):
    response = api(physician).get(f"/patients/{patient.patient.pk}/{kind}", **{name: HUGE})
    assert response.status_code == 422
    assert name in _fields(response)


def test_an_offset_past_the_end_is_an_empty_page_not_an_error(api, front_desk):
    response = api(front_desk).get("/patients", offset=1_000_000)
    assert response.status_code == 200
    assert response.json()["items"] == []


def test_a_nul_byte_in_a_query_parameter_is_refused_naming_it(api, front_desk):
    response = api(front_desk).get("/patients", q="a\x00b")
    assert response.status_code == 400
    assert _fields(response) == {"q"}


def test_a_nul_byte_in_a_json_body_is_refused_naming_the_field(api, front_desk):
    body = {
        "given_name": "A\x00",
        "family_name": "B",
        "date_of_birth": "1990-01-01",
        "email": "a@example.com",
    }
    response = api(front_desk).post("/patients", body)
    assert response.status_code == 422
    assert _fields(response) == {"given_name"}


def test_a_nul_byte_in_a_public_screening_is_refused_naming_the_field(api):
    response = api().post("/screenings", {"areas": ["face"], "diabetes": "none\x00"})
    assert response.status_code == 422
    assert _fields(response) == {"diabetes"}


def test_a_nul_byte_in_a_form_is_refused_naming_the_field(staff_client, front_desk):
    page = staff_client(front_desk).post("/staff/calendar/book/", {"q": "x\x00y"})
    assert page.status_code == 400
    assert "q" in page.content.decode()


def test_a_deeply_nested_screening_body_is_refused(api):
    from django.test import Client

    body = "[" * 100_000 + "]" * 100_000
    response = Client().post("/api/v1/screenings", body, content_type="application/json")
    assert response.status_code == 400
    assert _fields(response) == {"body"}


def test_unicode_digits_in_a_patient_search_are_text_not_a_record_number(api, front_desk):
    response = api(front_desk).get("/patients", q="³")
    assert response.status_code == 200


def test_a_control_character_in_the_patient_search_is_refused_naming_q(staff_client, front_desk):
    page = staff_client(front_desk).get("/staff/patients/", {"q": "Ada\x1b[2J"})
    assert page.status_code == 400
    assert "q" in page.content.decode()


def test_a_page_number_beyond_any_list_is_refused_naming_it(staff_client, front_desk):
    page = staff_client(front_desk).get("/staff/patients/", {"page": HUGE})
    assert page.status_code == 400
    assert "page" in page.content.decode()


@pytest.mark.parametrize("raw", ["³", "٣", "²³"])
def test_a_page_number_in_other_digits_is_the_first_page(staff_client, front_desk, raw):
    # Nonsense is page 1 (test_patient_list_page); these passed isdigit() and crashed int().
    page = staff_client(front_desk).get("/staff/patients/", {"page": raw})
    assert page.status_code == 200


@pytest.mark.parametrize("path", ["/staff/calendar/", "/staff/calendar/week/"])
@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "10000-01-01"])
def test_calendar_dates_at_the_ends_of_time_are_refused(staff_client, front_desk, path, day):
    from needlepoint.demo.clinic import ensure_location

    ensure_location()
    page = staff_client(front_desk).get(path, {"date": day})
    assert page.status_code == 400
    assert "date" in page.content.decode()


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_booking_for_a_caller_on_a_date_at_the_ends_of_time_is_refused(
    staff_client, front_desk, day
):
    from needlepoint.demo.clinic import ensure_location, ensure_services

    location = ensure_location()
    ensure_services()
    data = {"service": "consultation", "location": location.slug, "date": day}
    page = staff_client(front_desk).get("/staff/calendar/book/", data)
    assert page.status_code == 422
    assert "date" in page.content.decode()


def test_an_unknown_query_parameter_is_refused_naming_it(api, front_desk):
    response = api(front_desk).get("/patients", limt="5")
    assert response.status_code == 422
    assert _fields(response) == {"limt"}


def test_a_nul_byte_in_an_api_form_field_is_refused_after_authentication(api, physician, patient):
    from django.test import Client

    path = f"/api/v1/patients/{patient.patient.pk}/photos"
    data = {"view": "front\x00", "taken_on": "2027-01-01"}
    assert Client().post(path, data).status_code == 401
    response = Client().post(path, data, headers={"Authorization": f"Bearer {physician.token}"})
    assert response.status_code == 422
    assert "view" in _fields(response)


@pytest.mark.parametrize(
    "start", ["9999-12-31T23:30:00-12:00", "0001-01-01T00:30:00+14:00", "9999-12-31T23:00:00"]
)
def test_staff_booking_at_the_ends_of_time_is_refused_naming_start(api, front_desk, patient, start):
    from needlepoint.demo.clinic import ensure_location, ensure_services

    ensure_location()
    ensure_services()
    body = {"service": "consultation", "start": start, "patient": patient.patient.pk}
    response = api(front_desk).post("/appointments", body)
    assert response.status_code == 422, response.content
    assert "start" in _fields(response)


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_availability_at_the_ends_of_time_is_refused_naming_the_date(api, day):
    from needlepoint.demo.clinic import ensure_location, ensure_services

    ensure_location()
    ensure_services()
    response = api().get("/availability", service="consultation", start=day, end=day)
    assert response.status_code == 422, response.content
    assert _fields(response) == {"start", "end"}
