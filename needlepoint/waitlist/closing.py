"""Closing waitlist entries whose appointment is no longer booked (docs/decisions/0211).

The booking core sends ``scheduling.signals.appointment_closed`` in the same transaction as a
cancellation (or a no-show or a completed visit); ``WaitlistConfig.ready`` connects
``on_appointment_closed`` to it, so an entry never outlives the appointment it was to move
and the booking core imports nothing from the waitlist (docs/decisions/0318).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from needlepoint.audit.services import record

from .models import WaitlistEntry


def waitlist_close_for_appointment(*, actor: Any, appointment: Any) -> int:
    """Close the waiting entries that would move ``appointment``; returns how many."""
    entries = list(
        WaitlistEntry.objects.filter(
            appointment_id=appointment.pk, status=WaitlistEntry.Status.WAITING
        ).values_list("pk", "patient_id")
    )
    if not entries:
        return 0
    WaitlistEntry.objects.filter(pk__in=[pk for pk, _ in entries]).update(
        status=WaitlistEntry.Status.CLOSED, updated_at=timezone.now()
    )
    for pk, patient_id in entries:
        record(
            actor=actor,
            action="waitlist.close",
            object_type="waitlist_entry",
            object_id=pk,
            patient_id=patient_id,
            detail={"appointment": appointment.pk, "appointment_status": appointment.status},
        )
    return len(entries)


def on_appointment_closed(sender: Any, *, actor: Any, appointment: Any, **kwargs: Any) -> None:
    """Receiver of ``appointment_closed``: runs inside the booking core's transaction."""
    waitlist_close_for_appointment(actor=actor, appointment=appointment)
