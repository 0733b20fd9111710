"""Writing audit events. Every service that reads or writes patient data calls ``record``.

The chain: each row stores the hash of the row before it. Appends are serialised (an
advisory lock on PostgreSQL; SQLite's IMMEDIATE transactions already admit one writer), so
the chain never forks even with many app processes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import connection, transaction
from django.utils import timezone

from .context import current_origin
from .models import AuditEvent

GENESIS_HASH = "0" * 64
_LOCK_KEY = 724_113_001  # arbitrary, fixed: identifies "the audit chain" advisory lock


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


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


def record_many(
    *,
    actor: Actor | None,
    action: str,
    targets: Iterable[Target],
    outcome: str = AuditEvent.Outcome.ALLOWED,
    detail: Mapping[str, Any] | None = None,
) -> list[AuditEvent]:
    """Append one event per target, in order, in one transaction."""
    origin = current_origin()
    events = []
    with transaction.atomic():
        _lock_chain()
        prev = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        prev_hash = prev or GENESIS_HASH
        for target in targets:
            event = AuditEvent(
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
            event.hash = event.compute_hash()
            event.save()
            prev_hash = event.hash
            events.append(event)
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
) -> AuditEvent:
    target = Target(object_type, str(object_id or ""), str(patient_id or ""))
    return record_many(
        actor=actor, action=action, targets=[target], outcome=outcome, detail=detail
    )[0]


def record_denied(
    *,
    actor: Actor | None,
    action: str,
    object_type: str,
    object_id: Any = "",
    patient_id: Any = "",
    reason: str = "",
) -> AuditEvent:
    return record(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        patient_id=patient_id,
        outcome=AuditEvent.Outcome.DENIED,
        detail={"reason": reason} if reason else None,
    )
