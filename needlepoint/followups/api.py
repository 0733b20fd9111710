"""The follow-up API: GET /api/v1/follow-ups (the front desk's list), propose a plan's
follow-ups, book one through the booking core."""

from django.http import HttpRequest
from ninja import Query, Router

from needlepoint.accounts.permissions import require
from needlepoint.clinic.clock import clinic_today
from needlepoint.core.errors import InvalidInput
from needlepoint.core.idempotency import idempotent
from needlepoint.treatments.selectors import plan_to_act_on

from . import selectors, services
from .models import FollowUp
from .schemas import BookIn, FollowUpList, FollowUpOut, ListQuery, followup_out

router = Router(tags=["follow-ups"])


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
    actor = require(request, "followup.propose", audit_action="followup.propose")
    plan = plan_to_act_on(plan_id, with_sessions=True)
    rows = services.followups_propose(actor=actor, plan=plan)
    today = clinic_today()
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
        actor=actor,
        followup=followup,
        start=body.start,
        staff_username=body.staff,
        location=selectors.booking_place(actor, followup, body.location.strip()),
    )
    state = selectors.followup_state(booked, clinic_today())
    return 201, followup_out(selectors.FollowUpRow(booked, state))


__all__ = ["FollowUp", "router"]
