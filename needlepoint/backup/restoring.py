"""`needlepoint restore DIR`: a backup into an empty database and an empty photo store.

Order, so that nothing is touched until everything checks: the manifest's signature; every
stored file's SHA-256; decryption and every plaintext SHA-256; the target is empty (no row
outside the tables `migrate` itself fills, no file in the photo store). Then the database is
loaded (SQLite backup API, or pg_restore, which also restores every sequence's position: on
SQLite the positions live in sqlite_sequence, which the copy carries), its audit heads, row
counts and schema are compared with the manifest, every next id jumps past the ids issued
after the backup (sequences.py), the photos are written, the audit chains
are verified, and only then the signed restore anchor is written (audit/restores.py).
"""

from __future__ import annotations

import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from needlepoint.audit.checkpoints import chain_heads, checkpoint_write
from needlepoint.audit.restores import RestoreAnchor, restore_anchor_write
from needlepoint.audit.services import record
from needlepoint.audit.verify import Verification, verify_chains
from needlepoint.outcomes.services import photo_storage

from .manifest import inside, read_manifest
from .sealing import decrypt_bytes, decrypt_file, read_identities, sha256_bytes, sha256_file
from .sequences import DEFAULT_SKIP, skip_identifiers
from .snapshot import COUNTED, BackupError, pg_environment, pg_tool, sqlite_path

# Tables `migrate` fills by itself: a migrated database with rows only here is empty.
BOOKKEEPING = {"django_migrations", "django_content_type", "auth_permission", "sqlite_sequence"}


@dataclass
class RestoreResult:
    taken_at: datetime
    counts: dict[str, int]
    photos: int
    heads: dict[str, tuple[int, str]]
    verification: Verification
    anchor: RestoreAnchor
    notes: list[str] = field(default_factory=list)
    skip_ids: int = 0


def _check_stored_hashes(directory: Path, manifest: dict[str, Any]) -> None:
    entries = [manifest["database"], *manifest["photos"]]
    for entry in entries:
        path = inside(directory, entry["path"])
        if not path.is_file():
            raise BackupError(f"the backup is missing {entry['path']}")
        if sha256_file(path) != entry["sha256"]:
            raise BackupError(f"{entry['path']} does not match its SHA-256 in the manifest")


def _photo_bytes(directory: Path, entry: dict[str, Any], identities: list[Any]) -> bytes:
    data = inside(directory, entry["path"]).read_bytes()
    if identities:
        data = decrypt_bytes(data, identities, entry["path"])
    if sha256_bytes(data) != entry["plain_sha256"]:
        raise BackupError(f"{entry['path']} does not decrypt to the photo that was backed up")
    return data


