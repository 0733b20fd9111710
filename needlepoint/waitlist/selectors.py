"""Reads for the waitlist."""

from __future__ import annotations

from needlepoint.accounts.models import User
from needlepoint.audit.services import Target, record_many
from needlepoint.core.errors import NotFound

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


def waiting_page(*, limit: int, offset: int) -> tuple[list[WaitlistEntry], int]:
    """One page of waiting entries for the API, and how many there are."""
    query = WaitlistEntry.objects.select_related("service", "location", "staff").filter(
        status=WaitlistEntry.Status.WAITING
    )
    return list(query[offset : offset + limit]), query.count()


def entry_for(*, actor: User, entry_id: int) -> WaitlistEntry:
    """One entry: staff any, a patient only their own (anyone else: 404)."""
    query = WaitlistEntry.objects.select_related("service", "location", "staff").filter(pk=entry_id)
    if not actor.is_clinic_staff:
        query = query.filter(patient__user=actor)
    entry = query.first()
    if entry is None:
        raise NotFound("no such waitlist entry")
    return entry
