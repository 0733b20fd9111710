"""The clinic admin's audit trail page: rows in words, filters from lists, pages, CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
import time_machine

from needlepoint.audit.models import AuditEvent
from needlepoint.audit.services import record
from needlepoint.audit.wording import STAFF, kind_codes

pytestmark = pytest.mark.django_db

URL = "/staff/audit/"


def _read(actor, patient, **extra):
    return record(
        actor=actor,
        action="patient.read",
        object_type="patient",
        object_id=patient.pk,
        patient_id=patient.pk,
        **extra,
    )


@pytest.fixture
def clinic_zone(db):
    """A location in New York: the pages' times are the clinic's."""
    from needlepoint.demo.clinic import ensure_location

    return ensure_location()


def _page(client, **params) -> str:
    response = client.get(URL, params)
    assert response.status_code == 200, response.content.decode()[:500]
    return response.content.decode()


def _rows(client, **params) -> str:
    """The events shown (the table), without the filters' lists of labels."""
    page = _page(client, **params)
    if "<tbody>" not in page:
        return page.split("</form>", 1)[1]
    return page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]


def test_a_row_says_who_did_what_to_which_patient_in_words(
    clinic_admin, front_desk, patient, staff_client
):
    front_desk.user.last_name = "Fairweather"
    front_desk.user.save()
    _read(front_desk.user, patient.patient)
    page = _rows(staff_client(clinic_admin))
    assert "Fran Fairweather" in page
    assert "Front desk" in page
    assert "Opened a patient&#x27;s record" in page
    assert f'href="/staff/patients/{patient.patient.pk}/">Pat Persona</a>' in page
    assert "<summary>Details" in page
    # No codes, sign-in names or raw JSON for people to read.
    for code in ("patient.read", "front_desk", "{&quot;", '{"', ">fran<"):
        assert code not in page
    whole = _page(staff_client(clinic_admin, with_totp=False))
    assert ">patient.read<" not in whole and "front_desk" not in whole


def test_no_actor_reads_system_and_a_removed_one_a_former_staff_member(
    clinic_admin, patient, staff_client
):
    record(
        actor=None, action="notification.send", object_type="message", patient_id=patient.patient.pk
    )
    gone = SimpleNamespace(pk=987654, username="ghost", role="front_desk")
    _read(gone, patient.patient)
    page = _page(staff_client(clinic_admin))
    assert ">System<" in page or "System</td>" in page
    assert "A former staff member" in page
    assert "ghost" not in page


def test_the_details_are_label_and_value_lines_in_words(
    clinic_zone, clinic_admin, patient, staff_client
):
    record(
        actor=clinic_admin.user,
        action="appointment.cancel",
        object_type="appointment",
        object_id=12,
        patient_id=patient.patient.pk,
        detail={"late": True, "from": "2026-12-01T14:12:00+00:00", "fields": ["room", "start"]},
    )
    page = _page(staff_client(clinic_admin))
    assert "<dt>Late</dt><dd>Yes</dd>" in page
    assert "<dt>Record</dt><dd>Appointment 12</dd>" in page
    assert "<dt>Fields changed</dt><dd>room, start</dd>" in page
    assert "<dt>From</dt><dd>Tuesday 1 December 2026, 9:12:00 am EST</dd>" in page


def test_a_refused_attempt_says_so_and_why(clinic_admin, front_desk, patient, staff_client):
    from needlepoint.audit.services import record_denied

    record_denied(
        actor=front_desk.user,
        action="chart.read",
        object_type="patient",
        patient_id=patient.patient.pk,
        reason="role",
    )
    page = _page(staff_client(clinic_admin), outcome="denied")
    assert "<strong>Refused:</strong> Opened a session chart" in page
    assert "Refused: their role does not allow it" in page


def test_filter_by_a_staff_member_chosen_from_the_list(
    clinic_admin, front_desk, aesthetician, patient, staff_client
):
    _read(front_desk.user, patient.patient)
    record(actor=aesthetician.user, action="chart.sign", object_type="session_chart")
    client = staff_client(clinic_admin)
    page = _page(client)
    assert f'<option value="{front_desk.user.pk}">Fran, Front desk</option>' in page
    page = _rows(client, person=front_desk.user.pk)
    assert "Opened a patient&#x27;s record" in page
    assert "Signed a session chart" not in page
    assert "Showing 1–1 of 1 event" in _page(client, person=front_desk.user.pk)


def test_filter_by_a_patient_found_by_name(
    clinic_admin, front_desk, patient, other_patient, staff_client
):
    _read(front_desk.user, patient.patient)
    _read(front_desk.user, other_patient.patient)
    client = staff_client(clinic_admin)
    page = _page(client, patient_name="otto")
    assert "Showing events about <strong>Otto Persona</strong>" not in page  # one match: shown
    assert "Showing 1–1 of 1 event" in page
    assert ">Otto Persona</a>" in page and ">Pat Persona</a>" not in page
    several = _page(client, patient_name="persona")
    assert "2 patients match “persona”" in several
    assert f"patient={patient.patient.pk}" in several
    chosen = _page(client, patient=patient.patient.pk)
    assert "Showing events about <strong>Pat Persona</strong>" in chosen
    assert "Showing 1–1 of 1 event" in chosen
    nobody = _page(client, patient_name="zebedee")
    assert "No patient's name matches “zebedee”" in nobody
    assert "No events match these filters." in nobody


