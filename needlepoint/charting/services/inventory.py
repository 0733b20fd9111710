"""Receiving cartridge stock."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from needlepoint.accounts.models import User
from needlepoint.audit.services import record
from needlepoint.clinic.clock import clinic_today, local_date
from needlepoint.clinic.models import CartridgeLot, Location
from needlepoint.domain import charting

from ..models import CartridgeReceipt
from .common import RuleRefused, _conflict

# --- Inventory -------------------------------------------------------------------------


def cartridge_receive(
    *,
    actor: User | None,
    product: str,
    ref: str,
    lot: str,
    expiry: date,
    quantity: int,
    location: Location | None = None,
    now: datetime | None = None,
) -> CartridgeLot:
    """Receive stock of a lot; an already expired lot is refused."""
    problems: list[tuple[str, str, str]] = []
    for field, value in (("product", product), ("ref", ref), ("lot", lot)):
        if not (value or "").strip():
            problems.append((field, "FIELD_REQUIRED", "is required"))
        elif len(value.strip()) > (120 if field == "product" else 64):
            problems.append((field, "VALUE_INVALID", "is too long"))
    if quantity < 1 or quantity > 100_000:
        problems.append(("quantity", "QUANTITY_INVALID", "must be between 1 and 100000"))
    today = clinic_today(location, now=now)
    refusal = charting.receipt_refusal(expiry, max(quantity, 1), today)
    if refusal is not None:
        problems.append(("expiry", refusal.rule, refusal.message))
    if problems:
        raise RuleRefused(problems)
    where = location or Location.objects.order_by("pk").first()
    if where is None:
        raise _conflict("NO_LOCATION", "Set up a clinic location first.")
    when = now or timezone.now()
    with transaction.atomic():
        existing = (
            CartridgeLot.objects.select_for_update(of=("self",))
            .filter(location=where, ref=ref.strip(), lot=lot.strip())
            .first()
        )
        if existing is not None and existing.expiry != expiry:
            raise _conflict(
                charting.LOT_EXISTS_OTHER_EXPIRY,
                f"Lot {lot} is on record with expiry {existing.expiry.isoformat()}; "
                "check the label.",
            )
        if existing is None:
            existing = CartridgeLot.objects.create(
                location=where,
                product=product.strip(),
                ref=ref.strip(),
                lot=lot.strip(),
                expiry=expiry,
                quantity_received=quantity,
                received_on=local_date(where, when),
            )
        else:
            existing.quantity_received += quantity
            existing.save(update_fields=["quantity_received"])
        CartridgeReceipt.objects.create(
            lot=existing, quantity=quantity, received_by=actor, received_at=when
        )
        record(
            actor=actor,
            action="inventory.receive",
            object_type="cartridge_lot",
            object_id=existing.pk,
            detail={"lot": existing.lot, "quantity": quantity},
        )
    return existing
