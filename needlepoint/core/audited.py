"""One read of one clinical object: allowed and audited, or denied, audited and a 404.

Object-level refusals never say whether the object exists (DESIGN: API conventions), so a
role that may not read and an id that does not exist answer the same; only the audit trail
tells them apart.
"""

from __future__ import annotations

from typing import Any, TypeVar

from needlepoint.audit.services import record, record_denied

from .errors import NotFound

T = TypeVar("T")


def audited_read(
    *,
    actor: Any,
    found: T | None,
    object_id: object,
    capability: str,
    action: str,
    object_type: str,
    not_found: str,
) -> T:
    if found is None or not actor.may(capability):
        record_denied(
            actor=actor,
            action=action,
            object_type=object_type,
            object_id=object_id,
            patient_id=_patient_of(found),
            reason="not_found" if found is None else "role",
        )
        raise NotFound(not_found)
    record(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=getattr(found, "pk", object_id),
        patient_id=_patient_of(found),
    )
    return found


def found_or_denied(
    found: T | None, *, actor: Any, action: str, object_type: str, object_id: object, not_found: str
) -> T:
    """An object looked up within what the actor may see (a patient's own records): a miss
    is audited as refused for the object and answered as a 404, like one that does not exist."""
    if found is None:
        record_denied(
            actor=actor,
            action=action,
            object_type=object_type,
            object_id=object_id,
            reason="object",
        )
        raise NotFound(not_found)
    return found


def _patient_of(found: object) -> object:
    """The patient an object belongs to (a patient record is its own); "" when none, e.g.
    a screening someone took anonymously."""
    if found is None:
        return ""
    if hasattr(found, "patient_id"):
        return found.patient_id or ""
    return getattr(found, "pk", "")
