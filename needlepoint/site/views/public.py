"""The public pages' own files: the clinic's picture (decision 0511)."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from needlepoint.clinic.public_face import stored_picture_path
from needlepoint.core.file_store import photo_storage

A_YEAR = 365 * 24 * 3600


@require_GET
def clinic_picture(request: HttpRequest, name: str) -> FileResponse:
    """The clinic's picture, and nothing else from the storage (it also holds patients'
    photos): only the one file the clinic profile names is served. Its name is its content's
    hash, so a browser may keep it for a year."""
    stored = stored_picture_path()
    if not stored or PurePosixPath(stored).name != name or not photo_storage().exists(stored):
        raise Http404("no such picture")
    response = FileResponse(photo_storage().open(stored, "rb"), content_type="image/jpeg")
    response["Cache-Control"] = f"public, max-age={A_YEAR}, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    return response
