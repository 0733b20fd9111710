"""The photo storage contract, run against both backends: the private folder, and an
S3-compatible bucket on a server the tests start on 127.0.0.1 (moto's standalone server).

Upload through the API, read back through the API and the page, no URL of the file in any
response, the patient's export reads the files, deletion removes them, and in a bucket every
object was written with server-side encryption requested."""

from __future__ import annotations

import hashlib
import io
import json
import secrets
import socket
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from django.core.files.storage import storages
from django.db import transaction
from django.urls import reverse
from moto.server import ThreadedMotoServer

from needlepoint.core.photo_storage_env import photo_storage_setting
from needlepoint.outcomes.models import Photo
from needlepoint.outcomes.services import photo_delete, photo_storage

from .conftest import make_image, upload

pytestmark = pytest.mark.django_db

REGION = "us-east-1"
PREFIX = "clinic-a/photos"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    """One S3-compatible server for the run, on loopback only."""
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@dataclass
class Backend:
    kind: str
    bucket: str = ""
    endpoint: str = ""
    client: Any = None

    def key(self, name: str) -> str:
        return f"{PREFIX}/{name}"

    def stored(self, name: str) -> bool:
        return bool(photo_storage().exists(name))


@pytest.fixture(params=["folder", "bucket"])
def backend(
    request: pytest.FixtureRequest, settings: Any, private_storage: Any, monkeypatch: Any
) -> Backend:
    if request.param == "folder":
        settings.STORAGES = {
            **settings.STORAGES,
            "photos": photo_storage_setting("", folder=str(private_storage)),
        }
        return Backend("folder")
    endpoint = request.getfixturevalue("s3_server")
    # boto3 reads these itself, as it would in production (credentials never in settings).
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    bucket = f"needlepoint-{secrets.token_hex(6)}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name=REGION)
    client.create_bucket(Bucket=bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        "photos": photo_storage_setting(
            f"s3://{bucket}/{PREFIX}/", folder=str(private_storage), endpoint_url=endpoint
        ),
    }
    return Backend("bucket", bucket=bucket, endpoint=endpoint, client=client)


@pytest.fixture
def uploaded(backend: Backend, aesthetician: Any, patient: Any, api: Any) -> Photo:
    response = upload(api(aesthetician), patient.patient.pk, make_image(size=(300, 200)))
    assert response.status_code == 201, response.content
    _assert_no_storage_address(response.content, backend)
    return Photo.objects.get(pk=response.json()["id"])


def _assert_no_storage_address(body: bytes, backend: Backend) -> None:
    text = body.decode("utf-8", "replace")
    assert "127.0.0.1:" not in text and "amazonaws" not in text
    assert "X-Amz-" not in text and "AWSAccessKeyId" not in text
    if backend.bucket:
        assert backend.bucket not in text


def test_an_upload_lands_in_the_chosen_storage(backend, uploaded, private_storage):
    assert backend.stored(uploaded.file_name) and backend.stored(uploaded.thumb_name)
    on_disk = (private_storage / uploaded.file_name).exists()
    assert on_disk is (backend.kind == "folder")
    if backend.kind == "bucket":
        keys = {o["Key"] for o in backend.client.list_objects_v2(Bucket=backend.bucket)["Contents"]}
        assert keys == {backend.key(uploaded.file_name), backend.key(uploaded.thumb_name)}


@pytest.mark.parametrize("backend", ["bucket"], indirect=True)
def test_every_object_in_a_bucket_is_written_with_server_side_encryption(backend, uploaded):
    for name in (uploaded.file_name, uploaded.thumb_name):
        head = backend.client.head_object(Bucket=backend.bucket, Key=backend.key(name))
        assert head["ServerSideEncryption"] == "AES256"
        assert head["ContentType"] == "image/jpeg"


