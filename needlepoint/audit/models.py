"""The append-only audit trail: one table of several chains (one per location or other key
the caller names); each row carries its position in its chain and the keyed hash (HMAC) of
the row before it, so a changed, removed or rewritten row shows (docs/operations.md, Audit).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from django.db import models


class AppendOnlyError(Exception):
    pass


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("audit events are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events are append-only")


class AuditEvent(models.Model):
    class Outcome(models.TextChoices):
        ALLOWED = "allowed"
        DENIED = "denied"

    occurred_at = models.DateTimeField(db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_username = models.CharField(max_length=150, blank=True)
    actor_role = models.CharField(max_length=32, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64, blank=True)
    patient_id = models.CharField(max_length=64, blank=True, db_index=True)
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    channel = models.CharField(max_length=16)
    via = models.CharField(max_length=64, blank=True)
    ip = models.CharField(max_length=64, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    # Codes only (rule codes, field names, reasons): never patient values.
    detail = models.JSONField(default=dict, blank=True)
    # The chain this row belongs to and its position in it (1, 2, ...): appends to different
    # chains take different locks; a gap in positions is a removed row.
    chain = models.CharField(max_length=64, default="default")
    seq = models.BigIntegerField()
    # Which HMAC key hashed the row; "" marks rows written before keyed hashing (plain
    # SHA-256, trusted only as far as a checkpoint vouches for them).
    key_id = models.CharField(max_length=16, blank=True, default="")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["patient_id", "action"])]
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="audit_event_chain_position")
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id} ({self.outcome})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None or not self._state.adding:
            raise AppendOnlyError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events are append-only")

    def _fields(self) -> list[Any]:
        return [
            self.prev_hash,
            self.occurred_at.isoformat(),
            self.actor_id,
            self.actor_username,
            self.actor_role,
            self.action,
            self.object_type,
            self.object_id,
            self.patient_id,
            self.outcome,
            self.channel,
            self.via,
            self.ip,
            self.request_id,
            self.detail,
        ]

    def canonical(self) -> str:
        """What the keyed hash covers: the row's place (chain, position, key) and contents."""
        fields = ["v2", self.chain, self.seq, self.key_id, *self._fields()]
        return json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)

    def legacy_canonical(self) -> str:
        """What the unkeyed hash of a row from before keyed hashing covered."""
        return json.dumps(self._fields(), sort_keys=True, separators=(",", ":"), default=str)

    def compute_hash(self, secret: str | None) -> str:
        """HMAC-SHA256 under the row's key; plain SHA-256 for a legacy row (no key id)."""
        if not self.key_id:
            return hashlib.sha256(self.legacy_canonical().encode()).hexdigest()
        if secret is None:
            raise ValueError(f"audit key {self.key_id!r} is not configured")
        return hmac.new(secret.encode(), self.canonical().encode(), hashlib.sha256).hexdigest()
