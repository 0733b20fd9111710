"""The two places photos can live (chosen in settings by needlepoint.core.photo_storage_env).

Neither hands out a URL: photos reach people only through the authorised, audited views,
which read them with ``open`` (docs/decisions/0660-photos-in-object-storage.md).
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.core.files.storage import FileSystemStorage
from storages.backends.s3 import S3Storage


def _no_url(name: str | None) -> NoReturn:
    raise NotImplementedError(
        f"photo {name!r} has no URL: serve it through the authorised photo views"
    )


class PrivateFolderStorage(FileSystemStorage):
    """The private folder; ``url`` refuses, so no template or API can link a file."""

    def url(self, name: str | None) -> str:
        _no_url(name)


class PrivateBucketStorage(S3Storage):
    """A private bucket: no ACL header (the bucket's own policy, private, decides), every
    object written with server-side encryption requested, no overwrite, and no URL."""

    def url(
        self,
        name: str | None,
        parameters: Any = None,
        expire: Any = None,
        http_method: Any = None,
    ) -> str:
        _no_url(name)
