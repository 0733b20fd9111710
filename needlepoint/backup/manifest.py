"""manifest.json: what a backup holds, each file's SHA-256, the schema version, the audit
chains' heads and the time taken, signed with the audit key (HMAC) so a restore notices a
manifest edited to match swapped files.

Each file lists the hash of its bytes as stored ("sha256") and, when encrypted, the hash of
what it decrypts to ("plain_sha256"): the first is checked before anything is decrypted or
touched, the second proves the decryption gave back the very bytes backed up.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from pathlib import Path
from typing import Any

from django.conf import settings

from needlepoint.audit.services import signing_key

from .snapshot import BackupError

MANIFEST = "manifest.json"
FORMAT = "needlepoint-backup"
VERSION = 1


def _canonical(manifest: dict[str, Any]) -> bytes:
    body = {k: v for k, v in manifest.items() if k != "signature"}
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def sign(manifest: dict[str, Any]) -> dict[str, Any]:
    key_id, secret = signing_key()
    mac = hmac.new(secret.encode(), _canonical(manifest), hashlib.sha256).hexdigest()
    return {**manifest, "signature": {"key_id": key_id, "hmac": mac}}


def write_manifest(directory: Path, manifest: dict[str, Any]) -> Path:
    """Written last and renamed into place: a directory without manifest.json is a backup
    that did not finish."""
    path = directory / MANIFEST
    partial = directory / f".{MANIFEST}.partial"
    partial.write_text(json.dumps(sign(manifest), indent=2, sort_keys=True) + "\n", "utf-8")
    with partial.open("rb") as handle:
        os.fsync(handle.fileno())
    partial.replace(path)
    return path


def read_manifest(directory: Path) -> dict[str, Any]:
    path = directory / MANIFEST
    if not path.is_file():
        raise BackupError(
            f"{directory} holds no {MANIFEST}: not a backup, or one that did not finish"
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise BackupError(f"{path} cannot be read ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a Needlepoint backup manifest")
    if manifest.get("version") != VERSION:
        raise BackupError(
            f"{path} is backup format version {manifest.get('version')}; this Needlepoint "
            f"reads version {VERSION}"
        )
    _check_signature(path, manifest)
    return manifest


def _check_signature(path: Path, manifest: dict[str, Any]) -> None:
    signature = manifest.get("signature") or {}
    keys = {str(k): str(s) for k, s in settings.NEEDLEPOINT_AUDIT_KEYS}
    secret = keys.get(str(signature.get("key_id", "")))
    if secret is None:
        raise BackupError(
            f"{path} was signed with audit key {signature.get('key_id')!r}, which is not "
            "configured: set NEEDLEPOINT_AUDIT_KEYS (or the key file) as on the server that "
            "took the backup, then restore"
        )
    expected = hmac.new(secret.encode(), _canonical(manifest), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, str(signature.get("hmac", ""))):
        raise BackupError(f"{path}: its signature does not match (the manifest was edited)")


def inside(directory: Path, relative: str) -> Path:
    """A file the manifest names, refused when the name would leave the backup directory."""
    path = (directory / relative).resolve()
    if not path.is_relative_to(directory.resolve()):
        raise BackupError(f"the manifest names a file outside the backup: {relative!r}")
    return path
