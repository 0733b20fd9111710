"""Reads for the waitlist."""

from __future__ import annotations

from needlepoint.accounts.models import User
from needlepoint.audit.services import Target, record_many
from needlepoint.clinic.access import within_reach
from needlepoint.core.errors import NotFound

from .models import WaitlistEntry


def waiting_entries(*, actor: User, limit: int = 200) -> list[WaitlistEntry]:
    """Waiting entries at the actor's locations (and those for any location), oldest first;
    each patient shown is one audited read."""
    found = WaitlistEntry.objects.select_related(
        "patient", "service", "location", "staff", "appointment"
    ).filter(status=WaitlistEntry.Status.WAITING)
    items = list(within_reach(found, actor, blank_too=True).order_by("created_at", "id")[:limit])
    if items:
        record_many(
            actor=actor,
            action="waitlist.read",
            targets=[Target("waitlist_entry", str(e.pk), str(e.patient_id)) for e in items],
        )
    return items


def waiting_page(*, actor: User, limit: int, offset: int) -> tuple[list[WaitlistEntry], int]:
    """One page of waiting entries for the API (the actor's locations and any location), and
    how many there are."""
    query = within_reach(
        WaitlistEntry.objects.select_related("service", "location", "staff").filter(
            status=WaitlistEntry.Status.WAITING
        ),
        actor,
        blank_too=True,
    )
    return list(query[offset : offset + limit]), query.count()


def entry_for(*, actor: User, entry_id: int) -> WaitlistEntry:
    """One entry: staff any at their locations (or for any location), a patient only their
    own (anyone else: 404)."""
    query = WaitlistEntry.objects.select_related("service", "location", "staff").filter(pk=entry_id)
    if not actor.is_clinic_staff:
        query = query.filter(patient__user=actor)
    query = within_reach(query, actor, blank_too=True)
    entry = query.first()
    if entry is None:
        raise NotFound("no such waitlist entry")
    return entry
