"""Treatment-day records as the API shows them (pages use the same dicts)."""

from __future__ import annotations

from typing import Any

from needlepoint.domain.charting import LotStock, StockWarning

from . import selectors as sel
from .models import AdverseEvent, ConsentSignature, DayOfCheck, SessionChart


def consent_payload(c: ConsentSignature) -> dict[str, Any]:
    return {
        "id": c.pk,
        "patient": c.patient_id,
        "plan": c.plan_id,
        "appointment": c.appointment_id,
        "version": c.version,
        "text_hash": c.text_hash,
        "signature_kind": c.signature_kind,
        "signer_name": c.signer_name,
        "photo_release": c.photo_release,
        "photo_release_version": c.photo_release_version,
        "source": c.source,
        "collected_by": c.collected_by.username if c.collected_by else None,
        "signed_at": c.signed_at.isoformat(),
    }


def day_of_payload(check: DayOfCheck) -> dict[str, Any]:
    return {
        "id": check.pk,
        "appointment": check.appointment_id,
        "judged_for": check.judged_for.isoformat(),
        "policy_version": check.policy_version,
        "verdict": check.verdict,
        "blocked": check.blocked,
        "resume_on": check.resume_on.isoformat() if check.resume_on else None,
        "reasons": check.reasons,
        "precautions": check.precautions,
        "checked_at": check.checked_at.isoformat(),
    }


def chart_payload(chart: SessionChart) -> dict[str, Any]:
    amendments = list(chart.amendments.select_related("amended_by").all())
    return {
        "id": chart.pk,
        "appointment": chart.appointment_id,
        "patient": chart.patient_id,
        "plan": chart.plan_id,
        "session_date": chart.session_date.isoformat(),
        "operator": chart.operator.username,
        "operator_role": chart.operator_role,
        "device": chart.device.slug,
        "device_serial": chart.device.serial_number,
        "cartridge_lot": chart.cartridge_lot.lot,
        "cartridge_ref": chart.cartridge_lot.ref,
        "cartridge_expiry": chart.cartridge_lot.expiry.isoformat(),
        "anesthetic": chart.anesthetic,
        "zones": chart.zones,
        "topicals": chart.topicals,
        "endpoint": chart.endpoint,
        "immediate_reactions": chart.immediate_reactions,
        "aftercare_given": chart.aftercare_given,
        "notes": chart.notes,
        "late_entry": chart.late_entry,
        "late_reason": chart.late_reason,
        "protocol_version": chart.protocol_version,
        "status": chart.status,
        "signed_at": chart.signed_at.isoformat() if chart.signed_at else None,
        "needs_cosign": chart.needs_cosign,
        "cosigned_by": chart.cosigned_by.username if chart.cosigned_by else None,
        "cosigned_at": chart.cosigned_at.isoformat() if chart.cosigned_at else None,
        "amendments": [
            {
                "id": a.pk,
                "changes": a.changes,
                "reason": a.reason,
                "amended_by": a.amended_by.username,
                "amended_at": a.amended_at.isoformat(),
            }
            for a in amendments
        ],
        "current": sel.current_values(chart),
    }


def adverse_event_payload(event: AdverseEvent) -> dict[str, Any]:
    return {
        "id": event.pk,
        "patient": event.patient_id,
        "chart": event.chart_id,
        "kind": event.kind,
        "severity": event.severity,
        "onset": event.onset.isoformat(),
        "outcome": event.outcome,
        "description": event.description,
        "actions": event.actions,
        "recorded_at": event.recorded_at.isoformat(),
    }


def lot_payload(lot: Any, stock: LotStock, warnings: list[StockWarning]) -> dict[str, Any]:
    return {
        "id": lot.pk,
        "location": lot.location.slug,
        "product": lot.product,
        "ref": lot.ref,
        "lot": lot.lot,
        "expiry": lot.expiry.isoformat(),
        "received": stock.received,
        "used": stock.used,
        "in_stock": stock.remaining,
        "warnings": [{"code": w.code, "message": w.message} for w in warnings if w.lot == lot.lot],
    }


RECALL_COLUMNS = (
    "session_date",
    "chart",
    "patient",
    "given_name",
    "family_name",
    "email",
    "phone",
    "cartridge_lot",
    "cartridge_ref",
    "device",
    "device_serial",
    "operator",
)


def recall_row(chart: SessionChart) -> dict[str, Any]:
    return {
        "session_date": chart.session_date.isoformat(),
        "chart": chart.pk,
        "patient": chart.patient_id,
        "given_name": chart.patient.given_name,
        "family_name": chart.patient.family_name,
        "email": chart.patient.email,
        "phone": chart.patient.phone,
        "cartridge_lot": chart.cartridge_lot.lot,
        "cartridge_ref": chart.cartridge_lot.ref,
        "device": chart.device.slug,
        "device_serial": chart.device.serial_number,
        "operator": chart.operator.username,
    }
