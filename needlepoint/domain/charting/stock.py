"""Cartridge stock and expiry: refusals and warnings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from needlepoint.domain.charting.rules import LOT_EXHAUSTED, LOT_EXPIRED
from needlepoint.domain.charting.steps import StepRefusal
from needlepoint.domain.errors import DomainError

# --- Stock and expiry ------------------------------------------------------------------


@dataclass(frozen=True)
class LotStock:
    lot: str
    expiry: date
    received: int
    used: int

    @property
    def remaining(self) -> int:
        return max(self.received - self.used, 0)


@dataclass(frozen=True)
class StockWarning:
    lot: str
    code: str
    message: str


LOT_EXPIRING = "LOT_EXPIRING"
LOT_LOW = "LOT_LOW"


def lot_refusal(stock: LotStock, on_date: date) -> StepRefusal | None:
    """Why a cartridge from this lot may not be used on ``on_date`` (expired or none left)."""
    if stock.expiry < on_date:
        return StepRefusal(LOT_EXPIRED, f"lot {stock.lot} expired on {stock.expiry.isoformat()}")
    if stock.remaining <= 0:
        return StepRefusal(LOT_EXHAUSTED, f"lot {stock.lot} has no cartridges left in stock")
    return None


def receipt_refusal(expiry: date, quantity: int, on_date: date) -> StepRefusal | None:
    if quantity < 1:
        raise DomainError("a receipt must have at least one cartridge", code="QUANTITY_INVALID")
    if expiry < on_date:
        return StepRefusal(
            LOT_EXPIRED, f"the lot expired on {expiry.isoformat()}; expired stock is not received"
        )
    return None


def stock_warnings(
    lots: Iterable[LotStock], on_date: date, *, expiry_days: int, low_threshold: int
) -> list[StockWarning]:
    """Warnings for lots still in stock: expired, expiring within ``expiry_days``, or low."""
    warnings: list[StockWarning] = []
    horizon = on_date + timedelta(days=expiry_days)
    for stock in lots:
        if stock.remaining <= 0:
            continue
        if stock.expiry < on_date:
            warnings.append(
                StockWarning(
                    stock.lot,
                    LOT_EXPIRED,
                    f"lot {stock.lot} expired on {stock.expiry.isoformat()}: "
                    f"{stock.remaining} left to discard",
                )
            )
            continue
        if stock.expiry <= horizon:
            warnings.append(
                StockWarning(
                    stock.lot,
                    LOT_EXPIRING,
                    f"lot {stock.lot} expires on {stock.expiry.isoformat()} "
                    f"({(stock.expiry - on_date).days} days)",
                )
            )
        if stock.remaining <= low_threshold:
            warnings.append(
                StockWarning(stock.lot, LOT_LOW, f"lot {stock.lot}: only {stock.remaining} left")
            )
    return warnings


def usable_stock(lots: Iterable[LotStock], on_date: date) -> int:
    return sum(s.remaining for s in lots if s.expiry >= on_date)
