"""The clinic services on their own, and the setup pages' words."""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from typing import Any

import pytest

from needlepoint.clinic import services
from needlepoint.clinic.models import Device, Location
from needlepoint.core.errors import Conflict, InvalidInput
from needlepoint.setup.labels import minutes_words, price_words, zone_words


def test_working_hours_are_for_active_staff_only(clinic: Location, patient: Any) -> None:
    with pytest.raises(Conflict):
        services.working_week_set(actor=patient.user, staff=patient.user, blocks=[])


def test_a_week_block_with_only_a_start_is_refused_naming_its_end(
    clinic: Location, aesthetician: Any, clinic_admin: Any
) -> None:
    block = services.WeekBlock(2, clinic, time(9), None)
    with pytest.raises(InvalidInput) as refused:
        services.working_week_set(actor=clinic_admin.user, staff=aesthetician.user, blocks=[block])
    assert [p.field for p in refused.value.problems] == [f"wednesday-{clinic.slug}-end"]


def test_an_unknown_pen_status_is_refused(clinic: Location, clinic_admin: Any) -> None:
    pen = Device.objects.get(slug="micropen-1")
    with pytest.raises(InvalidInput) as refused:
        services.device_set_status(actor=clinic_admin.user, device=pen, status="broken")
    assert refused.value.problems[0].field == "status"


def test_every_service_problem_is_reported_at_once(clinic: Location, clinic_admin: Any) -> None:
    terms = services.ServiceTerms(
        name="",
        description="",
        duration_minutes=0,
        buffer_after_minutes=-1,
        room_kind="garage",
        needs_device=False,
        performer_roles=["patient"],
        online_booking=False,
        is_treatment=False,
        price=Decimal("-1"),
        currency="dollars",
    )
    with pytest.raises(InvalidInput) as refused:
        services.service_save(actor=clinic_admin.user, terms=terms)
    assert {p.field for p in refused.value.problems} == {
        "name",
        "duration_minutes",
        "buffer_after_minutes",
        "room_kind",
        "performer_roles",
        "price",
        "currency",
    }


def test_values_in_words() -> None:
    assert zone_words("America/New_York") == "New York (Eastern time)"
    assert zone_words("America/Argentina/Buenos_Aires") == "Buenos Aires"
    assert minutes_words(45) == "45 minutes"
    assert minutes_words(60) == "1 hour"
    assert minutes_words(75) == "1 hour 15 minutes"
    assert minutes_words(0) == "none"
    assert price_words(Decimal("1200"), "USD") == "$1,200.00"
    assert price_words(Decimal("95"), "CHF") == "95.00 CHF"
    assert price_words(None) == "not priced"
