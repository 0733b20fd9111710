"""What the booking core announces, so that apps above it (the waitlist) can act on it without
the core importing them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent with ``actor`` and ``appointment`` (already saved with its new status) when a booked
# appointment is cancelled, marked a no-show or completed: inside that write's transaction and
# before its audit event. Receivers run synchronously in the same transaction, so their writes
# and audit events commit or roll back with it; an exception in a receiver undoes the change.
appointment_closed = Signal()
