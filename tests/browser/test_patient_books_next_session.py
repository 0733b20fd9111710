"""A patient signs in, books the next session of their plan from the portal, is refused a
too-soon date with the earliest date in words, leaves the waitlist (asked once), and opens
progress, photos and the export. Every page visited is checked by ``look``."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.browser.looking import look

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple 9"  # the personas' password (tests/conftest.py)


@pytest.fixture
def clinic_time():
    import time_machine

    from tests.portal.world import NOW

    with time_machine.travel(NOW, tick=True):
        yield


def _fourth_session_to_book(world) -> None:
    """Session 3 a week ago (Monday 22 February 2027); session 4 to book, 3 to 6 weeks on."""
    from needlepoint.treatments.models import PlanSession
    from tests.portal.world import TODAY

    plan = world.rows["plan"]
    plan.sessions = 4
    plan.recommendation = {"interval_weeks_range": [3, 6]}
    plan.save(update_fields=["sessions", "recommendation"])
    PlanSession.objects.filter(plan=plan, index=3).update(done_on=TODAY - timedelta(days=7))
    PlanSession.objects.create(plan=plan, index=4)


def test_a_patient_books_the_next_session_and_leaves_the_waitlist(
    clinic_time, live_server, page, patient, aesthetician
):
    from needlepoint.demo.clinic import ensure_location, ensure_working_hours
    from needlepoint.scheduling.models import Appointment
    from needlepoint.waitlist.models import WaitlistEntry
    from tests.portal.world import build_world

    world = build_world(patient.patient, aesthetician.user)
    ensure_working_hours(ensure_location(), [aesthetician.user])
    _fourth_session_to_book(world)
    base = live_server.url

    page.goto(base + "/accounts/login/")
    page.get_by_label(re.compile("Username|Login", re.I)).fill("pat")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile(r"/portal/$"))
    page.get_by_role("heading", name="Hello, Pat").wait_for()
    look(page, "portal next session 01 home")

    # The plan's next session: its number and window in words.
    page.get_by_role("link", name="Book my next session").first.click()
    page.wait_for_url(re.compile(r"/next-session/"))
    page.get_by_role("heading", name="Book my next session").wait_for()
    assert "Session 4 of 4" in page.locator("dl.facts").inner_text()
    assert "Monday 15 March 2027" in page.locator("#earliest").inner_text()
    assert "Monday 5 April 2027" in page.locator("#latest").inner_text()
    look(page, "portal next session 02 window")

    # Too soon: refused beside the field, with the earliest date in words, the date kept.
    page.get_by_label("Free times from").fill("2027-03-08")
    page.get_by_role("button", name="Show free times").click()
    error = page.locator("#day-error")
    error.wait_for()
    assert "Too soon" in error.inner_text() and "Monday 15 March 2027" in error.inner_text()
    assert page.get_by_label("Free times from").input_value() == "2027-03-08"
    look(page, "portal next session 03 too soon")

    # A day inside the window: a free time with the aesthetician's name, booked.
    page.get_by_label("Free times from").fill("2027-03-17")
    page.get_by_role("button", name="Show free times").click()
    page.wait_for_url(re.compile(r"day=2027-03-17"))
    first = page.locator("label.slot").first
    assert re.search(r"\d{1,2}:\d\d (am|pm) with ", first.inner_text())
    assert page.locator("fieldset.free-day legend").first.inner_text() == "Wednesday 17 March"
    first.locator("input").check()
    page.get_by_role("button", name="Book session 4").click()
    page.wait_for_url(re.compile(r"/portal/appointments/$"))
    page.get_by_text("Session 4 of your plan is booked.").wait_for()
    booked = Appointment.objects.get(patient=patient.patient, plan_session=4)
    assert booked.booked_via == "patient"
    look(page, "portal next session 04 appointments")

    # Leave the waitlist: one confirmation step.
    entry = WaitlistEntry.objects.get(patient=patient.patient)
    page.get_by_role("link", name=re.compile("Leave the waiting list")).first.click()
    page.wait_for_url(re.compile(rf"/portal/waitlist/{entry.pk}/withdraw/$"))
    page.get_by_role("heading", name="Leave the waiting list").wait_for()
    look(page, "portal next session 05 leave waitlist")
    page.get_by_role("button", name="Leave the waiting list").click()
    page.wait_for_url(re.compile(r"/portal/appointments/$"))
    page.get_by_text("You are not on the waiting list.").wait_for()
    entry.refresh_from_db()
    assert entry.status == "withdrawn"

    # Progress, photos and the export.
    page.get_by_role("link", name="My plan and progress").first.click()
    page.wait_for_url(re.compile(r"/portal/progress/$"))
    page.get_by_role("heading", name="My plan and progress").wait_for()
    assert "1 booked" in page.locator("table.plan-sessions caption").inner_text()
    look(page, "portal next session 06 progress")

    page.get_by_role("link", name="My photos").click()
    page.wait_for_url(re.compile(r"/portal/photos/"))
    page.get_by_role("heading", name="My photos").wait_for()
    # The before/after the clinic shared, and every shared photo.
    page.get_by_role("heading", name=re.compile("^Before and after: ")).wait_for()
    assert page.locator("ul.photo-grid li").count() == 2
    look(page, "portal next session 07 photos")

    page.get_by_role("link", name="My data").click()
    page.wait_for_url(re.compile(r"/portal/export/$"))
    page.get_by_role("heading", name="My data").wait_for()
    look(page, "portal next session 08 export")
    with page.expect_download() as info:
        page.locator("#download-my-data").click()
    assert info.value.suggested_filename.endswith(".zip")
