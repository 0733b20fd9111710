"""A visitor's public pages in a real browser: the clinic's name and picture at the top, the
course as a picture (an SVG on wide screens, a drawn list on a phone), and consultation
booking in one time style; axe-core finds nothing critical or serious at 1280×800, 820×1180
and on a 390-wide phone. Screenshots go to var/test-results/ (decisions 0510-0512)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in_as, weekday_ahead
from tests.browser.looking import assert_accessible, look, results_dir

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def on_a_phone(page, name):
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(results_dir() / f"{name}-phone.png"), full_page=True)
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 800})


def _clinic(make_persona):
    from django.utils import timezone

    from needlepoint.clinic.models import ClinicProfile
    from needlepoint.demo.clinic import ensure_location, ensure_services, ensure_working_hours

    aria = make_persona("aria", "aesthetician")
    location = ensure_location()
    ensure_services()
    ensure_working_hours(location, [aria.user])
    ClinicProfile.objects.create(pk=1, name="Harbour Skin Clinic")
    return weekday_ahead(timezone.localdate(timezone=location.zone), days=4)


def test_a_visitor_sees_the_clinic_and_the_course_as_a_picture(live_server, page, make_persona):
    day = _clinic(make_persona)

    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1, name="Harbour Skin Clinic")).to_be_visible()
    expect(page).to_have_title(re.compile("Harbour Skin Clinic"))
    picture = page.locator(".public-hero-picture img")
    expect(picture).to_have_attribute("alt", re.compile(r"\w+ \w+"))
    assert page.evaluate("() => document.querySelector('.public-hero-picture img').naturalWidth")
    timeline = page.get_by_role("img", name="Timeline of a micro-needling course")
    expect(timeline).to_be_visible()
    steps = page.locator(".course-steps > li h3")
    expect(steps).to_have_text(
        ["Consultation", "A course of sessions", "Results build over months", "Maintenance"]
    )
    look(page, "public home")
    on_a_phone(page, "public-home")
    # On a phone the list is the picture: the SVG gives way to the list's markers.
    page.set_viewport_size(PHONE)
    expect(timeline).to_be_hidden()
    expect(page.locator(".course-step-mark").first).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 800})

    page.get_by_role("link", name="Micro-needling: is it for me?").first.click()
    expect(page.get_by_role("heading", level=1, name=re.compile("Micro-needling"))).to_be_visible()
    expect(page.get_by_text("Harbour Skin Clinic").first).to_be_visible()
    expect(page.get_by_role("img", name="Timeline of a micro-needling course")).to_be_visible()
    look(page, "public treatment page")
    on_a_phone(page, "public-treatment-page")

    page.goto(f"{live_server.url}/book/consultation/?date={day.isoformat()}")
    expect(page.get_by_role("heading", name=day.strftime("%A %-d %B %Y"))).to_be_visible()
    slots = page.locator(".slot").all_inner_texts()
    assert slots and all(re.fullmatch(r"(?:[1-9]|1[0-2]):[0-5]\d [ap]m", s.strip()) for s in slots)
    look(page, "public booking")
    on_a_phone(page, "public-booking")


def test_the_clinic_admin_names_the_clinic_and_sets_its_picture(
    live_server, page, make_persona, tmp_path
):
    from PIL import Image

    _clinic(make_persona)
    sign_in_as(page, live_server, make_persona("adah", "clinic_admin").user)
    photo = tmp_path / "room.jpg"
    Image.new("RGB", (1600, 1000), (190, 160, 150)).save(photo, format="JPEG")

    page.goto(live_server.url + "/staff/setup/")
    page.get_by_role("link", name="Public pages").first.click()
    expect(page.get_by_role("heading", level=1, name="Public pages")).to_be_visible()
    look(page, "admin public pages")
    page.get_by_label("Clinic name").fill("Harbour Skin & Laser")
    page.get_by_label("Picture at the top of the public pages").set_input_files(str(photo))
    page.get_by_role("button", name="Save").click()
    # No description: refused beside the field, the name kept as typed.
    expect(page.get_by_text("say what it shows")).to_be_visible()
    expect(page.get_by_label("Clinic name")).to_have_value("Harbour Skin & Laser")
    page.get_by_label("Picture at the top of the public pages").set_input_files(str(photo))
    page.get_by_label("What the picture shows").fill("Our treatment room by the window")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The public pages are saved.")).to_be_visible()

    visitor = page.context.browser.new_page()
    visitor.goto(live_server.url + "/micro-needling/")
    expect(visitor.get_by_alt_text("Our treatment room by the window")).to_be_visible()
    assert visitor.evaluate("() => document.querySelector('.public-hero-picture img').naturalWidth")
    expect(visitor).to_have_title(re.compile("Harbour Skin & Laser"))
    visitor.close()
