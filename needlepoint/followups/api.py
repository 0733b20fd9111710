"""The follow-up API: GET /api/v1/follow-ups (the front desk's list), propose a plan's
follow-ups, book one through the booking core."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from needlepoint.accounts.permissions import require
from needlepoint.core.errors import InvalidInput, NotFound
from needlepoint.core.idempotency import idempotent
from needlepoint.core.inputs import MAX_OFFSET, ClinicDateTime

from . import selectors, services
from .models import FollowUp

router = Router(tags=["follow-ups"])


class FollowUpOut(Schema):
    id: int
    patient: int
    patient_name: str
    plan: int
    kind: str
    months_after: int
    last_session_on: date
    due_on: date
    state: str
    text: str
    appointment: int | None
    appointment_start: str | None
    raised_at: datetime | None


class FollowUpList(Schema):
    items: list[FollowUpOut]
    count: int


class ListQuery(Schema):
    state: list[str] = Field(default_factory=list, description="missed, due, proposed, …")
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class BookIn(Schema):
    start: ClinicDateTime
    staff: str | None = None


def followup_out(row: selectors.FollowUpRow) -> dict[str, Any]:
    f = row.followup
    appointment = f.appointment
    return {
        "id": f.pk,
        "patient": f.patient_id,
        "patient_name": f.patient.full_name,
        "plan": f.plan_id,
        "kind": f.kind,
        "months_after": f.months_after,
        "last_session_on": f.last_session_on,
        "due_on": f.due_on,
        "state": row.state,
        "text": f.text,
        "appointment": appointment.pk if appointment else None,
        "appointment_start": appointment.start.isoformat() if appointment else None,
        "raised_at": f.raised_at,
    }


@router.get(
    "/follow-ups",
    response=FollowUpList,
    summary="Follow-ups to act on: missed outcome visits, recalls due, visits to book",
)
def list_follow_ups(request: HttpRequest, query: Query[ListQuery]) -> object:
    actor = require(request, "followup.read")
    states = query.state or list(selectors.State.ACTION)
    unknown = [s for s in states if s not in selectors.State.ALL]
    if unknown:
        raise InvalidInput.one(
            "state", f"unknown state {unknown[0]!r}; one of {', '.join(selectors.State.ALL)}"
        )
    rows, count = selectors.followup_list(
        actor=actor, states=states, limit=query.limit, offset=query.offset
    )
    return {"items": [followup_out(r) for r in rows], "count": count}


@router.post(
    "/plans/{int:plan_id}/follow-ups",
    response={201: FollowUpList},
    summary="Propose the finished course's outcome visits and maintenance recall (idempotent)",
)
@idempotent
def propose(request: HttpRequest, plan_id: int) -> tuple[int, object]:
    from needlepoint.treatments.models import TreatmentPlan

    actor = require(request, "followup.propose", audit_action="followup.propose")
    plan = TreatmentPlan.objects.prefetch_related("plan_sessions").filter(pk=plan_id).first()
    if plan is None:
        raise NotFound("no such plan")
    rows = services.followups_propose(actor=actor, plan=plan)
    today = selectors.clinic_today()
    items = [
        followup_out(selectors.FollowUpRow(f, selectors.followup_state(f, today))) for f in rows
    ]
    return 201, {"items": items, "count": len(items)}


@router.post(
    "/follow-ups/{int:followup_id}/book",
    response={201: FollowUpOut},
    summary="Book a follow-up through the booking engine (staff; or the patient's own)",
)
@idempotent
def book(request: HttpRequest, followup_id: int, body: BookIn) -> tuple[int, object]:
    actor = require(request, "appointment.book")
    followup = selectors.followup_for(actor=actor, followup_id=followup_id, for_booking=True)
    if not actor.is_clinic_staff and body.staff:
        raise InvalidInput.one("staff", "is chosen by the clinic")
    booked = services.followup_book(
        actor=actor, followup=followup, start=body.start, staff_username=body.staff
    )
    state = selectors.followup_state(booked, selectors.clinic_today())
    return 201, followup_out(selectors.FollowUpRow(booked, state))


__all__ = ["FollowUp", "router"]
