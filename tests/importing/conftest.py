"""An import into a small clinic: location main (America/New_York), the demo services, rooms
and pens, aria (aesthetician) and phil (physician) working Mon-Fri 09:00-17:00, and pat
(1 May 1990) already registered. Time is frozen on Monday 2027-03-01 08:00 local."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine

NOW = datetime(2027, 3, 1, 13, 0, tzinfo=UTC)
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def clinic(db: None, aesthetician: Any, physician: Any, patient: Any) -> Any:
    from needlepoint.demo.clinic import ensure_location, ensure_services, ensure_working_hours

    with time_machine.travel(NOW, tick=False):
        location = ensure_location()
        ensure_services()
        ensure_working_hours(location, [aesthetician.user, physician.user])
        yield location


@pytest.fixture
def messy() -> bytes:
    return (FIXTURES / "messy.csv").read_bytes()


@pytest.fixture
def bundle() -> bytes:
    return (FIXTURES / "bundle.json").read_bytes()
