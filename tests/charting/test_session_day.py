"""Treatment day belongs to the session's local date: the day-of check on that day only,
the chart on that day (later: a late entry with its reason), and a charted session is never
moved or cancelled, whichever door the request comes through."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from needlepoint.notifications.tokens import manage_token

from .conftest import NOW, make_appointment

pytestmark = pytest.mark.django_db


@pytest.fixture
def later(day, plan, aesthetician, patient):
    """A session on Wednesday 3 March 2027 at 10:00 New York, two days from now."""
    return make_appointment(
        patient=patient.patient,
        staff=aesthetician.user,
        plan_id=plan["id"],
        start=NOW + timedelta(days=2),
    )


def _walk(day_api, appointment):
    day_api.id = appointment.pk
    return day_api


def test_the_day_of_check_and_the_chart_are_refused_before_the_sessions_day(day, later):
    from needlepoint.charting.models import DayOfCheck, SessionChart

    _walk(day, later)
    assert day.consent().status_code == 201  # consent may be signed ahead of the day
    check = day.check()
    assert check.status_code == 409, check.content
    assert check.json()["code"] == "SESSION_NOT_YET"
    assert "3 March 2027" in check.json()["detail"]
    chart = day.chart()
    assert chart.status_code == 409
    assert chart.json()["code"] == "SESSION_NOT_YET"
    assert not DayOfCheck.objects.exists() and not SessionChart.objects.exists()


def test_the_sessions_day_is_its_local_date_in_the_clinics_zone(day, plan, aesthetician, patient):
    # 00:30 on 2 March in New York is 05:30 UTC; at 22:00 on 1 March in New York it is
    # already 2 March in UTC, but not yet the session's day.
    start = datetime(2027, 3, 2, 5, 30, tzinfo=UTC)
    appointment = make_appointment(
        patient=patient.patient, staff=aesthetician.user, plan_id=plan["id"], start=start
    )
    _walk(day, appointment)
    assert day.consent().status_code == 201
    with time_machine.travel(datetime(2027, 3, 2, 3, 0, tzinfo=UTC), tick=False):
        assert day.check().json()["code"] == "SESSION_NOT_YET"
    with time_machine.travel(datetime(2027, 3, 2, 5, 10, tzinfo=UTC), tick=False):
        assert day.check().status_code == 201


def test_a_day_of_check_after_the_sessions_day_is_refused(day, frozen):
    frozen.move_to(NOW + timedelta(days=1))
    assert day.consent().status_code == 201
    response = day.check()
    assert response.status_code == 409
    assert response.json()["code"] == "SESSION_DAY_PASSED"


def test_a_chart_written_after_the_day_is_a_late_entry_with_its_reason(day, frozen):
    day.ready()
    frozen.move_to(NOW + timedelta(days=1))
    refused = day.chart()
    assert refused.status_code == 422, refused.content
    assert refused.json()["errors"][0]["field"] == "late_reason"
    assert refused.json()["code"] == "LATE_ENTRY_REASON_REQUIRED"
    written = day.chart(late_reason="Paper chart typed in the next morning")
    assert written.status_code == 201, written.content
    body = written.json()
    assert body["late_entry"] is True
    assert body["late_reason"] == "Paper chart typed in the next morning"
    assert day.sign(body["id"]).status_code == 200


def test_a_chart_written_on_the_day_is_not_late(day):
    day.ready()
    body = day.chart(late_reason="ignored on the day").json()
    assert body["late_entry"] is False and body["late_reason"] == ""


def test_the_page_shows_a_late_entry_as_late(day, frozen, staff_client, aesthetician):
    day.ready()
    frozen.move_to(NOW + timedelta(days=1))
    chart = day.chart(late_reason="Power cut at the clinic").json()
    client = staff_client(aesthetician)
    page = client.get(f"/staff/appointments/{day.id}/treatment/").content.decode()
    assert 'id="late-entry"' in page and "Power cut at the clinic" in page
    detail = client.get(f"/staff/charts/{chart['id']}/").content.decode()
    assert 'id="late-entry"' in detail and "Power cut at the clinic" in detail


def test_a_day_of_check_for_another_date_does_not_count_after_a_move(
    day, plan, aesthetician, patient, frozen
):
    from needlepoint.scheduling.models import Appointment

    day.ready()
    Appointment.objects.filter(pk=day.id).update(
        start=NOW + timedelta(days=7),
        end=NOW + timedelta(days=7, hours=1),
        busy_until=NOW + timedelta(days=7, hours=2),
    )
    frozen.move_to(NOW + timedelta(days=7))
    response = day.chart()
    assert response.status_code == 409
    assert response.json()["code"] == "DAY_OF_CHECK_REQUIRED"


@pytest.fixture
def charted_this_afternoon(day, plan, aesthetician, patient):
    """A session at 16:00 today, checked in and charted this morning (on its day)."""
    appointment = make_appointment(
        patient=patient.patient,
        staff=aesthetician.user,
        plan_id=plan["id"],
        start=NOW + timedelta(hours=6),
    )
    _walk(day, appointment)
    day.ready()
    assert day.chart().status_code == 201
    return appointment


def _unchanged(appointment):
    from needlepoint.scheduling.models import Appointment

    now = Appointment.objects.get(pk=appointment.pk)
    assert now.status == "booked" and now.start == appointment.start


def test_the_staff_api_refuses_to_cancel_or_move_a_charted_session(
    api, front_desk, charted_this_afternoon
):
    appointment = charted_this_afternoon
    client = api(front_desk)
    cancel = client.post(f"/appointments/{appointment.pk}/cancel", {"reason": "x"})
    assert cancel.status_code == 409, cancel.content
    assert cancel.json()["code"] == "charted"
    assert "amend" in cancel.json()["detail"] and "new appointment" in cancel.json()["detail"]
    move = client.post(
        f"/appointments/{appointment.pk}/reschedule",
        {"start": (NOW + timedelta(days=3)).isoformat()},
    )
    assert move.status_code == 409 and move.json()["code"] == "charted"
    _unchanged(appointment)


def test_the_staff_page_refuses_to_cancel_a_charted_session(
    staff_client, front_desk, charted_this_afternoon
):
    appointment = charted_this_afternoon
    response = staff_client(front_desk).post(
        f"/staff/calendar/appointments/{appointment.pk}/",
        {"action": "cancel", "confirmed": "yes", "reason": "x"},
    )
    assert response.status_code == 409
    assert "already charted" in response.content.decode()
    _unchanged(appointment)


def test_the_portal_neither_offers_nor_allows_changing_a_charted_session(
    patient, charted_this_afternoon
):
    appointment = charted_this_afternoon
    client = Client()
    client.force_login(patient.user)
    listing = client.get("/portal/appointments/").content.decode()
    assert f"/portal/appointments/{appointment.pk}/cancel/" not in listing
    cancel = client.post(f"/portal/appointments/{appointment.pk}/cancel/", {"reason": "x"})
    assert cancel.status_code in (403, 409)
    move = client.post(
        f"/portal/appointments/{appointment.pk}/reschedule/",
        {"start": (NOW + timedelta(days=3)).isoformat()},
    )
    assert move.status_code in (200, 409)
    _unchanged(appointment)


def test_the_manage_link_neither_offers_nor_allows_changing_a_charted_session(
    charted_this_afternoon,
):
    appointment = charted_this_afternoon
    token = manage_token(appointment)
    client = Client()
    page = client.get(f"/book/manage/{token}/").content.decode()
    assert f"/book/manage/{token}/cancel/" not in page
    response = client.post(f"/book/manage/{token}/cancel/", {"reason": "x"})
    assert response.status_code == 409
    assert "already charted" in response.content.decode()
    _unchanged(appointment)


def test_the_staff_appointment_page_offers_no_move_or_cancel_once_charted(
    staff_client, front_desk, charted_this_afternoon
):
    page = staff_client(front_desk).get(
        f"/staff/calendar/appointments/{charted_this_afternoon.pk}/"
    )
    text = page.content.decode()
    assert 'id="charted-note"' in text and 'value="cancel"' not in text


def test_the_tablet_page_asks_why_a_chart_is_late_and_keeps_what_was_typed(
    day, frozen, staff_client, aesthetician
):
    from .test_chart_resave import FIRST_SAVE

    day.ready()
    frozen.move_to(NOW + timedelta(days=1))
    client = staff_client(aesthetician)
    url = f"/staff/appointments/{day.id}/treatment/"
    assert 'id="id_late_reason"' in client.get(url).content.decode()
    refused = client.post(url, FIRST_SAVE)
    assert refused.status_code == 422
    text = refused.content.decode()
    assert "late entry" in text and "Tolerated well; asked about sunscreen." in text
    written = client.post(url, {**FIRST_SAVE, "late_reason": "Typed up from paper"})
    assert written.status_code == 302
    assert "Typed up from paper" in client.get(url).content.decode()


def test_the_tablet_page_says_when_the_check_and_chart_open(day, later, staff_client, aesthetician):
    day.consent()
    page = staff_client(aesthetician).get(f"/staff/appointments/{later.pk}/treatment/")
    text = page.content.decode()
    assert 'id="not-yet"' in text and "3 March 2027" in text
    assert 'id="step-day-of"' not in text and 'id="step-chart"' not in text


def test_a_charted_session_cannot_be_marked_a_no_show(
    api, front_desk, charted_this_afternoon, frozen
):
    frozen.move_to(NOW + timedelta(hours=7))
    response = api(front_desk).post(f"/appointments/{charted_this_afternoon.pk}/no-show")
    assert response.status_code == 409 and response.json()["code"] == "charted"
