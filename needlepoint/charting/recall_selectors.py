"""Reads for the recall page: every session a cartridge lot or a pen touched, as rows a
person reads and as the CSV a clinic sends on (docs/decisions/0474-recall-page.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from needlepoint.accounts.models import User
from needlepoint.clinic.models import CartridgeLot, Device

from . import selectors as sel
from .models import SessionChart
from .wording import day, staff_name

RECALL_CSV_COLUMNS = (
    "Session date",
    "Location",
    "Patient",
    "Email",
    "Phone",
    "Cartridge lot",
    "Cartridge REF",
    "Pen",
    "Pen serial number",
    "Operator",
    "Chart",
)


@dataclass(frozen=True)
class RecallChoices:
    lots: list[tuple[str, str]]
    pens: list[tuple[str, str]]


def recall_choices() -> RecallChoices:
    """The lots and pens one can recall by, named as on the labels (lot, REF; pen serial)."""
    lots = [
        (lot.lot, f"{lot.lot} ({lot.product}, REF {lot.ref})")
        for lot in CartridgeLot.objects.order_by("lot", "ref").only("lot", "ref", "product")
    ]
    pens = [
        (device.slug, f"{device.serial_number} ({device.model_name})")
        for device in Device.objects.order_by("serial_number").only(
            "slug", "serial_number", "model_name"
        )
    ]
    return RecallChoices(list(dict.fromkeys(lots)), pens)


def recall_rows(*, actor: User, lot: str = "", device: str = "") -> list[SessionChart]:
    """The audited recall read (one event per affected patient), see ``selectors.recall``."""
    return sel.recall(actor=actor, lot=lot, device=device)


def recall_csv_row(chart: SessionChart) -> dict[str, Any]:
    return {
        "Session date": day(chart.session_date),
        "Location": chart.appointment.location.name,
        "Patient": chart.patient.full_name,
        "Email": chart.patient.email,
        "Phone": chart.patient.phone,
        "Cartridge lot": chart.cartridge_lot.lot,
        "Cartridge REF": chart.cartridge_lot.ref,
        "Pen": chart.device.model_name,
        "Pen serial number": chart.device.serial_number,
        "Operator": staff_name(chart.operator),
        "Chart": chart.pk,
    }


__all__ = ["RECALL_CSV_COLUMNS", "recall_choices", "recall_csv_row", "recall_rows"]
