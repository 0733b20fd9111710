"""Steps the whole-day walks share with the other browser tests: signing in through allauth's
real forms (password, then the TOTP code) and opening the calendar's time grid."""

from __future__ import annotations

import re
import time
from typing import Any

from playwright.sync_api import expect

from tests.browser.looking import look

PASSWORD = "correct horse battery staple 9"


def fresh_totp_code(secret: str) -> str:
    """The current code, never one about to expire (allauth allows no tolerance)."""
    from tests.conftest import totp_code

    if time.time() % 30 > 27:
        time.sleep(30.2 - time.time() % 30)
    return totp_code(secret)


def sign_in_with_totp(page: Any, username: str, secret: str, *, looking: str = "") -> None:
    """Fill allauth's sign-in form, then its TOTP form; with ``looking``, each form is looked
    at (axe-core, screenshots) under that name before it is sent."""
    page.get_by_label(re.compile("Username|Login", re.I)).fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    if looking:
        look(page, f"{looking} sign-in form")
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    if looking:
        look(page, f"{looking} authenticator code")
    page.get_by_label(re.compile("Code", re.I)).fill(fresh_totp_code(secret))
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()


def open_grid(page: Any, base: str, day: Any) -> Any:
    """The calendar's day grid at the main location, once its appointments are drawn."""
    page.goto(f"{base}/staff/calendar/?location=main&date={day}")
    grid = page.locator("#calendar-grid")
    expect(grid).to_have_attribute("data-loaded", re.compile(r"\d"))
    return grid


def grid_event(page: Any, text: str) -> Any:
    return page.locator("#calendar-mount .ec-event", has_text=text)


def seen(page: Any, locator: Any, name: str) -> None:
    """Wait until ``locator`` shows, then look at the page under ``name``."""
    expect(locator).to_be_visible()
    look(page, name)


def sign_in_for_the_day(page: Any, base: str, username: str, secret: str, looking: str) -> None:
    """From the staff start page's address, through the sign-in forms, to the start page."""
    page.goto(f"{base}/staff/")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    sign_in_with_totp(page, username, secret, looking=looking)
    page.wait_for_url(re.compile(r"/staff/$"))
    seen(page, page.get_by_role("heading", level=1), f"{looking} start page")


def clinic_with_clinicians(make_persona: Any) -> tuple[Any, Any, Any]:
    """The demo clinic's main location and services, with Aria (aesthetician) and Phil
    (physician) working the demo hours there."""
    from needlepoint.demo.clinic import ensure_location, ensure_services, ensure_working_hours

    location = ensure_location()
    ensure_services()
    aria = make_persona("aria", "aesthetician")
    phil = make_persona("phil", "physician")
    ensure_working_hours(location, [aria.user, phil.user])
    return location, aria, phil


def fill_registration(page: Any, given: str, family: str, born: str, phone: str) -> None:
    page.get_by_label("First name").fill(given)
    page.get_by_label("Last name").fill(family)
    page.get_by_label("Date of birth").fill(born)
    page.get_by_label("Phone").fill(phone)


def add_pen(page: Any, label: str, serial: str) -> None:
    """On the setup's pens page: send the form for an Eclipse MicroPen EVO."""
    page.get_by_label("Label").fill(label)
    page.get_by_label("Model").fill("Eclipse MicroPen EVO")
    page.get_by_label("Serial number").fill(serial)
    page.get_by_role("button", name="Add pen").click()


def check_in_from_card(page: Any, who: str, looking: str) -> Any:
    """Open ``who``'s card on the grid, look at it, press "Check in"; returns the card once
    it says so."""
    grid_event(page, who).click()
    card = page.get_by_role("complementary", name="Appointment")
    seen(page, card.get_by_role("heading", name=who), looking)
    card.get_by_role("button", name="Check in").click()
    expect(page.locator("#calendar-status").filter(has_text="Checked in.")).to_be_visible()
    expect(card.get_by_text(re.compile(r"Checked in \(arrived"))).to_be_visible()
    return card


def reset_second_factor(page: Any, who: str, looking: str) -> None:
    """From a staff member's page: "Reset second factor", the admin's password again, then
    the reset itself, each page looked at under ``looking``."""
    page.get_by_role("link", name="Reset second factor").click()
    page.wait_for_url(re.compile(r"/accounts/reauthenticate/"))
    look(page, f"{looking} reauthenticate before a reset")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    seen(page, page.get_by_role("heading", name=f"Reset {who}'s second factor"), looking)
    page.get_by_role("button", name="Reset the second factor").click()
    seen(page, page.get_by_text(f"{who}'s second factor is reset"), f"{looking} done")