def test_filter_by_a_kind_of_action_or_one_action(clinic_admin, front_desk, patient, staff_client):
    _read(front_desk.user, patient.patient)
    record(actor=clinic_admin.user, action="staff.invite", object_type="user")
    client = staff_client(clinic_admin)
    page = _page(client)
    assert '<optgroup label="Sign-in and security">' in page
    assert '<option value="kind:staff">All: staff</option>' in page
    staff_only = _rows(client, action="kind:staff")
    assert "Invited a staff member" in staff_only
    assert "Opened a patient&#x27;s record" not in staff_only
    one = _rows(client, action="patient.read")
    assert "Opened a patient&#x27;s record" in one and "Invited a staff member" not in one


def test_filter_by_dates_in_the_clinics_days(
    clinic_zone, clinic_admin, front_desk, patient, staff_client
):
    late = datetime(2026, 11, 26, 4, 30, tzinfo=UTC)  # 11:30 pm on the 25th in New York
    with time_machine.travel(late, tick=False):
        _read(front_desk.user, patient.patient)
    client = staff_client(clinic_admin)
    on_25th = _page(client, date_from="2026-11-25", date_to="2026-11-25", person=front_desk.user.pk)
    assert "Showing 1–1 of 1 event" in on_25th
    on_26th = _page(client, date_from="2026-11-26", person=front_desk.user.pk)
    assert "No events match these filters." in on_26th


def test_a_backwards_date_range_is_refused_naming_the_field(clinic_admin, staff_client):
    client = staff_client(clinic_admin)
    response = client.get(URL, {"date_from": "2026-12-02", "date_to": "2026-12-01"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "To (inclusive)</a>: The end date is before the start date" in page
    assert 'value="2026-12-02"' in page  # what was typed stays
    bad = client.get(URL, {"date_from": "yesterday", "person": "nobody"})
    assert bad.status_code == 422
    assert "Enter a valid date" in bad.content.decode()


def test_pages_of_fifty_say_which_rows_are_shown(clinic_admin, front_desk, patient, staff_client):
    for _ in range(51):
        _read(front_desk.user, patient.patient)
    client = staff_client(clinic_admin)
    first = _page(client, person=front_desk.user.pk)
    assert "Showing 1–50 of 51 events" in first
    assert "Older events" in first
    second = _page(client, person=front_desk.user.pk, page=2)
    assert "Showing 51–51 of 51 events" in second
    assert "Newer events" in second
    assert "Showing 51–51 of 51 events" in _page(client, person=front_desk.user.pk, page=99)


def test_large_counts_read_with_thousands_separators():
    from needlepoint.site.audit_trail import AuditTrailPage

    page = AuditTrailPage(rows=[], count=1234, number=1, pages=25, first=1, last=50)
    assert page.showing == "Showing 1–50 of 1,234 events"


def test_reading_the_trail_is_itself_audited(clinic_admin, front_desk, staff_client):
    client = staff_client(clinic_admin)
    _page(client, person=front_desk.user.pk, action="kind:staff")
    read = AuditEvent.objects.get(action="audit.read")
    assert read.actor_id == clinic_admin.user.pk
    assert read.detail["person"] == str(front_desk.user.pk)
    staff_actions = len(kind_codes(STAFF))  # every staff action the labels know
    assert read.detail["actions"] == staff_actions
    rows = _rows(client)
    assert "Read the audit trail" in rows
    assert "<dt>Person chosen</dt><dd>Fran</dd>" in rows  # the filter's person by name
    assert f"<dt>Kinds of action chosen</dt><dd>{staff_actions}</dd>" in rows


def test_a_patient_filter_naming_no_patient_says_so(clinic_admin, staff_client):
    page = _page(staff_client(clinic_admin), patient=99999)
    assert "No such patient" in page
    assert "No events match these filters." in page


@pytest.mark.parametrize("role", ["patient", "front_desk", "aesthetician", "physician"])
def test_only_the_clinic_admin_reads_or_downloads_the_trail(role, personas, staff_client):
    client = staff_client(personas[role])
    assert client.get(URL).status_code == 403
    assert client.get(URL + "download/").status_code == 403


def test_the_download_is_the_filtered_rows_in_words_and_safe_in_a_spreadsheet(
    clinic_admin, front_desk, patient, staff_client
):
    patient.patient.given_name = "=HYPERLINK"
    patient.patient.save()
    _read(front_desk.user, patient.patient)
    record(actor=clinic_admin.user, action="staff.invite", object_type="user")
    response = staff_client(clinic_admin).get(URL + "download/", {"person": front_desk.user.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 1
    assert rows[0]["Who"] == "Fran"
    assert rows[0]["What"] == "Opened a patient's record"
    assert rows[0]["Patient"] == "'=HYPERLINK Persona"
    export = AuditEvent.objects.get(action="audit.export")
    assert export.detail["rows"] == 1
