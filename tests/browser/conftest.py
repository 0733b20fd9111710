"""Helpers shared by the browser tests (the browser itself is set up in tests/conftest.py)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any


def sign_in_as(page: Any, live_server: Any, user: Any) -> None:
    """TOTP enrolled, then the session of a forced login handed to the browser.

    The real sign-in form (with TOTP) is driven in test_staff_sign_in.py and
    test_staff_calendar_booking.py; the other tests start signed in."""
    from django.conf import settings
    from django.test import Client

    from needlepoint.accounts.middleware import has_totp
    from tests.conftest import enrol_totp

    if not has_totp(user):
        enrol_totp(user)
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def weekday_ahead(today: date, days: int = 3) -> date:
    """The first Monday-to-Friday at least ``days`` after ``today``."""
    day = today + timedelta(days=days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def show_free_times(page: Any, path: str) -> None:
    """Click "Show free times" and return once htmx has swapped the answer in: the response
    to its request came, and no element is still requesting, swapping or settling (a time
    chosen before the swap would be replaced by it)."""
    button = page.get_by_role("button", name="Show free times")
    with page.expect_response(
        lambda response: path in response.url and response.request.headers.get("hx-request")
    ):
        button.click()
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )
