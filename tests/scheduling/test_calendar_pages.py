from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

TUESDAY_9 = "2027-03-02T09:00:00-05:00"


def test_the_day_view_shows_columns_per_staff_member_and_room(
    clinic, book, staff_client, front_desk
):
    assert book(TUESDAY_9, staff="aria").status_code == 201
    page = staff_client(front_desk).get("/staff/calendar/?location=main&date=2027-03-02")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Aria" in html and "Phil" in html and "Consultation room" in html
    assert "09:00–09:30" in html
    assert "Pat Persona" in html


def test_the_calendar_audits_each_appointment_shown(clinic, book, staff_client, front_desk):
    from needlepoint.audit.models import AuditEvent

    book(TUESDAY_9)
    staff_client(front_desk).get("/staff/calendar/?location=main&date=2027-03-02")
    assert AuditEvent.objects.filter(action="appointment.read", detail__via="calendar").count() == 1


def test_the_week_view_lists_the_week_by_staff_member_and_by_room(
    clinic, book, staff_client, aesthetician
):
    import re

    book("2027-03-04T10:00:00-05:00", staff="aria")
    page = staff_client(aesthetician).get("/staff/calendar/week/?location=main&date=2027-03-03")
    assert page.status_code == 200
    html = page.content.decode()
    by_staff, by_room = html.split("<h2>By room</h2>")
    assert "By staff member" in by_staff and "10:00–10:30" in by_staff
    assert "Consultation room" in by_room and "Treatment room 1" in by_room
    # The appointment shows once in each table, in the consultation room's column.
    thursday = re.search(r"Thu 4 Mar</a></th>(.*?)</tr>", by_room, re.S).group(1)
    cells = re.findall(r"<td>(.*?)</td>", thursday, re.S)
    assert ["10:00–10:30" in cell for cell in cells] == [True, False, False]


def test_patients_cannot_open_the_calendar(clinic, staff_client, patient):
    page = staff_client(patient, with_totp=False).get("/staff/calendar/")
    assert page.status_code == 403


def test_booking_for_a_caller_shows_free_times_then_books(
    clinic, staff_client, front_desk, patient
):
    from needlepoint.scheduling.models import Appointment

    client = staff_client(front_desk)
    search = client.get("/staff/calendar/book/", {"q": "Pat"})
    assert f'value="{patient.patient.pk}"' in search.content.decode()
    form = {
        "patient": patient.patient.pk,
        "service": "consultation",
        "location": "main",
        "date": "2027-03-02",
    }
    slots = client.get("/staff/calendar/book/", form, headers={"HX-Request": "true"})
    assert slots.status_code == 200
    assert 'value="2027-03-02T14:00:00+00:00"' in slots.content.decode()
    booked = client.post("/staff/calendar/book/", {**form, "start": "2027-03-02T14:00:00+00:00"})
    assert booked.status_code == 302
    assert Appointment.objects.get().patient == patient.patient


def test_a_booking_form_error_keeps_what_was_typed(clinic, staff_client, front_desk):
    client = staff_client(front_desk)
    page = client.post(
        "/staff/calendar/book/",
        {
            "service": "consultation",
            "location": "main",
            "date": "2027-03-02",
            "notes": "call after 5",
            "start": "2027-03-02T14:00:00+00:00",
        },
    )
    assert page.status_code == 422
    html = page.content.decode()
    assert "Choose the patient." in html
    assert "call after 5" in html


def test_a_taken_time_on_the_booking_form_shows_alternatives(
    clinic, book, staff_client, front_desk, other_patient
):
    book(TUESDAY_9, staff="aria")
    page = staff_client(front_desk).post(
        "/staff/calendar/book/",
        {
            "patient": other_patient.patient.pk,
            "service": "consultation",
            "location": "main",
            "date": "2027-03-02",
            "staff": "aria",
            "start": "2027-03-02T14:00:00+00:00",
        },
    )
    assert page.status_code == 200
    assert "Nearest free times" in page.content.decode()


def test_rescheduling_and_cancelling_from_the_calendar(clinic, book, staff_client, front_desk):
    from needlepoint.scheduling.models import Appointment

    appointment_id = book(TUESDAY_9).json()["id"]
    client = staff_client(front_desk)
    page = client.get(f"/staff/calendar/appointments/{appointment_id}/", {"date": "2027-03-03"})
    assert "2027-03-03T14:00:00+00:00" in page.content.decode()
    moved = client.post(
        f"/staff/calendar/appointments/{appointment_id}/",
        {"date": "2027-03-03", "start": "2027-03-03T14:00:00+00:00"},
    )
    assert moved.status_code == 302
    assert Appointment.objects.get().start.isoformat() == "2027-03-03T14:00:00+00:00"
    cancelled = client.post(
        f"/staff/calendar/appointments/{appointment_id}/", {"action": "cancel", "reason": "ill"}
    )
    assert cancelled.status_code == 302
    assert Appointment.objects.get().status == "cancelled"


def test_a_bad_reschedule_keeps_the_form_values(clinic, book, staff_client, front_desk):
    appointment_id = book(TUESDAY_9).json()["id"]
    page = staff_client(front_desk).post(
        f"/staff/calendar/appointments/{appointment_id}/",
        {"date": "2027-03-03", "start": "2027-03-03T14:07:00+00:00", "staff": "aria"},
    )
    assert page.status_code == 422
    assert 'value="aria"' in page.content.decode()


def test_pressing_book_without_choosing_a_time_says_so_and_keeps_the_form(
    clinic, staff_client, front_desk, patient
):
    from needlepoint.scheduling.models import Appointment

    response = staff_client(front_desk).post(
        "/staff/calendar/book/",
        {
            "patient": patient.patient.pk,
            "service": "consultation",
            "location": "main",
            "date": "2027-03-02",
            "notes": "Caller prefers mornings.",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Choose one of the free times." in html
    assert "Caller prefers mornings." in html
    assert 'name="start"' in html  # the free times are offered again
    assert Appointment.objects.count() == 0