def _storage_files(storage: Any, folder: str = "") -> list[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    found = [f"{folder}/{name}" if folder else name for name in files]
    for sub in folders:
        found += _storage_files(storage, f"{folder}/{sub}" if folder else sub)
    return found


def _refuse_non_empty_target() -> None:
    filled = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in BOOKKEEPING:
                continue
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608
            if cursor.fetchone():
                filled.append(table)
    if filled:
        shown = ", ".join(filled[:5]) + (f" and {len(filled) - 5} more" if len(filled) > 5 else "")
        raise BackupError(
            f"the target database is not empty ({shown} hold rows): restore only into a new, "
            "empty database (see docs/operations.md, Restoring); nothing was changed"
        )
    files = _storage_files(photo_storage())
    if files:
        raise BackupError(
            f"the photo store is not empty ({len(files)} file(s), e.g. {files[0]}): restore "
            "only into an empty photo store; nothing was changed"
        )


def _load_database(snapshot: Path) -> None:
    connection.close()
    if connection.vendor == "sqlite":
        source, target = sqlite3.connect(snapshot), sqlite3.connect(sqlite_path(), timeout=20)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        return
    pg_restore, _ = pg_tool("pg_restore")
    connection.close()
    env, args = pg_environment()
    options = ["--no-owner", "--no-acl", "--clean", "--if-exists", "--single-transaction"]
    done = subprocess.run(  # noqa: S603 (a fixed tool and our own arguments, no shell)
        [pg_restore, *options, "--exit-on-error", *args, str(snapshot)],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise BackupError(f"pg_restore failed: {done.stderr.strip()[:500]}")


def _compare_with_manifest(manifest: dict[str, Any]) -> tuple[dict[str, int], list[str]]:
    connection.close()
    heads = chain_heads()
    expected = {c: (v["length"], v["head"]) for c, v in manifest["audit"]["chains"].items()}
    if heads != expected:
        raise BackupError("the restored audit chains do not end where the manifest says")
    counts = {}
    with connection.cursor() as cursor:
        for label, table in COUNTED.items():
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
            counts[label] = int(cursor.fetchone()[0])
    if counts != manifest["counts"]:
        raise BackupError(f"the restored rows ({counts}) differ from the manifest's")
    return counts, _schema_notes(manifest["schema"])


def _schema_notes(backed_up: dict[str, str]) -> list[str]:
    code = dict(MigrationLoader(None).graph.leaf_nodes())
    behind = sorted(app for app, name in code.items() if backed_up.get(app, "") < name)
    ahead = sorted(app for app, name in backed_up.items() if name > code.get(app, name))
    notes = []
    if behind:
        notes.append(
            "the backup's schema is older than this version of Needlepoint (apps: "
            f"{', '.join(behind)}): run `needlepoint migrate` before starting the clinic"
        )
    if ahead:
        notes.append(
            "the backup was taken by a newer Needlepoint (apps: "
            f"{', '.join(ahead)}): run that version (or newer) on this database"
        )
    return notes


def backup_restore(
    *, directory: Path, identity_file: str = "", skip_ids: int = DEFAULT_SKIP
) -> RestoreResult:
    manifest = read_manifest(directory)
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            f"this is a {vendor} backup and the target database is {connection.vendor}: "
            "restore it into the same kind of database (then move with a FHIR export)"
        )
    _check_stored_hashes(directory, manifest)
    identities = read_identities(identity_file) if manifest.get("encryption") else []
    for entry in manifest["photos"]:
        _photo_bytes(directory, entry, identities)  # every photo checks before any is written
    _refuse_non_empty_target()
    with tempfile.TemporaryDirectory(prefix="needlepoint-restore-") as work:
        snapshot = inside(directory, manifest["database"]["path"])
        if identities:
            plain = Path(work) / "database"
            decrypt_file(snapshot, plain, identities, manifest["database"]["path"])
            snapshot = plain
        if sha256_file(snapshot) != manifest["database"]["plain_sha256"]:
            raise BackupError("the database file does not decrypt to the one backed up")
        _load_database(snapshot)
    counts, notes = _compare_with_manifest(manifest)
    skip_identifiers(skip_ids)
    storage = photo_storage()
    for entry in manifest["photos"]:
        saved = storage.save(entry["name"], ContentFile(_photo_bytes(directory, entry, identities)))
        if saved != entry["name"]:
            raise BackupError(f"photo {entry['name']} was stored as {saved}: the store changed")
    taken_at = datetime.fromisoformat(manifest["taken_at"])
    heads = chain_heads()
    pending = RestoreAnchor(timezone.now(), taken_at, "", heads, "")
    verification = verify_chains(pending=[pending])
    if verification.breaks:
        problems = "; ".join(str(b) for b in verification.breaks[:5])
        raise BackupError(
            f"the database and photos were restored, but the audit chains do not verify "
            f"({problems}): no restore anchor was written; do not start the clinic on it"
        )
    anchor = restore_anchor_write(chains=heads, taken_at=taken_at, restored_at=pending.restored_at)
    record(
        actor=None,
        action="backup.restore",
        object_type="backup",
        detail={"taken_at": manifest["taken_at"], "photos": len(manifest["photos"])},
    )
    checkpoint_write()  # vouches for the restored chains from now on
    verification.restores = [anchor.describe()]
    return RestoreResult(
        taken_at, counts, len(manifest["photos"]), heads, verification, anchor, notes, skip_ids
    )
