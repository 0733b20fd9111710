"""Encryption of a backup with age (X25519) public keys, and the hashes the manifest lists.

The server that takes backups holds only the public key (NEEDLEPOINT_BACKUP_KEY, one or more
`age1…` recipients): a stolen backup, or the server itself, cannot decrypt any backup. The
secret identity (`AGE-SECRET-KEY-1…`) is needed only to restore, and lives apart from both
(docs/operations.md, Backups; docs/decisions/0620-backup-encryption-age.md).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pyrage
from pyrage import x25519

from .snapshot import BackupError

CHUNK = 1 << 20


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def parse_recipients(text: str) -> list[Any]:
    """`age1…` public keys separated by commas or white space; refused with the setting's
    name when one is not a key (a secret key here is refused too: it must not sit there)."""
    recipients = []
    for entry in text.replace(",", " ").split():
        if entry.upper().startswith("AGE-SECRET-KEY-"):
            raise BackupError(
                "NEEDLEPOINT_BACKUP_KEY holds a secret key: it takes the public key (age1…) "
                "only; keep the secret key away from the server (docs/operations.md, Backups)"
            )
        try:
            recipients.append(x25519.Recipient.from_str(entry))
        except pyrage.RecipientError:
            raise BackupError(
                f"NEEDLEPOINT_BACKUP_KEY: {entry[:12]}… is not an age public key (age1…)"
            ) from None
    return recipients


def read_identities(path: str) -> list[Any]:
    """The secret keys of an age identity file (`age-keygen -o FILE` writes one)."""
    if not path:
        raise BackupError(
            "this backup is encrypted: give the secret key file with --identity FILE or "
            "NEEDLEPOINT_BACKUP_IDENTITY_FILE (docs/operations.md, Backups)"
        )
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise BackupError(f"identity file {path}: {exc.strerror}") from None
    identities = []
    for line in (raw.strip() for raw in lines):
        if not line or line.startswith("#"):
            continue
        try:
            identities.append(x25519.Identity.from_str(line))
        except pyrage.IdentityError:
            raise BackupError(
                f"identity file {path}: a line is not an age secret key (AGE-SECRET-KEY-1…)"
            ) from None
    if not identities:
        raise BackupError(f"identity file {path} holds no age secret key")
    return identities


def encrypt_bytes(data: bytes, recipients: list[Any]) -> bytes:
    encrypted: bytes = pyrage.encrypt(data, recipients)
    return encrypted


def encrypt_file(source: Path, target: Path, recipients: list[Any]) -> None:
    pyrage.encrypt_file(str(source), str(target), recipients)


def decrypt_bytes(data: bytes, identities: list[Any], what: str) -> bytes:
    try:
        decrypted: bytes = pyrage.decrypt(data, identities)
    except pyrage.DecryptError:
        raise BackupError(
            f"{what} cannot be decrypted with the secret key given (a different key, or a "
            "damaged file)"
        ) from None
    return decrypted


def decrypt_file(source: Path, target: Path, identities: list[Any], what: str) -> None:
    try:
        pyrage.decrypt_file(str(source), str(target), identities)
    except pyrage.DecryptError:
        raise BackupError(
            f"{what} cannot be decrypted with the secret key given (a different key, or a "
            "damaged file)"
        ) from None