def charting_day(
    make_persona: Any,
    api: Any,
    *,
    baseline: bool = True,
    session: int | None = 1,
    today_only: bool = True,
) -> tuple[Any, Any, Any]:
    """The main location stocked for a treatment day, aesthetician "aria", patient "pat" on a
    plan and their session that started 20 minutes ago: (aria, pat, appointment).
    ``baseline`` gives pat the photos a first session needs (taken a week ago);
    ``today_only`` never starts the session before the location's midnight (charting is for
    the session's local day)."""
    from datetime import timedelta

    from django.utils import timezone

    from needlepoint.demo.clinic import ensure_cartridges, ensure_location, ensure_services
    from tests.charting.conftest import baseline_photos, make_appointment, make_plan

    location = ensure_location()
    ensure_services()
    ensure_cartridges(location, timezone.localdate(timezone=location.zone))
    aria = make_persona("aria", "aesthetician")
    pat = make_persona("pat", "patient", with_patient=True)
    plan = make_plan(api, aria, pat)
    if baseline:
        baseline_photos(pat.patient, timezone.localdate() - timedelta(days=7))
    start = timezone.now() - timedelta(minutes=20)
    if today_only:
        midnight = timezone.localtime(timezone=location.zone).replace(hour=0, minute=0, second=1)
        start = max(start, midnight)
    appointment = make_appointment(
        patient=pat.patient, staff=aria.user, plan_id=plan["id"], session=session, start=start
    )
    return aria, pat, appointment


def booking_day(make_persona: Any) -> tuple[Any, Any, Any, Any, Any]:
    """The main location with its services, aesthetician "aria" and physician "phil" working
    there, front desk "fran" and patient "pat": (location, aria, phil, fran, pat)."""
    from needlepoint.demo.clinic import ensure_location, ensure_services, ensure_working_hours

    location = ensure_location()
    ensure_services()
    aria = make_persona("aria", "aesthetician")
    phil = make_persona("phil", "physician")
    ensure_working_hours(location, [aria.user, phil.user])
    fran = make_persona("fran", "front_desk")
    pat = make_persona("pat", "patient", with_patient=True)
    return location, aria, phil, fran, pat


def chart_signed_by(api: Any, clinician: Any, appointment: Any) -> None:
    """Set-up for the physician's day: ``clinician`` consents, checks, charts and signs the
    session of ``appointment`` (through the API, as the treatment-day pages do), so the chart
    waits for a co-signature and its cartridge lot can be recalled."""
    from tests.charting.conftest import CHART, DAY_OF_CLEAR

    client = api(clinician)
    steps = (
        (
            "consent",
            {"consent_version": "current", "signature": "Pat Persona", "photo_release": False},
        ),
        ("day-of-check", DAY_OF_CLEAR),
        ("chart", CHART),
    )
    for step, body in steps:
        answer = client.post(f"/appointments/{appointment.pk}/{step}", body)
        assert answer.status_code == 201, (step, answer.content)
    chart_id = answer.json()["id"]
    assert client.post(f"/charts/{chart_id}/sign").status_code == 200


def open_from_menu(page: Any, link: str, heading: str, name: str) -> None:
    """Follow ``link`` in the main menu (opening "More" when the link sits under it), wait
    for the page's ``heading`` and look at it."""
    nav = page.get_by_role("navigation", name="Main")
    target = nav.get_by_role("link", name=link)
    if not target.is_visible():
        nav.locator("summary", has_text="More").click()
    target.click()
    seen(page, page.get_by_role("heading", name=heading, level=1), name)


def fill_in(page: Any, typed: dict[str, str], chosen: dict[str, str]) -> None:
    """Type into the fields labelled as ``typed``'s keys; choose options (by value) in the
    selects labelled as ``chosen``'s keys."""
    for label, text in typed.items():
        page.get_by_label(label).fill(text)
    for label, value in chosen.items():
        page.get_by_label(label).select_option(value)


def heading_seen(page: Any, heading: Any, name: str) -> None:
    """Wait for the heading named ``heading`` (text or pattern), then look at the page."""
    seen(page, page.get_by_role("heading", name=heading), name)
