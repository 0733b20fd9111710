from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema
from pydantic import Field


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


class AuditQuery(Schema):
    patient: str = Field(default="", max_length=64)
    action: str = Field(default="", max_length=64)
    actor: str = Field(default="", max_length=150)
    outcome: str = Field(default="", pattern="^(|allowed|denied)$")
    limit: int = Field(default=100, ge=1, le=500)
    offset: int = Field(default=0, ge=0, le=1_000_000_000)  # core.inputs.MAX_OFFSET
