"""`audit verify`: what it checks is exactly what docs/operations.md (Audit) lists.

Per chain, in position order: positions run 1, 2, 3 … without a gap and every row names the
hash of the row before it (a removed row shows); every row's keyed hash matches its
contents (a changed row shows, and so does one rewritten with a hash recomputed without the
key); rows from before keyed hashing (key id "") only at the start of the default chain and
only as far as a checkpoint vouches for them. Against every signed checkpoint: each chain is
at least as long as the checkpoint says and holds the same hash at that position (newest
rows deleted, the table emptied, history rewritten with recomputed hashes all show).
A signed restore anchor (audit/restores.py, written by `needlepoint restore`) is checked like a
checkpoint, and explains what checkpoints written before the restore recorded beyond the
backup's heads: those are reported as lost with the restore, not as a truncation.
What cannot be checked because its key is not configured is listed, never passed silently.
"""

from __future__ import annotations

import hmac
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings

from .checkpoints import Checkpoint, checkpoint_dir, read_checkpoints
from .models import AuditEvent
from .restores import RestoreAnchor, read_restore_anchors
from .services import DEFAULT_CHAIN, GENESIS_HASH


@dataclass(frozen=True)
class ChainBreak:
    event_id: int | None
    problem: str

    def __str__(self) -> str:
        return f"audit event #{self.event_id} {self.problem}" if self.event_id else self.problem


@dataclass
class Verification:
    events: int = 0
    chains: int = 0
    breaks: list[ChainBreak] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)  # a key is missing
    checkpoints_used: int = 0
    newest_checkpoint: datetime | None = None
    restores: list[str] = field(default_factory=list)  # restores the anchors explain


@dataclass
class _Unkeyed:
    key_id: str
    first_id: int
    last_id: int
    count: int = 1


def _named(checkpoint: Checkpoint) -> str:
    return f"{checkpoint.where} ({checkpoint.at:%Y-%m-%d %H:%M} UTC)"


def _checked_checkpoints(report: Verification, keys: dict[str, str]) -> list[Checkpoint]:
    found, problems = read_checkpoints()
    report.breaks.extend(ChainBreak(None, p) for p in problems)
    usable = []
    for checkpoint in found:
        secret = keys.get(checkpoint.key_id)
        if secret is None:
            report.unchecked.append(
                f"checkpoint {_named(checkpoint)} was signed "
                f"with key {checkpoint.key_id!r}, which is not configured: not used"
            )
        elif not hmac.compare_digest(checkpoint.expected_signature(secret), checkpoint.signature):
            report.breaks.append(
                ChainBreak(
                    None,
                    f"checkpoint {checkpoint.where}: its signature does not match "
                    "(the checkpoint was forged or edited)",
                )
            )
        else:
            usable.append(checkpoint)
    report.checkpoints_used = len(usable)
    report.newest_checkpoint = max((c.at for c in usable), default=None)
    return usable


def _checked_anchors(report: Verification, keys: dict[str, str]) -> list[RestoreAnchor]:
    found, problems = read_restore_anchors()
    report.breaks.extend(ChainBreak(None, p) for p in problems)
    usable = []
    for anchor in found:
        secret = keys.get(anchor.key_id)
        if secret is None:
            report.unchecked.append(
                f"restore anchor {anchor.where} was signed with key {anchor.key_id!r}, which "
                "is not configured: not used"
            )
        elif not hmac.compare_digest(anchor.expected_signature(secret), anchor.signature):
            report.breaks.append(
                ChainBreak(
                    None,
                    f"restore anchor {anchor.where}: its signature does not match (the anchor "
                    "was forged or edited)",
                )
            )
        else:
            usable.append(anchor)
    return usable


def _explained_by_restores(
    report: Verification, checkpoints: list[Checkpoint], anchors: list[RestoreAnchor]
) -> list[Checkpoint]:
    """The checkpoints without what a restore explains (positions after the backup,
    recorded before the restore); each restore is reported with what it explains."""
    explained: dict[int, int] = defaultdict(int)  # anchor index -> positions explained
    kept = []
    for checkpoint in checkpoints:
        chains = {}
        for chain, (seq, digest) in checkpoint.chains.items():
            why = next(
                (i for i, a in enumerate(anchors) if a.explains(checkpoint, chain, seq)), None
            )
            if why is None:
                chains[chain] = (seq, digest)
            else:
                explained[why] += 1
        kept.append(
            Checkpoint(
                checkpoint.at, checkpoint.key_id, chains, checkpoint.signature, checkpoint.where
            )
        )
    for index, anchor in enumerate(anchors):
        lost = (
            f"; {explained[index]} checkpoint record(s) from before the restore name events "
            "after the backup, lost with the restore"
            if explained[index]
            else ""
        )
        report.restores.append(anchor.describe() + lost)
    return kept


def verify_chains(
    batch_size: int = 2000, pending: list[RestoreAnchor] | None = None
) -> Verification:
    """``pending``: the anchor a restore is about to write, once the chains verify with it."""
    report = Verification()
    keys = {str(k): str(s) for k, s in settings.NEEDLEPOINT_AUDIT_KEYS}
    checkpoints = _checked_checkpoints(report, keys)
    anchors = _checked_anchors(report, keys) + list(pending or [])
    # An anchor is checked like a checkpoint, and a later restore explains an earlier
    # anchor as it explains a checkpoint (restoring an older backup a second time).
    checkpoints += [anchor.as_checkpoint() for anchor in anchors]
    checkpoints = _explained_by_restores(report, checkpoints, anchors)
    walk = _Walk(report, keys, checkpoints)
    for event in AuditEvent.objects.order_by("chain", "seq").iterator(chunk_size=batch_size):
        walk.row(event)
    _report_shortened_chains(report, checkpoints, walk.lengths)
    for (name, key_id), span in walk.unkeyed.items():
        report.unchecked.append(
            f"{span.count} event(s) of chain {name!r} (#{span.first_id} to #{span.last_id}) were "
            f"hashed with key {key_id!r}, which is not configured: their contents were not "
            "checked (add the key as a retired key, see docs/operations.md)"
        )
    if walk.legacy_end > walk.vouched[DEFAULT_CHAIN]:
        report.unchecked.append(
            f"positions 1-{walk.legacy_end} of chain 'default' predate keyed hashing and no "
            "checkpoint vouches for them: run `needlepoint audit checkpoint` once you trust them"
        )
    return report


