"""Signed restore anchors: "the database was restored from a backup whose chains ended at
these heads, taken at T", written by `needlepoint restore` next to the checkpoints.

A restore loses whatever happened after the backup was taken, so a checkpoint written before
the restore may record events the restored database never had, and the events appended after
the restore take positions those checkpoints recorded with other hashes. Without an anchor,
`audit verify` rightly calls that a truncation (or a rewrite). An anchor, signed with the
audit key like a checkpoint, says which of those differences the restore explains: for each
chain, positions beyond the anchor's head in checkpoints written before the restore. The
anchor itself is then checked like a checkpoint (the restored rows must hold its heads), and
checkpoints written after the restore are checked in full, so a later truncation still shows.
One JSON line per restore in restores.jsonl of NEEDLEPOINT_AUDIT_CHECKPOINT_DIR.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .checkpoints import Checkpoint, checkpoint_dir
from .services import signing_key
from .signed_lines import append_signed_line, heads_from_json, heads_to_json, signature_of

RESTORES_FILE = "restores.jsonl"


@dataclass(frozen=True)
class RestoreAnchor:
    restored_at: datetime
    taken_at: datetime
    key_id: str
    chains: dict[str, tuple[int, str]]  # chain -> (length, hash of its newest row) restored
    signature: str
    where: str = ""

    def body(self) -> dict[str, Any]:
        return {
            "v": 1,
            "kind": "restore",
            "restored_at": self.restored_at.isoformat(),
            "taken_at": self.taken_at.isoformat(),
            "key_id": self.key_id,
            "chains": heads_to_json(self.chains),
        }

    def expected_signature(self, secret: str) -> str:
        return signature_of(self.body(), secret)

    def as_checkpoint(self) -> Checkpoint:
        """The restored heads, checked against the table like a checkpoint's."""
        return Checkpoint(
            self.restored_at, self.key_id, self.chains, self.signature, f"restore {self.where}"
        )

    def explains(self, checkpoint: Checkpoint, chain: str, seq: int) -> bool:
        """Whether this restore explains a checkpoint's record of ``seq`` in ``chain``:
        recorded before the restore, at a position the backup did not reach."""
        if checkpoint.at >= self.restored_at:
            return False
        return seq > self.chains.get(chain, (0, ""))[0]

    def describe(self) -> str:
        heads = ", ".join(
            f"{name!r} at {seq} ({digest[:12]}…)"
            for name, (seq, digest) in sorted(self.chains.items())
        )
        return (
            f"restored on {self.restored_at:%Y-%m-%d %H:%M} UTC from a backup taken "
            f"{self.taken_at:%Y-%m-%d %H:%M:%S} UTC; chains restored: {heads or 'none'}"
        )


def restore_anchor_write(
    *, chains: dict[str, tuple[int, str]], taken_at: datetime, restored_at: datetime
) -> RestoreAnchor:
    key_id, secret = signing_key()
    unsigned = RestoreAnchor(restored_at, taken_at, key_id, dict(chains), "")
    anchor = RestoreAnchor(
        restored_at, taken_at, key_id, dict(chains), unsigned.expected_signature(secret)
    )
    append_signed_line(checkpoint_dir() / RESTORES_FILE, anchor.body(), anchor.signature)
    return anchor


def _parse(line: str, where: str) -> RestoreAnchor | None:
    try:
        data = json.loads(line)
        if data.get("kind") != "restore":
            return None
        return RestoreAnchor(
            restored_at=datetime.fromisoformat(data["restored_at"]),
            taken_at=datetime.fromisoformat(data["taken_at"]),
            key_id=str(data["key_id"]),
            chains=heads_from_json(data["chains"]),
            signature=str(data["sig"]),
            where=where,
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def read_restore_anchors() -> tuple[list[RestoreAnchor], list[str]]:
    """Every anchor written, and a problem for every line that is not one."""
    path = checkpoint_dir() / RESTORES_FILE
    if not path.is_file():
        return [], []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        return [], [f"restore anchors file {path.name} cannot be read ({exc})"]
    found: list[RestoreAnchor] = []
    problems: list[str] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path.name}:{number}"
        parsed = _parse(line, where)
        if parsed is None:
            problems.append(f"restore anchor {where} is not an anchor (damaged or edited)")
        else:
            found.append(parsed)
    return found, problems
