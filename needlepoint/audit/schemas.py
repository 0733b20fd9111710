from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema


class AuditEventOut(Schema):
    id: int
    occurred_at: datetime
    actor_username: str
    actor_role: str
    action: str
    object_type: str
    object_id: str
    patient_id: str
    outcome: str
    channel: str
    via: str
    ip: str
    request_id: str
    detail: dict[str, Any]


class AuditPage(Schema):
    items: list[AuditEventOut]
    count: int
