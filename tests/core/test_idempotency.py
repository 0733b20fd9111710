"""The Idempotency-Key request hash: JSON by meaning, multipart by its parsed fields and files."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest
from django.test import RequestFactory

from needlepoint.core.idempotency import _request_hash


def parsed_upload(fields: dict[str, str], name: str = "a.jpg", data: bytes = b"abc") -> HttpRequest:
    request = RequestFactory().post(
        "/x", {**fields, "file": SimpleUploadedFile(name, data, "image/jpeg")}
    )
    request.POST  # noqa: B018 (parse the body as a view would; request.body is then gone)
    return request


def test_the_same_json_with_other_spacing_and_key_order_hashes_the_same():
    one = RequestFactory().post("/x", '{"a": 1, "b": 2}', content_type="application/json")
    two = RequestFactory().post("/x", '{"b":2,"a":1}', content_type="application/json")
    assert _request_hash(one) == _request_hash(two)


def test_a_parsed_multipart_request_hashes_and_its_file_can_still_be_read():
    request = parsed_upload({"view": "front"})
    assert _request_hash(request) == _request_hash(parsed_upload({"view": "front"}))
    assert request.FILES["file"].read() == b"abc"


def test_multipart_requests_differ_by_field_file_bytes_and_file_name():
    same = _request_hash(parsed_upload({"view": "front"}))
    assert _request_hash(parsed_upload({"view": "left_45"})) != same
    assert _request_hash(parsed_upload({"view": "front"}, data=b"abd")) != same
    assert _request_hash(parsed_upload({"view": "front"}, name="b.jpg")) != same
