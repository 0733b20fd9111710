"""What checkpoints and restore anchors share: an HMAC over a canonical JSON body, one whole
line appended under a lock, and the chain heads as JSON."""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
from pathlib import Path
from typing import Any

Heads = dict[str, tuple[int, str]]  # chain -> (length, hash of its newest row)


def signature_of(body: dict[str, Any], secret: str) -> str:
    text = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest()


def heads_to_json(chains: Heads) -> dict[str, list[Any]]:
    return {name: [seq, digest] for name, (seq, digest) in chains.items()}


def heads_from_json(data: Any) -> Heads:
    """Raises ValueError/TypeError/AttributeError on a damaged line (the callers' "not one")."""
    return {str(name): (int(seq), str(digest)) for name, (seq, digest) in data.items()}


def append_signed_line(path: Path, body: dict[str, Any], signature: str) -> None:
    """Append ``body`` with its signature as one JSON line, durable before returning."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    line = json.dumps({**body, "sig": signature}, sort_keys=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        # Several servers may write at once: whole lines, never interleaved.
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, (line + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)
