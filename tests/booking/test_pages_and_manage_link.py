"""The booking page keeps what the person typed on every error; the emailed manage link
shows, cancels (late cancellations marked) and reschedules; a bad link is a 404 page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.notifications.clinic_fixtures import NOW, TUESDAY_9, WEDNESDAY_9

pytestmark = pytest.mark.django_db

FORM = {
    "given_name": "Grace",
    "family_name": "Hopper",
    "email": "grace@example.com",
    "phone": "+1 555 0142",
    "date_of_birth": "1986-12-09",
}


def manage_path(mail) -> str:
    return re.search(r"https?://[^/\s]+(/book/manage/[^/\s]+/)", mail.body).group(1)


def test_the_booking_page_lists_free_times_of_the_first_open_day(clinic, client):
    response = client.get("/book/consultation/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="2027-03-02T09:00:00-05:00"' in html
    assert "Content-Security-Policy" in response.headers
    assert "<script>" not in html


def test_a_booking_from_the_page_redirects_to_the_confirmation(clinic, client, mailoutbox):
    response = client.post("/book/consultation/", {**FORM, "start": TUESDAY_9})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "You're booked" in page.content.decode()
    assert len(mailoutbox) == 1


def test_an_error_re_renders_the_form_with_every_value_typed(clinic, client):
    response = client.post("/book/consultation/", {**FORM, "email": "nope", "start": TUESDAY_9})
    assert response.status_code == 422
    html = response.content.decode()
    for value in ("Grace", "Hopper", "nope", "+1 555 0142", "1986-12-09"):
        assert f'value="{value}"' in html
    assert 'value="2027-03-02T09:00:00-05:00" checked' in html
    assert "not a valid email address" in html


def test_the_rate_limit_answers_a_friendly_page_keeping_the_values(clinic, client, settings):
    settings.NEEDLEPOINT_BOOKING_LIMIT_PER_IP_HOUR = 1
    assert client.post("/book/consultation/", {**FORM, "start": TUESDAY_9}).status_code == 302
    response = client.post(
        "/book/consultation/", {**FORM, "email": "x@example.com", "start": WEDNESDAY_9}
    )
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many online bookings" in html and 'value="x@example.com"' in html


def _book(client, mailoutbox, start=TUESDAY_9):
    response = client.post("/book/consultation/", {**FORM, "start": start})
    assert response.status_code == 302, response.content
    return manage_path(mailoutbox[-1])


def test_the_manage_link_shows_the_appointment_and_is_audited(clinic, client, mailoutbox):
    from needlepoint.audit.models import AuditEvent

    path = _book(client, mailoutbox)
    page = client.get(path)
    assert page.status_code == 200
    assert "Tuesday 2 March 2027, 9:00 am" in page.content.decode()
    assert AuditEvent.objects.filter(action="appointment.read", detail__via="manage_link").exists()


def test_the_manage_link_cancels_and_marks_a_late_cancellation(clinic, client, mailoutbox):
    from needlepoint.scheduling.models import Appointment

    path = _book(client, mailoutbox)  # 25 hours ahead: inside the 48-hour window
    asked = client.post(path + "cancel/", {"reason": "ill"}).content.decode()
    assert "Yes, cancel my appointment" in asked and "late cancellation" in asked  # 0504
    assert 'name="reason" value="ill"' in asked  # the reason rides along with the yes
    assert Appointment.objects.get().status == "booked"
    assert client.post(path + "cancel/", {"reason": "ill", "confirmed": "yes"}).status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.status == "cancelled" and appointment.late_cancellation
    assert mailoutbox[-1].subject.startswith("Cancelled")
    assert "Cancelled" in client.get(path).content.decode()


def test_the_manage_link_reschedules_and_sends_a_new_confirmation(clinic, client, mailoutbox):
    from needlepoint.scheduling.models import Appointment

    path = _book(client, mailoutbox)
    response = client.post(path + "reschedule/", {"start": WEDNESDAY_9})
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.start.isoformat() == "2027-03-03T14:00:00+00:00"
    assert len(mailoutbox) == 2 and "Wednesday 3 March" in mailoutbox[-1].subject


def test_rescheduling_to_a_taken_time_keeps_the_appointment_and_says_why(
    clinic, client, mailoutbox, booked
):
    from needlepoint.scheduling.models import Appointment

    path = _book(client, mailoutbox)
    booked(WEDNESDAY_9)
    response = client.post(path + "reschedule/", {"start": WEDNESDAY_9})
    assert response.status_code == 409
    assert (
        Appointment.objects.get(patient__email="grace@example.com")
        .start.isoformat()
        .startswith("2027-03-02")
    )


def test_a_tampered_or_expired_link_is_a_404_page(clinic, client, mailoutbox, frozen, settings):
    path = _book(client, mailoutbox)
    assert client.get(path[:-3] + "xx/").status_code == 404
    frozen.move_to(NOW + timedelta(days=settings.NEEDLEPOINT_MANAGE_LINK_DAYS + 1))
    assert client.get(path).status_code == 404
    assert client.post(path + "cancel/").status_code == 404
