"""A 40-megapixel upload is decoded downscaled (JPEG) or refused above a lower limit (PNG,
WebP: no downscaling while decoding), so eight at once stay under 1 GB."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from needlepoint.outcomes.images import FULL_MAX_SIDE, MAX_PIXELS, MAX_PIXELS_LOSSLESS

from .conftest import make_image, upload

# Eight concurrent uploads within 1 GB: each may hold at most an eighth of it.
BUDGET_BYTES = 1024**3 // 8

MEASURE = """
import io, sys
from PIL import Image
from needlepoint.outcomes.images import process_photo

def peak_rss():
    # VmHWM belongs to this process's own memory map, unlike ru_maxrss, which a child
    # inherits from the (possibly large) test process that started it.
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024

for fmt in ("JPEG", "PNG"):  # warm up: codecs and colour profiles loaded before measuring
    small = io.BytesIO()
    Image.new("RGB", (64, 64)).save(small, fmt)
    process_photo(small.getvalue())
data = open(sys.argv[1], "rb").read()
before = peak_rss()
photo = process_photo(data, filename=sys.argv[1], content_type="")
print(peak_rss() - before, photo.width, photo.height)
"""


def synthetic(size: tuple[int, int], fmt: str, mode: str = "RGB") -> bytes:
    # Bands of colour: compresses well (a small upload) yet decodes to every pixel.
    image = Image.new(mode, size, (200, 160, 140, 120)[: len(mode)])
    draw = ImageDraw.Draw(image)
    for x in range(0, size[0], 97):
        draw.rectangle([x, 0, x + 40, size[1]], fill=(x % 255, 90, 180, 200)[: len(mode)])
    out = io.BytesIO()
    image.save(out, fmt, quality=80) if fmt == "JPEG" else image.save(out, fmt)
    return out.getvalue()


def peak_while_processing(path: Path) -> tuple[int, int, int]:
    """Peak resident memory added by one process_photo call, in a fresh interpreter (the
    pixels live in Pillow's C heap, which tracemalloc does not see)."""
    ran = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)], capture_output=True, text=True, check=False
    )
    assert ran.returncode == 0, ran.stderr
    grown, width, height = (int(v) for v in ran.stdout.split())
    return grown, width, height


@pytest.mark.parametrize(
    "size", [(7744, 5164), (7199, 5556), (4096, 4096)], ids=["3:2", "near-4:3", "full-size"]
)
def test_a_40_megapixel_jpeg_is_downscaled_while_decoding_within_an_eighth_of_a_gigabyte(
    size, tmp_path
):
    assert size[0] * size[1] <= MAX_PIXELS
    path = tmp_path / "big.jpg"
    path.write_bytes(synthetic(size, "JPEG"))
    grown, width, height = peak_while_processing(path)
    assert grown < BUDGET_BYTES, f"{grown / 2**20:.0f} MiB for one upload"
    assert max(width, height) <= FULL_MAX_SIDE
    assert max(width, height) >= min(FULL_MAX_SIDE // 2, *size)  # still a detailed photo


@pytest.mark.parametrize("mode", ["RGB", "RGBA"])
def test_the_largest_png_accepted_stays_within_an_eighth_of_a_gigabyte(mode, tmp_path):
    side = int(MAX_PIXELS_LOSSLESS**0.5)
    path = tmp_path / "big.png"
    path.write_bytes(synthetic((side, side), "PNG", mode))
    grown, _, _ = peak_while_processing(path)
    assert grown < BUDGET_BYTES, f"{grown / 2**20:.0f} MiB for one upload"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fmt", "size", "name", "content_type"),
    [
        ("JPEG", (8000, 5001), "huge.jpg", "image/jpeg"),
        ("PNG", (5000, 3800), "large.png", "image/png"),
    ],
)
def test_an_image_over_its_pixel_limit_is_a_422_naming_the_file_field(
    aesthetician, patient, api, fmt, size, name, content_type
):
    response = upload(
        api(aesthetician),
        patient.patient.pk,
        synthetic(size, fmt) if fmt == "JPEG" else make_image(fmt, size=size),
        name=name,
        content_type=content_type,
    )
    assert response.status_code == 422, response.content
    [error] = response.json()["errors"]
    assert error["field"] == "file" and "megapixels" in error["message"]
