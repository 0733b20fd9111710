"""Handing the tablet to the patient for consent: the screen shows only the consent, and
only a staff member's password (or a fresh sign-in) leaves that mode."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

PASSWORD = "a-staff-password-1"


@pytest.fixture
def handed_over(day, staff_client, aesthetician):
    aesthetician.user.set_password(PASSWORD)
    aesthetician.user.save()
    client = staff_client(aesthetician)
    response = client.post(f"/staff/appointments/{day.id}/treatment/kiosk/start/")
    assert response.status_code == 302
    return client


def kiosk_url(day):
    return f"/staff/appointments/{day.id}/treatment/kiosk/"


def test_the_treatment_day_page_offers_the_hand_over(day, staff_client, aesthetician):
    page = staff_client(aesthetician).get(f"/staff/appointments/{day.id}/treatment/")
    assert 'id="hand-over"' in page.content.decode()


def test_the_kiosk_shows_only_the_consent(day, handed_over):
    page = handed_over.get(kiosk_url(day)).content.decode()
    assert 'id="consent-form"' in page
    for staff_link in ("/staff/patients/", "/staff/calendar/", "treatment-timeline", "Sign out"):
        assert staff_link not in page


@pytest.mark.parametrize(
    "path",
    ["/staff/", "/staff/patients/", "/staff/calendar/", "/portal/", "/", "/staff/inventory/"],
)
def test_every_other_page_leads_back_to_the_consent(day, handed_over, path):
    response = handed_over.get(path)
    assert response.status_code == 302 and response["Location"] == kiosk_url(day)


def test_a_post_elsewhere_is_refused(day, handed_over):
    response = handed_over.post(
        f"/staff/appointments/{day.id}/treatment/", {"step": "consent", "signature": "x"}
    )
    assert response.status_code == 403


def test_the_patient_signs_and_the_tablet_stays_locked(day, handed_over):
    from needlepoint.charting.models import ConsentSignature

    signed = handed_over.post(
        kiosk_url(day), {"step": "consent", "signature": "Pat Persona", "photo_release": "on"}
    )
    assert signed.status_code == 200
    assert 'id="kiosk-thanks"' in signed.content.decode()
    consent = ConsentSignature.objects.get()
    assert consent.source == "tablet" and consent.signer_name == "Pat Persona"
    assert handed_over.get("/staff/patients/")["Location"] == kiosk_url(day)


def test_somebody_elses_name_is_refused_in_the_kiosk_too(day, handed_over):
    response = handed_over.post(kiosk_url(day), {"step": "consent", "signature": "Somebody Else"})
    assert response.status_code == 422
    assert 'value="Somebody Else"' in response.content.decode()


def test_a_wrong_password_keeps_the_kiosk_and_the_right_one_leaves_it(day, handed_over):
    wrong = handed_over.post(kiosk_url(day), {"step": "unlock", "password": "guess"})
    assert wrong.status_code == 422
    assert handed_over.get("/staff/patients/")["Location"] == kiosk_url(day)
    right = handed_over.post(kiosk_url(day), {"step": "unlock", "password": PASSWORD})
    assert right.status_code == 302
    assert right["Location"] == f"/staff/appointments/{day.id}/treatment/"
    assert handed_over.get("/staff/patients/").status_code == 200


def test_five_wrong_passwords_sign_the_staff_member_out(day, handed_over):
    for _ in range(5):
        response = handed_over.post(kiosk_url(day), {"step": "unlock", "password": "guess"})
    assert response.status_code == 302
    assert handed_over.get("/staff/patients/")["Location"].startswith("/accounts/login/")


def test_signing_out_is_allowed_and_ends_the_kiosk(day, handed_over):
    response = handed_over.post("/accounts/logout/")
    assert response.status_code == 302
    assert handed_over.get("/staff/patients/")["Location"].startswith("/accounts/login/")


def test_the_hand_over_and_the_unlock_are_audited(day, handed_over):
    from needlepoint.audit.models import AuditEvent

    handed_over.post(kiosk_url(day), {"step": "unlock", "password": PASSWORD})
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"kiosk.start", "kiosk.end"} <= actions
