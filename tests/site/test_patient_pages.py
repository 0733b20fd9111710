"""The staff patient pages: find, register (with the duplicate check), correct, the hub, and
merging two records; no record number is ever shown."""

from __future__ import annotations

import re
from datetime import date

import pytest

from needlepoint.audit.models import AuditEvent
from needlepoint.patients.models import Patient

pytestmark = pytest.mark.django_db

JANE = {
    "given_name": "Jane",
    "family_name": "Doe",
    "date_of_birth": "3/14/1985",
    "phone": "(555) 010-1234",
    "email": "",
}


@pytest.fixture
def jane() -> Patient:
    return Patient.objects.create(
        given_name="Jane",
        family_name="Doe",
        date_of_birth=date(1985, 3, 14),
        phone="(555) 010-1234",
        email="jane@example.com",
    )


def no_record_numbers(html: str, *patients: Patient) -> None:
    text = re.sub(r"<[^>]+>", " ", html)  # what people read, not the links' addresses
    assert "Record number" not in text and "Patient ID" not in text
    for p in patients:
        assert f"#{p.pk}" not in text


def test_search_shows_name_birthday_in_words_phone_and_next_appointment(
    front_desk, jane, staff_client
):
    response = staff_client(front_desk).get("/staff/patients/", {"q": "14 March 1985"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Doe, Jane" in html and "14 March 1985" in html and "(555) 010-1234" in html
    assert "Next appointment" in html and "None booked" in html
    no_record_numbers(html, jane)


def test_search_by_phone_digits(front_desk, jane, staff_client):
    html = staff_client(front_desk).get("/staff/patients/", {"q": "555 0101234"}).content.decode()
    assert "Doe, Jane" in html


def test_registering_a_caller_opens_their_record(front_desk, staff_client):
    response = staff_client(front_desk).post("/staff/patients/new/", JANE)
    patient = Patient.objects.get(family_name="Doe")
    assert response.status_code == 302 and response["Location"] == f"/staff/patients/{patient.pk}/"
    assert patient.date_of_birth == date(1985, 3, 14)


def test_the_same_name_and_birthday_shows_the_duplicate_warning(front_desk, jane, staff_client):
    response = staff_client(front_desk).post("/staff/patients/new/", JANE)
    html = response.content.decode()
    assert response.status_code == 409
    assert "This may be the same person as" in html and "born 14 March 1985" in html
    assert f'href="/staff/patients/{jane.pk}/"' in html and "Open Jane Doe's record" in html
    assert "Create anyway" in html and 'name="allow_duplicate"' in html
    assert 'value="Jane"' in html  # what was typed stays
    assert Patient.objects.count() == 1


def test_create_anyway_needs_a_reason_which_the_audit_event_keeps(front_desk, jane, staff_client):
    client = staff_client(front_desk)
    anyway = {**JANE, "allow_duplicate": "on", "duplicate_reason": ""}
    response = client.post("/staff/patients/new/", anyway)
    assert response.status_code == 422
    assert "say why this is a different person" in response.content.decode()
    assert Patient.objects.count() == 1

    anyway["duplicate_reason"] = "Mother and daughter share the name; different phone"
    response = client.post("/staff/patients/new/", anyway)
    assert response.status_code == 302
    created = Patient.objects.exclude(pk=jane.pk).get()
    event = AuditEvent.objects.get(action="patient.create", object_id=str(created.pk))
    assert event.detail["reason"] == anyway["duplicate_reason"]
    assert event.detail["possible_duplicate_of"] == [jane.pk]


def test_an_ambiguous_or_unreadable_birthday_names_the_field(front_desk, staff_client):
    client = staff_client(front_desk)
    response = client.post("/staff/patients/new/", {**JANE, "date_of_birth": "3/4/1985"})
    assert response.status_code == 422
    assert "This could be 4 March 1985 or 3 April 1985" in response.content.decode()
    response = client.post("/staff/patients/new/", {**JANE, "date_of_birth": "soon"})
    assert response.status_code == 422 and "Type a date of birth" in response.content.decode()


def test_the_api_keeps_its_own_duplicate_refusal(front_desk, jane, api):
    body = {"given_name": "jane", "family_name": "DOE", "date_of_birth": "1985-03-14"}
    response = api(front_desk).post("/patients", {**body, "phone": "555 010 9999"})
    assert response.status_code == 409
    assert response.json()["code"] == "duplicate_patient"


def test_changing_contact_details_is_audited_by_field_name(front_desk, jane, staff_client):
    data = {**JANE, "date_of_birth": "14 March 1985", "phone": "555 777 1212"}
    response = staff_client(front_desk).post(f"/staff/patients/{jane.pk}/edit/", data)
    assert response.status_code == 302
    jane.refresh_from_db()
    assert jane.phone == "555 777 1212" and jane.phone_digits == "5557771212"
    event = AuditEvent.objects.get(action="patient.change")
    assert set(event.detail["changed"]) == {"phone", "email"}


def test_the_hub_is_one_audited_read_with_its_sections(front_desk, jane, staff_client):
    client = staff_client(front_desk)
    before = AuditEvent.objects.count()
    response = client.get(f"/staff/patients/{jane.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.last().action == "patient.read"
    for heading in ("Alerts", "Contact", "Plan and sessions", "Appointments", "Messages sent"):
        assert f">{heading}</h2>" in html
    assert "Who opened this record" not in html  # the clinic admin's only
    assert "Photos</h2>" not in html  # clinical roles only
    assert f"/staff/patients/{jane.pk}/micro-needling/" in html
    no_record_numbers(html, jane)


def test_the_admin_sees_who_opened_the_record(front_desk, clinic_admin, jane, staff_client):
    staff_client(front_desk).get(f"/staff/patients/{jane.pk}/")
    html = staff_client(clinic_admin).get(f"/staff/patients/{jane.pk}/").content.decode()
    assert "Who opened this record" in html
    assert "Fran" in html and "Front desk" in html
    assert "Merge a duplicate record into this one" in html


def test_a_merged_record_leads_to_the_kept_one(front_desk, clinic_admin, jane, staff_client):
    twin = Patient.objects.create(
        given_name="Jane", family_name="Doe", date_of_birth=date(1985, 3, 14), phone="555 1"
    )
    admin = staff_client(clinic_admin)
    preview = admin.get(f"/staff/patients/{jane.pk}/merge/{twin.pk}/")
    html = preview.content.decode()
    assert preview.status_code == 200 and "Keep this record" in html and "What moves" in html
    assert admin.post(f"/staff/patients/{jane.pk}/merge/{twin.pk}/").status_code == 302
    response = staff_client(front_desk).get(f"/staff/patients/{twin.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/staff/patients/{jane.pk}/"


def test_the_front_desk_may_not_merge(front_desk, jane, staff_client):
    twin = Patient.objects.create(
        given_name="Janet", family_name="Doe", date_of_birth=date(1985, 3, 14), phone="555 1"
    )
    client = staff_client(front_desk)
    assert client.get(f"/staff/patients/{jane.pk}/merge/").status_code == 403
    assert client.post(f"/staff/patients/{jane.pk}/merge/{twin.pk}/").status_code == 403
    twin.refresh_from_db()
    assert twin.merged_into_id is None


def test_a_refused_merge_says_why(clinic_admin, patient, other_patient, staff_client):
    url = f"/staff/patients/{patient.patient.pk}/merge/{other_patient.patient.pk}/"
    response = staff_client(clinic_admin).post(url)
    assert response.status_code == 409
    assert "Both records have their own portal login" in response.content.decode()


def test_every_page_of_a_merged_record_leads_to_the_kept_one(front_desk, jane, staff_client):
    twin = Patient.objects.create(
        given_name="Jane", family_name="Doe", date_of_birth=date(1985, 3, 14), phone="555 1"
    )
    twin.merged_into = jane
    twin.save()
    client = staff_client(front_desk)
    for suffix in ("micro-needling/", "edit/"):
        response = client.get(f"/staff/patients/{twin.pk}/{suffix}")
        assert response.status_code == 302
        assert response["Location"] == f"/staff/patients/{jane.pk}/{suffix}"


def test_a_merged_record_is_never_offered_as_the_duplicate(front_desk, jane, staff_client):
    twin = Patient.objects.create(
        given_name="Ann", family_name="Roe", date_of_birth=date(1970, 1, 1), phone="555 1"
    )
    twin.merged_into = jane
    twin.save()
    data = {**JANE, "given_name": "Ann", "family_name": "Roe", "date_of_birth": "1 January 1970"}
    response = staff_client(front_desk).post("/staff/patients/new/", data)
    assert response.status_code == 302


def test_clinicians_see_the_clinical_sections(aesthetician, jane, staff_client):
    html = staff_client(aesthetician).get(f"/staff/patients/{jane.pk}/").content.decode()
    for heading in ("Photos", "Grades", "Adverse events", "Follow-ups"):
        assert f">{heading}</h2>" in html
    assert "Who opened this record" not in html
    assert "Merge a duplicate" not in html


def test_the_alerts_show_allergies_precautions_and_a_clearance_still_needed(
    front_desk, physician, jane, staff_client
):
    from django.utils import timezone

    from needlepoint.screening.models import Clearance, Consultation, Screening

    Screening.objects.create(
        patient=jane,
        channel="phone",
        answers={"metal_allergy": "yes", "anesthetic_allergy": "unsure"},
        judged_for=date(2026, 11, 1),
        policy_version="test",
        verdict="needs_review",
        result={"precautions": [{"code": "x", "message": "Avoid the upper lip."}]},
    )
    consultation = Consultation.objects.create(
        patient=jane,
        fitzpatrick=3,
        concerns=[],
        zones=[],
        determination="physician_clearance_required",
        protocol_version="test",
        signed_by=physician.user,
        signed_at=timezone.now(),
    )
    client = staff_client(front_desk)
    html = client.get(f"/staff/patients/{jane.pk}/").content.decode()
    assert "Allergy to metals" in html
    assert "numbing creams (local anaesthetics): the patient was not sure" in html
    assert "Avoid the upper lip." in html and "Needs a clinician&#x27;s review" in html
    assert "Physician clearance needed" in html

    Clearance.objects.create(
        consultation=consultation, cleared=True, signed_by=physician.user, signed_at=timezone.now()
    )
    html = client.get(f"/staff/patients/{jane.pk}/").content.decode()
    assert "Physician clearance needed" not in html and "Cleared by a physician" in html


def test_the_hub_links_booking_with_the_patient_chosen_and_the_clinical_records(
    staff_client, front_desk, aesthetician, patient
):
    desk = staff_client(front_desk).get(f"/staff/patients/{patient.patient.pk}/").content.decode()
    assert f"/staff/calendar/book/?patient={patient.patient.pk}" in desk
    assert f"/staff/patients/{patient.patient.pk}/photo-release/" in desk
    assert "Record grades and GAIS" not in desk  # the front desk does not grade
    clinician = staff_client(aesthetician).get(f"/staff/patients/{patient.patient.pk}/")
    assert "Record grades and GAIS" in clinician.content.decode()


def test_the_hub_lists_the_soonest_upcoming_and_latest_past_appointments(
    front_desk, aesthetician, physician, jane, staff_client
):
    """A patient with more bookings than the page shows: the soonest 50 upcoming and the
    latest 30 past (it once showed the last 80 by date, the far future only)."""
    from datetime import timedelta

    from django.utils import timezone

    from tests.query_budgets import builders

    builders.clinic(aesthetician.user, physician.user)
    now = timezone.now().replace(microsecond=0)
    for day in range(1, 61):
        builders.appointment(
            day, patient=jane, staff=aesthetician.user, start=now + timedelta(days=day)
        )
    for day in range(1, 36):
        builders.appointment(
            day,
            patient=jane,
            staff=aesthetician.user,
            start=now - timedelta(days=day),
            status="completed",
        )
    html = staff_client(front_desk).get(f"/staff/patients/{jane.pk}/").content.decode()
    section = html.split('id="appointments-heading"')[1].split("</section>")[0]
    upcoming, past = section.split("<h3>Past</h3>")
    shown = [int(pk) for pk in re.findall(r"/staff/calendar/appointments/(\d+)/", upcoming)]
    soonest = jane.appointments.filter(start__gte=now).order_by("start")
    assert shown == list(soonest.values_list("pk", flat=True)[:50])
    shown_past = [int(pk) for pk in re.findall(r"/staff/calendar/appointments/(\d+)/", past)]
    latest = jane.appointments.filter(start__lt=now).order_by("-start")
    assert shown_past == list(latest.values_list("pk", flat=True)[:30])
