"""The setup pages' tests: the demo clinic, and the clinic admin signed in."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def clinic(db: None, aesthetician: Any, physician: Any) -> Any:
    from needlepoint.demo.clinic import ensure_location, ensure_services, ensure_working_hours

    location = ensure_location()
    ensure_services()
    ensure_working_hours(location, [aesthetician.user, physician.user])
    return location


@pytest.fixture
def admin(clinic: Any, clinic_admin: Any, staff_client: Any) -> Any:
    return staff_client(clinic_admin)
