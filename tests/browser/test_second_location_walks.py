"""A walk per role at the group's second location (issue #15): the demo clinic (New York and
Chicago), a clock on a Wednesday morning in Chicago (Alex works there on Wednesdays), a real
sign-in with the authenticator code, the header's location switched to Chicago, then the
role's core job there. Every page visited is looked at (axe-core, screenshots at desktop and
tablet size) and names the location it shows."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import show_free_times
from tests.browser.walk_helpers import PASSWORD, heading_seen, seen, sign_in_for_the_day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHICAGO = "Needlepoint West Loop, Chicago"
NEW_YORK = "Needlepoint Upper East Side, New York"
# Wednesday 3 March 2027, 9:30 am in Chicago (10:30 am in New York).
NOW = datetime(2027, 3, 3, 15, 30, tzinfo=UTC)
TODAY = date(2027, 3, 3)
THURSDAY = date(2027, 3, 4)


@pytest.fixture
def group(db: None) -> Any:
    """The demo group loaded on a Wednesday morning; the clock runs on from there. Yields
    each demo staff login's authenticator secret."""
    import time_machine

    from needlepoint.accounts.models import User
    from needlepoint.demo.load import load_demo
    from tests.conftest import enrol_totp

    with time_machine.travel(NOW, tick=True):
        load_demo(PASSWORD, generated=False)
        staff = User.objects.exclude(role="patient").filter(username__in=STAFF_LOGINS)
        yield {user.username: enrol_totp(user) for user in staff}


STAFF_LOGINS = ["admin", "frontdesk2", "aesthetician", "physician"]


def at_chicago(page: Any, who: str) -> None:
    """Switch the header's location to Chicago; the page says so and the switcher shows it."""
    switch = page.get_by_label("Location", exact=True)
    expect(switch).to_be_visible()
    switch.select_option(label=CHICAGO)
    page.get_by_role("button", name="Switch").click()
    seen(page, page.get_by_text(f"Working at {CHICAGO}."), f"{who}: switched to Chicago")
    expect(page.get_by_label("Location", exact=True)).to_have_value("chicago")


def header_shows_chicago(page: Any) -> None:
    selected = page.get_by_label("Location", exact=True).locator("option:checked")
    expect(selected).to_have_text(CHICAGO)


def test_the_chicago_front_desk_books_a_caller_seen_on_chicago_calendar_only(
    live_server, page, group
):
    from needlepoint.scheduling.models import Appointment

    base = live_server.url
    sign_in_for_the_day(page, base, "frontdesk2", group["frontdesk2"], "chicago desk:")
    # Casey works only at Chicago (decision 0700): nothing to switch, the header says where.
    seen(page, page.locator("#working-at"), "chicago desk: the header names Chicago")
    heading_seen(page, f"Today at {CHICAGO}", "chicago desk: today at Chicago")

    # Hana calls: a follow-up visit on Thursday, booked at Chicago.
    page.goto(f"{base}/staff/calendar/book/?date={THURSDAY}")
    heading_seen(page, "Book for a caller", "chicago desk: book for a caller")
    expect(page.locator("#working-at")).to_have_text(f"Location: {CHICAGO}")
    page.get_by_label("Find the patient").fill("Exemplar")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/staff/calendar/book/\?.*q=Exemplar"))
    page.get_by_role("group", name="Patients found").get_by_role("radio").first.check()
    page.get_by_label("Service").select_option(label="Follow-up visit")
    show_free_times(page, "/staff/calendar/book/")
    free = page.get_by_role("group", name="Free times").get_by_role("radio")
    expect(free.first).to_be_visible()
    seen(page, free.first, "chicago desk: free times at Chicago")
    free.first.check()
    page.get_by_role("button", name="Book", exact=True).click()
    page.wait_for_url(re.compile(rf"/staff/calendar/\?location=chicago&date={THURSDAY}$"))
    seen(page, page.get_by_text(re.compile("Booked Follow-up visit for Hana Exemplar")), "booked")
    booked = Appointment.objects.filter(
        patient__family_name="Exemplar", service__slug="follow-up", status="booked"
    ).get()
    assert booked.location.slug == "chicago"

    # On Chicago's day list, not on New York's.
    page.goto(f"{base}/staff/calendar/?date={THURSDAY}&layout=list")
    heading_seen(page, re.compile(CHICAGO), "chicago desk: Chicago's Thursday")
    expect(page.locator("main").get_by_text("Hana Exemplar").first).to_be_visible()
    # New York's day is not Casey's to read: the page is "not found", and names no one.
    response = page.goto(f"{base}/staff/calendar/?location=main&date={THURSDAY}&layout=list")
    assert response is not None and response.status == 404
    expect(page.locator("main").get_by_text("Hana Exemplar")).to_have_count(0)


