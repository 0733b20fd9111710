"""The portal shows a patient months into a course: appointments (reschedule and cancel under
the late-cancellation policy), forms to sign, aftercare and this week, the plan and progress
plot, shared photos and comparison, the rating form, and 'download my data'."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client

from .world import NOW, TODAY, _appointment, build_world

pytestmark = pytest.mark.django_db
YES = {"confirmed": "yes"}  # the confirm step's "Yes" (decision 0504)


@pytest.fixture
def world(frozen: Any, patient: Any, aesthetician: Any) -> Any:
    from needlepoint.demo.clinic import ensure_location, ensure_working_hours

    world = build_world(patient.patient, aesthetician.user)
    ensure_working_hours(ensure_location(), [aesthetician.user])
    return world


@pytest.fixture
def me(world: Any, patient: Any) -> Client:
    # Signed in after the clock is frozen, or the session would have expired by 2027.
    client = Client()
    client.force_login(patient.user)
    return client


def upcoming(world: Any, days: float, service: str = "microneedling-face") -> Any:
    # 10:00 New York on a weekday, ``days`` from now.
    return _appointment(world, start=NOW + timedelta(days=days), status="booked", service=service)


def test_the_overview_shows_next_visit_forms_plan_and_follow_ups_to_book(me, world):
    upcoming(world, 8)
    html = me.get("/portal/").content.decode()
    assert "Hello, Pat" in html
    assert "Micro-needling: face" in html and "Tuesday 9 March 2027" in html
    assert "consent form to sign" in html
    assert "3 of 3 sessions done" in html
    assert "Outcome visit (1 month after your last session" in html  # never booked: to book
    assert "1 months" not in html


def test_the_overview_shows_the_aftercare_of_the_last_session_and_this_week(me, world):
    _appointment(world, start=NOW - timedelta(days=2))
    html = me.get("/portal/").content.decode()
    assert "Your last session was on" in html and "27 February 2027" in html
    this_week = html.split("What to expect this week")[1].split("</ul>")[0]
    assert "Check-in" in this_week  # days 1-2
    assert "Resume retinoids" in this_week  # days 5-7: within the week ahead
    assert "Visible change begins" not in this_week  # weeks 4-6


def test_the_appointments_page_lists_upcoming_past_and_follow_ups(me, world):
    soon = upcoming(world, 8)
    html = me.get("/portal/appointments/").content.decode()
    assert f"/portal/appointments/{soon.pk}/reschedule/" in html
    assert f"/portal/appointments/{soon.pk}/cancel/" in html
    assert f"/portal/appointments/{world.rows['appointment'].pk}/cancel/" not in html  # past
    assert "Outcome visit: photos and grades." in html


def test_cancelling_early_is_not_late(me, world):
    soon = upcoming(world, 8)
    page = me.get(f"/portal/appointments/{soon.pk}/cancel/").content.decode()
    assert "late cancellation" not in page.split("<form")[0].lower()
    response = me.post(
        f"/portal/appointments/{soon.pk}/cancel/", {"reason": "travel", "confirmed": "yes"}
    )
    assert response.status_code == 302
    soon.refresh_from_db()
    assert soon.status == "cancelled" and not soon.late_cancellation
    assert soon.cancel_reason == "travel"


def test_cancelling_within_the_window_warns_first_and_is_marked_late(me, world):
    soon = upcoming(world, 1)  # 24 hours: inside the 48-hour window
    page = me.get(f"/portal/appointments/{soon.pk}/cancel/").content.decode()
    assert "This is a late cancellation" in page
    me.post(f"/portal/appointments/{soon.pk}/cancel/", {"confirmed": "yes"})
    soon.refresh_from_db()
    assert soon.status == "cancelled" and soon.late_cancellation


def test_a_visit_that_has_started_cannot_be_cancelled_or_moved_from_the_portal(me, world, frozen):
    soon = upcoming(world, 1)
    frozen.move_to(soon.start + timedelta(minutes=5))
    page = me.get(f"/portal/appointments/{soon.pk}/cancel/").content.decode()
    assert "can no longer be cancelled" in page
    assert me.post(f"/portal/appointments/{soon.pk}/cancel/", YES).status_code == 409
    soon.refresh_from_db()
    assert soon.status == "booked"


def test_rescheduling_offers_free_times_and_moves_the_appointment(me, world):
    soon = upcoming(world, 8, service="follow-up")
    page = me.get(f"/portal/appointments/{soon.pk}/reschedule/").content.decode()
    assert 'name="start"' in page
    offered = [v.split('"')[0] for v in page.split('name="start" value="')[1:]]
    assert len({o[:10] for o in offered}) > 3  # several days, not one morning
    new_start = offered[-1]
    response = me.post(f"/portal/appointments/{soon.pk}/reschedule/", {"start": new_start})
    assert response.status_code == 302, response.content.decode()[:500]
    soon.refresh_from_db()
    assert soon.start == datetime.fromisoformat(new_start) and soon.status == "booked"


def test_a_time_that_is_not_free_is_refused_and_the_appointment_stays(me, world):
    soon = upcoming(world, 8, service="follow-up")
    before = soon.start
    response = me.post(
        f"/portal/appointments/{soon.pk}/reschedule/", {"start": "2027-03-13T03:00:00-05:00"}
    )
    assert response.status_code == 409
    assert 'class="message error"' in response.content.decode()
    soon.refresh_from_db()
    assert soon.start == before


def test_rescheduling_needs_the_clinics_notice(me, world):
    soon = upcoming(world, 8, service="follow-up")
    too_soon = (NOW + timedelta(hours=2)).isoformat()
    assert (
        me.post(f"/portal/appointments/{soon.pk}/reschedule/", {"start": too_soon}).status_code
        == 409
    )


def test_the_consent_is_signed_in_the_portal(me, world, patient):
    from needlepoint.charting.models import ConsentSignature
    from needlepoint.outcomes.selectors import photo_release_latest

    soon = upcoming(world, 8)
    forms = me.get("/portal/forms/").content.decode()
    assert f"/portal/appointments/{soon.pk}/consent/" in forms
    page = me.get(f"/portal/appointments/{soon.pk}/consent/").content.decode()
    assert "Photo release" in page
    refused = me.post(
        f"/portal/appointments/{soon.pk}/consent/",
        {"consent_version": "current", "signature": "Pat"},
    )
    assert refused.status_code == 422 and 'value="Pat"' in refused.content.decode()
    signed = me.post(
        f"/portal/appointments/{soon.pk}/consent/",
        {"consent_version": "current", "signature": "Pat Persona", "photo_release": "yes"},
    )
    assert signed.status_code == 302
    consent = ConsentSignature.objects.filter(appointment=soon).get()
    assert consent.source == "portal" and consent.photo_release
    assert photo_release_latest(patient.patient).granted
    assert (
        f"/portal/appointments/{soon.pk}/consent/" not in me.get("/portal/forms/").content.decode()
    )


def test_the_progress_page_shows_the_plan_and_the_grade_plot(me, world):
    html = me.get("/portal/progress/").content.decode()
    assert "3 done, 0 booked, 0 still to book" in html
    assert '<svg class="chart"' in html and "Acne scars over time" in html
    assert html.count('class="dot"') == 2  # the two grades the fixture recorded


def test_the_patient_rates_their_result_and_a_bad_rating_keeps_what_they_typed(me, world, patient):
    from needlepoint.outcomes.models import PatientRating

    bad = me.post(
        "/portal/progress/", {"improvement": "9", "satisfaction": "4", "comment": "so far so good"}
    )
    assert bad.status_code == 422 and "so far so good" in bad.content.decode()
    good = me.post(
        "/portal/progress/", {"improvement": "2", "satisfaction": "5", "comment": "lovely"}
    )
    assert good.status_code == 302
    assert PatientRating.objects.filter(
        patient=patient.patient, comment="lovely", improvement=2
    ).exists()


def test_the_photos_page_compares_shared_photos_only(me, world, patient):
    from needlepoint.outcomes.models import Photo

    html = me.get("/portal/photos/").content.decode()
    shared = Photo.objects.filter(patient=patient.patient, shared_with_patient=True).order_by(
        "taken_on"
    )
    unshared = Photo.objects.get(patient=patient.patient, shared_with_patient=False)
    assert (
        f"/portal/photos/{shared[0].pk}/image/" in html
        and f"/portal/photos/{shared[1].pk}/image/" in html
    )
    assert f"/portal/photos/{unshared.pk}/image/" not in html
    assert "Before and after: Front" in html
    assert me.get(f"/portal/photos/{shared[1].pk}/image/").status_code == 200
    assert me.get(f"/portal/photos/{unshared.pk}/image/").status_code == 404


def test_booking_an_outcome_visit_from_the_portal(me, world, patient):
    from needlepoint.followups.models import FollowUp

    three = FollowUp.objects.get(patient=patient.patient, months_after=3)
    page = me.get(f"/portal/follow-ups/{three.pk}/book/").content.decode()
    assert 'name="start"' in page
    start = page.split('name="start" value="')[1].split('"')[0]
    assert me.post(f"/portal/follow-ups/{three.pk}/book/", {"start": start}).status_code == 302
    three.refresh_from_db()
    assert (
        three.appointment.service.slug == "follow-up" and three.appointment.booked_via == "patient"
    )


def test_download_my_data_from_the_portal(me, world, patient):
    page = me.get("/portal/export/").content.decode()
    assert 'href="/portal/export/?download=1"' in page
    response = me.get("/portal/export/?download=1")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    data = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("data.json"))
    assert data["patient"] == patient.patient.pk
    assert data["records"]["scheduling.appointment"]


def test_each_portal_page_read_is_audited(me, world, patient):
    from needlepoint.audit.models import AuditEvent

    for url, section in (
        ("/portal/", "home"),
        ("/portal/progress/", "progress"),
        ("/portal/photos/", "photos"),
    ):
        before = AuditEvent.objects.filter(action="portal.read").count()
        me.get(url)
        event = AuditEvent.objects.filter(action="portal.read").last()
        assert AuditEvent.objects.filter(action="portal.read").count() == before + 1
        assert event.detail == {"section": section} and event.patient_id == str(patient.patient.pk)


def test_staff_get_no_portal(staff_client, front_desk):
    assert staff_client(front_desk).get("/portal/").status_code == 403


def test_a_login_without_a_patient_record_is_told_to_call(make_persona):
    lonely = make_persona("lonely", "patient")
    client = Client()
    client.force_login(lonely.user)
    response = client.get("/portal/progress/")
    assert response.status_code == 404 and "not yet linked" in response.content.decode()


def test_today_is_the_clinics_day():
    assert TODAY.isoformat() == "2027-03-01"
