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