def test_the_aesthetician_opens_today_treatment_day_at_chicago(live_server, page, group):
    base = live_server.url
    sign_in_for_the_day(page, base, "aesthetician", group["aesthetician"], "chicago alex:")
    at_chicago(page, "chicago alex")
    heading_seen(page, f"Your appointments today at {CHICAGO}", "chicago alex: today at Chicago")
    today = page.locator("ul.today")
    visit = today.locator("li", has_text="Bruno Samplesson")
    expect(visit).to_contain_text("Chicago treatment room")
    visit.get_by_role("link", name="Treatment day").click()
    page.wait_for_url(re.compile(r"/staff/appointments/\d+/treatment/$"))
    # Bruno's consent from his last session still holds: the day starts at the check.
    heading_seen(page, "Treatment day: Bruno Samplesson", "chicago alex: Bruno's treatment day")
    expect(page.get_by_role("heading", name="2. Day-of check").first).to_be_visible()
    expect(page.locator("main p.lead")).to_contain_text(CHICAGO)
    header_shows_chicago(page)


def test_the_physician_sees_chicago_work_in_the_cosign_queue(live_server, page, group):
    base = live_server.url
    sign_in_for_the_day(page, base, "physician", group["physician"], "chicago physician:")
    at_chicago(page, "chicago physician")
    page.goto(f"{base}/staff/charts/cosign/")
    heading_seen(page, "Charts awaiting co-signature", "chicago physician: co-sign queue")
    header_shows_chicago(page)
    row = page.get_by_role("row").filter(has_text="Bruno Samplesson")
    expect(row).to_contain_text(CHICAGO)
    # The queue is the medical director's for the whole group: New York's work is there too.
    expect(page.get_by_role("row").filter(has_text=NEW_YORK).first).to_be_visible()
    row.get_by_role("link", name=re.compile("Review")).click()
    page.wait_for_url(re.compile(r"/staff/charts/\d+/$"))
    seen(page, page.get_by_role("heading", level=1), "chicago physician: Bruno's chart")


def test_the_clinic_admin_sees_chicago_setup_and_reports(live_server, page, group):
    base = live_server.url
    sign_in_for_the_day(page, base, "admin", group["admin"], "chicago admin:")
    at_chicago(page, "chicago admin")
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Clinic setup").click()
    heading_seen(page, "Clinic setup", "chicago admin: setup")
    page.get_by_role("link", name="Rooms", exact=True).first.click()
    heading_seen(page, "Rooms", "chicago admin: rooms")
    room = page.get_by_role("row").filter(has_text="Chicago treatment room")
    expect(room).to_contain_text(CHICAGO)
    page.get_by_role("link", name="Pens", exact=True).first.click()
    heading_seen(page, "Pens", "chicago admin: pens")
    expect(page.get_by_role("row").filter(has_text="chicago-micropen-1")).to_contain_text(CHICAGO)
    page.get_by_role("link", name="Working hours").first.click()
    heading_seen(page, "Working hours", "chicago admin: working hours")
    alex = page.get_by_role("row").filter(has_text="Alex Skinner")
    expect(alex).to_contain_text(f"Wednesday 9:00 am to 5:00 pm at {CHICAGO}")
    expect(alex).to_contain_text(f"Monday 9:00 am to 5:00 pm at {NEW_YORK}")
    header_shows_chicago(page)

    page.goto(f"{base}/staff/reports/")
    heading_seen(page, re.compile("^Reports$"), "chicago admin: reports")
    page.get_by_role("link", name="Utilisation of aestheticians, rooms and pens").click()
    heading_seen(page, "Utilisation of aestheticians, rooms and pens", "chicago admin: report")
    page.get_by_label("Location or group").select_option("chicago")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"location=chicago"))
    seen(page, page.get_by_role("table").first, "chicago admin: Chicago's utilisation")
    expect(page.get_by_label("Location or group").locator("option:checked")).to_have_text(CHICAGO)
    expect(page.locator("main")).to_contain_text("Chicago treatment room")
    expect(page.locator("main")).not_to_contain_text("Treatment room 1")


def test_the_patient_sees_her_chicago_visit_in_chicago_time(live_server, page, group):
    from needlepoint.core.templatetags.clock import clock
    from needlepoint.scheduling.models import Appointment

    visit = Appointment.objects.get(
        patient__email="ada.testwell@example.com", location__slug="chicago", status="booked"
    )
    local = visit.start.astimezone(visit.location.zone)
    base = live_server.url
    page.goto(base + "/accounts/login/")
    page.get_by_label(re.compile("Username|Login", re.I)).fill("patient")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile(r"/portal/$"))
    page.goto(base + "/portal/appointments/")
    heading_seen(page, "My appointments", "chicago patient: my appointments")
    row = page.get_by_role("row").filter(has_text=CHICAGO)
    expect(row).to_contain_text(f"{local:%a} {local.day} {local:%b %Y}, {clock(local)}")
    expect(row).to_contain_text("Follow-up visit")
    # New York's visit is listed in New York time beside it.
    expect(page.get_by_role("row").filter(has_text=NEW_YORK).first).to_be_visible()
