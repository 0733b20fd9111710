"""The physician's clearance queue and decision page: who may open them, what they say (in
words, not codes), the refusals beside their fields, and the values kept on a refusal."""

from __future__ import annotations

import re

import pytest

from needlepoint.audit.models import AuditEvent
from needlepoint.screening import services
from needlepoint.screening.models import Clearance, Screening

from .conftest import answers

pytestmark = pytest.mark.django_db

ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
CODES = ("physician_clearance_required", "BLOOD_THINNERS", "acne_scars", "chin_jawline")


def consult(clinician, patient, *, determination="physician_clearance_required", screening=None):
    return services.consultation_record(
        actor=clinician.user,
        patient=patient.patient,
        screening=screening,
        fitzpatrick=4,
        concerns=[{"concern": "acne_scars", "grade": "3"}],
        zones=["cheeks", "chin_jawline"],
        determination=determination,
        notes="Takes apixaban daily.",
    )


def flagged_screening(patient):
    submitted = services.screening_submit(
        actor=None, data=answers(blood_thinners="yes", consent_to_store=True)
    )
    screening = submitted.screening
    Screening.objects.filter(pk=screening.pk).update(patient=patient.patient)
    screening.refresh_from_db()
    return screening


def page_text(response) -> str:
    return response.content.decode()


def test_only_a_physician_opens_the_queue_and_the_decision_page(
    aesthetician, front_desk, clinic_admin, patient, staff_client
):
    c = consult(aesthetician, patient)
    for persona in (aesthetician, front_desk, clinic_admin):
        client = staff_client(persona)
        assert client.get("/staff/clearances/").status_code == 403
        assert client.get(f"/staff/clearances/{c.pk}/").status_code == 403
        assert client.post(f"/staff/clearances/{c.pk}/", {"cleared": "yes"}).status_code == 403
    assert not Clearance.objects.exists()


def test_the_queue_lists_who_waits_why_and_since_when_in_words(
    aesthetician, physician, patient, other_patient, staff_client
):
    waiting = consult(aesthetician, patient, screening=flagged_screening(patient))
    consult(aesthetician, other_patient, determination="candidate")
    response = staff_client(physician).get("/staff/clearances/")
    assert response.status_code == 200
    text = page_text(response)
    assert patient.patient.full_name in text
    assert other_patient.patient.full_name not in text
    assert "Takes blood thinners" in text
    assert "Waiting since today" in text
    assert aesthetician.user.display_name in text
    assert f"/staff/clearances/{waiting.pk}/" in text
    assert not ISO.search(text.split("<main", 1)[1])
    for code in CODES:
        assert code not in text
    events = AuditEvent.objects.filter(action="consultation.read", object_id=str(waiting.pk))
    assert events.filter(detail__via="clearance_queue").count() == 1


def test_a_decided_or_amended_consultation_leaves_the_queue(
    aesthetician, physician, patient, staff_client
):
    c = consult(aesthetician, patient)
    services.consultation_amend(
        actor=aesthetician.user, consultation=c, determination="candidate", reason="Stopped it."
    )
    text = page_text(staff_client(physician).get("/staff/clearances/"))
    assert "Nothing is waiting for a clearance." in text


def test_an_amendment_asking_for_clearance_gives_its_reason(
    aesthetician, physician, patient, staff_client
):
    c = consult(aesthetician, patient, determination="candidate")
    services.consultation_amend(
        actor=aesthetician.user,
        consultation=c,
        determination="physician_clearance_required",
        reason="Mentioned a keloid on the chest.",
    )
    text = page_text(staff_client(physician).get("/staff/clearances/"))
    assert "Determination amended: Mentioned a keloid on the chest." in text


def test_the_decision_page_shows_the_consultation_in_words(
    aesthetician, physician, patient, staff_client
):
    c = consult(aesthetician, patient)
    response = staff_client(physician).get(f"/staff/clearances/{c.pk}/")
    assert response.status_code == 200
    text = page_text(response)
    assert "Fitzpatrick type IV" in text
    assert "Acne scars (3: moderate)" in text
    assert "Cheeks, Chin and jawline" in text
    assert "Takes apixaban daily." in text
    main = text.split("<main", 1)[1]
    assert not ISO.search(main)
    for code in CODES:
        assert code not in main


def test_recording_a_clearance_signs_it_and_empties_the_queue(
    aesthetician, physician, patient, staff_client
):
    c = consult(aesthetician, patient)
    client = staff_client(physician)
    response = client.post(
        f"/staff/clearances/{c.pk}/", {"cleared": "yes", "notes": "Hold apixaban 2 days."}
    )
    assert response.status_code == 302
    assert response["Location"] == "/staff/clearances/"
    clearance = Clearance.objects.get(consultation=c)
    assert clearance.cleared and clearance.signed_by == physician.user
    assert clearance.notes == "Hold apixaban 2 days."
    assert AuditEvent.objects.filter(action="consultation.clear", object_id=str(c.pk)).exists()
    text = page_text(client.get("/staff/clearances/"))
    assert "treatment may now be planned and booked" in text
    assert "Nothing is waiting for a clearance." in text


def test_no_decision_is_refused_beside_the_field_and_the_notes_are_kept(
    aesthetician, physician, patient, staff_client
):
    c = consult(aesthetician, patient)
    response = staff_client(physician).post(
        f"/staff/clearances/{c.pk}/", {"notes": "Wants to talk to her GP first."}
    )
    assert response.status_code == 422
    text = page_text(response)
    assert 'id="err-cleared"' in text
    assert "Choose whether the patient is cleared for treatment." in text
    assert "Wants to talk to her GP first.</textarea>" in text
    assert not Clearance.objects.exists()


def test_not_cleared_needs_a_reason_beside_the_notes_and_keeps_the_choice(
    aesthetician, physician, patient, staff_client
):
    c = consult(aesthetician, patient)
    response = staff_client(physician).post(f"/staff/clearances/{c.pk}/", {"cleared": "no"})
    assert response.status_code == 422
    text = page_text(response)
    assert 'id="err-notes"' in text and "Say why the patient is not cleared" in text
    assert 'value="no" checked' in text
    assert not Clearance.objects.exists()


def test_a_consultation_decided_meanwhile_goes_back_to_the_queue_with_a_message(
    aesthetician, physician, patient, staff_client, make_persona
):
    c = consult(aesthetician, patient)
    services.consultation_clear(actor=physician.user, consultation=c, cleared=True)
    second = make_persona("phoebe", "physician")
    client = staff_client(second)
    response = client.post(f"/staff/clearances/{c.pk}/", {"cleared": "no", "notes": "No."})
    assert response.status_code == 302
    assert Clearance.objects.count() == 1
    text = page_text(client.get("/staff/clearances/"))
    assert "a physician has already decided" in text


def test_an_unknown_consultation_is_a_404(physician, staff_client):
    client = staff_client(physician)
    assert client.get("/staff/clearances/999999/").status_code == 404
    assert client.post("/staff/clearances/999999/", {"cleared": "yes"}).status_code == 404


def test_the_physician_nav_links_the_clearances(physician, aesthetician, staff_client):
    assert 'href="/staff/clearances/"' in page_text(staff_client(physician).get("/staff/"))
    assert 'href="/staff/clearances/"' not in page_text(staff_client(aesthetician).get("/staff/"))
