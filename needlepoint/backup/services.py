"""`needlepoint backup --out DIR`: the database snapshot, the photo files it names, and a
signed manifest; all but the manifest encrypted when NEEDLEPOINT_BACKUP_KEY is set.

Layout of DIR: database.sqlite3 or database.pgdump (".age" appended when encrypted),
files/<storage name> per photo and thumbnail, manifest.json (written last).
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from needlepoint.audit.services import record
from needlepoint.outcomes.services import photo_storage

from .manifest import FORMAT, VERSION, write_manifest
from .sealing import encrypt_bytes, encrypt_file, parse_recipients, sha256_bytes, sha256_file
from .snapshot import BackupError, SnapshotState, snapshot_database

FILES_DIR = "files"
DATABASE_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


@dataclass(frozen=True)
class BackupResult:
    directory: Path
    taken_at: datetime
    seconds: float
    state: SnapshotState
    encrypted: bool
    total_bytes: int


def _empty_output(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise BackupError(f"{out} is a file: give a directory for the backup")
    if out.is_dir() and any(out.iterdir()):
        raise BackupError(
            f"{out} is not empty: give a new directory per backup (a date in its name, see "
            "docs/operations.md), so one backup never overwrites another"
        )
    out.mkdir(mode=0o700, parents=True, exist_ok=True)


def _store(out: Path, relative: str, data: bytes, recipients: list[Any]) -> dict[str, Any]:
    entry: dict[str, Any] = {"plain_sha256": sha256_bytes(data), "plain_bytes": len(data)}
    if recipients:
        data = encrypt_bytes(data, recipients)
        relative += ".age"
    target = out / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return {"path": relative, "sha256": sha256_bytes(data), "bytes": len(data), **entry}


def _database_entry(out: Path, snapshot: Path, recipients: list[Any]) -> dict[str, Any]:
    name = DATABASE_NAMES[connection.vendor]
    entry: dict[str, Any] = {
        "plain_sha256": sha256_file(snapshot),
        "plain_bytes": snapshot.stat().st_size,
    }
    if recipients:
        name += ".age"
        encrypt_file(snapshot, out / name, recipients)
    else:
        snapshot.replace(out / name)
    stored = out / name
    return {"path": name, "sha256": sha256_file(stored), "bytes": stored.stat().st_size, **entry}


def backup_create(*, out: Path, recipients_text: str | None = None) -> BackupResult:
    """Take a backup into the new directory ``out``; the clinic keeps working meanwhile."""
    started = time.monotonic()
    recipients = parse_recipients(
        settings.NEEDLEPOINT_BACKUP_KEY if recipients_text is None else recipients_text
    )
    _empty_output(out)
    taken_at = timezone.now()
    # Beside the backup (same file system, so the unencrypted case is a rename); when it is
    # encrypted, the plaintext snapshot is deleted as soon as its encrypted copy is written.
    with tempfile.TemporaryDirectory(dir=out, prefix=".snapshot-") as work:
        snapshot = Path(work) / "snapshot"
        state = snapshot_database(snapshot)
        database = _database_entry(out, snapshot, recipients)
    storage = photo_storage()
    photos = []
    for name in state.photo_names:
        try:
            with storage.open(name, "rb") as handle:
                data = handle.read()
        except FileNotFoundError:
            raise BackupError(
                f"photo file {name} is named by the database but missing from the photo store"
            ) from None
        photos.append({"name": name, **_store(out, f"{FILES_DIR}/{name}", data, recipients)})
    seconds = round(time.monotonic() - started, 3)
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "taken_at": taken_at.isoformat(),
        "seconds": seconds,
        "database": {"vendor": connection.vendor, "tool": state.tool, **database},
        "schema": state.schema,
        "audit": {
            "chains": {c: {"length": s, "head": h} for c, (s, h) in sorted(state.heads.items())}
        },
        "counts": state.counts,
        "encryption": (
            {"scheme": "age-x25519", "recipients": [str(r) for r in recipients]}
            if recipients
            else None
        ),
        "photos": photos,
    }
    write_manifest(out, manifest)
    total = database["bytes"] + sum(p["bytes"] for p in photos)
    record(
        actor=None,
        action="backup.create",
        object_type="backup",
        detail={"photos": len(photos), "encrypted": bool(recipients), "bytes": total},
    )
    return BackupResult(out, taken_at, seconds, state, bool(recipients), total)
