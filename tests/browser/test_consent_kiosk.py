"""The aesthetician hands the tablet to the patient: only the consent shows, typing another
address leads back to it, and the staff member's password returns the tablet."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.browser.conftest import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_patient_signs_on_the_handed_over_tablet(live_server, page, make_persona, api):
    from django.utils import timezone

    from needlepoint.charting.models import ConsentSignature
    from needlepoint.demo.clinic import ensure_cartridges, ensure_location, ensure_services
    from tests.charting.conftest import make_appointment, make_plan

    location = ensure_location()
    ensure_services()
    ensure_cartridges(location, timezone.localdate(timezone=location.zone))
    aria = make_persona("aria", "aesthetician")
    aria.user.set_password("kiosk-return-1")
    aria.user.save()
    pat = make_persona("pat", "patient", with_patient=True)
    plan = make_plan(api, aria, pat)
    appointment = make_appointment(
        patient=pat.patient,
        staff=aria.user,
        plan_id=plan["id"],
        start=timezone.now() + timedelta(hours=1),
    )
    treatment = f"{live_server.url}/staff/appointments/{appointment.pk}/treatment/"
    kiosk = re.compile(rf"/staff/appointments/{appointment.pk}/treatment/kiosk/$")

    page.set_viewport_size({"width": 1024, "height": 768})
    sign_in_as(page, live_server, aria.user)
    page.goto(treatment)
    page.get_by_role("button", name="Hand the tablet to the patient").click()
    page.wait_for_url(kiosk)
    assert page.get_by_role("navigation").count() == 0
    assert page.get_by_role("link").count() == 0

    page.goto(f"{live_server.url}/staff/patients/")
    page.wait_for_url(kiosk)

    page.get_by_label(re.compile("type your full name")).fill("Somebody Else")
    page.get_by_role("button", name="Sign the consent").click()
    page.locator("#refusal").wait_for()
    page.get_by_label(re.compile("type your full name")).fill("pat persona")
    page.get_by_role("button", name="Sign the consent").click()
    page.locator("#kiosk-thanks").wait_for()
    assert ConsentSignature.objects.get().source == "tablet"

    page.get_by_label(re.compile("Your password")).fill("kiosk-return-1")
    page.get_by_role("button", name="Return to staff mode").click()
    page.wait_for_url(treatment)
    assert page.get_by_role("navigation", name="Main").is_visible()
