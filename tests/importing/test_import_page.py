"""The clinic admin's import page: choose a file, read the check, import what was checked."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from needlepoint.patients.models import Patient
from needlepoint.scheduling.models import Appointment

URL = "/staff/setup/import/"


@pytest.fixture
def admin(clinic: Any, clinic_admin: Any, staff_client: Any) -> Any:
    return staff_client(clinic_admin)


def check(client: Any, data: bytes, **fields: str) -> Any:
    upload = SimpleUploadedFile("old-system.csv", data, content_type="text/csv")
    return client.post(URL, {"file": upload, "location": "main", **fields})


def hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, name
    return found[1]


def test_the_check_shows_every_line_in_words_and_saves_nothing(admin: Any, messy: bytes) -> None:
    before = Patient.objects.count(), Appointment.objects.count()
    response = check(admin, messy)
    html = response.content.decode()

    assert response.status_code == 200
    assert "What the import would do" in html
    assert "Nothing has been saved yet." in html
    assert "Would be created" in html
    assert "“31/02/1980” is not a date in the calendar" in html
    assert "Same person as line 2: not created again" in html
    assert "Open Pat Persona’s record" in html
    assert "not booked, because it is in the past" in html
    assert "Columns not imported: “Insurance no”." in html
    assert "Leave out the refused lines" in html
    assert "Import 7 patients" in html
    assert (Patient.objects.count(), Appointment.objects.count()) == before


def test_confirming_imports_what_was_checked(admin: Any, messy: bytes) -> None:
    html = check(admin, messy).content.decode()
    confirm = {
        "content": hidden(html, "content"),
        "seal": hidden(html, "seal"),
        "location": "main",
        "date_order": "",
        "column_map": "",
    }
    before = Patient.objects.count()
    blocked = admin.post(URL, confirm).content.decode()
    assert "Nothing was imported: 3 lines are refused" in blocked
    assert Patient.objects.count() == before

    done = admin.post(URL, {**confirm, "skip_refused": "on"}).content.decode()
    assert "Patients imported" in done
    assert "7 patients created" in done
    assert Patient.objects.count() == before + 7
    ines = Patient.objects.get(family_name="Ünal")
    assert f'href="/staff/patients/{ines.pk}/"' in done


def test_a_changed_file_is_not_imported(admin: Any, messy: bytes) -> None:
    html = check(admin, messy).content.decode()
    other = b"first name,last name,dob,email\nEve,Evil,1980-01-01,eve@example.com\n"
    import base64

    response = admin.post(
        URL,
        {
            "content": base64.b64encode(other).decode(),
            "seal": hidden(html, "seal"),
            "location": "main",
            "skip_refused": "on",
        },
    )
    assert response.status_code == 422
    assert "the checked file was changed; choose it again" in response.content.decode()
    assert not Patient.objects.filter(family_name="Evil").exists()


def test_a_file_that_cannot_be_read_is_said_beside_the_field(admin: Any) -> None:
    response = check(admin, b"name\nAl\n", column_map="Name=ignore")
    assert response.status_code == 422
    html = response.content.decode()
    assert "no column holds the first name" in html
    assert 'value="Name=ignore"' in html  # what was typed stays


def test_only_the_clinic_admin_opens_it(clinic: Any, front_desk: Any, staff_client: Any) -> None:
    assert staff_client(front_desk).get(URL).status_code == 403


def test_a_file_with_nobody_new_offers_no_import(admin: Any) -> None:
    data = b"first name,last name,dob,email\nPat,Persona,1990-05-01,pat@example.com\n"
    html = check(admin, data).content.decode()
    assert "Already registered: not imported" in html
    assert "there is nothing to import" in html
    assert 'name="seal"' not in html
