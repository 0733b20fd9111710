from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class Patient(models.Model):
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=32, blank=True)
    # The phone's digits alone, kept by save(): "(555) 010-1234" is found by typing 5550101234.
    phone_digits = models.CharField(max_length=32, blank=True, db_index=True, editable=False)
    # The portal login, when the patient has one.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="patient",
    )
    # A record merged into another (the same person registered twice) stays as a tombstone:
    # hidden from search, its old address leads to the record it was merged into.
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_records",
    )
    merged_at = models.DateTimeField(null=True, blank=True)
    # The patient's erasure request was carried out (docs/retention.md): contact details and
    # portal login are gone, clinical records stay for the retention period.
    erased_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        indexes = [models.Index(fields=["family_name", "given_name"])]

    def __str__(self) -> str:
        return f"Patient #{self.pk}"  # names stay out of logs and admin change messages

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.phone_digits = digits_of(self.phone)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "phone" in update_fields:
            kwargs["update_fields"] = {*update_fields, "phone_digits"}
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


def digits_of(text: str) -> str:
    """The digits of a phone number as typed, punctuation and spaces left out."""
    return re.sub(r"[^0-9]", "", text or "")
