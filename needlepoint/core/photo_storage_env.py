"""Reading NEEDLEPOINT_PHOTO_STORAGE into ``STORAGES["photos"]`` (no boto3 import here:
settings stay quick to load; the backends live in needlepoint.core.photo_storage).

Empty = the private folder under the data directory; ``s3://bucket[/prefix]`` = an
S3-compatible bucket (docs/decisions/0660-photos-in-object-storage.md).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

FOLDER_BACKEND = "needlepoint.core.photo_storage.PrivateFolderStorage"
BUCKET_BACKEND = "needlepoint.core.photo_storage.PrivateBucketStorage"


def photo_storage_setting(value: str, *, folder: str, endpoint_url: str = "") -> dict[str, Any]:
    """The ``STORAGES["photos"]`` entry for the environment's value (empty = the folder)."""
    value = value.strip()
    if not value:
        return {"BACKEND": FOLDER_BACKEND, "OPTIONS": {"location": folder}}
    parts = urlsplit(value)
    if parts.scheme != "s3" or not parts.netloc or parts.query or parts.fragment:
        raise ImproperlyConfigured(
            "NEEDLEPOINT_PHOTO_STORAGE must be empty (the private folder) or "
            f"s3://bucket/prefix, not {value!r}"
        )
    options: dict[str, Any] = {
        "bucket_name": parts.netloc,
        "location": parts.path.strip("/"),
        # None: no ACL is sent, the bucket stays private as its owner set it (a bucket with
        # ACLs disabled refuses any other canned ACL).
        "default_acl": None,
        "object_parameters": {"ServerSideEncryption": "AES256"},
        "file_overwrite": False,
        # Irrelevant while url() refuses; kept on so a mistaken call could never be public.
        "querystring_auth": True,
        "signature_version": "s3v4",
    }
    if endpoint_url.strip():
        options["endpoint_url"] = endpoint_url.strip()
    # Credentials and region come from boto3's own chain (AWS_ACCESS_KEY_ID,
    # AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION, or an instance role): never from settings.
    return {"BACKEND": BUCKET_BACKEND, "OPTIONS": options}
