"""Reads of treatment plans, and the check booking relies on: ``treatment_eligibility``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from needlepoint.accounts.models import User
from needlepoint.audit.services import Target, record_many
from needlepoint.core.audited import audited_read
from needlepoint.core.errors import NotFound
from needlepoint.domain.protocols import add_months
from needlepoint.screening.models import Determination
from needlepoint.screening.selectors import current_state, latest_consultation

from .models import PlanSession, TreatmentPlan


@dataclass(frozen=True)
class Eligibility:
    """May this patient have micro-needling sessions booked? ``code`` says why (not)."""

    allowed: bool
    code: str
    message: str
    plan: TreatmentPlan | None = None


def treatment_eligibility(patient: Any) -> Eligibility:
    """Allowed only with a current `candidate` (or physician-`cleared`) determination on
    the latest signed consultation, amendments applied, AND an active plan.

    Codes: OK, NO_DETERMINATION, NOT_CANDIDATE, CLEARANCE_PENDING, NOT_CLEARED,
    NO_ACTIVE_PLAN. Not audited: it reads no record for a person to see; the caller's
    own action (a booking) is what gets audited.
    """
    patient_id = getattr(patient, "pk", patient)
    consultation = latest_consultation(patient_id)
    if consultation is None:
        return Eligibility(
            False, "NO_DETERMINATION", "No consultation has been recorded yet: book one first."
        )
    state = current_state(consultation)
    if state.determination == Determination.NOT_CANDIDATE:
        return Eligibility(
            False, "NOT_CANDIDATE", "The clinician's determination is: not a candidate."
        )
    if state.determination == Determination.PHYSICIAN_CLEARANCE_REQUIRED:
        if state.clearance is None:
            return Eligibility(
                False, "CLEARANCE_PENDING", "A physician's clearance is needed before treatment."
            )
        if not state.clearance.cleared:
            return Eligibility(False, "NOT_CLEARED", "The physician did not clear treatment.")
    plan = (
        TreatmentPlan.objects.filter(patient_id=patient_id, status=TreatmentPlan.Status.ACTIVE)
        .order_by("-created_at", "-pk")
        .first()
    )
    if plan is None:
        return Eligibility(
            False, "NO_ACTIVE_PLAN", "There is no active treatment plan: create one first."
        )
    return Eligibility(True, "OK", "Treatment sessions may be booked.", plan)


def maintenance_due_estimate(plan: TreatmentPlan, sessions: list[PlanSession]) -> date | None:
    """When the maintenance recall will be due if the rest of the course keeps its interval."""
    if plan.maintenance_due:
        return plan.maintenance_due
    dated = [(s.index, s.done_on or s.booked_for) for s in sessions if s.done_on or s.booked_for]
    if not dated:
        return None
    index, day = max(dated, key=lambda pair: pair[0])
    assert day is not None
    last = day + timedelta(weeks=plan.interval_weeks * (plan.sessions - index))
    return add_months(last, plan.maintenance_months)


def plan_for_staff(*, actor: User, plan_id: int) -> TreatmentPlan:
    plan = (
        TreatmentPlan.objects.select_related("patient", "consultation", "created_by")
        .prefetch_related("plan_sessions")
        .filter(pk=plan_id)
        .first()
    )
    plan = audited_read(
        actor=actor,
        found=plan,
        object_id=plan_id,
        capability="plan.read",
        action="plan.read",
        object_type="treatment_plan",
        not_found="no such plan",
    )
    return plan


def patient_plans(
    *, actor: User, patient_id: int, limit: int = 50, offset: int = 0
) -> tuple[list[TreatmentPlan], int]:
    matches = TreatmentPlan.objects.filter(patient_id=patient_id)
    count = matches.count()
    items = list(
        matches.select_related("created_by")
        .prefetch_related("plan_sessions")
        .order_by("-created_at", "-pk")[offset : offset + limit]
    )
    if items:
        record_many(
            actor=actor,
            action="plan.read",
            targets=[Target("treatment_plan", str(p.pk), str(patient_id)) for p in items],
            detail={"via": "list"},
        )
    return items, count


def plan_to_act_on(plan_id: int, *, with_sessions: bool = False) -> TreatmentPlan:
    """The plan a URL names, for a service about to act on it (404 when none). Not audited:
    the action writes its own event."""
    query = (
        TreatmentPlan.objects.prefetch_related("plan_sessions")
        if with_sessions
        else TreatmentPlan.objects.select_related("patient")
    )
    plan = query.filter(pk=plan_id).first()
    if plan is None:
        raise NotFound("no such plan")
    return plan


def course_in_order(plan: TreatmentPlan) -> list[PlanSession]:
    """The plan's sessions by index (prefetched or one query)."""
    return sorted(plan.plan_sessions.all(), key=lambda s: s.index)
