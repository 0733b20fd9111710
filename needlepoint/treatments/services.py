"""Writes: treatment plans and the status of their sessions.

``plan_session_mark`` is the entry point booking uses to mark a plan's sessions booked or
done; it does no role check of its own (booking checks its own capability) but audits.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import transaction

from needlepoint.accounts.models import User
from needlepoint.audit.services import record
from needlepoint.clinic.clock import clinic_today
from needlepoint.core.errors import Conflict, Forbidden, InvalidInput, NotFound, Problems
from needlepoint.domain.protocols import (
    GradedConcern,
    ProtocolTable,
    Recommendation,
    add_months,
    recommend,
)
from needlepoint.screening import clinic_data
from needlepoint.screening.models import Consultation
from needlepoint.screening.selectors import current_state

from .models import PlanSession, TreatmentPlan

COUNT_FIELDS = {
    # field: (minimum, maximum) a clinician may set; beyond is a typo, not a choice
    "sessions": (1, 20),
    "interval_weeks": (1, 52),
    "maintenance_months": (1, 60),
}
DEPTH_PREFIX = "depth_mm."


def recommendation_for(consultation: Consultation) -> Recommendation:
    table = clinic_data.current_protocols()
    graded = [GradedConcern(c["concern"], c.get("grade")) for c in consultation.concerns]
    return recommend(graded, consultation.fitzpatrick, consultation.zones, table)


def recommendation_record(rec: Recommendation) -> dict[str, Any]:
    """The recommendation as a plan stores it (``TreatmentPlan.recommendation``, exactly as
    protocols.md spells it) and the plan form shows it. The API answers with
    ``schemas.RecommendationOut``, built from the domain value."""
    return {
        "protocol_version": rec.protocol_version,
        "sessions": rec.sessions,
        "sessions_range": list(rec.sessions_range),
        "interval_weeks": rec.interval_weeks,
        "interval_weeks_range": list(rec.interval_weeks_range),
        "maintenance_months": rec.maintenance_months,
        "zones": [{"zone": z.zone, "depth_mm": list(z.depth_mm)} for z in rec.zones],
        "precautions": [{"code": p.code, "message": p.message} for p in rec.precautions],
        "notes": list(rec.notes),
    }


def _depth_ceiling(zone: str, table: ProtocolTable) -> float:
    if zone in table.ceilings.face_zones:
        return table.ceilings.face_mm
    return max(c.other_mm for c in table.ceilings.default_scope.values())


def _check_value(field: str, value: object, table: ProtocolTable, problems: Problems) -> Any | None:
    where = f"overrides.{field}.value"
    if field in COUNT_FIELDS:
        low, high = COUNT_FIELDS[field]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            problems.add(where, f"must be a whole number from {low} to {high}")
            return None
        return value
    zone = field.removeprefix(DEPTH_PREFIX)
    pair = value if isinstance(value, list | tuple) else None
    if (
        pair is None
        or len(pair) != 2
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in pair)
        or not 0 < pair[0] <= pair[1]
    ):
        problems.add(where, "must be [minimum, maximum] in mm, above 0")
        return None
    ceiling = _depth_ceiling(zone, table)
    if pair[1] > ceiling:
        problems.add(where, f"may not go above {ceiling:g} mm on {zone}")
        return None
    return [float(pair[0]), float(pair[1])]


def _apply_overrides(
    payload: dict[str, Any], overrides: Mapping[str, Any], table: ProtocolTable
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The values in force and the overrides that changed something (each with a reason)."""
    values: dict[str, Any] = {
        "sessions": payload["sessions"],
        "interval_weeks": payload["interval_weeks"],
        "maintenance_months": payload["maintenance_months"],
        **{DEPTH_PREFIX + z["zone"]: z["depth_mm"] for z in payload["zones"]},
    }
    problems = Problems()
    kept: dict[str, Any] = {}
    for field, entry in overrides.items():
        if field not in values:
            known = ", ".join(values)
            problems.add(f"overrides.{field}", f"cannot be overridden; use one of {known}")
            continue
        if not isinstance(entry, Mapping) or "value" not in entry:
            problems.add(f"overrides.{field}", 'must be {"value": …, "reason": …}')
            continue
        unknown = [k for k in entry if k not in ("value", "reason")]
        if unknown:
            problems.add(f"overrides.{field}.{unknown[0]}", "is not a known field")
            continue
        value = _check_value(field, entry["value"], table, problems)
        if value is None or value == values[field]:
            continue  # unchanged: not an override, no reason needed
        reason = entry.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            problems.add(f"overrides.{field}.reason", "give the reason for changing it")
            continue
        kept[field] = {"recommended": values[field], "value": value, "reason": reason.strip()}
    problems.raise_if_any()
    for field, entry in kept.items():
        values[field] = entry["value"]
    return values, kept


