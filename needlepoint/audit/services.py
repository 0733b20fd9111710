"""Writing audit events. Every service that reads or writes patient data calls ``record``.

The chains: each row stores its chain, its position and the keyed hash of the row before it
in that chain. Appends to one chain are serialised (an advisory lock per chain on
PostgreSQL; SQLite's IMMEDIATE transactions already admit one writer), so a chain never
forks even with many app processes, while appends to different chains (locations) never
wait for each other. The caller names the chain (``chain="location:3"``); the audit app
imports no other app, so it cannot work it out itself.

A transaction holds at most one chain lock: once it has appended to a chain, its later
events join that chain, whatever they name. Two transactions taking two chain locks in
opposite orders would otherwise deadlock.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .context import current_origin
from .models import AuditEvent

GENESIS_HASH = "0" * 64
DEFAULT_CHAIN = "default"
_LOCK_KEY = 724_113_001  # arbitrary, fixed: the advisory-lock class of "an audit chain"


def location_chain(location_id: int) -> str:
    """The chain of one location's events: bookings at two locations never share a lock."""
    return f"location:{location_id}"


class Actor(Protocol):
    pk: Any
    username: str


@dataclass(frozen=True)
class Target:
    object_type: str
    object_id: str = ""
    patient_id: str = ""


def _actor_fields(actor: Actor | None) -> dict[str, Any]:
    if actor is None or getattr(actor, "pk", None) is None:
        return {"actor_id": None, "actor_username": "", "actor_role": ""}
    return {
        "actor_id": actor.pk,
        "actor_username": actor.username,
        "actor_role": str(getattr(actor, "role", "")),
    }


def signing_key() -> tuple[str, str]:
    """(key id, secret) of the key that signs new events and checkpoints."""
    key_id, secret = settings.NEEDLEPOINT_AUDIT_KEYS[0]
    return str(key_id), str(secret)


def chain_lock_id(chain: str) -> int:
    """A stable signed 32-bit number for the chain (the second half of its advisory lock)."""
    value = zlib.crc32(chain.encode())
    return value - (1 << 32) if value >= (1 << 31) else value


class _ChainHeld:
    """Registered as an on-commit hook: present in the connection's hooks exactly while the
    transaction that took the chain's lock is open (Django drops it on commit or rollback)."""

    def __init__(self, chain: str) -> None:
        self.chain = chain

    def __call__(self) -> None:
        pass


def _chain_of_this_transaction(requested: str) -> str:
    connection = transaction.get_connection()
    held = getattr(connection, "_audit_chain_held", None)
    if held is not None and any(hook is held for _, hook, _ in connection.run_on_commit):
        return str(held.chain)
    chain = requested or DEFAULT_CHAIN
    if len(chain) > 64:
        raise ValueError(f"an audit chain key has at most 64 characters: {chain[:70]!r}")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            lock = [_LOCK_KEY, chain_lock_id(chain)]
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", lock)
    marker = _ChainHeld(chain)
    connection._audit_chain_held = marker  # type: ignore[union-attr]
    transaction.on_commit(marker)
    return chain


def chain_take(chain: str) -> None:
    """Take the chain's lock now, before this transaction's events are written, for a write
    that must see every earlier write of the chain committed: a booking re-checking its
    location's calendar waits here instead of racing the others (decision 0691). Held until
    the transaction ends; the transaction's events join this chain."""
    _chain_of_this_transaction(chain)


def record_many(
    *,
    actor: Actor | None,
    action: str,
    targets: Iterable[Target],
    outcome: str = AuditEvent.Outcome.ALLOWED,
    detail: Mapping[str, Any] | None = None,
    chain: str = "",
) -> list[AuditEvent]:
    """Append one event per target, in order, in one transaction, to the chain named (the
    default chain when none is), with one INSERT."""
    origin = current_origin()
    key_id, secret = signing_key()
    events = []
    with transaction.atomic():
        chain = _chain_of_this_transaction(chain)
        head = (
            AuditEvent.objects.filter(chain=chain)
            .order_by("-seq")
            .values_list("seq", "hash")
            .first()
        )
        seq, prev_hash = head or (0, GENESIS_HASH)
        for target in targets:
            seq += 1
            event = AuditEvent(
                chain=chain,
                seq=seq,
                key_id=key_id,
                occurred_at=timezone.now(),
                action=action,
                object_type=target.object_type,
                object_id=str(target.object_id),
                patient_id=str(target.patient_id or ""),
                outcome=outcome,
                channel=origin.channel,
                via=origin.via,
                ip=origin.ip,
                request_id=origin.request_id,
                detail=dict(detail or {}),
                prev_hash=prev_hash,
                **_actor_fields(actor),
            )
            event.hash = event.compute_hash(secret)
            prev_hash = event.hash
            events.append(event)
        # One INSERT for the whole list (a page of 20 patients is 20 events): the hashes
        # chain in memory, so the rows need not be written one by one.
        AuditEvent.objects.bulk_create(events)
    return events


def record(
    *,
    actor: Actor | None,
    action: str,
    object_type: str,
    object_id: Any = "",
    patient_id: Any = "",
    outcome: str = AuditEvent.Outcome.ALLOWED,
    detail: Mapping[str, Any] | None = None,
    chain: str = "",
) -> AuditEvent:
    target = Target(object_type, str(object_id or ""), str(patient_id or ""))
    return record_many(
        actor=actor, action=action, targets=[target], outcome=outcome, detail=detail, chain=chain
    )[0]


def record_denied(
    *,
    actor: Actor | None,
    action: str,
    object_type: str,
    object_id: Any = "",
    patient_id: Any = "",
    reason: str = "",
    detail: Mapping[str, Any] | None = None,
    chain: str = "",
) -> AuditEvent:
    return record(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        patient_id=patient_id,
        outcome=AuditEvent.Outcome.DENIED,
        detail={**({"reason": reason} if reason else {}), **(detail or {})},
        chain=chain,
    )
