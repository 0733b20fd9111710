from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from .schemas import AuditPage
from .selectors import audit_events

router = Router(tags=["audit"])


class AuditQuery(Schema):
    patient: str = Field(default="", max_length=64)
    action: str = Field(default="", max_length=64)
    actor: str = Field(default="", max_length=150)
    outcome: str = Field(default="", pattern="^(|allowed|denied)$")
    limit: int = Field(default=100, ge=1, le=500)
    offset: int = Field(default=0, ge=0, le=1_000_000_000)  # core.inputs.MAX_OFFSET


@router.get("/audit", response=AuditPage, summary="Audit events (clinic admin)")
def list_audit(request: HttpRequest, query: Query[AuditQuery]) -> object:
    # audit imports no other app, so the role is read off the authenticated user directly.
    user = getattr(request, "auth", None)
    if getattr(user, "role", None) != "clinic_admin":
        raise HttpError(403, "only a clinic admin may read the audit trail")
    events = audit_events(
        patient=query.patient, action=query.action, actor=query.actor, outcome=query.outcome
    )
    return {
        "items": list(events[query.offset : query.offset + query.limit]),
        "count": events.count(),
    }
