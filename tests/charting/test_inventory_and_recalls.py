"""Receiving cartridge stock, stock levels and warnings, and recalls by lot and by pen."""

from __future__ import annotations

import csv
import io
import random
from datetime import date, timedelta

import pytest

from needlepoint.audit.models import AuditEvent
from needlepoint.clinic.models import CartridgeLot

from .conftest import NOW, TODAY

pytestmark = pytest.mark.django_db

RECEIPT = {
    "product": "Eclipse MicroPen 12-needle cartridge",
    "ref": "EMP-12-0.5",
    "lot": "L27A001",
    "expiry": "2028-06-30",
    "quantity": 30,
}


def test_an_admin_receives_stock_and_sees_it(api, clinic_admin, clinic):
    response = api(clinic_admin).post("/inventory/cartridges", RECEIPT)
    assert response.status_code == 201, response.content
    assert response.json()["in_stock"] == 30
    again = api(clinic_admin).post("/inventory/cartridges", {**RECEIPT, "quantity": 20})
    assert again.json()["in_stock"] == 50
    listed = api(clinic_admin).get("/inventory/cartridges").json()
    lot = next(i for i in listed["items"] if i["lot"] == "L27A001")
    assert (lot["received"], lot["used"], lot["in_stock"]) == (50, 0, 50)


def test_receiving_an_expired_lot_is_422(api, clinic_admin, clinic):
    response = api(clinic_admin).post("/inventory/cartridges", {**RECEIPT, "expiry": "2027-02-28"})
    assert response.status_code == 422
    assert response.json()["rule"] == "LOT_EXPIRED"
    assert not CartridgeLot.objects.filter(lot="L27A001").exists()


def test_a_known_lot_with_another_expiry_is_409(api, clinic_admin, clinic):
    api(clinic_admin).post("/inventory/cartridges", RECEIPT)
    response = api(clinic_admin).post("/inventory/cartridges", {**RECEIPT, "expiry": "2029-01-01"})
    assert response.status_code == 409
    assert response.json()["rule"] == "LOT_EXISTS_OTHER_EXPIRY"


def test_stock_warnings_name_lots_expiring_soon_and_running_low(api, front_desk, clinic):
    body = api(front_desk).get("/inventory/cartridges").json()
    codes = {(w["lot"], w["code"]) for w in body["warnings"]}
    assert ("L24A117", "LOT_EXPIRING") in codes  # expires in 20 days
    assert ("L24A117", "LOT_LOW") in codes  # 10 left


@pytest.mark.parametrize(
    ("role", "status"),
    [("patient", 403), ("front_desk", 403), ("aesthetician", 403), ("physician", 201)],
)
def test_who_receives_stock(api, personas, clinic, role, status):
    assert api(personas[role]).post("/inventory/cartridges", RECEIPT).status_code == status


# --- recalls in a seeded clinic -------------------------------------------------------


@pytest.fixture
def busy_clinic(clinic, aesthetician, physician):
    """~300 signed sessions over a year, built with bulk_create; returns what truly used
    lot L-BAD and pen micropen-2."""
    from needlepoint.charting.models import CartridgeUse, SessionChart
    from needlepoint.clinic.models import Device, Location, Room, Service
    from needlepoint.patients.models import Patient
    from needlepoint.scheduling.models import Appointment

    rng = random.Random(5)
    location = Location.objects.get(slug="main")
    lots = [
        CartridgeLot.objects.create(
            location=location,
            product="cartridge",
            ref="EMP-12-0.5",
            lot=name,
            expiry=date(2028, 1, 1),
            quantity_received=500,
            received_on=date(2026, 1, 1),
        )
        for name in ("L-GOOD", "L-BAD", "L-OTHER")
    ]
    pens = list(Device.objects.order_by("slug"))
    service = Service.objects.get(slug="microneedling-face")
    room = Room.objects.get(slug="treatment-1")
    patients = Patient.objects.bulk_create(
        Patient(
            given_name=f"Given{i}",
            family_name=f"Family{i}",
            date_of_birth=date(1980, 1, 1),
            email=f"p{i}@example.com",
            phone=f"+1 555 {i:04d}",
        )
        for i in range(120)
    )
    appointments = []
    for i in range(300):
        start = NOW - timedelta(days=365 - i, hours=1)
        appointments.append(
            Appointment(
                patient=rng.choice(patients),
                service=service,
                location=location,
                staff=aesthetician.user,
                room=room,
                device=rng.choice(pens),
                start=start,
                end=start + timedelta(hours=1),
                busy_until=start + timedelta(hours=1),
                status="completed",
                booked_via="staff",
            )
        )
    appointments = Appointment.objects.bulk_create(appointments)
    charts = SessionChart.objects.bulk_create(
        SessionChart(
            appointment=a,
            patient=a.patient,
            session_date=a.start.date(),
            operator=aesthetician.user,
            operator_role="aesthetician",
            device=a.device,
            cartridge_lot=rng.choice(lots),
            zones=[
                {"zone": "cheeks", "depth_mm": 1.0, "passes": 2, "reason": "", "rule": "DEPTH_OK"}
            ],
            endpoint="even_erythema",
            protocol_version="test",
            status="signed",
            signed_at=a.end,
        )
        for a in appointments
    )
    CartridgeUse.objects.bulk_create(
        CartridgeUse(chart=c, lot=c.cartridge_lot, used_at=c.signed_at) for c in charts
    )
    bad = {c.patient_id for c in charts if c.cartridge_lot.lot == "L-BAD"}
    pen2 = {c.patient_id for c in charts if c.device.slug == "micropen-2"}
    bad_sessions = sorted(c.pk for c in charts if c.cartridge_lot.lot == "L-BAD")
    return {"bad": bad, "pen2": pen2, "bad_sessions": bad_sessions, "total": len(charts)}


