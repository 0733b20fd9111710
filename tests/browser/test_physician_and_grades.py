"""Clinical jobs through the pages only: the physician opens the clearance queue from the
menu and signs a clearance; an aesthetician records a visit's grades and GAIS, records the
patient's photo release and shares a before/after comparison with the patient."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from tests.browser.conftest import sign_in_as
from tests.browser.looking import look

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def jpeg(colour: tuple[int, int, int]) -> bytes:
    image = Image.new("RGB", (480, 640), colour)
    ImageDraw.Draw(image).ellipse([120, 120, 360, 460], fill=(230, 190, 160))
    out = io.BytesIO()
    image.save(out, "JPEG")
    return out.getvalue()


def test_the_physician_clears_a_consultation_from_the_queue(live_server, page, make_persona):
    from needlepoint.screening import services
    from needlepoint.screening.models import Clearance

    aria = make_persona("aria", "aesthetician")
    phil = make_persona("phil", "physician")
    pat = make_persona("pat", "patient", with_patient=True)
    consultation = services.consultation_record(
        actor=aria.user,
        patient=pat.patient,
        fitzpatrick=5,
        concerns=[{"concern": "acne_scars", "grade": "3"}],
        zones=["cheeks", "chin_jawline"],
        determination="candidate",
        notes="Rolling scars on both cheeks.",
    )
    services.consultation_amend(
        actor=aria.user,
        consultation=consultation,
        determination="physician_clearance_required",
        reason="She takes apixaban for a heart rhythm problem.",
    )
    sign_in_as(page, live_server, phil.user)

    page.goto(f"{live_server.url}/staff/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Clearances").click()
    page.wait_for_url(re.compile(r"/staff/clearances/$"))
    expect(
        page.get_by_role("heading", name="Consultations awaiting your clearance")
    ).to_be_visible()
    row = page.get_by_role("row", name=re.compile("Pat Persona"))
    expect(row).to_contain_text("She takes apixaban for a heart rhythm problem.")
    expect(row).to_contain_text("Waiting since today")
    look(page, "clearance queue")

    row.get_by_role("link", name="Decide on Pat Persona").click()
    page.wait_for_url(re.compile(rf"/staff/clearances/{consultation.pk}/$"))
    expect(page.get_by_role("heading", name="Clearance for Pat Persona")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("Fitzpatrick type V")
    expect(page.locator("dl.facts")).to_contain_text("Chin and jawline")

    # Not cleared without a reason: refused beside the notes, the choice kept.
    page.get_by_label("Not cleared: treatment may not be booked").check()
    page.get_by_role("button", name="Sign the clearance decision").click()
    expect(page.locator("#err-notes")).to_contain_text("Say why the patient is not cleared")
    expect(page.get_by_label("Not cleared: treatment may not be booked")).to_be_checked()
    look(page, "clearance decision refused")

    page.get_by_label("Cleared: treatment may be planned and booked").check()
    page.get_by_label("Notes for the clinician and the record").fill("Hold apixaban for 2 days.")
    page.get_by_role("button", name="Sign the clearance decision").click()
    page.wait_for_url(re.compile(r"/staff/clearances/$"))
    expect(page.get_by_role("status").first).to_contain_text("Clearance signed for Pat Persona")
    expect(page.get_by_text("Nothing is waiting for a clearance.")).to_be_visible()
    look(page, "clearance queue empty")
    clearance = Clearance.objects.get(consultation=consultation)
    assert clearance.cleared and clearance.signed_by == phil.user


def test_an_aesthetician_grades_a_visit_records_the_release_and_shares_a_comparison(
    live_server, page, make_persona
):
    from needlepoint.outcomes import services
    from needlepoint.outcomes.models import Assessment, Photo, PhotoRelease

    aria = make_persona("aria", "aesthetician")
    pat = make_persona("pat", "patient", with_patient=True)
    pid = pat.patient.pk
    for day, colour in ((date(2026, 1, 5), (90, 60, 60)), (date(2026, 4, 6), (200, 170, 150))):
        services.photo_upload(
            actor=aria.user,
            patient=pat.patient,
            view="front",
            taken_on=day,
            data=jpeg(colour),
            filename="face.jpg",
            content_type="image/jpeg",
        )
    sign_in_as(page, live_server, aria.user)
    base = live_server.url

    # Grades over time -> record grades for a visit.
    page.goto(f"{base}/staff/patients/{pid}/outcomes/")
    page.get_by_role("link", name="Record grades and GAIS for a visit").click()
    page.wait_for_url(re.compile(rf"/staff/patients/{pid}/grades/new/$"))
    expect(page.get_by_role("heading", name="Record grades and GAIS: Pat Persona")).to_be_visible()
    page.get_by_label("Visit date").fill("2026-04-06")
    page.get_by_label("Kind of visit").select_option(
        label="Outcome visit, 3 months after the course"
    )
    acne = page.get_by_role("group", name=re.compile("^Acne scars"))
    expect(acne).to_contain_text("Goodman & Baron qualitative")
    acne.get_by_label("Grade").select_option(label="2: mild")
    acne.get_by_label("GAIS, since the baseline").select_option(label="2: much improved")
    pores = page.get_by_role("group", name=re.compile("^Enlarged pores"))
    pores.get_by_label("GAIS, since the baseline").select_option(label="3: improved")
    look(page, "grades form")
    page.get_by_role("button", name="Record the grades").click()

    # The pores' GAIS without saying they were seen is refused beside it; the rest is kept.
    expect(page.locator("#err-grade_enlarged_pores")).to_contain_text("Mark enlarged pores as seen")
    expect(acne.get_by_label("Grade")).to_have_value("2")
    look(page, "grades form refused")
    pores.get_by_label("Grade").select_option(label="Seen (this concern is not graded)")
    page.get_by_role("button", name="Record the grades").click()
    page.wait_for_url(re.compile(rf"/staff/patients/{pid}/outcomes/$"))
    expect(page.get_by_role("status").first).to_contain_text(
        "Grades recorded for Monday 6 April 2026: Acne scars, Enlarged pores"
    )
    assert Assessment.objects.filter(patient=pat.patient, kind="outcome_3m").count() == 2

    # Compare the two visits: no release yet, so record it from the compare page.
    page.goto(f"{base}/staff/patients/{pid}/photos/compare/?view=front&a=2026-01-05&b=2026-04-06")
    expect(page.get_by_role("heading", name="Before and after: Front")).to_be_visible()
    page.get_by_role("link", name="record it here").click()
    page.wait_for_url(re.compile(rf"/staff/patients/{pid}/photo-release/$"))
    expect(page.locator("#release-status")).to_contain_text("Not signed.")
    look(page, "photo release")
    page.get_by_label("Signed the photo release").check()
    page.get_by_role("button", name="Record it").click()
    expect(page.locator("#err-source")).to_contain_text("Say where the release was signed")
    page.get_by_label("Where it was signed, or how it was withdrawn").fill(
        "Paper form at the front desk"
    )
    page.get_by_role("button", name="Record it").click()
    expect(page.locator("#release-status")).to_contain_text("Signed.")
    expect(page.locator("#release-status")).to_contain_text("Paper form at the front desk")
    look(page, "photo release signed")
    assert PhotoRelease.objects.get(patient=pat.patient).granted

    # Share the comparison: the confirmation says what the patient will see.
    page.goto(f"{base}/staff/patients/{pid}/photos/compare/?view=front&a=2026-01-05&b=2026-04-06")
    page.get_by_role("link", name="Share this comparison with Pat").click()
    page.wait_for_url(re.compile(r"/photos/compare/share/\?"))
    expect(
        page.get_by_role("heading", name="Share this comparison with Pat Persona?")
    ).to_be_visible()
    what = page.get_by_role("region", name="What Pat will see")
    expect(what).to_contain_text("My photos")
    expect(what).to_contain_text("Monday 5 January 2026 and Monday 6 April 2026")
    expect(what).to_contain_text("Not your grades, GAIS or notes")
    look(page, "share comparison")
    page.get_by_role("button", name="Share with Pat").click()
    page.wait_for_url(re.compile(rf"/staff/patients/{pid}/photos/compare/\?view=front"))
    expect(page.locator("#share-state")).to_contain_text("Shared:")
    look(page, "comparison shared")
    assert Photo.objects.filter(patient=pat.patient, shared_with_patient=True).count() == 2
