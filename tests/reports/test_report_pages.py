"""The reports pages: who may open them, the form keeps its values, the CSV downloads."""

from __future__ import annotations

from typing import Any

import pytest

from needlepoint.clinic.models import Location
from tests.replica import WITH_REPLICA

pytestmark = WITH_REPLICA

NAMES = ["utilisation", "attendance", "rebooking", "courses", "funnel", "grades"]


@pytest.fixture
def location(db: None) -> Location:
    return Location.objects.create(slug="north", name="North Clinic", time_zone="America/New_York")


@pytest.mark.parametrize("name", NAMES)
def test_admin_reads_every_report_and_its_csv(
    name: str, location: Location, clinic_admin: Any, staff_client: Any
) -> None:
    client = staff_client(clinic_admin)
    query = {"start": "2026-01-05", "end": "2026-02-01", "location": "north"}
    page = client.get(f"/staff/reports/{name}/", query)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="2026-01-05"' in html and 'value="north" selected' in html
    assert "<svg" in html and "<title" in html and "<table" in html
    csv = client.get(f"/staff/reports/{name}/download/", query)
    assert csv.status_code == 200
    assert csv["Content-Type"].startswith("text/csv")


def test_a_bad_range_is_refused_beside_the_field(
    location: Location, clinic_admin: Any, staff_client: Any
) -> None:
    client = staff_client(clinic_admin)
    page = client.get("/staff/reports/attendance/", {"start": "2026-03-01", "end": "2026-02-01"})
    assert page.status_code == 200
    assert "The last day must be on or after the first day." in page.content.decode()
    assert (
        client.get(
            "/staff/reports/attendance/download/", {"start": "2026-03-01", "end": "x"}
        ).status_code
        == 400
    )


@pytest.mark.parametrize("role", ["front_desk", "aesthetician"])
def test_other_staff_may_not(role: str, personas: Any, staff_client: Any) -> None:
    client = staff_client(personas[role])
    assert client.get("/staff/reports/").status_code == 403
    assert client.get("/staff/reports/utilisation/download/").status_code == 403


def test_physician_may(physician: Any, staff_client: Any, location: Location) -> None:
    assert staff_client(physician).get("/staff/reports/").status_code == 200
