"""Portal fixtures: private storage in a temporary directory; time frozen on Monday
2027-03-01 10:00 in New York; a clinic with the demo services."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine

from .world import NOW


@pytest.fixture(autouse=True)
def private_storage(settings: Any, tmp_path: Any) -> Any:
    location = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location)},
        },
        "photos": {
            "BACKEND": "needlepoint.core.photo_storage.PrivateFolderStorage",
            "OPTIONS": {"location": str(location)},
        },
    }
    settings.MEDIA_ROOT = location
    return location


@pytest.fixture
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller
