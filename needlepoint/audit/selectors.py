from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db.models import QuerySet

from .models import AuditEvent


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


def audit_trail_events(
    *,
    actor_ids: Sequence[int] | None = None,
    no_actor: bool = False,
    patient_ids: Sequence[str] | None = None,
    actions: Sequence[str] = (),
    outcome: str = "",
    start: datetime | None = None,
    end: datetime | None = None,
) -> QuerySet[AuditEvent]:
    """The audit page's query, newest first: events by these people (or by no one signed
    in), about these patients, of these actions, in [start, end). ``None`` means any; an
    empty list matches nothing (a patient search that found no one)."""
    events = AuditEvent.objects.all()
    if no_actor:
        events = events.filter(actor_id__isnull=True)
    elif actor_ids is not None:
        events = events.filter(actor_id__in=list(actor_ids))
    if patient_ids is not None:
        events = events.filter(patient_id__in=list(patient_ids))
    if actions:
        events = events.filter(action__in=list(actions))
    if outcome:
        events = events.filter(outcome=outcome)
    if start is not None:
        events = events.filter(occurred_at__gte=start)
    if end is not None:
        events = events.filter(occurred_at__lt=end)
    return events.order_by("-occurred_at", "-id")
