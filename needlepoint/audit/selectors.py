from __future__ import annotations

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
