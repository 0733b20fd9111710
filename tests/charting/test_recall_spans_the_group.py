"""A recall by lot spans the practice group (issue #15): a lot received at two locations (one
CartridgeLot row each, same REF and lot) is recalled at both, on the page, in the CSV and in
the API, and is offered once in the page's choice."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest

from tests.locations import add_chicago

from .test_inventory_and_recalls import busy_clinic  # noqa: F401  (the seeded clinic)

pytestmark = pytest.mark.django_db


@pytest.fixture
def chicago_session(busy_clinic, make_persona, aesthetician):  # noqa: F811
    """One signed session at Chicago that used Chicago's own receipt of lot L-BAD."""
    from needlepoint.charting.models import CartridgeUse, SessionChart
    from needlepoint.clinic.models import CartridgeLot, Device, Room, Service
    from needlepoint.patients.models import Patient
    from needlepoint.scheduling.models import Appointment

    chicago = add_chicago([aesthetician.user])
    lot = CartridgeLot.objects.create(
        location=chicago,
        product="cartridge",
        ref="EMP-12-0.5",
        lot="L-BAD",
        expiry=date(2028, 1, 1),
        quantity_received=100,
        received_on=date(2026, 1, 1),
    )
    patient = Patient.objects.create(
        given_name="Chicagoan",
        family_name="Westloop",
        date_of_birth=date(1985, 2, 2),
        email="chicagoan@example.com",
        phone="+1 555 7777",
    )
    start = Appointment.objects.order_by("start").first().start + timedelta(days=3)
    appointment = Appointment.objects.create(
        patient=patient,
        service=Service.objects.get(slug="microneedling-face"),
        location=chicago,
        staff=aesthetician.user,
        room=Room.objects.get(slug="chi-treatment-1"),
        device=Device.objects.get(slug="chi-pen-1"),
        start=start,
        end=start + timedelta(hours=1),
        busy_until=start + timedelta(hours=1),
        status="completed",
        booked_via="staff",
    )
    chart = SessionChart.objects.create(
        appointment=appointment,
        patient=patient,
        session_date=start.date(),
        operator=aesthetician.user,
        operator_role="aesthetician",
        device=appointment.device,
        cartridge_lot=lot,
        zones=[{"zone": "cheeks", "depth_mm": 1.0, "passes": 2, "reason": "", "rule": "DEPTH_OK"}],
        endpoint="even_erythema",
        protocol_version="test",
        status="signed",
        signed_at=appointment.end,
    )
    CartridgeUse.objects.create(chart=chart, lot=lot, used_at=chart.signed_at)
    return chart


def test_the_recall_api_finds_patients_treated_with_the_lot_at_any_location(
    api,
    physician,
    busy_clinic,  # noqa: F811
    chicago_session,
):
    body = api(physician).get("/recalls", lot="L-BAD", limit=5000).json()
    assert set(body["patients"]) == busy_clinic["bad"] | {chicago_session.patient_id}
    assert chicago_session.pk in {i["chart"] for i in body["items"]}


def test_the_recall_page_and_csv_include_the_other_location(
    staff_client,
    physician,
    busy_clinic,  # noqa: F811
    chicago_session,
):
    client = staff_client(physician)
    form = client.get("/staff/recalls/").content.decode()
    assert form.count("L-BAD (cartridge, REF EMP-12-0.5)") == 1  # one choice for the lot
    html = client.get("/staff/recalls/", {"lot": "L-BAD"}).content.decode()
    patients = len(busy_clinic["bad"]) + 1
    assert f"{len(busy_clinic['bad_sessions']) + 1} sessions for {patients} patients." in html
    assert "Chicagoan" in html
    response = client.get("/staff/recalls/", {"lot": "L-BAD", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert "Chicagoan Westloop" in {r["Patient"] for r in rows}


def test_the_recall_page_and_csv_say_where_each_session_was(
    staff_client,
    physician,
    busy_clinic,  # noqa: F811
    chicago_session,
):
    client = staff_client(physician)
    html = client.get("/staff/recalls/", {"lot": "L-BAD"}).content.decode()
    assert "<th>Location</th>" in html
    assert "<td>Needlepoint Chicago</td>" in html
    response = client.get("/staff/recalls/", {"lot": "L-BAD", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    chicago = next(r for r in rows if r["Patient"] == "Chicagoan Westloop")
    assert chicago["Location"] == "Needlepoint Chicago"
