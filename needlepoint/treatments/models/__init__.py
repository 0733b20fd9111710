"""Treatment models, one module per topic (plans now; consent and charts later)."""

from .adverse_events import AdverseEvent as AdverseEvent
from .charts import ChartAmendment as ChartAmendment
from .charts import SessionChart as SessionChart
from .consent import ConsentSignature as ConsentSignature
from .day_of import DayOfCheck as DayOfCheck
from .inventory import CartridgeReceipt as CartridgeReceipt
from .inventory import CartridgeUse as CartridgeUse
from .plans import PlanSession, TreatmentPlan

__all__ = ["PlanSession", "TreatmentPlan"]
