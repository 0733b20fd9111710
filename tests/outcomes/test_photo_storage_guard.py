"""Photo files are reached only through ``outcomes.services.photo_storage()``: no other module
names a storage, a path on disk under the data directory, or a file URL. With photos in a
bucket, a module that went to ``storages["default"]`` or MEDIA_ROOT would read or delete
files in the wrong place (an erasure that leaves the photos in the bucket)."""

from __future__ import annotations

import re
from pathlib import Path

import needlepoint

ROOT = Path(needlepoint.__file__).parent
ALLOWED = {
    "settings.py",  # declares the storages
    "core/file_store.py",  # photo_storage(): the one way in
    "core/photo_storage.py",
    "core/photo_storage_env.py",
}
FORBIDDEN = re.compile(
    r"""storages\[\s*["'](default|photos)["']\s*\]|default_storage|MEDIA_ROOT|MEDIA_URL"""
    r"""|\.file_name\s*\)\s*\.path|storage\(\)\.(url|path)\("""
)


def test_no_module_but_the_photo_services_reaches_the_photo_storage():
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative in ALLOWED or "/migrations/" in relative:
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if FORBIDDEN.search(line):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == [], (
        "read, write and delete photo files through needlepoint.outcomes.services "
        "(photo_storage, photo_bytes, photo_files_delete, photo_delete):\n" + "\n".join(offenders)
    )


def test_the_guard_catches_what_it_is_for():
    for line in (
        'storage = storages["default"]',
        "storages['photos'].open(name)",
        "from django.core.files.storage import default_storage",
        "settings.MEDIA_ROOT / photo.file_name",
        "photo_storage().url(photo.file_name)",
    ):
        assert FORBIDDEN.search(line), line
