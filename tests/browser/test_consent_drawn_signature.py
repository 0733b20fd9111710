"""On the tablet the patient signs the consent by drawing on the pad with the mouse (or a
finger); the drawing is stored as a PNG with the consent. "Clear" empties the pad."""

from __future__ import annotations

import base64
import re

import pytest

from tests.browser.conftest import sign_in_as
from tests.browser.walk_helpers import charting_day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def stroke(page, box, points) -> None:
    x0, y0 = box["x"], box["y"]
    page.mouse.move(x0 + points[0][0] * box["width"], y0 + points[0][1] * box["height"])
    page.mouse.down()
    for fx, fy in points[1:]:
        page.mouse.move(x0 + fx * box["width"], y0 + fy * box["height"], steps=5)
    page.mouse.up()


def test_the_patient_draws_the_signature_on_the_tablet(live_server, page, make_persona, api):

    from needlepoint.charting import selectors as sel
    from needlepoint.charting.models import ConsentSignature

    aria, pat, appointment = charting_day(make_persona, api, today_only=False)

    # Uncaught errors and refused scripts. (htmx's own indicator <style> is refused by the
    # style-src policy on every page; that is not this page's doing.)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "console",
        lambda m: errors.append(m.text) if m.type == "error" and "script-src" in m.text else None,
    )
    page.set_viewport_size({"width": 1024, "height": 768})
    sign_in_as(page, live_server, aria.user)
    page.goto(f"{live_server.url}/staff/appointments/{appointment.pk}/treatment/")
    assert page.get_by_role("heading", name=re.compile("1. Consent")).is_visible()

    # Typed is the default, and typing hides the pad (the script ran under the strict CSP);
    # choosing to draw shows the pad and hides the name field.
    canvas = page.locator("canvas#id_signature_pad")
    assert page.get_by_role("radio", name="Type the full name").is_checked()
    assert not canvas.is_visible()
    page.get_by_role("radio", name="Draw the signature").check()
    canvas.wait_for(state="visible")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box and box["width"] > 100

    # A first scribble, cleared: nothing is kept.
    stroke(page, box, [(0.1, 0.8), (0.9, 0.2)])
    assert page.get_by_role("radio", name="Draw the signature").is_checked()
    assert page.locator("#id_signature_drawing").input_value().startswith("data:image/png")
    page.get_by_role("button", name="Clear").click()
    assert page.locator("#id_signature_drawing").input_value() == ""

    # The signature: two strokes with the mouse.
    stroke(page, box, [(0.1, 0.6), (0.2, 0.3), (0.3, 0.7), (0.4, 0.3), (0.5, 0.6)])
    stroke(page, box, [(0.55, 0.5), (0.7, 0.4), (0.9, 0.55)])
    assert not page.get_by_label(re.compile("type your full name")).is_visible()
    page.get_by_label("I give this photo release").check()
    page.get_by_role("button", name="Sign the consent").click()
    page.locator("#consent-done").wait_for()
    assert "(drawn signature)" in page.locator("#consent-done").inner_text()
    # The signed consent, with the drawing, is on the consent step's own screen.
    page.locator("#consent-done").get_by_role("link").click()
    page.locator("#consent-signature").wait_for()
    assert page.locator("#consent-signature").is_visible()
    assert not errors, errors

    consent = ConsentSignature.objects.get(appointment=appointment)
    assert consent.signature_kind == "drawn" and consent.source == "tablet"
    assert consent.signer_name == pat.patient.full_name
    assert consent.text_hash == sel.consent_library().current.text_hash
    assert consent.photo_release
    png = base64.b64decode(consent.signature.removeprefix("data:image/png;base64,"))
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert int.from_bytes(png[16:20], "big") == 600  # the pad's own resolution
