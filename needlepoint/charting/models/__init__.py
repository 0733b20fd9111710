"""Treatment-day models: consent, day-of checks, session charts and amendments, cartridge
stock and adverse events. They keep the tables they had in `treatments` (`Meta.db_table`)."""

from .adverse_events import AdverseEvent
from .charts import ChartAmendment, SessionChart
from .consent import ConsentSignature, ImmutableModel
from .day_of import DayOfCheck
from .inventory import CartridgeReceipt, CartridgeUse

__all__ = [
    "AdverseEvent",
    "CartridgeReceipt",
    "CartridgeUse",
    "ChartAmendment",
    "ConsentSignature",
    "DayOfCheck",
    "ImmutableModel",
    "SessionChart",
]
