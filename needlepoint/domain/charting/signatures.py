"""Drawn signatures: validating a PNG data URL from the signature pad."""

from __future__ import annotations

import base64
import binascii
import unicodedata

# ---------------------------------------------------------------- drawn signatures

PNG_DATA_URL_PREFIX = "data:image/png;base64,"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# consent_sign refuses a signature over 100,000 characters; a PNG of this many bytes is
# at most 97,358 characters as a base64 data URL, so a drawing that passes here is never
# refused there. A signature drawn on a tablet pad is typically 5-30 KB.
MAX_DRAWN_SIGNATURE_BYTES = 73_000
MAX_DRAWN_SIGNATURE_SIDE = 4000


def drawn_signature_problem(value: str) -> str:
    """Why ``value`` is not an acceptable drawn signature, or "" when it is.

    It must be a base64 PNG data URL (what ``canvas.toDataURL()`` gives), decode to a real
    PNG of sensible dimensions, and be small enough to store whole with the consent.
    """
    if not value:
        return "draw the signature in the box, or type the full name instead"
    if not value.startswith(PNG_DATA_URL_PREFIX):
        return "the drawing must be a PNG image (data:image/png;base64,…)"
    encoded = value[len(PNG_DATA_URL_PREFIX) :]
    if len(encoded) > (MAX_DRAWN_SIGNATURE_BYTES + 2) // 3 * 4:
        return (
            f"the drawing is too large (over {MAX_DRAWN_SIGNATURE_BYTES // 1000} KB); "
            "clear it and sign again"
        )
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return "the drawing is not a valid PNG image; clear it and sign again"
    if len(data) > MAX_DRAWN_SIGNATURE_BYTES:
        return (
            f"the drawing is too large (over {MAX_DRAWN_SIGNATURE_BYTES // 1000} KB); "
            "clear it and sign again"
        )
    if len(data) < 33 or not data.startswith(PNG_MAGIC) or data[12:16] != b"IHDR":
        return "the drawing is not a valid PNG image; clear it and sign again"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if not (0 < width <= MAX_DRAWN_SIGNATURE_SIDE and 0 < height <= MAX_DRAWN_SIGNATURE_SIDE):
        return "the drawing has impossible dimensions; clear it and sign again"
    return ""


# ---------------------------------------------------------------- typed signatures


def name_key(name: str) -> str:
    """``name`` compared as a person reads it: case, accents and spacing do not count."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


def typed_signature_matches(signature: str, given_name: str, family_name: str) -> bool:
    """Whether a typed signature is the patient's own name, given name first or family
    name first (both orders are in everyday use)."""
    typed = name_key(signature)
    given, family = name_key(given_name), name_key(family_name)
    return bool(typed) and typed in (f"{given} {family}", f"{family} {given}")
