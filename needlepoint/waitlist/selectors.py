"""Reads for the waitlist."""

from __future__ import annotations

from needlepoint.accounts.models import User
from needlepoint.audit.services import Target, record_many

from .models import WaitlistEntry


def waiting_entries(*, actor: User, limit: int = 200) -> list[WaitlistEntry]:
    """Waiting entries, oldest first; each patient shown is one audited read."""
    items = list(
        WaitlistEntry.objects.select_related(
            "patient", "service", "location", "staff", "appointment"
        )
        .filter(status=WaitlistEntry.Status.WAITING)
        .order_by("created_at", "id")[:limit]
    )
    if items:
        record_many(
            actor=actor,
            action="waitlist.read",
            targets=[Target("waitlist_entry", str(e.pk), str(e.patient_id)) for e in items],
        )
    return items
