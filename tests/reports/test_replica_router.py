"""Reports read from the replica when one is set; bookings, availability and writes never."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from needlepoint.audit.models import AuditEvent
from needlepoint.clinic.models import Location
from needlepoint.reports import selectors
from needlepoint.reports.database import ReportsReplicaRouter, reading_for_reports
from needlepoint.scheduling.models import Appointment
from tests.replica import WITH_REPLICA

ROUTER = ReportsReplicaRouter()


def test_without_a_replica_everything_reads_the_primary(settings: Any) -> None:
    settings.NEEDLEPOINT_REPORTS_DATABASE = ""
    with reading_for_reports():
        assert ROUTER.db_for_read(Appointment) is None


def test_only_a_reports_read_goes_to_the_replica(settings: Any) -> None:
    settings.NEEDLEPOINT_REPORTS_DATABASE = "replica"
    # A booking or an availability search reads outside the reports: the primary.
    assert ROUTER.db_for_read(Appointment) is None
    with reading_for_reports():
        assert ROUTER.db_for_read(Appointment) == "replica"
        assert ROUTER.db_for_read(Location) == "replica"
        # The audit chain is never read from a copy; writes always go to the primary.
        assert ROUTER.db_for_read(AuditEvent) is None
        assert ROUTER.db_for_write(Appointment) is None
    assert ROUTER.db_for_read(Appointment) is None  # the mark ends with the block


def test_the_replica_is_never_migrated(settings: Any) -> None:
    settings.NEEDLEPOINT_REPORTS_DATABASE = "replica"
    assert ROUTER.allow_migrate("replica", "scheduling") is False
    assert ROUTER.allow_migrate("default", "scheduling") is None


@pytest.mark.django_db
def test_a_report_reads_inside_the_mark_and_audits_outside_it(
    settings: Any, clinic_admin: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.NEEDLEPOINT_REPORTS_DATABASE = "replica"
    Location.objects.create(slug="north", name="North", time_zone="America/New_York")
    seen: list[str | None] = []

    def build(*args: Any) -> Any:
        seen.append(ROUTER.db_for_read(Appointment))
        return "report"

    monkeypatch.setitem(selectors.REPORTS, "attendance", ("Attendance", build))
    found = selectors.report_read(
        actor=clinic_admin.user,
        name="attendance",
        start=date(2026, 1, 5),
        end=date(2026, 1, 18),
        location_slug="",
    )
    assert found == "report"
    assert seen == ["replica"]
    assert AuditEvent.objects.filter(action="report.read", object_id="attendance").exists()


@WITH_REPLICA
def test_a_report_page_reads_appointments_from_the_replica(
    reports_replica: Any, clinic_admin: Any, staff_client: Any
) -> None:
    Location.objects.create(slug="north", name="North", time_zone="America/New_York")
    client = staff_client(clinic_admin)
    with (
        CaptureQueriesContext(reports_replica) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        page = client.get(
            "/staff/reports/attendance/", {"start": "2026-01-05", "end": "2026-02-01"}
        )
    assert page.status_code == 200
    assert any("scheduling_appointment" in q["sql"] for q in on_replica.captured_queries)
    assert not any("scheduling_appointment" in q["sql"] for q in on_primary.captured_queries)
    # The opening is audited in the primary.
    assert any("audit" in q["sql"] for q in on_primary.captured_queries)
