"""The one way to the stored files: patients' photos and the clinic's own picture (decision
0660). Both live in the photo storage, so with a bucket configured no app server keeps files."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import storages


def photo_storage() -> Any:
    """Where photo files live (settings.STORAGES["photos"]: the private folder or a bucket).
    Every read and write of a photo file goes through this storage's API (open, save,
    delete): never a path on disk and never a URL, so both backends behave alike."""
    return storages["photos"]
