"""Stored screenings and consultations as the API shows them (also used by pages)."""

from __future__ import annotations

from typing import Any

from .models import Clearance, Consultation, Screening
from .selectors import current_state


def _signed(obj: Any) -> dict[str, Any]:
    return {"signed_by": obj.signed_by.username, "signed_at": obj.signed_at}


def clearance_payload(c: Clearance) -> dict[str, Any]:
    return {"id": c.pk, "cleared": c.cleared, "notes": c.notes, **_signed(c)}


def consultation_payload(c: Consultation) -> dict[str, Any]:
    state = current_state(c)
    return {
        "id": c.pk,
        "patient": c.patient_id,
        "screening": c.screening_id,
        "fitzpatrick": c.fitzpatrick,
        "concerns": c.concerns,
        "zones": c.zones,
        "notes": c.notes,
        "determination": c.determination,
        "protocol_version": c.protocol_version,
        **_signed(c),
        "current": {
            "determination": state.determination,
            "amended": state.amended,
            "signed_by": state.signed_by.username,
            "signed_at": state.signed_at,
            "clearance": clearance_payload(state.clearance) if state.clearance else None,
            "allows_treatment": state.allows_treatment,
        },
        "amendments": [
            {
                "id": a.pk,
                "determination": a.determination,
                "reason": a.reason,
                **_signed(a),
            }
            for a in sorted(c.amendments.all(), key=lambda a: (a.signed_at, a.pk))
        ],
        "clearances": [
            clearance_payload(x) for x in sorted(c.clearances.all(), key=lambda x: x.signed_at)
        ],
    }


def screening_payload(s: Screening) -> dict[str, Any]:
    return {
        "id": s.pk,
        "patient": s.patient_id,
        "taken_by": s.taken_by.username if s.taken_by else None,
        "channel": s.channel,
        "created_at": s.created_at,
        "answers": s.answers,
        "result": s.result,
    }