class _Walk:
    """Reads the rows of every chain in position order, noting each break."""

    def __init__(
        self, report: Verification, keys: dict[str, str], checkpoints: list[Checkpoint]
    ) -> None:
        self.report, self.keys = report, keys
        # (chain, position) -> what each checkpoint says stood there.
        self.expected: dict[tuple[str, int], list[tuple[str, Checkpoint]]] = defaultdict(list)
        for checkpoint in checkpoints:
            for chain, (seq, digest) in checkpoint.chains.items():
                self.expected[(chain, seq)].append((digest, checkpoint))
        self.lengths: dict[str, int] = {}
        self.vouched: dict[str, int] = defaultdict(int)  # longest length a checkpoint confirms
        self.unkeyed: dict[tuple[str, str], _Unkeyed] = {}
        self.legacy_end = 0
        self.chain, self.position, self.prev_hash, self.keyed_seen = "", 0, GENESIS_HASH, False

    def broken(self, event: AuditEvent, problem: str) -> None:
        self.report.breaks.append(ChainBreak(event.pk, problem))

    def row(self, event: AuditEvent) -> None:
        self.report.events += 1
        if event.chain != self.chain:
            self.chain, self.position, self.prev_hash = event.chain, 0, GENESIS_HASH
            self.keyed_seen = False
            self.report.chains += 1
        self._link(event)
        self._contents(event)
        self._checkpoints(event)
        self.position, self.prev_hash = event.seq, event.hash
        self.lengths[self.chain] = event.seq

    def _link(self, event: AuditEvent) -> None:
        if event.seq != self.position + 1:
            lost = range(self.position + 1, event.seq)
            missing = (
                f"{lost[0]}-{lost[-1]}" if len(lost) > 1 else str(lost[0] if lost else event.seq)
            )
            self.broken(
                event,
                f"does not link to the row before it: position {missing} of chain "
                f"{self.chain!r} is missing (rows were removed)",
            )
        elif event.prev_hash != self.prev_hash:
            self.broken(event, "does not link to the row before it (a row was removed or replaced)")

    def _contents(self, event: AuditEvent) -> None:
        if not event.key_id:
            if self.chain != DEFAULT_CHAIN or self.keyed_seen:
                self.broken(
                    event, "has no keyed hash where one is required (rewritten without the key)"
                )
            if self.chain == DEFAULT_CHAIN:
                self.legacy_end = event.seq
            if event.compute_hash(None) != event.hash:
                self.broken(event, "its contents do not match its hash (the row was changed)")
            return
        self.keyed_seen = True
        secret = self.keys.get(event.key_id)
        if secret is None:
            span = self.unkeyed.get((self.chain, event.key_id))
            if span is None:
                self.unkeyed[(self.chain, event.key_id)] = _Unkeyed(
                    event.key_id, event.pk, event.pk
                )
            else:
                span.last_id, span.count = event.pk, span.count + 1
        elif not hmac.compare_digest(event.compute_hash(secret), event.hash):
            self.broken(
                event,
                "its contents do not match its keyed hash (the row was changed, or rewritten "
                "by someone without the key)",
            )

    def _checkpoints(self, event: AuditEvent) -> None:
        for digest, checkpoint in self.expected.get((self.chain, event.seq), []):
            if digest == event.hash:
                self.vouched[self.chain] = max(self.vouched[self.chain], event.seq)
            else:
                self.broken(
                    event,
                    f"differs from checkpoint {_named(checkpoint)}, which recorded hash "
                    f"{digest[:12]}… at position {event.seq} of chain {self.chain!r} "
                    "(history was rewritten)",
                )


def _report_shortened_chains(
    report: Verification, checkpoints: list[Checkpoint], lengths: dict[str, int]
) -> None:
    longest: dict[str, Checkpoint] = {}
    for checkpoint in checkpoints:
        for chain, (seq, _) in checkpoint.chains.items():
            if chain not in longest or seq > longest[chain].chains[chain][0]:
                longest[chain] = checkpoint
    for chain, checkpoint in sorted(longest.items()):
        recorded, has = checkpoint.chains[chain][0], lengths.get(chain, 0)
        if recorded > has:
            what = f"the table has {has}" if has else "the table has none of them"
            emptied = "" if has else " (the table was emptied)"
            report.breaks.append(
                ChainBreak(
                    None,
                    (
                        f"audit chain {chain!r}: checkpoint {checkpoint.where} "
                        f"({checkpoint.at:%Y-%m-%d %H:%M} UTC) recorded {recorded} events, {what}: "
                        f"the newest events were deleted{emptied}"
                    ),
                )
            )


def no_checkpoint_warning() -> str:
    return (
        f"no checkpoints in {checkpoint_dir()}: deleting the newest events or emptying the "
        "table would not show; run `needlepoint audit checkpoint` (the periodic job writes "
        "them too)"
    )
