"""The front desk books for a caller on the phone through the pages only: finds her by name,
books her whole course from the plan (the dates and their spacing shown first, then all
sessions at once), cancels one session after a confirmation that says what happens to the
messages she already has, and is refused a session too soon after another, with the earliest
allowed date shown in words beside the time, and books that day instead."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import show_free_times, sign_in_as, weekday_ahead
from tests.browser.looking import look
from tests.browser.test_staff_course_booking import active_plan
from tests.browser.walk_helpers import booking_day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def words(day) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def test_the_front_desk_books_a_course_for_a_caller_cancels_and_is_refused_too_soon(
    live_server, page, make_persona
):
    from django.utils import timezone

    from needlepoint.notifications.models import OutboxMessage
    from needlepoint.notifications.services import outbox_deliver, reminders_plan
    from needlepoint.patients.models import Patient
    from needlepoint.scheduling.models import Appointment

    location, _aria, phil, fran, pat = booking_day(make_persona)
    Patient.objects.create(
        given_name="Paula", family_name="Other", date_of_birth=pat.patient.date_of_birth
    )
    plan = active_plan(phil.user, pat.patient)
    first_day = weekday_ahead(timezone.localdate(timezone=location.zone), 3)
    base = live_server.url
    sign_in_as(page, live_server, fran.user)

    # The caller gives her name: the search finds her (htmx, as she is typed).
    page.goto(f"{base}/staff/calendar/book/?location=main")
    expect(page.get_by_role("heading", name="Book for a caller")).to_be_visible()
    look(page, "front desk booking: empty form")
    page.get_by_label("Find the patient").fill("Persona")
    caller = page.get_by_role("group", name="Patients found").get_by_role(
        "radio", name="Pat Persona, born 1 May 1990, +1 555 0111"
    )
    expect(caller).to_be_visible()
    expect(page.get_by_text("Paula Other")).to_have_count(0)
    caller.check()
    offer = page.get_by_role("link", name="Book the whole course from the plan")
    expect(offer).to_be_visible()
    assert f"#{pat.patient.pk}" not in page.inner_text("main")
    look(page, "front desk booking: caller found, course offered")

    # The whole course: the proposed dates and the spacing between them, then book them all.
    offer.click()
    expect(page.get_by_role("heading", name="Book the course for Pat Persona")).to_be_visible()
    page.get_by_label("Treatment").select_option(label="Micro-needling: face")
    page.get_by_label("With").select_option(label="Aria")
    page.get_by_label(f"{first_day:%A}").check()
    page.get_by_label("First session no earlier than").fill(first_day.isoformat())
    page.get_by_role("button", name="Show the proposed dates").click()
    expect(page.get_by_role("heading", name="Proposed dates")).to_be_visible()
    proposal = page.locator("ol.course-proposal > li")
    expect(proposal).to_have_count(plan.sessions)
    assert proposal.nth(0).inner_text().startswith(f"Session 1: {words(first_day)}, 9:00 am")
    assert "The first session" in proposal.nth(0).inner_text()
    for n in range(1, plan.sessions):
        assert re.search(r"\d+ weeks? after the previous session", proposal.nth(n).inner_text())
    assert Appointment.objects.count() == 0
    look(page, "front desk course: proposed dates")
    page.get_by_role("button", name=f"Book all {plan.sessions} sessions").click()
    expect(page.get_by_role("heading", name="Booked sessions")).to_be_visible()
    assert f"Booked all {plan.sessions} sessions" in page.get_by_role("status").inner_text()
    booked = list(Appointment.objects.filter(status="booked").order_by("start"))
    assert [a.plan_session for a in booked] == list(range(1, plan.sessions + 1))
    look(page, "front desk course: booked")

    # The message run sends the confirmations (as `needlepoint reminders send` would).
    reminders_plan()
    outbox_deliver()

    # Cancel session 2: asked once, told what happens to what was already sent.
    page.get_by_role("link", name=re.compile(r"^Session 2: ")).click()
    page.wait_for_url(re.compile(rf"/staff/calendar/appointments/{booked[1].pk}/$"))
    look(page, "front desk appointment")
    page.get_by_role("link", name="Cancel the appointment…").click()
    expect(page.get_by_role("heading", name="Cancel this appointment?")).to_be_visible()
    effects = page.locator("ul.message-effects").inner_text()
    today = timezone.localdate(timezone=location.zone)
    assert (
        f"The booking confirmation e-mailed on {words(today)} stays in the patient's inbox."
    ) in effects
    assert "an e-mail to pat@example.com" in effects
    assert booked[1].status == "booked"
    look(page, "front desk cancel: confirmation")
    page.get_by_role("button", name="Yes, cancel the appointment").click()
    page.wait_for_url(re.compile(r"/staff/calendar/\?location=main&date="))
    assert (
        "Cancelled Micro-needling: face for Pat Persona" in page.get_by_role("status").inner_text()
    )
    booked[1].refresh_from_db()
    assert booked[1].status == "cancelled"
    # What the page said: the next message run sends the cancellation notice.
    reminders_plan()
    outbox_deliver()
    notices = OutboxMessage.objects.filter(appointment=booked[1], kind="cancellation")
    assert {(m.channel, m.status) for m in notices} == {("email", "sent"), ("sms", "sent")}

    # Session 2 again, a few days after session 1: refused, with the earliest allowed date.
    session_one = booked[0].start.astimezone(location.zone).date()
    too_soon = weekday_ahead(session_one, 4)
    page.goto(f"{base}/staff/calendar/book/?location=main&patient={pat.patient.pk}")
    page.get_by_label("Service").select_option(label="Micro-needling: face")
    page.get_by_label("Date").fill(too_soon.isoformat())
    # Wait for htmx to swap the times in: a time chosen before the swap would be replaced.
    show_free_times(page, "/staff/calendar/book/")
    free = page.get_by_role("group", name="Free times")
    free.get_by_role("radio").first.check()
    page.get_by_label("Notes").fill("Asked for the earliest possible.")
    page.get_by_role("button", name="Book", exact=True).click()
    refusal = page.locator("#start-error")
    expect(refusal).to_contain_text("The earliest allowed date is ")
    found = re.search(r"The earliest allowed date is (\w+ \d+ \w+ \d{4})", refusal.inner_text())
    assert found is not None
    earliest_words = found.group(1)
    assert earliest_words != words(too_soon)
    # What was typed stays: the caller, the service, the day, the notes.
    expect(page.get_by_role("radio", name=re.compile("^Pat Persona"))).to_be_checked()
    assert page.get_by_label("Date").input_value() == too_soon.isoformat()
    assert page.get_by_label("Notes").input_value() == "Asked for the earliest possible."
    assert Appointment.objects.filter(status="booked").count() == plan.sessions - 1
    look(page, "front desk booking: too soon, earliest date shown")

    # The earliest day's free times, one click away; book the first.
    refusal.get_by_role("link", name=f"Show the free times on {earliest_words}").click()
    page.wait_for_url(re.compile(r"/staff/calendar/book/\?"))
    page.get_by_role("group", name="Free times").get_by_role("radio").first.check()
    page.get_by_role("button", name="Book", exact=True).click()
    page.wait_for_url(re.compile(r"/staff/calendar/\?location=main&date="))
    assert "Booked Micro-needling: face for Pat Persona" in page.get_by_role("status").inner_text()
    rebooked = Appointment.objects.filter(status="booked", plan_session=2).get()
    assert words(rebooked.start.astimezone(location.zone).date()) == earliest_words
    assert rebooked.start.astimezone(location.zone).date() - session_one >= timedelta(weeks=1)
