from __future__ import annotations

import re
from html import unescape

import pytest

pytestmark = pytest.mark.django_db

TUESDAY_9 = "2027-03-02T09:00:00-05:00"


def visible_text(html: str) -> str:
    """What a person reads: the page without its tags (option values, ids and hrefs)."""
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_the_day_view_shows_columns_per_staff_member_and_room(
    clinic, book, staff_client, front_desk
):
    assert book(TUESDAY_9, staff="aria").status_code == 201
    page = staff_client(front_desk).get("/staff/calendar/?location=main&date=2027-03-02")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Aria" in html and "Phil" in html and "Consultation room" in html
    assert "9:00 am–9:30 am" in html
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
    page = staff_client(aesthetician).get(
        "/staff/calendar/week/?location=main&date=2027-03-03&layout=list"
    )
    assert page.status_code == 200
    html = page.content.decode()
    by_staff, by_room = html.split("<h2>By room</h2>")
    assert "By staff member" in by_staff and "10:00 am–10:30 am" in by_staff
    assert "Consultation room" in by_room and "Treatment room 1" in by_room
    # The appointment shows once in each table, in the consultation room's column.
    thursday = re.search(r"Thu 4 Mar</a></th>(.*?)</tr>", by_room, re.S).group(1)
    cells = re.findall(r"<td>(.*?)</td>", thursday, re.S)
    assert ["10:00 am–10:30 am" in cell for cell in cells] == [True, False, False]


def test_the_week_grid_page_reads_no_appointment_and_sends_browsers_without_js_to_the_list(
    clinic, book, staff_client, aesthetician
):
    from needlepoint.audit.models import AuditEvent

    book("2027-03-04T10:00:00-05:00", staff="aria")
    before = AuditEvent.objects.filter(action="appointment.read").count()
    page = staff_client(aesthetician).get("/staff/calendar/week/?location=main&date=2027-03-03")
    assert page.status_code == 200
    html = page.content.decode()
    # The grid draws from the feed (audited there); the page itself lists nobody.
    assert "10:00 am–10:30 am" not in html
    assert AuditEvent.objects.filter(action="appointment.read").count() == before
    to_list = "?location=main&amp;date=2027-03-03&amp;layout=list"
    assert f'<meta http-equiv="refresh" content="0; url={to_list}">' in html
    assert f'<a href="{to_list}">Show the week as a list</a>' in html


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
    assert "Choose the patient: find them by name, phone or date of birth." in html
    assert "call after 5" in html


def test_free_times_name_the_day_the_staff_member_the_room_and_the_pen(
    clinic, staff_client, front_desk
):
    page = staff_client(front_desk).get(
        "/staff/calendar/book/",
        {"service": "microneedling-face", "location": "main", "date": "2027-03-02"},
    )
    text = visible_text(page.content.decode())
    assert (
        "Tuesday 2 March 2027, 9:00 am with Aria in Treatment room 1, pen EMP-EVO-240117"
    ) in text
    for code in ("aria,", "treatment-1", "micropen-1", "2027-03-02T", "Patient record number"):
        assert code not in text
    # Staff, rooms and pens are chosen from lists by name: nothing is typed.
    html = page.content.decode()
    assert '<select name="staff"' in html and '<option value="aria">Aria</option>' in html
    assert '<option value="treatment-1">Treatment room 1</option>' in html
    assert '<option value="micropen-2">EMP-EVO-240388 (Eclipse MicroPen EVO)</option>' in html


def test_choosing_a_room_or_a_pen_shows_only_the_times_that_use_it(
    clinic, staff_client, front_desk
):
    page = staff_client(front_desk).get(
        "/staff/calendar/book/",
        {
            "service": "microneedling-face",
            "location": "main",
            "date": "2027-03-02",
            "device": "micropen-2",
        },
    )
    text = visible_text(page.content.decode())
    assert "pen EMP-EVO-240388" in text
    assert "9:00 am with Aria in Treatment room 1, pen EMP-EVO-240388" in text
    assert ", pen EMP-EVO-240117" not in text


