"""Treatment day writes: consent, the day-of check, the session chart, signature,
co-signature, amendments, adverse events and receiving cartridge stock.

Each service owns its transaction, refuses with a rule code (``RuleRefused`` for values
that can never be accepted: 422; ``Conflict(code=rule)`` for the state of things: 409) and
writes its audit event in the same transaction. The rules are in needlepoint.domain.charting.
"""

from .adverse_events import adverse_event_record
from .charts import ChartInput, chart_save
from .common import RuleRefused, rebook_offer
from .consent import consent_sign
from .day_of import day_of_answers, day_of_check_record
from .inventory import cartridge_receive
from .signing import baseline_photos_missing, chart_amend, chart_cosign, chart_sign

__all__ = [
    "ChartInput",
    "RuleRefused",
    "adverse_event_record",
    "baseline_photos_missing",
    "cartridge_receive",
    "chart_amend",
    "chart_cosign",
    "chart_save",
    "chart_sign",
    "consent_sign",
    "day_of_answers",
    "day_of_check_record",
    "rebook_offer",
]
