from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_demo_bookings_are_idempotent_and_never_double_book(frozen):
    from needlepoint.demo.load import load_demo
    from needlepoint.scheduling.models import Appointment

    load_demo("a long demo password 123", generated=False)
    count = Appointment.objects.count()
    assert count >= 2
    assert Appointment.objects.filter(status="booked").exists()
    assert Appointment.objects.filter(status="completed").exists()
    load_demo("a long demo password 123", generated=False)
    assert Appointment.objects.count() == count


@pytest.mark.parametrize(
    "body",
    [b"{", b"[]", b'"x"', b'{"service": 1, "start": 2, "patient": {}}', b"\xff\xfe"],
)
def test_malformed_booking_bodies_are_4xx_never_500(clinic, front_desk, client, body):
    response = client.post(
        "/api/v1/appointments",
        data=body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {front_desk.token}"},
    )
    assert 400 <= response.status_code < 500


@pytest.mark.parametrize(
    "path",
    ["/plans/1/book", "/appointments/1/cancel", "/appointments/1/reschedule"],
)
def test_malformed_bodies_on_other_posts_are_4xx(clinic, front_desk, client, path):
    response = client.post(
        f"/api/v1{path}",
        data=b'{"weekdays": [9], "start": "nope"}',
        content_type="application/json",
        headers={"Authorization": f"Bearer {front_desk.token}"},
    )
    assert 400 <= response.status_code < 500
