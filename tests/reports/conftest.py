"""The reports' tests read through the replica's alias (a mirror of the test database), so
the path a clinic with ``DATABASE_REPLICA_URL`` takes is the one tested."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def reports_read_the_replica(request: pytest.FixtureRequest) -> Iterator[Any]:
    marker = request.node.get_closest_marker("django_db")
    if marker is None or "replica" not in marker.kwargs.get("databases", ()):
        yield None
        return
    yield request.getfixturevalue("reports_replica")
