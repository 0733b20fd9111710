"""Booking online at a practice group: the patient chooses the location first (its address,
opening hours and map shown), then sees times there in its own zone (decision 0712). With one
location it is chosen already."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from tests.locations import add_chicago, set_terms, stop_offering

pytestmark = pytest.mark.django_db

FORM = {
    "given_name": "Grace",
    "family_name": "Hopper",
    "email": "grace@example.com",
    "phone": "+1 555 0142",
    "date_of_birth": "1986-12-09",
}


@pytest.fixture
def chicago(clinic, make_persona):
    return add_chicago([make_persona("cleo", "aesthetician").user])


def test_with_one_location_the_booking_page_opens_on_it(clinic, client):
    html = client.get("/book/consultation/").content.decode()
    assert "Choose another location" not in html
    assert "1040 Lexington Avenue" in html
    assert "Monday to Friday, 9:00 am to 5:00 pm" in html
    assert "openstreetmap.org/search?query=1040+Lexington+Avenue" in html


def test_with_several_locations_the_patient_chooses_first(chicago, client):
    response = client.get("/book/consultation/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "choose where you would like to come" in html
    assert "Book at Needlepoint Chicago" in html
    assert "Book at Needlepoint Upper East Side, New York" in html
    assert "200 West Loop Street" in html and "1040 Lexington Avenue" in html
    assert 'href="/book/consultation/?location=chicago"' in html
    assert 'name="start"' not in html  # no times before a location is chosen


def test_the_chosen_locations_times_are_in_its_own_zone_and_it_books_there(chicago, client):
    from needlepoint.scheduling.models import Appointment

    set_terms("consultation", chicago, minutes=45, price=Decimal("90"))
    html = client.get("/book/consultation/?location=chicago").content.decode()
    assert "Needlepoint Chicago" in html and "45 minutes" in html
    assert "Times are local to Needlepoint Chicago" in html
    assert "Choose another location" in html
    assert 'value="2027-03-02T09:00:00-06:00"' in html  # 9:00 am in Chicago
    assert "9:00 am</label>" in html
    response = client.post(
        "/book/consultation/?location=chicago", {**FORM, "start": "2027-03-02T09:00:00-06:00"}
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    booked = Appointment.objects.select_related("location").get()
    assert booked.location.slug == "chicago"
    assert booked.end - booked.start == timedelta(minutes=45)


def test_a_location_not_offering_consultations_is_not_offered(chicago, client):
    stop_offering("consultation", chicago)
    html = client.get("/book/consultation/").content.decode()
    assert "Book at Needlepoint Chicago" not in html
    assert 'name="start"' in html  # the only location left is chosen already
    refused = client.get("/book/consultation/?location=chicago")
    assert refused.status_code == 404
    assert "Consultations are not booked online at that location" in refused.content.decode()


def test_a_screening_reference_travels_through_the_picker(chicago, client):
    html = client.get("/book/consultation/?screening=abc.def").content.decode()
    assert "?location=chicago&amp;screening=abc.def" in html
