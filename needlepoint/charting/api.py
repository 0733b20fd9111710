"""Treatment day over the API: consent, day-of check, chart, sign, co-sign, amendments,
adverse events, cartridge inventory and recalls. The pages call the same services.

Every refusal names its rule: 409 bodies carry ``code`` and ``rule`` (api.py's Conflict
mapping), and 422 bodies from the chart rules carry ``code``/``rule`` and a ``rule`` per
error (the one mapping in ``needlepoint/api.py``, ``on_rule_refused``).
"""

import io
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from needlepoint.accounts.permissions import require
from needlepoint.clinic.access import location_in_field_for
from needlepoint.clinic.clock import clinic_today
from needlepoint.core.csv_cells import write_csv
from needlepoint.core.errors import NotFound
from needlepoint.core.idempotency import idempotent
from needlepoint.scheduling.models import Appointment

from . import selectors as sel
from . import services as svc
from .payloads import (
    RECALL_COLUMNS,
    adverse_event_payload,
    chart_payload,
    consent_payload,
    day_of_payload,
    lot_payload,
    recall_row,
)
from .schemas import (
    AdverseEventIn,
    AmendmentIn,
    ChartIn,
    ConsentIn,
    DayOfIn,
    RecallQuery,
    ReceiveIn,
)

router = Router(tags=["treatment day"])

Body = dict[str, Any]


def _appointment(request: HttpRequest, actor: Any, appointment_id: int) -> Appointment:
    return sel.appointment_to_chart(actor=actor, appointment_id=appointment_id)


@router.get(
    "/appointments/{int:appointment_id}/treatment",
    response=Body,
    summary="Where a treatment appointment stands: the next step and each record",
)
def get_treatment_day(request: HttpRequest, appointment_id: int) -> Any:
    actor = require(request, "chart.read", audit_action="chart.read")
    appointment = _appointment(request, actor, appointment_id)
    day = sel.treatment_day_read(actor=actor, appointment=appointment)
    return {
        "appointment": appointment.pk,
        "next_step": day.next_step,
        "consent": consent_payload(day.consent) if day.consent else None,
        "day_of_check": day_of_payload(day.day_of) if day.day_of else None,
        "chart": chart_payload(day.chart) if day.chart else None,
    }


@router.post(
    "/appointments/{int:appointment_id}/consent",
    response={201: Body},
    summary="The patient signs the current consent (and the photo release, or not)",
)
@idempotent
def sign_consent(request: HttpRequest, appointment_id: int, body: ConsentIn) -> tuple[int, Any]:
    actor = require(request, "consent.collect", audit_action="consent.sign")
    appointment = _appointment(request, actor, appointment_id)
    consent = svc.consent_sign(
        actor=actor,
        appointment=appointment,
        consent_version=body.consent_version,
        signature=body.signature,
        signature_kind=body.signature_kind,
        photo_release=body.photo_release,
        source="api",
    )
    return 201, consent_payload(consent)


@router.post(
    "/appointments/{int:appointment_id}/day-of-check",
    response={201: Body, 409: Body},
    summary="The treatment-day checklist; a defer or not_eligible finding blocks (409)",
)
@idempotent
def day_of_check(request: HttpRequest, appointment_id: int, body: DayOfIn) -> tuple[int, Any]:
    actor = require(request, "day_of.check", audit_action="day_of_check.record")
    appointment = _appointment(request, actor, appointment_id)
    answers = svc.day_of_answers(body.model_dump())
    check = svc.day_of_check_record(actor=actor, appointment=appointment, answers=answers)
    payload = day_of_payload(check)
    if check.blocked:
        # Answered as a 409 (not raised) so the recorded check survives the refusal.
        return 409, {
            "detail": "The day-of check found a reason not to treat today.",
            "errors": [],
            "code": "DAY_OF_CHECK_FAILED",
            "rule": "DAY_OF_CHECK_FAILED",
            "check": payload,
            "rebook": svc.rebook_offer(check),
        }
    return 201, payload


@router.post(
    "/appointments/{int:appointment_id}/chart",
    response={201: Body},
    summary="Chart the session (re-chart while unsigned); uses one cartridge from stock",
)
@idempotent
def save_chart(request: HttpRequest, appointment_id: int, body: ChartIn) -> tuple[int, Any]:
    actor = require(request, "chart.write", audit_action="chart.create")
    appointment = _appointment(request, actor, appointment_id)
    data = svc.ChartInput(
        device=body.device,
        cartridge_lot=body.cartridge_lot,
        zones=[z.model_dump() for z in body.zones],
        endpoint=body.endpoint,
        anesthetic=body.anesthetic,
        topicals=[t.model_dump() for t in body.topicals],
        immediate_reactions=body.immediate_reactions,
        aftercare_given=body.aftercare_given,
        notes=body.notes,
        late_reason=body.late_reason,
    )
    chart = svc.chart_save(actor=actor, appointment=appointment, data=data)
    return 201, chart_payload(chart)


@router.get("/charts/{int:chart_id}", response=Body, summary="A session chart with amendments")
def get_chart(request: HttpRequest, chart_id: int) -> Any:
    actor = require(request, "chart.read", audit_action="chart.read")
    return chart_payload(
        sel.chart_for_staff(actor=actor, chart_id=chart_id, audit_action="chart.read")
    )


