"""The header navigation fits a desktop, a tablet and a phone (decision 0503): a short primary
row, the rest under "More" (Escape closes it), and below 40rem a "Menu" button that shows or
hides the whole nav. Without JavaScript the nav is simply shown. Every link stays reachable."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in_as
from tests.browser.looking import look, results_dir

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
TABLET = {"width": 820, "height": 1180}
DESKTOP = {"width": 1280, "height": 800}
PRIMARY = ["Today", "Calendar", "Patients", "Staff", "Clinic setup"]
UNDER_MORE = [
    "Waitlist",
    "Stock",
    "Screening by phone",
    "Outcomes",
    "Adverse events",
    "Recalls",
    "Audit",
    "My calendar feed",
    "Security",
]


def snap(page: Any, name: str) -> None:
    page.screenshot(path=str(results_dir() / f"navigation-{name}.png"), full_page=True)


def test_the_admin_nav_fits_each_size_and_every_link_is_reachable(
    live_server: Any, page: Any, clinic_admin: Any
) -> None:
    from needlepoint.demo.clinic import ensure_location

    ensure_location()
    sign_in_as(page, live_server, clinic_admin.user)
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/staff/")
    nav = page.get_by_role("navigation", name="Main")
    more = nav.locator("summary", has_text="More")
    menu = page.get_by_role("button", name="Menu")
    more.wait_for()
    look(page, "navigation: staff start as clinic admin")

    for label, size in (("desktop", DESKTOP), ("tablet", TABLET)):
        page.set_viewport_size(size)
        # One row: the nav is no taller than a line of links (it wrapped onto 2-3 before).
        assert nav.bounding_box()["height"] < 50, label
        expect(menu).to_be_hidden()
        for name in PRIMARY:
            expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
        expect(nav.get_by_role("button", name="Sign out")).to_be_visible()
        expect(nav.get_by_role("link", name="Audit")).to_be_hidden()
        snap(page, f"admin-{label}-closed")
        more.click()
        for name in UNDER_MORE:
            expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
        snap(page, f"admin-{label}-more-open")
        # Escape closes the list and leaves focus on "More".
        nav.get_by_role("link", name="Audit").focus()
        page.keyboard.press("Escape")
        expect(nav.get_by_role("link", name="Audit")).to_be_hidden()
        expect(more).to_be_focused()

    # Phone: the Menu button shows and hides the whole nav.
    page.set_viewport_size(PHONE)
    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_have_attribute("aria-controls", "main-nav")
    expect(nav).to_be_hidden()
    snap(page, "admin-phone-closed")
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    for name in PRIMARY:
        expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
    snap(page, "admin-phone-menu-open")
    more.click()
    for name in UNDER_MORE:
        expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
    snap(page, "admin-phone-more-open")
    menu.click()
    expect(nav).to_be_hidden()
    # The keyboard: Enter on the focused button opens it again; Escape closes it.
    menu.focus()
    page.keyboard.press("Enter")
    expect(nav).to_be_visible()
    nav.get_by_role("link", name="Today").focus()
    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    expect(menu).to_be_focused()

    # A link under More takes the admin where it says.
    page.set_viewport_size(DESKTOP)
    more.click()
    nav.get_by_role("link", name="Audit").click()
    page.wait_for_url(re.compile(r"/staff/audit"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_without_javascript_the_phone_nav_is_simply_shown(
    live_server: Any, page: Any, clinic_admin: Any
) -> None:
    from needlepoint.demo.clinic import ensure_location

    ensure_location()
    browser = page.context.browser
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    try:
        plain = context.new_page()
        sign_in_as(plain, live_server, clinic_admin.user)
        plain.goto(live_server.url + "/staff/")
        nav = plain.get_by_role("navigation", name="Main")
        nav.get_by_role("link", name="Today").wait_for()
        expect(plain.get_by_role("button", name="Menu")).to_be_hidden()
        expect(nav.get_by_role("link", name="Calendar")).to_be_visible()
        nav.locator("summary", has_text="More").click()  # a <details> needs no script
        expect(nav.get_by_role("link", name="Audit")).to_be_visible()
        snap(plain, "admin-phone-no-javascript")
    finally:
        context.close()


@pytest.mark.parametrize(
    ("role", "primary", "under_more"),
    [
        ("front_desk", ["Waitlist", "Follow-ups"], ["Stock", "Screening by phone"]),
        ("aesthetician", ["Follow-ups", "Stock"], ["Waitlist", "Screening by phone"]),
        ("physician", ["Co-sign", "Clearances"], ["Follow-ups", "Outcomes", "Recalls"]),
    ],
)
def test_each_role_keeps_its_main_jobs_in_one_row_on_a_tablet(
    live_server: Any, page: Any, make_persona: Any, role: str, primary: list, under_more: list
) -> None:
    from needlepoint.demo.clinic import ensure_location

    ensure_location()
    sign_in_as(page, live_server, make_persona(f"nav-{role}", role).user)
    page.set_viewport_size(TABLET)
    page.goto(live_server.url + "/staff/")
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Today").wait_for()
    assert nav.bounding_box()["height"] < 50
    for name in ["Today", "Calendar", "Patients", *primary]:
        expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="Audit")).to_have_count(0)
    nav.locator("summary", has_text="More").click()
    for name in [*under_more, "My calendar feed", "Security"]:
        expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
    snap(page, f"{role}-tablet-more-open")