@pytest.mark.parametrize("backend", ["bucket"], indirect=True)
def test_a_bucket_object_is_private_to_the_bucket_owner(backend, uploaded):
    acl = backend.client.get_object_acl(Bucket=backend.bucket, Key=backend.key(uploaded.file_name))
    grantees = {grant["Grantee"].get("URI", "") for grant in acl["Grants"]}
    assert not any("AllUsers" in uri or "AuthenticatedUsers" in uri for uri in grantees)
    assert [grant["Permission"] for grant in acl["Grants"]] == ["FULL_CONTROL"]


def test_the_api_streams_the_stored_bytes(backend, uploaded, aesthetician, api):
    full = api(aesthetician).get(f"/photos/{uploaded.pk}")
    assert full.status_code == 200 and full["Content-Type"] == "image/jpeg"
    assert hashlib.sha256(full.content).hexdigest() == uploaded.sha256
    thumb = api(aesthetician).get(f"/photos/{uploaded.pk}", size="thumb")
    assert thumb.status_code == 200
    with photo_storage().open(uploaded.thumb_name, "rb") as handle:
        assert thumb.content == handle.read()
    for response in (full, thumb):
        assert "Location" not in response


def test_the_page_streams_the_stored_bytes(backend, uploaded, aesthetician, staff_client):
    client = staff_client(aesthetician)
    url = reverse("outcomes:staff_image", args=[uploaded.pk])
    response = client.get(url)
    assert response.status_code == 200 and "Location" not in response
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert hashlib.sha256(body).hexdigest() == uploaded.sha256


def test_no_response_names_the_storage(backend, uploaded, aesthetician, patient, api):
    client = api(aesthetician)
    listed = client.get(f"/patients/{patient.patient.pk}/photos")
    assert listed.status_code == 200 and listed.json()["count"] == 1
    _assert_no_storage_address(listed.content, backend)
    item = listed.json()["items"][0]
    assert item["url"] == f"/api/v1/photos/{uploaded.pk}"


def test_the_storage_refuses_to_make_a_url(backend, uploaded):
    with pytest.raises(NotImplementedError, match="authorised photo views"):
        photo_storage().url(uploaded.file_name)


def test_the_patients_export_holds_the_files_read_from_the_storage(backend, uploaded, patient, api):
    response = api(patient).get("/me/export")
    assert response.status_code == 200, response.content
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("data.json"))
    assert data["photos_missing"] == []
    [entry] = data["photos"]
    assert hashlib.sha256(archive.read(entry["path"])).hexdigest() == uploaded.sha256
    _assert_no_storage_address(archive.read("data.json"), backend)


def test_deleting_a_photo_removes_its_files_once_committed(
    backend, uploaded, aesthetician, api, django_capture_on_commit_callbacks
):
    names = (uploaded.file_name, uploaded.thumb_name)
    with django_capture_on_commit_callbacks(execute=True):
        photo_delete(actor=aesthetician.user, photo=uploaded)
    assert not any(backend.stored(name) for name in names)
    assert not Photo.objects.filter(pk=uploaded.pk).exists()
    assert not Photo.history.filter(id=uploaded.pk).exists()
    assert api(aesthetician).get(f"/photos/{uploaded.pk}").status_code == 404
    if backend.kind == "bucket":
        assert backend.client.list_objects_v2(Bucket=backend.bucket)["KeyCount"] == 0


class _Rollback(Exception):
    pass


def test_a_rolled_back_deletion_keeps_the_files(
    backend, uploaded, aesthetician, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(_Rollback),
        transaction.atomic(),
    ):
        photo_delete(actor=aesthetician.user, photo=uploaded)
        raise _Rollback
    assert callbacks == []
    assert Photo.objects.filter(pk=uploaded.pk).exists()
    assert backend.stored(uploaded.file_name) and backend.stored(uploaded.thumb_name)


def test_reading_a_missing_file_fails_like_a_missing_file(backend, uploaded):
    photo_storage().delete(uploaded.file_name)
    with pytest.raises(FileNotFoundError), photo_storage().open(uploaded.file_name, "rb") as f:
        f.read()
    assert storages["photos"] is photo_storage()
