"""A patient's request, from the portal, that the clinic erase their personal data."""

from __future__ import annotations

from django.db import models


class ErasureRequest(models.Model):
    """Recorded for the clinic admin to act on (the erasure itself is theirs to carry out,
    because the clinic decides what the law makes it keep). ``done_at`` is set by the
    erasure."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="erasure_requests"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=models.Q(done_at__isnull=True),
                name="privacy_erasurerequest_one_open",
            )
        ]

    def __str__(self) -> str:
        return f"Erasure request #{self.pk}"
