"""Pages show times in the clinic's zone; the API keeps UTC with offsets."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

pytestmark = pytest.mark.django_db


def test_the_page_time_zone_is_the_clinics_and_the_api_stays_in_utc(
    clinic_admin, staff_client, api
):
    from needlepoint.audit.models import AuditEvent
    from needlepoint.audit.services import record
    from needlepoint.demo.clinic import ensure_location

    ensure_location()
    clinic_admin.user.is_staff = True
    clinic_admin.user.save()
    late_evening = datetime(2026, 11, 26, 4, 30, tzinfo=UTC)  # 23:30 on the 25th in New York
    with time_machine.travel(late_evening, tick=False):
        record(actor=clinic_admin.user, action="test.late", object_type="thing")
        event_time = AuditEvent.objects.latest("id").occurred_at
        page = staff_client(clinic_admin).get("/staff/audit/").content.decode()
        body = api(clinic_admin).get("/audit").json()
    assert event_time.tzinfo is not None
    assert "Today at 11:30 pm" in page
    assert "Wednesday 25 November 2026, 11:30:00 pm EST" in page  # the row's details
    assert "26 November 2026" not in page
    late = next(item for item in body["items"] if item["action"] == "test.late")
    assert late["occurred_at"].startswith("2026-11-26T04:30")
