"""The upload pipeline: upright, sRGB, no metadata, a thumbnail; refusals name the field."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image, ImageCms

from needlepoint.core.errors import InvalidInput
from needlepoint.outcomes.images import MAX_BYTES, THUMB_SIZE, process_photo

from .conftest import make_image


def exif_with_orientation_and_gps() -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)}  # GPS
    return exif.tobytes()


def srgb_icc() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def refusal(data: bytes, **kwargs: str) -> str:
    with pytest.raises(InvalidInput) as caught:
        process_photo(data, **kwargs)
    problems = caught.value.problems
    assert [p.field for p in problems] == ["file"]
    return problems[0].message


def test_an_exif_rotated_photo_comes_out_upright():
    data = make_image(exif=exif_with_orientation_and_gps())
    result = process_photo(data, filename="x.jpg", content_type="image/jpeg")
    stored = Image.open(io.BytesIO(result.image))
    assert stored.size == (100, 200)
    top, bottom = stored.getpixel((50, 10)), stored.getpixel((50, 190))
    assert top[0] > 200 and top[2] < 60  # the red half is on top
    assert bottom[2] > 200 and bottom[0] < 60


def test_every_metadata_field_is_gone_from_the_stored_bytes():
    data = make_image(exif=exif_with_orientation_and_gps(), icc_profile=srgb_icc(), comment=b"hi")
    result = process_photo(data, filename="x.jpg", content_type="image/jpeg")
    for blob in (result.image, result.thumbnail):
        stored = Image.open(io.BytesIO(blob))
        assert dict(stored.getexif()) == {}
        assert "exif" not in stored.info and "icc_profile" not in stored.info
        assert "comment" not in stored.info and "xmp" not in stored.info
        assert b"PhoneMaker" not in blob and b"Exif" not in blob


def test_xmp_in_a_png_does_not_survive():
    from PIL import PngImagePlugin

    meta = PngImagePlugin.PngInfo()
    meta.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>secret-place</x:xmpmeta>")
    data = make_image("PNG", pnginfo=meta)
    result = process_photo(data, filename="x.png", content_type="image/png")
    assert b"secret-place" not in result.image


def test_the_stored_photo_is_an_srgb_jpeg_and_a_thumbnail_is_made():
    data = make_image("PNG", size=(1600, 1200))
    result = process_photo(data, filename="face.png", content_type="image/png")
    stored = Image.open(io.BytesIO(result.image))
    assert stored.format == "JPEG" and stored.mode == "RGB"
    thumb = Image.open(io.BytesIO(result.thumbnail))
    assert max(thumb.size) == max(THUMB_SIZE) and thumb.size == (320, 240)


def test_a_cmyk_jpeg_is_converted_to_rgb():
    image = Image.new("CMYK", (64, 64), (0, 255, 255, 0))
    out = io.BytesIO()
    image.save(out, "JPEG")
    result = process_photo(out.getvalue(), filename="c.jpg")
    assert Image.open(io.BytesIO(result.image)).mode == "RGB"


def test_a_transparent_png_is_flattened_on_white():
    image = Image.new("RGBA", (20, 20), (0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, "PNG")
    result = process_photo(out.getvalue(), filename="t.png")
    assert Image.open(io.BytesIO(result.image)).getpixel((10, 10))[0] > 240


def test_a_text_file_named_jpg_is_refused():
    assert "not an image" in refusal(
        b"hello, I am text\n" * 10, filename="face.jpg", content_type="image/jpeg"
    )


def test_a_png_declared_as_jpeg_is_refused_as_disguised():
    message = refusal(make_image("PNG"), filename="face.png", content_type="image/jpeg")
    assert "really a PNG" in message


def test_a_png_named_jpg_is_refused_as_disguised():
    message = refusal(make_image("PNG"), filename="face.jpg", content_type="")
    assert "named '.jpg'" in message and "PNG" in message


def test_a_gif_is_refused():
    out = io.BytesIO()
    Image.new("P", (10, 10)).save(out, "GIF")
    assert "GIF" in refusal(out.getvalue(), filename="a.gif")


def test_a_truncated_jpeg_is_refused():
    data = make_image(size=(800, 600), quality=95)
    assert "truncated" in refusal(data[: len(data) // 2], filename="t.jpg")


def png_header_claiming(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64))


@pytest.mark.parametrize("size", [(7000, 6000), (100_000, 100_000)], ids=["42MP", "10GP-bomb"])
def test_an_image_over_40_megapixels_is_refused_before_decoding(size):
    message = refusal(png_header_claiming(*size), filename="big.png", content_type="image/png")
    assert "megapixels" in message


def test_a_real_compressible_image_over_40_megapixels_is_refused():
    out = io.BytesIO()
    Image.new("L", (8000, 5001)).save(out, "PNG")
    assert "megapixels" in refusal(out.getvalue(), filename="big.png")


def test_a_file_over_25_mb_is_refused():
    assert "25 MB" in refusal(b"\xff\xd8" + b"\0" * MAX_BYTES, filename="big.jpg")


def test_an_empty_file_is_refused():
    assert "empty" in refusal(b"", filename="x.jpg")
