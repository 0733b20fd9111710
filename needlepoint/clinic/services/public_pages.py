"""The clinic's public pages: its name and the picture at the top (decision 0511).

An uploaded picture is decoded and encoded afresh as a JPEG, at most 2400 pixels wide, with
no metadata (no EXIF, GPS or comments), under a name made of its content's hash: the public
view serves only that one file, and the browser may keep it for good.
"""

from __future__ import annotations

import hashlib
import io
import warnings

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageOps, UnidentifiedImageError

from needlepoint.accounts.models import User
from needlepoint.audit.services import record
from needlepoint.core.errors import InvalidInput, Problems
from needlepoint.core.file_store import photo_storage

from ..models import ClinicProfile
from ..public_face import forget_public_face
from .common import optional_text, required_text

MAX_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIZE = (2400, 1600)
FORMATS = {"JPEG", "PNG", "WEBP"}


def picture_bytes(data: bytes) -> bytes:
    """The picture to store, or InvalidInput on ``hero_image`` saying what to send instead."""
    if len(data) > MAX_BYTES:
        raise InvalidInput.one("hero_image", "is larger than 15 MB; choose a smaller picture")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in FORMATS:
                raise InvalidInput.one("hero_image", "must be a JPEG, PNG or WebP picture")
            if image.width * image.height > MAX_PIXELS:
                raise InvalidInput.one("hero_image", "has too many pixels; choose a smaller one")
            image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, Warning) as exc:
        raise InvalidInput.one(
            "hero_image", "is not a picture we can read; send a JPEG, PNG or WebP"
        ) from exc
    upright = ImageOps.exif_transpose(image).convert("RGB")
    upright.thumbnail(MAX_SIZE)
    upright.info = {}
    out = io.BytesIO()
    upright.save(out, format="JPEG", quality=82, optimize=True, progressive=True, exif=b"")
    return out.getvalue()


def public_pages_save(
    *,
    actor: User,
    name: str,
    picture_alt: str = "",
    picture: bytes | None = None,
    remove_picture: bool = False,
) -> ClinicProfile:
    """Name the clinic on its pages; replace its picture (``picture``), go back to the
    default picture (``remove_picture``), or keep it. A picture needs its description."""
    problems = Problems()
    name = required_text(problems, "name", name, 120)
    picture_alt = optional_text(problems, "hero_alt", picture_alt, 250)
    profile = ClinicProfile.objects.filter(pk=1).first() or ClinicProfile(pk=1)
    keeps_picture = (bool(profile.hero_image) and not remove_picture) or picture is not None
    if keeps_picture and not picture_alt:
        problems.add("hero_alt", "is required with a picture: say what it shows")
    problems.raise_if_any()
    stored = picture_bytes(picture) if picture is not None else None
    with transaction.atomic():
        old = profile.hero_image.name if profile.hero_image else ""
        change = "kept"
        if stored is not None:
            digest = hashlib.sha256(stored).hexdigest()[:16]
            profile.hero_image.save(f"clinic-{digest}.jpg", ContentFile(stored), save=False)
            change = "replaced"
        elif remove_picture and old:
            profile.hero_image = ""
            change = "removed"
        profile.name, profile.hero_alt = name, picture_alt if keeps_picture else ""
        profile.save()
        record(
            actor=actor,
            action="clinic.public_pages_update",
            object_type="clinic",
            object_id=1,
            detail={"name": name, "picture": change},
        )
        if old and old != profile.hero_image.name:
            # The old file goes once the row no longer names it (a rollback keeps both).
            transaction.on_commit(lambda: photo_storage().delete(old))
        transaction.on_commit(forget_public_face)
    forget_public_face()  # now as well: this request's own redirect shows the new name
    return profile
