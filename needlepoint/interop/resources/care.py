"""The patient, their appointments and their course (CarePlan)."""

from __future__ import annotations

from typing import Any

from needlepoint.scheduling.models import Appointment
from needlepoint.treatments.models import TreatmentPlan

from .. import codes
from .common import compact, fhir_id, instant, pen_id, ref, room_id
from .context import PatientContext


def patient_resource(ctx: PatientContext) -> dict[str, Any]:
    p = ctx.patient
    telecom = []
    if p.phone:
        telecom.append({"system": "phone", "value": p.phone})
    if p.email:
        telecom.append({"system": "email", "value": p.email})
    return compact(
        {
            "resourceType": "Patient",
            "id": fhir_id(p.pk),
            "identifier": [{"system": codes.IDENTIFIER_PATIENT, "value": str(p.pk)}],
            "active": p.merged_into_id is None,
            "name": [{"use": "official", "family": p.family_name, "given": [p.given_name]}],
            "telecom": telecom,
            # Needlepoint records no gender: "unknown" is what administrative-gender says then.
            "gender": "unknown",
            "birthDate": p.date_of_birth.isoformat(),
            "managingOrganization": ref("Organization", "clinic"),
            "link": [{"other": ref("Patient", fhir_id(p.merged_into_id)), "type": "replaced-by"}]
            if p.merged_into_id
            else [],
        }
    )


def _participant(actor: dict[str, Any] | None) -> dict[str, Any] | None:
    if actor is None:
        return None
    return {"actor": actor, "required": "required", "status": "accepted"}


def appointment(ctx: PatientContext, item: Appointment) -> dict[str, Any]:
    participants = [
        _participant(ctx.subject),
        _participant(ctx.person(item.staff_id)),
        _participant(ref("Location", room_id(item.room_id))),
        _participant(ref("Device", pen_id(item.device_id)) if item.device_id else None),
    ]
    supporting = [ref("HealthcareService", fhir_id(item.service_id))]
    if item.plan_id:
        supporting.append(ref("CarePlan", fhir_id(item.plan_id)))
    status = codes.APPOINTMENT_STATUS[item.status]
    return compact(
        {
            "resourceType": "Appointment",
            "id": fhir_id(item.pk),
            "status": status,
            "cancelationReason": {"text": item.cancel_reason} if item.cancel_reason else None,
            "serviceType": [codes.concept(codes.SERVICE, item.service.slug, item.service.name)],
            "description": item.service.name,
            "supportingInformation": supporting,
            "start": instant(item.start),
            "end": instant(item.end),
            "minutesDuration": int((item.end - item.start).total_seconds() // 60),
            "created": instant(item.created_at),
            "comment": item.notes,
            "participant": [p for p in participants if p],
        }
    )


def care_plan(ctx: PatientContext, plan: TreatmentPlan) -> dict[str, Any]:
    activities = []
    for session in plan.plan_sessions.all():
        when = session.done_on or session.booked_for
        activities.append(
            compact(
                {
                    "detail": {
                        "kind": "Appointment",
                        "code": codes.concept(codes.PROCEDURE, "microneedling"),
                        "status": codes.PLAN_SESSION_STATUS[session.status],
                        "description": f"Session {session.index} of {plan.sessions}",
                        "scheduledString": when.isoformat() if when else None,
                    }
                }
            )
        )
    zones = ", ".join(codes.words(z["zone"]) for z in plan.zones)
    return compact(
        {
            "resourceType": "CarePlan",
            "id": fhir_id(plan.pk),
            "status": codes.CARE_PLAN_STATUS[plan.status],
            "intent": "plan",
            "title": "Micro-needling course",
            "description": (
                f"{plan.sessions} sessions every {plan.interval_weeks} weeks ({zones}); "
                f"protocol {plan.protocol_version}"
            ),
            "subject": ctx.subject,
            "period": {"start": instant(plan.created_at)},
            "created": instant(plan.created_at),
            "author": ctx.person(plan.created_by_id),
            "activity": activities,
        }
    )
