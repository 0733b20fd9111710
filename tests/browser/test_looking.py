"""The accessibility check the walks rely on can fail, and the public home page passes it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.looking import axe_violations, look

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_axe_finds_an_image_without_words(page: Any) -> None:
    page.set_content('<html lang="en"><title>t</title><main><img src="x.png"></main></html>')
    assert [v["id"] for v in axe_violations(page)] == ["image-alt"]


def test_public_home_page_has_no_serious_violation(page: Any, live_server: Any) -> None:
    page.goto(live_server.url + "/")
    page.get_by_role("heading", level=1).wait_for()
    look(page, "public home")
