"""Treatment models: plans and their sessions (the treatment day is in `charting`)."""

from .plans import PlanSession, TreatmentPlan

__all__ = ["PlanSession", "TreatmentPlan"]
