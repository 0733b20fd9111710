"""Step 5: adverse events recorded against a session chart."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from needlepoint.accounts.models import User
from needlepoint.audit.services import record
from needlepoint.clinic.clock import clinic_today
from needlepoint.domain import charting

from ..models import AdverseEvent, SessionChart
from .common import RuleRefused

# --- 5. Adverse events -----------------------------------------------------------------


def adverse_event_record(
    *,
    actor: User,
    chart: SessionChart,
    kind: str,
    severity: str,
    onset: date,
    outcome: str,
    description: str = "",
    actions: str = "",
    now: datetime | None = None,
) -> AdverseEvent:
    problems: list[tuple[str, str, str]] = []
    for field, value, allowed in (
        ("kind", kind, charting.ADVERSE_EVENT_KINDS),
        ("severity", severity, charting.ADVERSE_EVENT_SEVERITIES),
        ("outcome", outcome, charting.ADVERSE_EVENT_OUTCOMES),
    ):
        if value not in allowed:
            problems.append((field, "VALUE_INVALID", f"must be one of {', '.join(allowed)}"))
    if onset < chart.session_date:
        problems.append(("onset", "ONSET_BEFORE_SESSION", "cannot be before the session"))
    if onset > clinic_today(chart.appointment.location, now=now):
        problems.append(("onset", "ONSET_IN_FUTURE", "cannot be in the future"))
    if kind == "other" and not (description or "").strip():
        problems.append(("description", "DESCRIPTION_REQUIRED", "describe an 'other' event"))
    if problems:
        raise RuleRefused(problems)
    with transaction.atomic():
        event = AdverseEvent.objects.create(
            patient_id=chart.patient_id,
            chart=chart,
            kind=kind,
            severity=severity,
            onset=onset,
            outcome=outcome,
            description=(description or "").strip(),
            actions=(actions or "").strip(),
            recorded_by=actor,
            recorded_at=now or timezone.now(),
        )
        record(
            actor=actor,
            action="adverse_event.record",
            object_type="adverse_event",
            object_id=event.pk,
            patient_id=chart.patient_id,
            detail={"kind": kind, "severity": severity, "chart": chart.pk},
        )
    return event