def test_the_caller_is_found_by_name_phone_or_date_of_birth_without_record_numbers(
    clinic, staff_client, front_desk, patient
):
    client = staff_client(front_desk)
    for typed in ("Persona", "0111", "1 May 1990", "1990-05-01", "05/01/1990"):
        page = client.get("/staff/calendar/book/", {"q": typed})
        text = visible_text(page.content.decode())
        assert "Pat Persona, born 1 May 1990, +1 555 0111" in text, typed
        assert f"#{patient.patient.pk}" not in text
    nobody = client.get("/staff/calendar/book/", {"q": "2 May 1990"}).content.decode()
    assert "No patient matches" in nobody


def test_the_search_answers_htmx_with_just_the_results(clinic, staff_client, front_desk, patient):
    page = staff_client(front_desk).get(
        "/staff/calendar/book/",
        {"q": "Pers"},
        headers={"HX-Request": "true", "HX-Target": "patient-results"},
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert html.lstrip().startswith('<div id="patient-results"')
    assert f'name="patient" value="{patient.patient.pk}"' in html


def test_the_calendar_link_opens_the_form_with_its_choices(
    clinic, staff_client, front_desk, patient
):
    client = staff_client(front_desk)
    query = {
        "start": "2027-03-02T09:30",
        "staff": "phil",
        "location": "main",
        "patient": patient.patient.pk,
        "room": "consult-1",
    }
    page = client.get("/staff/calendar/book/", query)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Time chosen on the calendar: Tuesday 2 March 2027, 9:30 am" in visible_text(html)
    assert '<option value="phil" selected>Phil</option>' in html
    assert '<option value="consult-1" selected>Consultation room</option>' in html
    assert 'value="2027-03-02"' in html
    assert f'name="patient" value="{patient.patient.pk}" checked' in html
    # Once the service is chosen, that time is the one chosen among the free times.
    slots = client.get(
        "/staff/calendar/book/",
        {**query, "service": "consultation", "date": "2027-03-02"},
        headers={"HX-Request": "true", "HX-Target": "slots"},
    ).content.decode()
    assert 'value="2027-03-02T14:30:00+00:00" checked' in slots
    assert "9:30 am with Phil in Consultation room" in slots


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
    assert page.status_code == 409
    html = page.content.decode()
    assert "Nearest free times" in html
    # In words: the day, the time, who and where; never a username or a room's slug.
    assert "Tuesday 2 March 2027, 9:30 am with Aria in Consultation room" in html
    assert "consult-1" not in visible_text(html)


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
    # The appointment page asks first (a page of its own), then the confirmation posts.
    assert (
        f"/staff/calendar/appointments/{appointment_id}/cancel/"
        in client.get(f"/staff/calendar/appointments/{appointment_id}/").content.decode()
    )
    cancelled = client.post(
        f"/staff/calendar/appointments/{appointment_id}/",
        {"action": "cancel", "confirmed": "yes", "reason": "ill"},
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
    assert '<option value="aria" selected>Aria</option>' in page.content.decode()


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


@pytest.mark.parametrize(
    "start", ["0001-01-01T00:00", "9999-12-31T23:59", "soon", "2027-02-30T09:00"]
)
def test_a_calendar_link_with_a_start_that_is_no_time_opens_the_form_without_it(
    clinic, staff_client, front_desk, start
):
    client = staff_client(front_desk)
    page = client.get("/staff/calendar/book/", {"start": start, "location": "main"})
    assert page.status_code == 200
    assert "Time chosen on the calendar" not in page.content.decode()
    posted = client.post(
        "/staff/calendar/book/",
        {"service": "consultation", "location": "main", "date": "2027-03-02", "start": start},
    )
    assert posted.status_code == 422
    assert "Choose one of the free times." in posted.content.decode()
