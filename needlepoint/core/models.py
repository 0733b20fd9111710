from __future__ import annotations

from django.conf import settings
from django.db import models


class IdempotencyRecord(models.Model):
    """The stored answer to a POST sent with an Idempotency-Key header."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    key = models.CharField(max_length=255)
    scope = models.CharField(max_length=255)  # method + path: keys are per endpoint
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key", "scope"], name="idempotency_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.scope} key {self.key}"


class PeriodicFiring(models.Model):
    """One periodic job's firing for one period: the unique pair (job, period start) is the
    claim, so however many workers look, one of them enqueues the job for that period
    (docs/decisions/0650-background-jobs.md)."""

    job = models.CharField(max_length=100)
    period_start = models.DateTimeField()
    fired_at = models.DateTimeField()
    task_result_id = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "period_start"], name="periodic_once_per_period")
        ]
        indexes = [models.Index(fields=["job", "-period_start"], name="periodic_latest")]

    def __str__(self) -> str:
        return f"{self.job} for the period from {self.period_start}"
