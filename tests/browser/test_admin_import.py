"""The clinic admin imports the old system's patients: chooses the file, reads the check line
by line, leaves the refused lines out and imports; every page is checked with axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in_as, weekday_ahead
from tests.browser.looking import look

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_clinic_admin_imports_patients(live_server, page, make_persona, tmp_path):
    from needlepoint.clinic.clock import clinic_today
    from needlepoint.demo.clinic import ensure_location, ensure_services, ensure_working_hours
    from needlepoint.patients.models import Patient
    from needlepoint.scheduling.models import Appointment

    location = ensure_location()
    ensure_services()
    aria = make_persona("aria", "aesthetician")
    ensure_working_hours(location, [aria.user])
    make_persona("pat", "patient", with_patient=True)  # Pat Persona, 1 May 1990
    adah = make_persona("adah", "clinic_admin")
    day = weekday_ahead(clinic_today(location))
    when = f"{day:%d/%m/%Y}"
    rows = [
        "Forename;Surname;DOB;E-mail;Mobile;Notes;Appointment start;Treatment;Aesthetician",
        f"Jane;Doe;14/03/1985;jane@example.com;;vip;{when} 10:00;Micro-needling consultation;Aria",
        "John;Smith;31/02/1980;john@example.com;;;;;",
        "Pat;Persona;01/05/1990;pat@example.com;;;;;",
        f"Ann;Clash;02/02/1982;ann@example.com;;;{when} 10:00;consultation;Aria",
    ]
    path = tmp_path / "old-system.csv"
    path.write_bytes(("\ufeff" + "\r\n".join(rows) + "\r\n").encode())
    sign_in_as(page, live_server, adah.user)

    page.goto(f"{live_server.url}/staff/setup/")
    page.get_by_role("link", name="Import patients").first.click()
    expect(
        page.get_by_role("heading", level=1, name="Import patients from the old system")
    ).to_be_visible()
    look(page, "setup import")
    page.get_by_label("Export from the old system (CSV or FHIR JSON)").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1, name="What the import would do")).to_be_visible()
    expect(page.get_by_text("“31/02/1980” is not a date in the calendar")).to_be_visible()
    expect(page.get_by_role("link", name="Open Pat Persona’s record")).to_be_visible()
    expect(page.get_by_text("not booked, because that time can't be booked")).to_be_visible()
    look(page, "setup import check")
    assert Patient.objects.count() == 1  # only pat: the check saved nothing

    page.get_by_role("button", name="Import 2 patients").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was imported: 1 line is refused")
    page.get_by_label("Leave out the refused lines and import the others").check()
    page.get_by_role("button", name="Import 2 patients").click()
    expect(page.get_by_role("heading", level=1, name="Patients imported")).to_be_visible()
    look(page, "setup import done")
    assert Patient.objects.filter(family_name__in=["Doe", "Clash"]).count() == 2
    assert Appointment.objects.filter(patient__family_name="Doe").count() == 1
    page.get_by_role("link", name="Jane Doe").click()
    expect(page.get_by_role("heading", level=1, name="Jane Doe")).to_be_visible()
