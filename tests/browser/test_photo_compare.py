"""Staff upload a visit's photo on the capture page, then compare it with the baseline."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from PIL import Image, ImageDraw

from tests.browser.conftest import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def jpeg(colour: tuple[int, int, int]) -> bytes:
    image = Image.new("RGB", (480, 640), colour)
    ImageDraw.Draw(image).ellipse([120, 120, 360, 460], fill=(230, 190, 160))
    out = io.BytesIO()
    image.save(out, "JPEG")
    return out.getvalue()


# The test database is SQLite in memory (shared cache), where a writer that meets another
# gets "table is locked" at once instead of waiting as a file database in WAL mode does. Each
# image request writes its audit event, so an image the browser loaded in parallel with
# another may have failed here only; it is asked for again, one at a time.
LOADED = """img => new Promise(resolve => {
  let tries = 0;
  const check = () => {
    if (img.complete && img.naturalWidth > 0) { resolve(true); return; }
    if (tries++ >= 3) { resolve(false); return; }
    img.addEventListener("load", check, {once: true});
    img.addEventListener("error", check, {once: true});
    const url = new URL(img.src);
    url.searchParams.set("try", String(tries));
    img.src = url.toString();
  };
  if (img.complete && img.naturalWidth > 0) { resolve(true); } else if (!img.complete) {
    img.addEventListener("load", check, {once: true});
    img.addEventListener("error", check, {once: true});
  } else { check(); }
})"""


def test_staff_capture_a_visit_and_compare_it_with_the_baseline(live_server, page, make_persona):
    from needlepoint.outcomes import services
    from needlepoint.outcomes.models import Photo
    from tests.conftest import enrol_totp

    aesthetician = make_persona("aria", "aesthetician")
    patient = make_persona("pat", "patient", with_patient=True).patient
    enrol_totp(aesthetician.user)
    services.photo_upload(
        actor=aesthetician.user,
        patient=patient,
        view="front",
        taken_on=date(2026, 1, 5),
        data=jpeg((90, 60, 60)),
        filename="baseline.jpg",
        content_type="image/jpeg",
    )
    sign_in_as(page, live_server, aesthetician.user)

    page.goto(f"{live_server.url}/staff/patients/{patient.pk}/photos/?on=2026-06-01")
    assert page.get_by_role(
        "heading", name=re.compile("Photos for the visit of Monday 1 June 2026")
    ).is_visible()
    missing = page.locator("#missing-views")
    assert "Front" in missing.inner_text()
    guide = page.get_by_alt_text(re.compile("Baseline Front photo"))
    assert guide.evaluate(LOADED)

    page.set_input_files(
        "#file-front",
        files=[{"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": jpeg((200, 170, 150))}],
    )
    page.get_by_role("button", name="Save front").click()
    page.wait_for_url(re.compile(r"/photos/\?on=2026-06-01"))
    assert Photo.objects.filter(patient=patient, taken_on=date(2026, 6, 1), view="front").exists()
    assert page.get_by_alt_text("Front photo of 1 June 2026").is_visible()

    page.get_by_role("link", name="Compare visits").click()
    page.wait_for_url(re.compile(r"/photos/compare/"))
    facts = page.locator("#compare-facts").inner_text()
    assert "Monday 5 January 2026 → Monday 1 June 2026" in facts and "session" in facts
    before = page.get_by_alt_text("Front before, Monday 5 January 2026")
    after = page.get_by_alt_text("Front after, Monday 1 June 2026")
    for image in (before, after):
        image.wait_for(state="visible")
        assert image.evaluate(LOADED)

    top = page.locator("#overlay-top")
    assert "50%" in top.evaluate("img => getComputedStyle(img).clipPath")
    page.locator("#overlay-slider").fill("20")
    assert "80%" in top.evaluate("img => getComputedStyle(img).clipPath")
    assert page.locator("#overlay").get_attribute("data-split") == "20"
    page.locator("#overlay-opacity").fill("40")
    assert top.evaluate("img => getComputedStyle(img).opacity") == "0.4"
    assert "no photo release" in page.content()
