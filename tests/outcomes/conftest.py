"""Outcome fixtures: private storage in a temporary directory, images made on the fly."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image, ImageDraw


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


def make_image(fmt: str = "JPEG", size: tuple[int, int] = (200, 100), **save: Any) -> bytes:
    """Left half red, right half blue: orientation shows in which side ends up on top."""
    image = Image.new("RGB", size, (0, 0, 255))
    ImageDraw.Draw(image).rectangle([0, 0, size[0] // 2 - 1, size[1]], fill=(255, 0, 0))
    out = io.BytesIO()
    image.save(out, format=fmt, **save)
    return out.getvalue()


def upload(
    client: Any,
    patient_id: int,
    data: bytes,
    *,
    name: str = "face.jpg",
    content_type: str = "image/jpeg",
    view: str = "front",
    taken_on: str = "2026-01-05",
    headers: dict[str, str] | None = None,
) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.client.post(
        f"/api/v1/patients/{patient_id}/photos",
        {"view": view, "taken_on": taken_on, "file": SimpleUploadedFile(name, data, content_type)},
        headers={**client.headers, **(headers or {})},
    )
