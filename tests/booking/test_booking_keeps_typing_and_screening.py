"""Public booking: choosing another day keeps what was typed, and "Book a consultation" on a
screening result carries that screening to the booking, usable only through its result
(docs/decisions/0262-screening-carried-to-booking.md)."""

from __future__ import annotations

import re
import uuid
from html import unescape

import pytest

from tests.notifications.clinic_fixtures import TUESDAY_9
from tests.screening.conftest import answers

pytestmark = pytest.mark.django_db

TYPED = {"given_name": "Grace", "family_name": "Hopper", "email": "grace@example.com"}
FORM = {**TYPED, "phone": "+1 555 0142", "date_of_birth": "1986-12-09"}


@pytest.mark.parametrize("htmx", [False, True])
def test_choosing_another_day_keeps_the_name_and_email_typed(clinic, client, htmx):
    from needlepoint.scheduling.models import Appointment

    headers = {"HX-Request": "true"} if htmx else {}
    response = client.post("/book/consultation/", {**TYPED, "day": "2027-03-03"}, headers=headers)
    assert response.status_code == 200
    html = response.content.decode()
    for value in TYPED.values():
        assert f'value="{value}"' in html
    assert "Wednesday 3 March 2027" in html
    assert 'value="2027-03-03T09:00:00-05:00"' in html
    assert 'value="2027-03-02T09:00:00-05:00"' not in html
    assert "field-error" not in html and "error-summary" not in html
    assert not Appointment.objects.exists()


def test_each_day_is_a_button_of_the_form_so_the_typed_values_travel(clinic, client):
    html = client.get("/book/consultation/").content.decode()
    form = re.search(r'<form method="post".*?</form>', html, re.S).group(0)
    assert re.search(r'<button[^>]*name="day"[^>]*value="2027-03-03"', form)
    assert 'href="?date=' not in html


def _screen(client, **changes):
    data = {}
    changes = {"planned_date": "2027-03-02", "consent_to_store": True, **changes}
    for key, value in answers(**changes).items():
        data[key] = ("yes" if value else "no") if isinstance(value, bool) else (value or "")
    response = client.post("/micro-needling/screening/", data, follow=True)
    assert response.status_code == 200, response.content
    return response.content.decode()


def _book_link(result_html: str) -> str:
    match = re.search(r'href="(/book/consultation/\?screening=[^"]+)"', result_html)
    assert match, "the result's Book a consultation link carries the screening"
    return unescape(match.group(1))


def test_the_result_link_carries_the_screening_and_the_booking_is_linked_to_it(
    clinic, client, mailoutbox, front_desk, staff_client
):
    from needlepoint.scheduling.models import Appointment
    from needlepoint.screening.models import Screening

    link = _book_link(_screen(client))
    screening = Screening.objects.get()
    assert str(screening.pk) not in link  # a reference, not the bare id
    page = client.get(link).content.decode()
    reference = re.search(r'name="screening" value="([^"]+)"', page).group(1)
    assert reference
    # The day changes and the reference is still in the form.
    page = client.post(link, {**TYPED, "screening": reference, "day": "2027-03-03"})
    assert f'name="screening" value="{reference}"' in page.content.decode()
    booked = client.post(link, {**FORM, "screening": reference, "start": TUESDAY_9})
    assert booked.status_code == 302, booked.content
    appointment = Appointment.objects.get()
    assert appointment.screening == screening
    screening.refresh_from_db()
    assert screening.patient == appointment.patient  # staff see it on the patient's record

    staff = staff_client(front_desk)
    staff_page = staff.get(f"/staff/calendar/appointments/{appointment.pk}/").content.decode()
    assert "Screening" in staff_page and "Micro-needling looks likely to suit you" in staff_page


def test_a_bare_screening_id_or_a_forged_reference_is_refused(clinic, client):
    from needlepoint.scheduling.models import Appointment
    from needlepoint.screening.models import Screening

    _screen(client)
    screening_id = str(Screening.objects.get().pk)
    for value in (screening_id, "forged:" + screening_id, str(uuid.uuid4())):
        response = client.post(
            "/api/v1/bookings/consultation",
            {**FORM, "start": TUESDAY_9, "screening": value},
            content_type="application/json",
        )
        assert response.status_code == 422, value
        assert response.json()["errors"][0]["field"] == "screening"
        assert screening_id not in response.content.decode()
    assert not Appointment.objects.exists()


def test_a_link_with_an_altered_reference_books_without_it(clinic, client):
    page = client.get("/book/consultation/?screening=altered").content.decode()
    assert 'name="screening" value=""' in page


def test_the_screening_api_gives_a_booking_reference_the_booking_api_accepts(clinic, client):
    from needlepoint.scheduling.models import Appointment

    body = answers(planned_date="2027-03-02", consent_to_store=True)
    screened = client.post("/api/v1/screenings", body, content_type="application/json")
    assert screened.status_code == 200, screened.content
    reference = screened.json()["booking_reference"]
    response = client.post(
        "/api/v1/bookings/consultation",
        {**FORM, "start": TUESDAY_9, "screening": reference},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert str(Appointment.objects.get().screening_id) == screened.json()["id"]


def test_an_unstored_screening_gives_no_reference(clinic, client):
    html = _screen(client, consent_to_store=False)
    assert "?screening=" not in html


def test_a_refused_booking_stays_on_the_day_that_was_shown(clinic, client):
    """Pressing Book without a time re-shows the day the person was looking at, not the
    first day, so they don't have to find it again."""
    shown = client.post("/book/consultation/", {**TYPED, "day": "2027-03-03"}).content.decode()
    assert 'name="shown_day" value="2027-03-03"' in shown
    response = client.post("/book/consultation/", {**FORM, "shown_day": "2027-03-03"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Wednesday 3 March 2027" in html
    assert 'value="2027-03-03T09:00:00-05:00"' in html


def test_the_error_summary_names_each_field_as_the_form_shows_it(clinic, client):
    """ "Start: choose a time" named the field by its code; the summary uses the form's words."""
    from tests.site.words import readable

    response = client.post("/book/consultation/", {"given_name": "Grace"})
    assert response.status_code == 422
    text = readable(response.content.decode())
    assert "Day and time: choose a day, then one of its times" in text
    assert "Last name:" in text and "Date of birth: is required" in text
    assert "Start:" not in text and "Family name" not in text
