"""Cartridge stock movements. Stock of a lot = received (CartridgeLot.quantity_received)
minus the cartridges charts used (one CartridgeUse per chart, never two)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class CartridgeReceipt(models.Model):
    """One delivery of a lot (the first creates the CartridgeLot; later ones add to it)."""

    lot = models.ForeignKey(
        "clinic.CartridgeLot", on_delete=models.PROTECT, related_name="receipts"
    )
    quantity = models.PositiveIntegerField()
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField()

    class Meta:
        db_table = "treatments_cartridgereceipt"  # kept from before the move
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="cartridge_receipt_positive"
            )
        ]

    def __str__(self) -> str:
        return f"Receipt #{self.pk}"


class CartridgeUse(models.Model):
    """The single-use cartridge a chart consumed: exactly one per chart."""

    chart = models.OneToOneField(
        "charting.SessionChart", on_delete=models.PROTECT, related_name="cartridge_use"
    )
    lot = models.ForeignKey("clinic.CartridgeLot", on_delete=models.PROTECT, related_name="uses")
    used_at = models.DateTimeField()

    class Meta:
        db_table = "treatments_cartridgeuse"  # kept from before the move
        ordering = ["-used_at", "-id"]
        indexes = [models.Index(fields=["lot"], name="cartridge_use_lot")]

    def __str__(self) -> str:
        return f"Cartridge use #{self.pk}"
