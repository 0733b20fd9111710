"""A whole day at the front desk, through the pages only (the clinic, its people and the
day's first appointments are set up beforehand): sign in with the authenticator code,
register a caller, who sees the physician and gets a plan, book her whole course from it,
move a session by dragging it on the grid, check one patient in and mark another as a
no-show from the appointment's card, and cancel a session after the confirmation page.
Every page visited is looked at (axe-core and screenshots, desktop and tablet)."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import weekday_ahead
from tests.browser.looking import look
from tests.browser.test_staff_calendar_grid import _book, _drag_by
from tests.browser.walk_helpers import (
    check_in_from_card,
    clinic_with_clinicians,
    fill_registration,
    grid_event,
    open_grid,
    seen,
    sign_in_for_the_day,
    sign_in_with_totp,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _physician_plans_the_course(browser, live_server, secret: str, patient_pk: int) -> None:
    """The physician, at his own desk (signed in through the same forms): a signed
    consultation, then the plan as recommended."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/staff/patients/{patient_pk}/micro-needling/")
        page.wait_for_url(re.compile(r"/accounts/login/"))
        sign_in_with_totp(page, "phil", secret)
        page.wait_for_url(re.compile(rf"/staff/patients/{patient_pk}/micro-needling/$"))
        overview = page.get_by_role("heading", name="Nadia Quinn: micro-needling")
        seen(page, overview, "front desk day: physician overview")
        page.get_by_role("link", name="Record a consultation").click()
        form = page.get_by_role("heading", name="Consultation: Nadia Quinn")
        seen(page, form, "front desk day: consultation form")
        page.get_by_role("group", name="Fitzpatrick phototype").get_by_label(
            "3", exact=True
        ).check()
        page.get_by_label(re.compile(r"^Acne scars")).select_option("2")
        page.get_by_role("group", name="Zones to treat").get_by_label("Cheeks").check()
        determination = page.get_by_role("group", name=re.compile(r"^Determination"))
        determination.get_by_label("Candidate", exact=True).check()
        page.get_by_role("button", name="Sign the consultation").click()
        page.wait_for_url(re.compile(r"/staff/consultations/\d+/$"))
        look(page, "front desk day: consultation signed")
        page.get_by_role("link", name="Create the treatment plan").click()
        plan_form = page.get_by_role("heading", name="Treatment plan for Nadia Quinn")
        seen(page, plan_form, "front desk day: plan form")
        page.get_by_role("button", name="Create the plan").click()
        page.wait_for_url(re.compile(r"/staff/plans/\d+/$"))
        seen(page, page.get_by_text("Treatment plan created."), "front desk day: plan created")
    finally:
        context.close()


