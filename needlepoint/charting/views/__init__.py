"""Treatment-day pages (staff): the day itself, charts, the co-signature queue, the timeline,
adverse events and cartridge stock."""

from .charts import chart_detail, cosign_queue, patient_timeline
from .recalls import recall
from .reports import adverse_event_new, adverse_event_report, inventory
from .treatment_day import treatment_day

__all__ = [
    "adverse_event_new",
    "adverse_event_report",
    "chart_detail",
    "cosign_queue",
    "inventory",
    "patient_timeline",
    "recall",
    "treatment_day",
]
