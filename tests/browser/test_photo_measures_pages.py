"""Staff read a view's photo measures over time and draw its regions; the patient reads
theirs on the portal. Screenshots kept under var/test-results/ (look())."""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pytest

from needlepoint.domain.photo_measures import METHOD_VERSION
from tests.browser.conftest import sign_in_as
from tests.browser.looking import look
from tests.browser.test_photo_compare import jpeg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _history(patient, aesthetician):
    from needlepoint.outcomes import services
    from needlepoint.outcomes.models import PhotoMeasure, PhotoMeasureRegion

    plan = [
        (date(2026, 1, 5), {"spot_area_pct": 10.0, "redness_area_pct": 6.0, "texture": 3.1}),
        (date(2026, 1, 5), {"spot_area_pct": 10.3, "redness_area_pct": 6.2, "texture": 3.0}),
        (date(2026, 2, 9), {"spot_area_pct": 9.1, "redness_area_pct": 5.9, "texture": 2.9}),
        (date(2026, 3, 16), {"spot_area_pct": 8.2, "redness_area_pct": 6.1, "texture": 2.8}),
        (date(2026, 4, 20), None),
    ]
    for day, figures in plan:
        photo = services.photo_upload(
            actor=aesthetician.user, patient=patient, view="front", taken_on=day,
            data=jpeg((200, 160, 140)), shared_with_patient=True,
        )  # fmt: skip
        measure = PhotoMeasure.objects.get(photo=photo)
        if figures is None:
            continue  # still measuring
        measure.status, measure.method_version = "done", METHOD_VERSION
        measure.save()
        for region in ("left_cheek", "right_cheek"):
            PhotoMeasureRegion.objects.create(measure=measure, region=region, **figures)


def _sign_in_patient(page, live_server, persona) -> None:
    from django.conf import settings
    from django.test import Client

    page.context.clear_cookies()
    client = Client()
    client.force_login(persona.user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_staff_and_patient_read_the_photo_measures(live_server, page, make_persona):
    aesthetician = make_persona("aria", "aesthetician")
    persona = make_persona("pat", "patient", with_patient=True)
    _history(persona.patient, aesthetician)
    sign_in_as(page, live_server, aesthetician.user)

    page.goto(f"{live_server.url}/staff/patients/{persona.patient.pk}/photo-measures/?view=front")
    page.get_by_role("heading", name="Photo measures: front").wait_for()
    assert page.get_by_text("Spots: −18.0 % since baseline").count() == 2
    assert page.get_by_text("measuring…", exact=True).count() == 1
    look(page, "photo measures staff")

    page.get_by_role("link", name="Draw or adjust the measured regions").click()
    page.get_by_role("heading", name="Measured regions: front").wait_for()
    page.get_by_role("group", name="Left cheek").get_by_label("From left").fill("300")
    page.get_by_role("group", name="Left cheek").get_by_label("From top").fill("300")
    page.get_by_role("group", name="Left cheek").get_by_label("Width").fill("120")
    page.get_by_role("group", name="Left cheek").get_by_label("Height").fill("100")
    # The typed box is drawn over the photo; dragging it moves the numbers with it.
    box = page.locator('rect[data-region="left_cheek"]')
    box.wait_for(state="visible")
    at = box.bounding_box()
    page.mouse.move(at["x"] + at["width"] / 2, at["y"] + at["height"] / 2)
    page.mouse.down()
    page.mouse.move(at["x"] + at["width"] / 2 - 40, at["y"] + at["height"] / 2 + 30, steps=5)
    page.mouse.up()
    left = page.get_by_role("group", name="Left cheek").get_by_label("From left")
    assert int(left.input_value()) < 300
    look(page, "photo measures regions")

    _sign_in_patient(page, live_server, persona)
    page.goto(f"{live_server.url}/portal/progress/")
    page.get_by_role("heading", name="What your photos show").wait_for()
    look(page, "photo measures portal")


def _portrait_jpeg(shift: int = 0) -> bytes:
    # scikit-image's public-domain portrait (shipped in its wheel), framed on the face as the
    # capture guide asks, at a phone-like size.
    import cv2
    from skimage import data

    face = data.astronaut()[10:250, 105:345]
    image = cv2.resize(face, (1500, 1500), interpolation=cv2.INTER_CUBIC)
    if shift:
        image = np.roll(image, shift, axis=1)
    ok, encoded = cv2.imencode(".jpg", image[..., ::-1], [cv2.IMWRITE_JPEG_QUALITY, 92])
    assert ok
    return encoded.tobytes()


def test_staff_see_what_was_counted_on_a_real_face(live_server, page, make_persona):
    from needlepoint.outcomes import services
    from needlepoint.outcomes.models import ViewRegions
    from needlepoint.outcomes.tasks import measure_photo

    aesthetician = make_persona("aria", "aesthetician")
    persona = make_persona("pat", "patient", with_patient=True)
    for day, shift in ((date(2026, 1, 5), 0), (date(2026, 3, 16), 12)):
        photo = services.photo_upload(
            actor=aesthetician.user, patient=persona.patient, view="front", taken_on=day,
            data=_portrait_jpeg(shift), shared_with_patient=True,
        )  # fmt: skip
        assert measure_photo.call(photo.pk) == "measured"  # what the worker runs
    # Nobody drew regions: the face and its eyes were found and the five regions placed.
    regions = ViewRegions.objects.get(patient=persona.patient, view="front")
    assert regions.source == "detected" and len(regions.regions) == 5

    sign_in_as(page, live_server, aesthetician.user)
    with page.expect_response(lambda r: "size=marks" in r.url and r.status == 200):
        page.goto(
            f"{live_server.url}/staff/patients/{persona.patient.pk}/photo-measures/?view=front"
        )
    page.get_by_role("heading", name="What was counted").wait_for()
    pictures = page.get_by_role("img", name=re.compile("with the regions, spots and lines"))
    assert pictures.count() == 2
    page.wait_for_function(
        "() => [...document.querySelectorAll('.measure-marks img')]"
        ".every(i => i.complete && i.naturalWidth > 0)"
    )
    assert page.get_by_text("blue-green rings are the spots counted").is_visible()
    look(page, "photo measures pictures")

    # The patient sees the same two pictures of their shared photos on their progress page.
    _sign_in_patient(page, live_server, persona)
    with page.expect_response(
        lambda r: "/portal/photos/" in r.url and "size=marks" in r.url and r.status == 200
    ):
        page.goto(f"{live_server.url}/portal/progress/")
    page.get_by_role("heading", name="What your photos show").wait_for()
    pictures = page.get_by_role("img", name=re.compile("with the regions, spots and lines"))
    assert pictures.count() == 2
    page.wait_for_function(
        "() => [...document.querySelectorAll('.measure-marks img')]"
        ".every(i => i.complete && i.naturalWidth > 0)"
    )
    assert page.get_by_text("blue-green rings are the spots counted").is_visible()
    look(page, "photo measures pictures portal")
