from __future__ import annotations

from datetime import date, datetime

from ninja import Schema
from pydantic import ConfigDict, Field


class PatientIn(Schema):
    model_config = ConfigDict(extra="forbid")

    given_name: str = Field(min_length=1, max_length=100)
    family_name: str = Field(min_length=1, max_length=100)
    date_of_birth: date
    email: str = Field(default="", max_length=254)
    phone: str = Field(default="", max_length=32)
    allow_duplicate: bool = False


class PatientOut(Schema):
    id: int
    given_name: str
    family_name: str
    date_of_birth: date
    email: str
    phone: str
    has_portal_login: bool
    created_at: datetime

    @staticmethod
    def resolve_has_portal_login(obj: object) -> bool:
        return getattr(obj, "user_id", None) is not None


class PatientList(Schema):
    items: list[PatientOut]
    count: int


class MeOut(Schema):
    username: str
    role: str
    patient: PatientOut | None
