"""A patient months into a course signs in through the real login form, sees their plan,
the progress plot and a shared before/after comparison, and downloads their data."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple 9"  # the personas' password (tests/conftest.py)

# SQLite in memory (shared cache) answers "table is locked" to a second writer at once; each
# image request writes an audit event, so an image loaded in parallel may fail here only and
# is asked for again, one at a time.
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


@pytest.fixture
def clinic_time():
    # The demo-like world is dated around Monday 2027-03-01; the clock runs from there.
    import time_machine

    from tests.portal.world import NOW

    with time_machine.travel(NOW, tick=True):
        yield


def test_a_patient_signs_in_sees_plan_progress_and_comparison_and_downloads_their_data(
    clinic_time, live_server, page, patient, other_patient, aesthetician
):
    from tests.portal.world import build_world

    build_world(patient.patient, aesthetician.user)
    build_world(other_patient.patient, aesthetician.user)
    base = live_server.url

    page.goto(base + "/accounts/login/")
    page.get_by_label(re.compile("Username|Login", re.I)).fill("pat")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile(r"/portal/$"))
    assert page.get_by_role("heading", name="Hello, Pat").is_visible()

    page.get_by_role("link", name="My plan and progress").first.click()
    page.wait_for_url(re.compile(r"/portal/progress/$"))
    assert (
        "3 done, 0 booked, 0 still to book"
        in page.locator("table.plan-sessions caption").inner_text()
    )
    plot = page.locator("figure.progress-plot svg.chart")
    assert plot.is_visible()
    assert plot.locator("circle.dot").count() == 2

    page.get_by_role("link", name="My photos").click()
    page.wait_for_url(re.compile(r"/portal/photos/"))
    assert page.get_by_role("heading", name="Before and after: Front").is_visible()
    assert "treatment session" in page.locator("#compare-facts").inner_text()
    for img in page.locator(".side-by-side img").element_handles():
        assert page.evaluate(LOADED, img), img.get_attribute("src")

    page.get_by_role("link", name="My data").click()
    page.wait_for_url(re.compile(r"/portal/export/$"))
    with page.expect_download() as info:
        page.locator("#download-my-data").click()
    download = info.value
    assert download.suggested_filename.endswith(".zip")
    with open(download.path(), "rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    data = json.loads(archive.read("data.json"))
    assert data["patient"] == patient.patient.pk
    assert {row["pk"] for row in data["records"]["patients.patient"]} == {patient.patient.pk}
    assert all(
        row["patient"] == patient.patient.pk for row in data["records"]["scheduling.appointment"]
    )
    assert len([n for n in archive.namelist() if n.startswith("photos/")]) == 3
    assert "otto" not in archive.read("data.json").decode().lower()
