"""NEEDLEPOINT_PHOTO_STORAGE: empty is the private folder, s3://bucket/prefix a private,
encrypted bucket, anything else refused at start with the variable's name."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from needlepoint.core.photo_storage_env import (
    BUCKET_BACKEND,
    FOLDER_BACKEND,
    photo_storage_setting,
)


def test_empty_means_the_private_folder():
    assert photo_storage_setting("  ", folder="/srv/np/private") == {
        "BACKEND": FOLDER_BACKEND,
        "OPTIONS": {"location": "/srv/np/private"},
    }


def test_a_bucket_with_a_prefix_is_private_and_encrypted():
    setting = photo_storage_setting(
        "s3://clinic-photos/group/a/", folder="/x", endpoint_url=" https://minio.internal:9000 "
    )
    assert setting["BACKEND"] == BUCKET_BACKEND
    options = setting["OPTIONS"]
    assert options["bucket_name"] == "clinic-photos"
    assert options["location"] == "group/a"
    assert options["endpoint_url"] == "https://minio.internal:9000"
    assert options["default_acl"] is None
    assert options["object_parameters"] == {"ServerSideEncryption": "AES256"}
    assert options["file_overwrite"] is False
    assert not any("key" in name or "secret" in name for name in options)


def test_a_bucket_without_prefix_or_endpoint_is_aws_itself():
    options = photo_storage_setting("s3://clinic-photos", folder="/x")["OPTIONS"]
    assert options["location"] == "" and "endpoint_url" not in options


@pytest.mark.parametrize(
    "value",
    ["/srv/photos", "file:///srv/photos", "s3://", "s3:///prefix", "gs://b/p", "s3://b/p?x=1"],
)
def test_anything_else_is_refused_naming_the_variable(value):
    with pytest.raises(ImproperlyConfigured, match="NEEDLEPOINT_PHOTO_STORAGE"):
        photo_storage_setting(value, folder="/x")
