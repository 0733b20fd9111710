from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models

from .roles import Role, is_staff_role, role_may


def new_public_id() -> str:
    """128 random bits: names a staff member to the public without revealing the sign-in
    name, and cannot be listed or guessed (docs/decisions/0261-public-staff-ids.md)."""
    return secrets.token_urlsafe(16)


class User(AbstractUser):
    role = models.CharField(max_length=32, choices=Role.choices, default=Role.PATIENT)
    public_id = models.CharField(max_length=32, unique=True, default=new_public_id, editable=False)

    @property
    def is_clinic_staff(self) -> bool:
        return is_staff_role(self.role)

    def may(self, capability: str) -> bool:
        return self.is_active and role_may(self.role, capability)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def public_name(self) -> str:
        """The name patients and the public read: never the sign-in name."""
        return self.get_full_name() or self.get_role_display()


class ApiToken(models.Model):
    """A bearer token. Only its SHA-256 is stored: tokens carry 256 bits of randomness, so a
    slow hash adds nothing, and a fast one keeps every API request cheap."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    prefix = models.CharField(max_length=16, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        state = "revoked" if self.revoked_at else "active"
        return f"{self.prefix}… for {self.user.username} ({state})"

    @staticmethod
    def hash_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()
