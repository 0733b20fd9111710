"""GET /api/v1/audit: the audit trail for a clinic admin.

It lives here, not in the audit app, because deciding who may read it needs accounts and
core (a refusal is ``core.errors.Forbidden``, mapped once in needlepoint/api.py), and the
audit app imports no other app. Its operation id keeps the audit app's prefix
(``LEGACY_OPERATION_PREFIXES`` in needlepoint/api.py, docs/decisions/0315).
"""

from django.http import HttpRequest
from ninja import Query, Router

from needlepoint.accounts.permissions import request_user
from needlepoint.audit.schemas import AuditPage, AuditQuery
from needlepoint.audit.selectors import audit_events
from needlepoint.core.errors import Forbidden

router = Router(tags=["audit"])


@router.get("/audit", response=AuditPage, summary="Audit events (clinic admin)")
def list_audit(request: HttpRequest, query: Query[AuditQuery]) -> object:
    user = request_user(request)
    if user is None or not user.may("audit.read"):
        # Not audited: reading the trail is not patient data (as before the move).
        raise Forbidden("only a clinic admin may read the audit trail")
    events = audit_events(
        patient=query.patient, action=query.action, actor=query.actor, outcome=query.outcome
    )
    return {
        "items": list(events[query.offset : query.offset + query.limit]),
        "count": events.count(),
    }
