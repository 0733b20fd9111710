from __future__ import annotations

from typing import Any

from .models import TreatmentPlan
from .selectors import maintenance_due_estimate


def plan_payload(plan: TreatmentPlan) -> dict[str, Any]:
    sessions = sorted(plan.plan_sessions.all(), key=lambda s: s.index)
    return {
        "id": plan.pk,
        "patient": plan.patient_id,
        "consultation": plan.consultation_id,
        "status": plan.status,
        "protocol_version": plan.protocol_version,
        "sessions": plan.sessions,
        "interval_weeks": plan.interval_weeks,
        "maintenance_months": plan.maintenance_months,
        "zones": plan.zones,
        "precautions": plan.precautions,
        "notes": plan.notes,
        "overrides": plan.overrides,
        "recommendation": plan.recommendation,
        "course": [
            {"index": s.index, "status": s.status, "booked_for": s.booked_for, "done_on": s.done_on}
            for s in sessions
        ],
        "maintenance_due": plan.maintenance_due,
        "maintenance_due_estimate": maintenance_due_estimate(plan, sessions),
        "created_by": plan.created_by.username,
        "created_at": plan.created_at,
    }