@router.post("/charts/{int:chart_id}/sign", response=Body, summary="The operator signs the chart")
def sign_chart(request: HttpRequest, chart_id: int) -> Any:
    actor = require(request, "chart.write", audit_action="chart.sign")
    chart = sel.chart_for_staff(actor=actor, chart_id=chart_id, acting=True)
    return chart_payload(svc.chart_sign(actor=actor, chart=chart))


@router.post(
    "/charts/{int:chart_id}/cosign",
    response=Body,
    summary="The medical director co-signs a non-physician's chart (physician)",
)
def cosign_chart(request: HttpRequest, chart_id: int) -> Any:
    actor = require(request, "chart.cosign", audit_action="chart.cosign")
    chart = sel.chart_for_staff(actor=actor, chart_id=chart_id, acting=True)
    return chart_payload(svc.chart_cosign(actor=actor, chart=chart))


@router.get("/charts/awaiting-cosign", response=Body, summary="The co-signature queue")
def cosign_queue(request: HttpRequest) -> Any:
    actor = require(request, "chart.cosign")
    charts = sel.cosign_queue_read(actor=actor)
    return {
        "items": [
            {
                "id": c.pk,
                "patient": c.patient_id,
                "session_date": c.session_date.isoformat(),
                "operator": c.operator.username,
                "signed_at": c.signed_at.isoformat() if c.signed_at else None,
            }
            for c in charts
        ],
        "count": len(charts),
    }


@router.post(
    "/charts/{int:chart_id}/amendments",
    response={201: Body},
    summary="Amend a signed chart with a reason (kept beside the original)",
)
@idempotent
def amend_chart(request: HttpRequest, chart_id: int, body: AmendmentIn) -> tuple[int, Any]:
    actor = require(request, "chart.write", audit_action="chart.amend")
    chart = sel.chart_for_staff(actor=actor, chart_id=chart_id, acting=True)
    svc.chart_amend(actor=actor, chart=chart, changes=body.changes, reason=body.reason)
    return 201, chart_payload(sel.chart_for_staff(actor=actor, chart_id=chart_id))


@router.post(
    "/adverse-events",
    response={201: Body},
    summary="Record an adverse event after a session (aesthetician, physician)",
)
@idempotent
def record_adverse_event(request: HttpRequest, body: AdverseEventIn) -> tuple[int, Any]:
    actor = require(request, "adverse_event.record", audit_action="adverse_event.record")
    try:
        chart = sel.chart_for_staff(actor=actor, chart_id=body.chart)
    except NotFound:
        raise svc.RuleRefused.single("chart", "CHART_UNKNOWN", "no such chart") from None
    event = svc.adverse_event_record(
        actor=actor,
        chart=chart,
        kind=body.kind,
        severity=body.severity,
        onset=body.onset,
        outcome=body.outcome,
        description=body.description,
        actions=body.actions,
    )
    return 201, adverse_event_payload(event)


@router.get(
    "/inventory/cartridges",
    response=Body,
    summary="Cartridge lots with expiry, stock and warnings (staff)",
)
def list_cartridges(request: HttpRequest) -> Any:
    actor = require(request, "inventory.read")
    rows, warnings = sel.stock_report(clinic_today(), actor=actor)
    items = [lot_payload(lot, stock, warnings) for lot, stock in rows]
    return {
        "items": items,
        "count": len(items),
        "warnings": [{"lot": w.lot, "code": w.code, "message": w.message} for w in warnings],
    }


@router.post(
    "/inventory/cartridges",
    response={201: Body},
    summary="Receive cartridge stock (an expired lot is refused)",
)
@idempotent
def receive_cartridges(request: HttpRequest, body: ReceiveIn) -> tuple[int, Any]:
    actor = require(request, "inventory.receive")
    # Blank only for someone who works at one location; out of reach: 404 (decision 0700).
    where = location_in_field_for(actor, body.location.strip())
    lot = svc.cartridge_receive(
        actor=actor,
        product=body.product,
        ref=body.ref,
        lot=body.lot,
        expiry=body.expiry,
        quantity=body.quantity,
        location=where,
    )
    lot = sel.lot_with_stock(lot)
    _, warnings = sel.stock_report(clinic_today(), actor=actor)
    return 201, lot_payload(lot, sel.lot_stock(lot), warnings)


@router.get(
    "/recalls",
    response=Body,
    openapi_extra={"responses": {200: {"content": {"text/csv": {"schema": {"type": "string"}}}}}},
    summary="Every session and patient a cartridge lot or a pen touched (physician, admin)",
)
def recall(request: HttpRequest, query: Query[RecallQuery]) -> Any:
    actor = require(request, "recall.read", audit_action="recall.read")
    if not query.lot.strip() and not query.device.strip():
        raise svc.RuleRefused.single(
            "lot", "RECALL_KEY_REQUIRED", "give ?lot=LOT or ?device=SLUG (or both)"
        )
    charts = sel.recall(actor=actor, lot=query.lot.strip(), device=query.device.strip())
    rows = [recall_row(c) for c in charts]
    if query.format == "csv":
        out = io.StringIO()
        write_csv(out, RECALL_COLUMNS, rows)
        name = "-".join(["recall", *(v for v in (query.lot, query.device) if v)])
        safe = "".join(ch for ch in name if ch.isalnum() or ch in "-_.") or "recall"
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{safe}.csv"'
        return response
    patients = sorted({r["patient"] for r in rows})
    page = rows[query.offset : query.offset + query.limit]
    return {"items": page, "count": len(rows), "patients": patients}
