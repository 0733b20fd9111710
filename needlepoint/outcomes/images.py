"""The photo upload pipeline: check, decode safely, normalise, strip, re-encode, thumbnail.

Nothing of the uploaded file survives but its pixels: the orientation is applied from EXIF,
colours are converted to sRGB through the embedded ICC profile, and the image is encoded
afresh as JPEG with no metadata at all (no EXIF, GPS, XMP, ICC or comments). Every refusal
names the field and says what to do (docs/decisions/0140-photo-pipeline.md).
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import PurePath

from PIL import Image, ImageCms, ImageDraw, ImageFile, ImageFont, ImageOps, UnidentifiedImageError

from needlepoint.core.errors import InvalidInput

MAX_PIXELS = 40_000_000
# PNG and WebP cannot be downscaled while decoding (JPEG can): every pixel is held at once,
# so they get a lower limit (a 12 MP phone photo fits) to keep one upload under 128 MB.
MAX_PIXELS_LOSSLESS = 12_500_000
MAX_BYTES = 25 * 1024 * 1024
JPEG_QUALITY = 90
THUMB_SIZE = (320, 320)
FULL_MAX_SIDE = 4096  # stored images are capped on the long side (a 40 MP JPEG is huge)
# A larger JPEG is decoded at 1/2, 1/4 or 1/8 scale, never below this long side, so a
# 40 MP photo needs about 30 MB of pixels instead of 120 MB (docs/decisions/0243).
DECODE_MIN_SIDE = FULL_MAX_SIDE // 2

# Real format -> (accepted declared content types, accepted file name extensions).
# HEIC is not accepted: this Pillow has no HEIF decoder (docs/decisions/0140).
ACCEPTED: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "JPEG": (
        frozenset({"image/jpeg", "image/jpg", "image/pjpeg"}),
        frozenset({".jpg", ".jpeg", ".jpe", ".jfif"}),
    ),
    "PNG": (frozenset({"image/png"}), frozenset({".png"})),
    "WEBP": (frozenset({"image/webp"}), frozenset({".webp"})),
}
# Clients that do not know the type say so; then only the file name and content count.
UNDECLARED = frozenset({"", "application/octet-stream", "binary/octet-stream"})
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@dataclass(frozen=True)
class ProcessedPhoto:
    image: bytes
    thumbnail: bytes
    width: int
    height: int
    source_format: str


def _refuse(message: str) -> InvalidInput:
    return InvalidInput.one("file", message)


def _probe(data: bytes) -> Image.Image:
    """Open lazily (header only: no pixels are decoded yet)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(
            f"is larger than {MAX_PIXELS // 1_000_000} megapixels; send a smaller image"
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise _refuse(
            "is not an image Needlepoint can read; send a JPEG, PNG or WebP photo"
        ) from None


def _check_declared(real: str, filename: str, content_type: str) -> None:
    types, extensions = ACCEPTED[real]
    label = "JPEG" if real == "JPEG" else real.title() if real == "WEBP" else real
    suffix = PurePath(filename or "").suffix.lower()
    if suffix and suffix not in extensions:
        raise _refuse(
            f"is named '{suffix}' but is really a {label} image; the name and the content "
            "must agree"
        )
    declared = (content_type or "").split(";")[0].strip().lower()
    if declared not in UNDECLARED and declared not in types:
        raise _refuse(
            f"was sent as {declared} but is really a {label} image; the declared type and "
            "the content must agree"
        )


def _to_srgb(image: Image.Image) -> Image.Image:
    """RGB pixels in sRGB. Each step replaces the image rather than keeping a copy beside
    it: a full-size photo is the largest thing in memory, and two would double the peak."""
    icc = image.info.get("icc_profile")
    if image.mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA"):
        if image.mode != "RGBA":
            image = image.convert("RGBA")
        flat = Image.new("RGB", image.size, (255, 255, 255))
        flat.paste(image, mask=image)  # the alpha band is the mask: no extra copy of it
        image = flat
    elif image.mode not in ("RGB", "CMYK", "L"):
        image = image.convert("RGB")
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if image.mode == "RGB":
                ImageCms.profileToProfile(image, source, _SRGB, outputMode="RGB", inPlace=True)
            else:
                converted = ImageCms.profileToProfile(image, source, _SRGB, outputMode="RGB")
                if converted is not None:
                    image = converted
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            # An unusable profile: the pixels are taken as sRGB, as browsers would.
            pass
    return image if image.mode == "RGB" else image.convert("RGB")


def _encode(image: Image.Image, quality: int) -> bytes:
    # Nothing but pixels reaches the encoder: no info (comments), no EXIF, no ICC profile.
    image.info = {}
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality, exif=b"")
    return out.getvalue()


