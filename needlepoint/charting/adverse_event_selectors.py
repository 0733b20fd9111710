"""The adverse-event report: events by kind and severity per signed session, within the
reader's locations (moved out of selectors.py to keep it short)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from needlepoint.accounts.models import User
from needlepoint.audit.services import record
from needlepoint.clinic.access import within_reach
from needlepoint.domain import charting

from .models import AdverseEvent, SessionChart


@dataclass(frozen=True)
class AdverseEventReport:
    total: int
    sessions: int
    by_kind: list[tuple[str, dict[str, int], int]]
    severities: tuple[str, ...]


def adverse_event_report(*, actor: User) -> AdverseEventReport:
    """Events and signed sessions at the actor's locations (group-wide: the group's)."""
    record(actor=actor, action="adverse_event.report", object_type="report")
    counts: dict[str, dict[str, int]] = {
        kind: dict.fromkeys(charting.ADVERSE_EVENT_SEVERITIES, 0)
        for kind in charting.ADVERSE_EVENT_KINDS
    }
    total = 0
    events = within_reach(AdverseEvent.objects.all(), actor, field="chart__appointment__location")
    signed = SessionChart.objects.filter(status=SessionChart.Status.SIGNED)
    for row in events.values("kind", "severity").annotate(n=Count("id")):
        counts.setdefault(row["kind"], {})[row["severity"]] = row["n"]
        total += row["n"]
    return AdverseEventReport(
        total=total,
        sessions=within_reach(signed, actor, field="appointment__location").count(),
        by_kind=[(kind, sev, sum(sev.values())) for kind, sev in counts.items()],
        severities=charting.ADVERSE_EVENT_SEVERITIES,
    )