def test_a_recall_by_lot_finds_exactly_the_patients_it_touched(api, physician, busy_clinic):
    assert busy_clinic["total"] == 300
    response = api(physician).get("/recalls", lot="L-BAD", limit=5000)
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body["patients"]) == busy_clinic["bad"]
    assert sorted(i["chart"] for i in body["items"]) == busy_clinic["bad_sessions"]
    assert body["count"] == len(busy_clinic["bad_sessions"])
    assert {i["cartridge_lot"] for i in body["items"]} == {"L-BAD"}
    first = body["items"][0]
    assert first["email"].endswith("@example.com") and first["phone"].startswith("+1")


def test_a_recall_by_pen_finds_exactly_the_patients_it_touched(api, clinic_admin, busy_clinic):
    body = api(clinic_admin).get("/recalls", device="micropen-2", limit=5000).json()
    assert set(body["patients"]) == busy_clinic["pen2"]


def test_a_recall_exports_csv(api, physician, busy_clinic):
    response = api(physician).get("/recalls", lot="L-BAD", format="csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "recall-L-BAD.csv" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {int(r["patient"]) for r in rows} == busy_clinic["bad"]
    assert len(rows) == len(busy_clinic["bad_sessions"])


def test_each_recall_lookup_is_audited_per_patient(api, physician, busy_clinic):
    api(physician).get("/recalls", lot="L-BAD")
    events = AuditEvent.objects.filter(action="recall.read")
    assert {int(e.patient_id) for e in events} == busy_clinic["bad"]
    assert {e.detail["lot"] for e in events} == {"L-BAD"}
    api(physician).get("/recalls", lot="NOPE")
    assert AuditEvent.objects.filter(action="recall.read", object_type="recall").count() == 1


@pytest.mark.parametrize(
    ("role", "status"),
    [("patient", 403), ("front_desk", 403), ("aesthetician", 403), ("clinic_admin", 200)],
)
def test_recalls_are_for_physicians_and_admins(api, personas, clinic, role, status):
    assert api(personas[role]).get("/recalls", lot="X").status_code == status


def test_a_recall_needs_a_lot_or_a_pen(api, physician, clinic):
    response = api(physician).get("/recalls")
    assert response.status_code == 422
    assert response.json()["rule"] == "RECALL_KEY_REQUIRED"


def test_today_is_the_frozen_clinic_day():
    assert date(2027, 3, 1) == TODAY


def test_a_recall_csv_neutralises_cells_a_spreadsheet_would_run(api, physician, busy_clinic):
    from needlepoint.charting.models import SessionChart
    from needlepoint.patients.models import Patient

    chart = SessionChart.objects.filter(cartridge_lot__lot="L-BAD").first()
    Patient.objects.filter(pk=chart.patient_id).update(
        given_name='=HYPERLINK("http://evil")', family_name="\t=1+1"
    )
    response = api(physician).get("/recalls", lot="L-BAD", format="csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    row = next(r for r in rows if int(r["chart"]) == chart.pk)
    assert row["given_name"] == '\'=HYPERLINK("http://evil")'
    assert row["family_name"] == "'\t=1+1"
    assert all(r["phone"].startswith("'+1") for r in rows)