def _decode_reduced(probe: Image.Image) -> Image.Image:
    """The pixels, upright, at most FULL_MAX_SIDE on the long side. A JPEG is downscaled
    while decoding (libjpeg's DCT scaling through `draft`), so its full size never exists
    in memory; the rest are reduced in place right after decoding."""
    width, height = probe.size
    if probe.format == "JPEG" and max(width, height) > FULL_MAX_SIDE:
        factor = max(width, height) / DECODE_MIN_SIDE
        probe.draft(None, (max(1, int(width / factor)), max(1, int(height / factor))))
    probe.load()
    if max(probe.size) > FULL_MAX_SIDE:
        probe.thumbnail((FULL_MAX_SIDE, FULL_MAX_SIDE), Image.Resampling.LANCZOS)
    ImageOps.exif_transpose(probe, in_place=True)
    return probe


def process_photo(data: bytes, *, filename: str = "", content_type: str = "") -> ProcessedPhoto:
    """The stored image and thumbnail, or ``InvalidInput`` on field ``file``."""
    if not data:
        raise _refuse("is empty; choose a photo")
    if len(data) > MAX_BYTES:
        raise _refuse(f"is larger than {MAX_BYTES // (1024 * 1024)} MB; send a smaller photo")
    probe = _probe(data)
    real = probe.format or ""
    if real not in ACCEPTED:
        raise _refuse(f"is a {real or 'unknown'} image; send a JPEG, PNG or WebP photo")
    _check_declared(real, filename, content_type)
    width, height = probe.size
    if width < 1 or height < 1:
        raise _refuse("has no pixels")
    limit = MAX_PIXELS if real == "JPEG" else MAX_PIXELS_LOSSLESS
    if width * height > limit:
        kind = "" if real == "JPEG" else f" for a {real.title() if real == 'WEBP' else real}"
        raise _refuse(
            f"is {width}×{height} pixels, over {limit / 1_000_000:g} megapixels{kind}; "
            "send a smaller image"
        )
    if ImageFile.LOAD_TRUNCATED_IMAGES:  # pragma: no cover - a global someone might set
        raise RuntimeError("PIL.ImageFile.LOAD_TRUNCATED_IMAGES must stay off")
    try:
        image = _to_srgb(_decode_reduced(probe))
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError):
        raise _refuse(
            "is truncated or damaged and cannot be read; take or export the photo again"
        ) from None
    # Not closed: the probe may be the very image kept (its source is in memory anyway);
    # forgotten, so a replaced original (RGBA before flattening) is freed before encoding.
    del probe
    thumb = image.resize(_fit(image.size, THUMB_SIZE), Image.Resampling.LANCZOS, reducing_gap=3)
    return ProcessedPhoto(
        image=_encode(image, JPEG_QUALITY),
        thumbnail=_encode(thumb, 85),
        width=image.width,
        height=image.height,
        source_format=real,
    )


def _fit(size: tuple[int, int], box: tuple[int, int]) -> tuple[int, int]:
    """The size that fits in box keeping the aspect ratio (never enlarged)."""
    scale = min(box[0] / size[0], box[1] / size[1], 1.0)
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size=size)
    except (OSError, TypeError, ImportError):  # pragma: no cover - Pillow without FreeType
        return ImageFont.load_default()


def compose_pair(
    before: bytes, after: bytes, *, before_label: str, after_label: str, caption: str
) -> bytes:
    """One JPEG: the two photos side by side at the same height, each with its date above,
    and a caption (view, sessions between) below. No metadata, like every stored photo."""
    height = 900
    images = []
    for blob in (before, after):
        with Image.open(io.BytesIO(blob)) as opened:
            image = opened.convert("RGB")
        scale = height / image.height
        images.append(
            image.resize((max(1, round(image.width * scale)), height), Image.Resampling.LANCZOS)
        )
    gap, band, foot = 24, 70, 60
    width = images[0].width + images[1].width + gap * 3
    canvas = Image.new("RGB", (width, height + band + foot + gap), (255, 255, 255))
    draw = ImageDraw.Draw(canvas)
    label_font, caption_font = _font(34), _font(26)
    x = gap
    for image, label in zip(images, (before_label, after_label), strict=True):
        draw.text((x, 18), label, fill=(29, 31, 36), font=label_font)
        canvas.paste(image, (x, band))
        x += image.width + gap
    draw.text((gap, band + height + 16), caption, fill=(74, 79, 89), font=caption_font)
    return _encode(canvas, JPEG_QUALITY)
