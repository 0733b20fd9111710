"""Keep a treatment plan's sessions in step with the appointments booked for them.

A treatment booked for a patient with an active plan takes the plan's next planned session;
cancelling it (or a no-show) gives the session back to "planned", rescheduling moves its
date. So the plan always says which sessions are planned, booked and done.
"""

from __future__ import annotations

from needlepoint.accounts.models import User
from needlepoint.clinic.clock import local_date
from needlepoint.scheduling.models import Appointment
from needlepoint.treatments.models import PlanSession, TreatmentPlan
from needlepoint.treatments.services import plan_session_mark


def next_planned_session(plan: TreatmentPlan) -> int | None:
    return (
        PlanSession.objects.filter(plan=plan, status=PlanSession.Status.PLANNED)
        .order_by("index")
        .values_list("index", flat=True)
        .first()
    )


def plan_session_follow(*, actor: User | None, appointment: Appointment, status: str) -> None:
    """Mark the appointment's plan session ``status`` (planned / booked), if it has one."""
    plan = appointment.plan
    if plan is None or appointment.plan_session is None or plan.status == "cancelled":
        return

    on = local_date(appointment.location, appointment.start)
    plan_session_mark(
        actor=actor,
        plan=plan,
        index=appointment.plan_session,
        status=status,
        on=on if status == "booked" else None,
        reference=f"appointment:{appointment.pk}" if status == "booked" else "",
    )
