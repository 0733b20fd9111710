"""The aesthetician's day through the pages only: in the morning a consultation for Nina
(from her stored phone screening) and her treatment plan; then Pat's treatment day as steps
(consent, day-of check, chart, sign), Pat's photos of the day compared with her baseline, and
Pat's grades for the visit. Set-up (the screening, Pat's plan, session and baseline photos)
happens before the first page opens."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in_as
from tests.browser.test_photo_compare import jpeg
from tests.browser.test_staff_consultation_and_plan import stored_phone_screening
from tests.browser.walk_helpers import charting_day, fill_in, heading_seen, seen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEPTH_AND_PASSES = {"Cheeks": ("1.25", "3"), "Forehead": ("0.5", "2")}
CHART_FIELDS = {f"{zone} depth in mm": d for zone, (d, _) in DEPTH_AND_PASSES.items()} | {
    f"{zone} passes": passes for zone, (_, passes) in DEPTH_AND_PASSES.items()
}
CHART_CHOICES = {"Cartridge lot": "L25C031", "Endpoint reached": "pinpoint_bleeding"}


def baseline_uploaded(aria: Any, patient: Any, on: Any) -> None:
    """Pat's five baseline views a week ago, as real pictures (the compare page shows them)."""
    from needlepoint.domain.outcomes import FACE_VIEWS
    from needlepoint.outcomes.services import photo_upload

    for view in FACE_VIEWS:
        picture = {"data": jpeg((90, 60, 60)), "filename": f"{view}.jpg"}
        photo_upload(
            actor=aria.user,
            patient=patient,
            view=view,
            taken_on=on,
            **picture,
            content_type="image/jpeg",
        )


def consult_and_plan(page: Any, base: str, nina: Any) -> None:
    """Nina's overview → a consultation from her screening, signed → the plan as recommended."""
    name = nina.full_name
    page.goto(f"{base}/staff/patients/{nina.pk}/micro-needling/")
    heading_seen(page, f"{name}: micro-needling", "aesthetician day overview")
    page.get_by_role("link", name="Consult with this screening").click()
    page.wait_for_url(re.compile(r"/consultations/new/\?screening=[\w-]+$"))
    heading_seen(page, f"Consultation: {name}", "aesthetician day consultation")
    page.get_by_role("group", name="Fitzpatrick phototype").get_by_label("3", exact=True).check()
    page.get_by_label(re.compile(r"^Acne scars")).select_option("2")
    page.get_by_role("group", name="Zones to treat").get_by_label("Cheeks", exact=True).check()
    determination = page.get_by_role("group", name=re.compile(r"^Determination"))
    determination.get_by_label("Candidate", exact=True).check()
    page.get_by_role("button", name="Sign the consultation").click()
    page.wait_for_url(re.compile(r"/staff/consultations/\d+/$"))
    seen(page, page.get_by_text("Consultation recorded and signed."), "aesthetician day consulted")
    page.get_by_role("link", name="Create the treatment plan").click()
    page.wait_for_url(re.compile(r"/staff/consultations/\d+/plan/$"))
    heading_seen(page, f"Treatment plan for {name}", "aesthetician day plan form")
    page.get_by_role("button", name="Create the plan").click()
    page.wait_for_url(re.compile(r"/staff/plans/\d+/$"))
    seen(page, page.get_by_text("Treatment plan created."), "aesthetician day plan")


def treat(page: Any, base: str, appointment: Any) -> None:
    """Pat's treatment day, one step a screen: consent, day-of check, chart, sign."""
    page.goto(f"{base}/staff/appointments/{appointment.pk}/treatment/")
    heading_seen(page, re.compile("1. Consent"), "aesthetician day consent")
    page.get_by_label(re.compile("type your full name")).fill("Pat Persona")
    page.get_by_role("button", name="Sign the consent").click()
    heading_seen(page, "2. Day-of check", "aesthetician day check")
    for radio in page.locator("#step-day-of input[type=radio][value=no]").all():
        radio.check()
    page.get_by_role("button", name="Record the day-of check").click()
    seen(page, page.locator("#chart-form"), "aesthetician day chart")
    fill_in(page, CHART_FIELDS, CHART_CHOICES)
    page.get_by_label("Aftercare instructions given").check()
    page.get_by_role("button", name="Save the chart").click()
    seen(page, page.get_by_role("button", name="Sign the chart"), "aesthetician day sign")
    page.get_by_role("button", name="Sign the chart").click()
    seen(page, page.locator("#signed"), "aesthetician day signed")


def test_an_aesthetician_walks_the_day_through_the_pages(live_server, page, make_persona, api):
    from datetime import timedelta

    from django.utils import timezone

    from needlepoint.charting.models import SessionChart
    from needlepoint.outcomes.models import Assessment, Photo
    from needlepoint.treatments.models import TreatmentPlan

    aria, pat, appointment = charting_day(make_persona, api, baseline=False)
    today = timezone.localdate(timezone=appointment.location.zone)
    baseline_uploaded(aria, pat.patient, today - timedelta(days=7))
    nina = make_persona("nina", "patient", with_patient=True).patient
    stored_phone_screening(make_persona("fran", "front_desk").user, nina)
    pid, base = pat.patient.pk, live_server.url

    sign_in_as(page, live_server, aria.user)
    consult_and_plan(page, base, nina)
    assert TreatmentPlan.objects.filter(patient=nina).count() == 1

    treat(page, base, appointment)
    assert SessionChart.objects.get(appointment=appointment).status == "signed"

    # Today's front photo on the capture page, then compared with the baseline.
    page.goto(f"{base}/staff/patients/{pid}/photos/")
    heading_seen(page, re.compile("Photos for the visit of"), "aesthetician day photos")
    picture = {"name": "IMG_0002.jpg", "mimeType": "image/jpeg", "buffer": jpeg((200, 170, 150))}
    page.set_input_files("#file-front", files=[picture])
    page.get_by_role("button", name="Save front").click()
    page.wait_for_url(re.compile(r"/photos/\?on="))
    expect(page.get_by_alt_text(re.compile(r"^Front photo of "))).to_be_visible()
    assert Photo.objects.filter(patient=pat.patient, taken_on=today, view="front").exists()
    page.get_by_role("link", name="Compare visits").click()
    page.wait_for_url(re.compile(r"/photos/compare/"))
    seen(page, page.locator("#compare-facts"), "aesthetician day compare")

    # The grades of today's visit, from the grades over time.
    page.goto(f"{base}/staff/patients/{pid}/outcomes/")
    seen(
        page,
        page.get_by_role("link", name="Record grades and GAIS for a visit"),
        "aesthetician day outcomes",
    )
    page.get_by_role("link", name="Record grades and GAIS for a visit").click()
    page.wait_for_url(re.compile(rf"/staff/patients/{pid}/grades/new/$"))
    heading_seen(page, "Record grades and GAIS: Pat Persona", "aesthetician day grades")
    page.get_by_label("Visit date").fill(today.isoformat())
    page.get_by_label("Kind of visit").select_option(label="Before a session of the course")
    acne = page.get_by_role("group", name=re.compile("^Acne scars"))
    acne.get_by_label("Grade").select_option(label="2: mild")
    page.get_by_role("button", name="Record the grades").click()
    page.wait_for_url(re.compile(rf"/staff/patients/{pid}/outcomes/$"))
    seen(page, page.get_by_text(re.compile("Grades recorded for")), "aesthetician day graded")
    assert Assessment.objects.filter(patient=pat.patient, kind="before_session").exists()
