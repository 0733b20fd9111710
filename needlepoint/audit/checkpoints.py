"""Signed checkpoints of the audit chains, kept outside the database.

A checkpoint records, for every chain, its length and the hash of its newest row, signed
with the audit key (HMAC). `audit verify` compares the table with every checkpoint: rows
deleted from the end, an emptied table and a history rewritten with recomputed hashes all
disagree with a checkpoint written before. One JSON line per checkpoint, appended to a file
per month in NEEDLEPOINT_AUDIT_CHECKPOINT_DIR (copy it off the machine: see
docs/operations.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from .services import signing_key
from .signed_lines import append_signed_line, heads_from_json, heads_to_json, signature_of

_HEADS = """SELECT e.chain, e.seq, e.hash FROM audit_auditevent e JOIN
    (SELECT chain, MAX(seq) AS seq FROM audit_auditevent GROUP BY chain) h
    ON e.chain = h.chain AND e.seq = h.seq"""


@dataclass(frozen=True)
class Checkpoint:
    at: datetime
    key_id: str
    chains: dict[str, tuple[int, str]]  # chain -> (length, hash of its newest row)
    signature: str
    where: str = ""  # "file:line", for messages

    def body(self) -> dict[str, Any]:
        return {
            "v": 1,
            "at": self.at.isoformat(),
            "key_id": self.key_id,
            "chains": heads_to_json(self.chains),
        }

    def expected_signature(self, secret: str) -> str:
        return signature_of(self.body(), secret)


def chain_heads() -> dict[str, tuple[int, str]]:
    with connection.cursor() as cursor:
        cursor.execute(_HEADS)
        return {chain: (int(seq), digest) for chain, seq, digest in cursor.fetchall()}


def checkpoint_dir() -> Path:
    return Path(settings.NEEDLEPOINT_AUDIT_CHECKPOINT_DIR)


def checkpoint_write(now: datetime | None = None) -> Checkpoint:
    """Append a signed checkpoint of every chain's head, now."""
    key_id, secret = signing_key()
    unsigned = Checkpoint(
        at=now or timezone.now(), key_id=key_id, chains=chain_heads(), signature=""
    )
    checkpoint = Checkpoint(
        unsigned.at, key_id, unsigned.chains, unsigned.expected_signature(secret)
    )
    path = checkpoint_dir() / f"checkpoints-{checkpoint.at:%Y-%m}.jsonl"
    append_signed_line(path, checkpoint.body(), checkpoint.signature)
    return Checkpoint(checkpoint.at, key_id, checkpoint.chains, checkpoint.signature, path.name)


def checkpoint_if_due(now: datetime | None = None) -> Checkpoint | None:
    """The periodic job's step: a checkpoint when the newest is older than
    NEEDLEPOINT_AUDIT_CHECKPOINT_MINUTES and the chains have grown since."""
    now = now or timezone.now()
    newest = _newest_checkpoint()
    every = timedelta(minutes=settings.NEEDLEPOINT_AUDIT_CHECKPOINT_MINUTES)
    if newest is not None and now - newest.at < every:
        return None
    heads = chain_heads()
    if heads == (newest.chains if newest else {}):
        return None
    return checkpoint_write(now)


def _newest_checkpoint() -> Checkpoint | None:
    """The last checkpoint of the newest file: the periodic job need not read a year's."""
    for path in sorted(checkpoint_dir().glob("checkpoints-*.jsonl"), reverse=True):
        for line in reversed(path.read_text(encoding="utf-8").splitlines()):
            parsed = _parse(line, path.name)
            if parsed is not None:
                return parsed
    return None


def _parse(line: str, where: str) -> Checkpoint | None:
    try:
        data = json.loads(line)
        return Checkpoint(
            at=datetime.fromisoformat(data["at"]),
            key_id=str(data["key_id"]),
            chains=heads_from_json(data["chains"]),
            signature=str(data["sig"]),
            where=where,
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def read_checkpoints() -> tuple[list[Checkpoint], list[str]]:
    """Every checkpoint in the directory, and a problem for every line that is not one."""
    directory = checkpoint_dir()
    found: list[Checkpoint] = []
    problems: list[str] = []
    if not directory.is_dir():
        return found, problems
    for path in sorted(directory.glob("checkpoints-*.jsonl")):
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"checkpoint file {path.name} cannot be read ({exc})")
            continue
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            where = f"{path.name}:{number}"
            parsed = _parse(line, where)
            if parsed is None:
                problems.append(f"checkpoint {where} is not a checkpoint (damaged or edited)")
            else:
                found.append(parsed)
    return found, problems