def plan_create(
    *,
    actor: User,
    consultation: Consultation,
    overrides: Mapping[str, Any] | None = None,
) -> TreatmentPlan:
    """A plan from the consultation's recommendation; every changed value has a reason."""
    if not actor.may("plan.create"):
        raise Forbidden("your role may not create a treatment plan")
    if not isinstance(overrides or {}, Mapping):
        raise InvalidInput.one("overrides", "must be an object of field: {value, reason}")
    state = current_state(consultation)
    if not state.allows_treatment:
        raise Conflict(
            "the consultation's determination does not allow treatment "
            f"({state.determination}{', not cleared' if state.clearance else ''})",
            code="determination_does_not_allow_treatment",
        )
    table = clinic_data.current_protocols()
    payload = recommendation_record(recommendation_for(consultation))
    values, kept = _apply_overrides(payload, overrides or {}, table)
    zones = [
        {"zone": z["zone"], "depth_mm": values[DEPTH_PREFIX + z["zone"]]} for z in payload["zones"]
    ]
    with transaction.atomic():
        plan = TreatmentPlan.objects.create(
            patient_id=consultation.patient_id,
            consultation=consultation,
            protocol_version=payload["protocol_version"],
            recommendation=payload,
            sessions=values["sessions"],
            interval_weeks=values["interval_weeks"],
            maintenance_months=values["maintenance_months"],
            zones=zones,
            precautions=payload["precautions"],
            notes=payload["notes"],
            overrides=kept,
            created_by=actor,
        )
        PlanSession.objects.bulk_create(
            PlanSession(plan=plan, index=i) for i in range(1, plan.sessions + 1)
        )
        record(
            actor=actor,
            action="plan.create",
            object_type="treatment_plan",
            object_id=plan.pk,
            patient_id=plan.patient_id,
            detail={
                "consultation": consultation.pk,
                "protocol_version": plan.protocol_version,
                "overridden": sorted(kept),
            },
        )
    return plan


def plan_session_mark(
    *,
    actor: User | None,
    plan: TreatmentPlan,
    index: int,
    status: str,
    on: date | None = None,
    reference: str = "",
) -> PlanSession:
    """Mark session ``index`` (1-based) of a plan ``planned``, ``booked`` or ``done``.

    ``on`` is the booked date (booked) or the day it was done (done; default today in
    the clinic's zone). When every session is done the plan is completed and its
    maintenance recall is due ``maintenance_months`` after the last one.
    """
    if status not in PlanSession.Status.values:
        raise InvalidInput.one("status", f"must be one of {', '.join(PlanSession.Status.values)}")
    with transaction.atomic():
        plan = TreatmentPlan.objects.select_for_update(of=("self",)).get(pk=plan.pk)
        if plan.status == TreatmentPlan.Status.CANCELLED:
            raise Conflict("the plan is cancelled", code="plan_cancelled")
        session = PlanSession.objects.filter(plan=plan, index=index).first()
        if session is None:
            raise NotFound(f"the plan has no session {index}")
        session.status = status
        session.reference = reference[:100]
        if status == PlanSession.Status.PLANNED:
            session.booked_for, session.done_on = None, None
        elif status == PlanSession.Status.BOOKED:
            session.booked_for, session.done_on = on, None
        else:
            session.done_on = on or clinic_today()
        session.save()
        sessions = list(plan.plan_sessions.all())
        if all(s.status == PlanSession.Status.DONE for s in sessions):
            last = max(s.done_on for s in sessions if s.done_on)
            plan.status = TreatmentPlan.Status.COMPLETED
            plan.maintenance_due = add_months(last, plan.maintenance_months)
        else:
            plan.status = TreatmentPlan.Status.ACTIVE
            plan.maintenance_due = None
        plan.save(update_fields=["status", "maintenance_due", "updated_at"])
        record(
            actor=actor,
            action="plan.session_mark",
            object_type="treatment_plan",
            object_id=plan.pk,
            patient_id=plan.patient_id,
            detail={"session": index, "status": status, "plan_status": plan.status},
        )
    return session
