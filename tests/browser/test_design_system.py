"""One design system on every kind of page (docs/design-system.md): the sign-in pages, the
clinic setup, a staff page, a destructive action's confirm step and the patient portal are
looked at (axe-core: no critical or serious violation; screenshots at 1280x800 and 820x1180),
and the components are what the pages are drawn with: buttons at least 44 px tall on a
tablet, the design tokens loaded, icons from the sprite."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in_as
from tests.browser.looking import TABLET, look
from tests.browser.walk_helpers import sign_in_with_totp
from tests.conftest import enrol_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every button and button-like link, with its height, on the page as it is.
HEIGHTS = """() => [...document.querySelectorAll('main button, main .button, main input[type=submit]')]
  .filter(el => el.offsetParent !== null)
  .map(el => [el.textContent.trim().slice(0, 40), el.getBoundingClientRect().height])"""


def _touch_targets_fit_a_finger(page) -> None:
    page.set_viewport_size(TABLET)
    small = [(t, h) for t, h in page.evaluate(HEIGHTS) if h < 44]
    assert not small, f"buttons under 44 px on a tablet at {page.url}: {small}"


def test_sign_in_setup_staff_and_portal_share_one_design(live_server, page, make_persona):
    from needlepoint.demo.clinic import ensure_location, ensure_services

    location = ensure_location()
    ensure_services()
    base = live_server.url

    # Signed out: the sign-in page, the password reset and (closed) sign-up pages.
    page.goto(base + "/accounts/login/")
    expect(page.get_by_role("heading", level=1, name=re.compile("Sign In", re.I))).to_be_visible()
    tokens = page.evaluate(
        "() => getComputedStyle(document.documentElement).getPropertyValue('--space-4')"
    )
    assert tokens.strip() == "1rem", "the design tokens are not loaded"
    _touch_targets_fit_a_finger(page)
    look(page, "design sign-in")
    page.goto(base + "/accounts/password/reset/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    look(page, "design password reset")
    page.goto(base + "/accounts/signup/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    look(page, "design sign-up closed")

    # The clinic admin signs in through the real forms: password, then the TOTP code.
    adah = make_persona("adah", "clinic_admin")
    make_persona("fran", "front_desk")
    secret = enrol_totp(adah.user)
    page.goto(base + "/accounts/login/")
    sign_in_with_totp(page, "adah", secret, looking="design admin")
    page.wait_for_url(re.compile(r"/staff/$"))
    page.goto(base + "/accounts/2fa/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    look(page, "design security")

    # Setup: the home and a list with a destructive action, which asks once.
    page.goto(base + "/staff/setup/")
    expect(page.get_by_role("heading", level=1, name="Clinic setup")).to_be_visible()
    _touch_targets_fit_a_finger(page)
    look(page, "design setup home")
    page.goto(base + "/staff/setup/services/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    _touch_targets_fit_a_finger(page)
    look(page, "design setup services")
    page.get_by_role("button", name=re.compile(r"^Withdraw… Signature facial")).click()
    expect(page.get_by_role("heading", level=1, name="Withdraw Signature facial?")).to_be_visible()
    _touch_targets_fit_a_finger(page)
    look(page, "design confirm step")
    page.get_by_role("link", name="No, keep offering it").click()
    expect(page.get_by_role("heading", level=1, name="Services")).to_be_visible()

    # A staff page: the team list and a member's page.
    page.goto(base + "/staff/team/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    look(page, "design team list")
    page.get_by_role("link", name="Fran").first.click()
    expect(page.get_by_role("heading", level=1, name="Fran")).to_be_visible()
    _touch_targets_fit_a_finger(page)
    look(page, "design team member")
    assert page.locator("svg.icon use").count() >= 1, "no icon from the sprite"

    # The patient's portal.
    pat = make_persona("pat", "patient", with_patient=True)
    page.context.clear_cookies()
    sign_in_as(page, live_server, pat.user)
    page.goto(base + "/portal/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    _touch_targets_fit_a_finger(page)
    look(page, "design portal")
    assert location.pk
