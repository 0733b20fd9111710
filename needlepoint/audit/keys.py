"""The audit chain's HMAC keys: read from the environment or a key file, never the database.

Format (both sources): entries ``KEY_ID:SECRET``; the FIRST entry signs new events and
checkpoints, the others are retired keys kept only to verify what they signed. The key id
is stored on every row and checkpoint, which is what makes rotation possible.
Plain Python (no Django): settings.py calls it at start-up and refuses bad values.
"""

from __future__ import annotations

import re
from pathlib import Path

DEV_KEY_ID = "dev"
DEV_KEY_SECRET = "dev-only-insecure-audit-key-do-not-use-in-production"  # noqa: S105
MIN_SECRET_LENGTH = 32
_KEY_ID = re.compile(r"^[A-Za-z0-9_.-]{1,16}$")


class AuditKeyError(ValueError):
    pass


def parse_keys(text: str, source: str) -> list[tuple[str, str]]:
    """``KEY_ID:SECRET`` entries separated by commas or new lines; ``#`` starts a comment."""
    keys: list[tuple[str, str]] = []
    entries = (part for line in text.splitlines() for part in line.split("#", 1)[0].split(","))
    for entry in (e.strip() for e in entries):
        if not entry:
            continue
        key_id, sep, secret = entry.partition(":")
        if not sep or not _KEY_ID.match(key_id):
            raise AuditKeyError(
                f"{source}: each key is KEY_ID:SECRET with a key id of 1-16 letters, digits, "
                f"'.', '_' or '-' (got an entry starting {entry[:4]!r}...)"
            )
        if len(secret) < MIN_SECRET_LENGTH:
            raise AuditKeyError(
                f"{source}: the secret of key {key_id!r} must be at least "
                f"{MIN_SECRET_LENGTH} characters"
            )
        if key_id in dict(keys):
            raise AuditKeyError(f"{source}: key id {key_id!r} appears twice")
        keys.append((key_id, secret))
    return keys


def load_keys(*, env_value: str, key_file: str, production: bool) -> list[tuple[str, str]]:
    """The configured keys, first one signing; the development key outside production."""
    if env_value and key_file:
        raise AuditKeyError("set NEEDLEPOINT_AUDIT_KEYS or NEEDLEPOINT_AUDIT_KEY_FILE, not both")
    if key_file:
        try:
            text = Path(key_file).read_text(encoding="utf-8")
        except OSError as exc:
            raise AuditKeyError(f"NEEDLEPOINT_AUDIT_KEY_FILE {key_file}: {exc.strerror}") from None
        keys = parse_keys(text, f"NEEDLEPOINT_AUDIT_KEY_FILE {key_file}")
    else:
        keys = parse_keys(env_value, "NEEDLEPOINT_AUDIT_KEYS")
    if production:
        if not keys:
            raise AuditKeyError(
                "an audit key is required: set NEEDLEPOINT_AUDIT_KEYS or "
                "NEEDLEPOINT_AUDIT_KEY_FILE (see docs/operations.md, Audit)"
            )
        if any(secret == DEV_KEY_SECRET for _, secret in keys):
            raise AuditKeyError("the development audit key must not be used in production")
    return keys or [(DEV_KEY_ID, DEV_KEY_SECRET)]
