from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import QuerySet

from .models import AuditEvent
from .services import GENESIS_HASH


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    problem: str


def audit_events(
    *, patient: str = "", action: str = "", actor: str = "", outcome: str = ""
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.all()
    if patient:
        events = events.filter(patient_id=patient)
    if action:
        events = events.filter(action=action)
    if actor:
        events = events.filter(actor_username=actor)
    if outcome:
        events = events.filter(outcome=outcome)
    return events.order_by("-id")


def chain_breaks(batch_size: int = 2000) -> Iterator[ChainBreak]:
    """Walk the chain from the first row; yield every row whose links do not hold."""
    prev_hash = GENESIS_HASH
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=batch_size):
        if event.prev_hash != prev_hash:
            yield ChainBreak(event.pk, "does not link to the row before it (a row was removed)")
        if event.compute_hash() != event.hash:
            yield ChainBreak(event.pk, "its contents do not match its hash (the row was changed)")
        prev_hash = event.hash
