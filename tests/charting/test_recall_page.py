"""The recall page: every session and patient a cartridge lot or a pen touched, in words,
with a CSV to download (physician and clinic admin)."""

from __future__ import annotations

import csv
import io

import pytest

from needlepoint.audit.models import AuditEvent

from .test_inventory_and_recalls import busy_clinic  # noqa: F401  (the seeded clinic)
from .test_pages_in_words import assert_in_words

pytestmark = pytest.mark.django_db


def test_a_physician_recalls_a_lot_on_the_page(staff_client, physician, busy_clinic):  # noqa: F811
    client = staff_client(physician)
    empty = client.get("/staff/recalls/")
    assert empty.status_code == 200
    assert 'id="recall-results"' not in empty.content.decode()
    assert "L-BAD (cartridge, REF EMP-12-0.5)" in empty.content.decode()

    response = client.get("/staff/recalls/", {"lot": "L-BAD"})
    html = response.content.decode()
    assert response.status_code == 200
    sessions, patients = len(busy_clinic["bad_sessions"]), len(busy_clinic["bad"])
    assert f"{sessions} sessions for {patients} patients." in html
    assert html.count("<tr>") - 1 == sessions  # one row per session under the header
    assert "Given" in html and "@example.com" in html
    assert 'id="recall-csv"' in html and "format=csv" in html
    assert_in_words(html)
    events = AuditEvent.objects.filter(action="recall.read")
    assert {int(e.patient_id) for e in events} == busy_clinic["bad"]


def test_the_recall_csv_has_a_row_per_session_with_names(staff_client, clinic_admin, busy_clinic):  # noqa: F811
    response = staff_client(clinic_admin).get(
        "/staff/recalls/", {"device": "micropen-2", "format": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="recall-micropen-2.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows and set(rows[0]) >= {"Session date", "Patient", "Email", "Phone", "Operator"}
    assert {r["Pen serial number"] for r in rows} == {rows[0]["Pen serial number"]}
    assert len({r["Patient"] for r in rows}) == len(busy_clinic["pen2"])
    assert not any(r["Session date"][:4].isdigit() for r in rows)  # "Monday 1 March 2027"
    # A phone number that starts with "+" is written as text, not run as a formula.
    assert all(r["Phone"].startswith("'+1") for r in rows)


def test_submitting_the_recall_form_empty_asks_for_a_lot_or_pen(staff_client, physician, clinic):
    response = staff_client(physician).get("/staff/recalls/", {"lot": "", "device": ""})
    assert response.status_code == 422
    assert "Choose a cartridge lot or a pen" in response.content.decode()


def test_a_recall_that_finds_nothing_says_so(staff_client, physician, clinic):
    response = staff_client(physician).get("/staff/recalls/", {"lot": "NOPE"})
    assert response.status_code == 200
    assert "No session used this." in response.content.decode()
    assert "0 sessions for 0 patients." in response.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [("front_desk", 403), ("aesthetician", 403), ("physician", 200), ("clinic_admin", 200)],
)
def test_who_sees_the_recall_page(staff_client, personas, clinic, role, status):
    assert staff_client(personas[role]).get("/staff/recalls/").status_code == status


def test_the_menu_links_the_recall_and_adverse_event_pages(staff_client, physician, clinic):
    html = staff_client(physician).get("/staff/charts/cosign/").content.decode()
    assert 'href="/staff/recalls/"' in html and 'href="/staff/reports/adverse-events/"' in html
