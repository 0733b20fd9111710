"""Query budgets: time frozen on Monday 2027-03-01 10:00 in New York, the demo clinic with
aria (aesthetician) and phil (physician) working there."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from . import builders


@pytest.fixture
def frozen() -> Iterator[Any]:
    with time_machine.travel(builders.NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def clinic(db: None, frozen: Any, aesthetician: Any, physician: Any) -> Any:
    return builders.clinic(aesthetician.user, physician.user)