def test_a_whole_day_at_the_front_desk_through_the_pages(live_server, page, browser, make_persona):
    from django.utils import timezone

    from needlepoint.clinic.clock import clinic_today
    from needlepoint.clinic.models import Service
    from needlepoint.patients.models import Patient
    from needlepoint.scheduling.models import Appointment
    from needlepoint.treatments.models import TreatmentPlan
    from tests.conftest import enrol_totp

    # The clinic, its people, and two of today's consultations (set up, not walked).
    location, aria, phil = clinic_with_clinicians(make_persona)
    fran = make_persona("fran", "front_desk")
    secret = enrol_totp(fran.user)
    physician_secret = enrol_totp(phil.user)
    kim = make_persona("kim", "patient", with_patient=True)
    otto = make_persona("otto", "patient", with_patient=True)
    consultation = Service.objects.get(slug="consultation")
    zone = location.zone
    today = clinic_today(location)
    arriving = _book(
        kim.patient, phil.user, consultation, location, datetime.combine(today, time(10), zone)
    )
    # A no-show is only marked once the start has passed: Otto's was due earlier today.
    now = timezone.now().astimezone(zone)
    due = now.replace(minute=now.minute // 15 * 15, second=0, microsecond=0) - timedelta(minutes=30)
    due = max(due, datetime.combine(today, time(0), zone))
    missing = _book(otto.patient, aria.user, consultation, location, due)
    first_day = weekday_ahead(today, 3)
    base = live_server.url

    # Morning: the sign-in form, then the authenticator code.
    sign_in_for_the_day(page, base, "fran", secret, "front desk day:")

    # A new caller: registered from the patients page.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Patients").click()
    patients = page.get_by_role("heading", name="Patients", exact=True)
    seen(page, patients, "front desk day: patients")
    page.get_by_role("link", name="Register a new patient").first.click()
    expect(page.get_by_role("heading", name="Register a new patient")).to_be_visible()
    fill_registration(page, "Nadia", "Quinn", "2 July 1988", "555 030 4444")
    look(page, "front desk day: register")
    page.get_by_role("button", name="Register").click()
    page.wait_for_url(re.compile(r"/staff/patients/\d+/$"))
    record = page.get_by_role("heading", name="Nadia Quinn", level=1)
    seen(page, record, "front desk day: new patient's record")
    nadia = Patient.objects.get(family_name="Quinn")
    assert page.url.endswith(f"/staff/patients/{nadia.pk}/")

    # She sees the physician, who plans her course.
    _physician_plans_the_course(browser, live_server, physician_secret, nadia.pk)
    plan = TreatmentPlan.objects.get(patient=nadia)

    # Back at the desk: her whole course, from her record's "Book an appointment".
    page.reload()
    page.get_by_role("link", name="Book an appointment").click()
    expect(page.get_by_role("heading", name="Book for a caller")).to_be_visible()
    caller = page.get_by_role("radio", name=re.compile(r"^Nadia Quinn, born 2 July 1988"))
    expect(caller).to_be_visible()
    caller.check()
    offer = page.get_by_role("link", name="Book the whole course from the plan")
    seen(page, offer, "front desk day: caller found")
    offer.click()
    course_form = page.get_by_role("heading", name="Book the course for Nadia Quinn")
    seen(page, course_form, "front desk day: course form")
    page.get_by_label("Treatment").select_option(label="Micro-needling: face")
    page.get_by_label("With").select_option(label="Aria")
    page.get_by_label(f"{first_day:%A}").check()
    page.get_by_label("First session no earlier than").fill(first_day.isoformat())
    page.get_by_role("button", name="Show the proposed dates").click()
    expect(page.locator("ol.course-proposal > li")).to_have_count(plan.sessions)
    look(page, "front desk day: course proposed")
    page.get_by_role("button", name=f"Book all {plan.sessions} sessions").click()
    seen(page, page.get_by_role("heading", name="Booked sessions"), "front desk day: course booked")
    expect(page.get_by_role("link", name=re.compile(r"^Session \d: "))).to_have_count(plan.sessions)
    course = list(Appointment.objects.filter(patient=nadia).order_by("start"))
    assert [a.plan_session for a in course] == list(range(1, plan.sessions + 1))
    assert course[0].start == datetime.combine(first_day, time(9), zone)

    # She asks for the afternoon: session 1 dragged from 9:00 to 2:00 pm on the grid.
    grid = open_grid(page, base, first_day)
    look(page, "front desk day: grid on the first session's day")
    loaded = grid.get_attribute("data-loaded")
    with page.expect_response(lambda r: "/move/" in r.url):
        _drag_by(page, grid_event(page, "Nadia Quinn"), 5)
    expect(page.locator("#calendar-status").filter(has_text="Moved to")).to_be_visible()
    expect(grid).not_to_have_attribute("data-loaded", loaded)
    expect(grid_event(page, "Nadia Quinn")).to_contain_text("2:00")
    course[0].refresh_from_db()
    assert course[0].start == datetime.combine(first_day, time(14), zone)
    look(page, "front desk day: session moved")

    # Today: Kim arrives (checked in from her card); Otto never comes (a no-show).
    open_grid(page, base, today)
    card = check_in_from_card(page, "Kim Persona", "front desk day: Kim's card")
    arriving.refresh_from_db()
    assert arriving.checked_in_at is not None
    grid_event(page, "Otto Persona").click()
    seen(page, card.get_by_role("heading", name="Otto Persona"), "front desk day: Otto's card")
    card.get_by_role("button", name="Mark as no-show").click()
    expect(page.locator("#calendar-status").filter(has_text="Marked as a no-show.")).to_be_visible()
    expect(grid_event(page, "Otto Persona")).to_contain_text("No-show")
    missing.refresh_from_db()
    assert missing.status == "no_show"
    look(page, "front desk day: no-show marked")

    # Nadia calls back: session 2 is cancelled, after the confirmation page.
    page.goto(f"{base}/staff/calendar/appointments/{course[1].pk}/")
    cancel = page.get_by_role("link", name="Cancel the appointment…")
    seen(page, cancel, "front desk day: session 2")
    cancel.click()
    asked = page.get_by_role("heading", name="Cancel this appointment?")
    seen(page, asked, "front desk day: cancel confirmation")
    course[1].refresh_from_db()
    assert course[1].status == "booked"  # nothing happens before the answer
    page.get_by_role("button", name="Yes, cancel the appointment").click()
    page.wait_for_url(re.compile(r"/staff/calendar/\?location=main&date="))
    expect(page.get_by_role("status").filter(has_text="Cancelled")).to_contain_text(
        "Cancelled Micro-needling: face for Nadia Quinn"
    )
    look(page, "front desk day: after the cancellation")
    course[1].refresh_from_db()
    assert course[1].status == "cancelled"
