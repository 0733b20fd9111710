"""A signed chart as a Procedure with its depth, passes and endpoint as Observations; the
adverse events after it."""

from __future__ import annotations

from typing import Any

from needlepoint.charting.models import AdverseEvent, SessionChart

from .. import codes
from .common import compact, fhir_id, instant, lot_id, pen_id, ref, room_id
from .context import PatientContext


def procedure_id(chart: SessionChart) -> str:
    return fhir_id(chart.pk)


def amended(chart: SessionChart) -> dict[str, Any]:
    """The chart's amendable fields as its amendments (in order) left them: a signed row is
    never changed, its corrections are amendment rows."""
    values: dict[str, Any] = {
        "endpoint": chart.endpoint,
        "immediate_reactions": chart.immediate_reactions,
        "notes": chart.notes,
    }
    for amendment in chart.amendments.all():
        for name, change in (amendment.changes or {}).items():
            if name in values and isinstance(change, dict) and "to" in change:
                values[name] = change["to"]
    return values


def procedure(ctx: PatientContext, chart: SessionChart) -> dict[str, Any]:
    performers = [{"actor": ctx.person(chart.operator_id)}]
    if chart.cosigned_by_id:
        performers.append(
            {
                "function": {"text": "Co-signed the chart (medical director)"},
                "actor": ctx.person(chart.cosigned_by_id),
            }
        )
    now = amended(chart)
    notes = [
        now["notes"],
        now["immediate_reactions"] and f"Reactions: {now['immediate_reactions']}",
    ]
    notes += [
        f"Amended {a.amended_at.date().isoformat()}: {a.reason}" for a in chart.amendments.all()
    ]
    return compact(
        {
            "resourceType": "Procedure",
            "id": procedure_id(chart),
            "basedOn": [ref("CarePlan", fhir_id(chart.plan_id))] if chart.plan_id else [],
            "status": "completed",
            "code": codes.concept(codes.PROCEDURE, "microneedling", "Micro-needling"),
            "subject": ctx.subject,
            "performedDateTime": instant(chart.appointment.start),
            "recorder": ctx.person(chart.operator_id),
            "performer": [p for p in performers if p["actor"]],
            "location": ref("Location", room_id(chart.appointment.room_id)),
            "bodySite": [codes.concept(codes.ZONE, z["zone"]) for z in chart.zones],
            "focalDevice": [{"manipulated": ref("Device", pen_id(chart.device_id))}],
            "usedReference": [ref("Device", lot_id(chart.cartridge_lot_id))],
            "note": [{"text": text} for text in notes if text],
        }
    )


def _observation(
    ctx: PatientContext, chart: SessionChart, suffix: str, code: str, **value: Any
) -> dict[str, Any]:
    return compact(
        {
            "resourceType": "Observation",
            "id": fhir_id("chart", chart.pk, suffix),
            "status": "final",
            "category": [codes.concept(codes.OBSERVATION_CATEGORY, "procedure", "Procedure")],
            "code": codes.observation_code(code),
            "subject": ctx.subject,
            "partOf": [ref("Procedure", procedure_id(chart))],
            "effectiveDateTime": instant(chart.appointment.start),
            "performer": [ctx.person(chart.operator_id)],
            "device": ref("Device", pen_id(chart.device_id)),
            **value,
        }
    )


def chart_observations(ctx: PatientContext, chart: SessionChart) -> list[dict[str, Any]]:
    items = []
    for zone in chart.zones:
        site = codes.concept(codes.ZONE, zone["zone"])
        components = []
        if zone.get("rule"):
            components.append(
                {
                    "code": codes.observation_code("depth-rule"),
                    "valueCodeableConcept": codes.concept(codes.RULE, zone["rule"]),
                }
            )
        if zone.get("reason"):
            components.append(
                {"code": codes.observation_code("depth-reason"), "valueString": zone["reason"]}
            )
        items.append(
            _observation(
                ctx,
                chart,
                f"{zone['zone']}-depth",
                "needle-depth",
                bodySite=site,
                valueQuantity=codes.mm(float(zone["depth_mm"])),
                component=components,
            )
        )
        items.append(
            _observation(
                ctx,
                chart,
                f"{zone['zone']}-passes",
                "passes",
                bodySite=site,
                valueInteger=int(zone["passes"]),
            )
        )
    endpoint = amended(chart)["endpoint"]
    observed = _observation(
        ctx,
        chart,
        "endpoint",
        "endpoint",
        valueCodeableConcept=codes.concept(codes.ENDPOINT, endpoint),
    )
    if endpoint != chart.endpoint:
        observed["status"] = "amended"
    items.append(observed)
    return items


def adverse_event(ctx: PatientContext, event: AdverseEvent, *, charted: bool) -> dict[str, Any]:
    """``charted``: the chart is signed, so its Procedure is exported and can be named."""
    # R4's AdverseEvent has no note: what happened and what was done go in the event's text.
    said = [event.description or codes.words(event.kind)]
    if event.actions:
        said.append(f"Actions: {event.actions}")
    kind = codes.concept(codes.ADVERSE_EVENT_KIND, event.kind, text=" ".join(said))
    suspects = [{"instance": ref("Device", lot_id(event.chart.cartridge_lot_id))}]
    if charted:
        suspects.insert(0, {"instance": ref("Procedure", fhir_id(event.chart_id))})
    return compact(
        {
            "resourceType": "AdverseEvent",
            "id": fhir_id(event.pk),
            "actuality": "actual",
            "event": kind,
            "subject": ctx.subject,
            "date": event.onset.isoformat(),
            "recordedDate": instant(event.recorded_at),
            "recorder": ctx.person(event.recorded_by_id),
            "severity": codes.concept(codes.AE_SEVERITY, event.severity, event.severity.title()),
            "outcome": codes.concept(
                codes.AE_OUTCOME, codes.AE_OUTCOMES[event.outcome], codes.words(event.outcome)
            ),
            "suspectEntity": suspects,
        }
    )
