from __future__ import annotations

import pytest


@pytest.fixture
def demo(db: None) -> None:
    """The demo clinic (patients with screenings, plans, charts, photos, an adverse event)."""
    from needlepoint.demo.load import load_demo

    load_demo("a long demo password 123", generated=False)
