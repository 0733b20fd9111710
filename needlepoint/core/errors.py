"""Refusals that services raise. Entry points map them to HTTP (api.py) or to form errors.

Services never raise HTTP errors: the same refusal reaches a page, an API call and a
command, each of which speaks its own language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from needlepoint.domain.errors import DomainError


@dataclass(frozen=True)
class FieldProblem:
    field: str
    message: str


class InvalidInput(DomainError):
    """422: values that can never be accepted as given. Lists every problem."""

    code = "invalid_input"

    def __init__(self, problems: Sequence[FieldProblem], message: str = "") -> None:
        self.problems = list(problems)
        summary = message or "; ".join(f"{p.field}: {p.message}" for p in self.problems)
        super().__init__(summary or "invalid input")

    @classmethod
    def one(cls, field_name: str, message: str) -> InvalidInput:
        return cls([FieldProblem(field_name, message)])


class Conflict(DomainError):
    """409: the request is fine but the state of things refuses it; say what to do."""

    code = "conflict"

    def __init__(
        self, message: str, *, code: str | None = None, extra: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message, code=code)
        self.extra = extra or {}


class NotFound(DomainError):
    """404: absent, or present but not yours (object-level denials never say which)."""

    code = "not_found"


class Forbidden(DomainError):
    """403: your role may not do this at all."""

    code = "forbidden"


@dataclass
class Problems:
    """Collects field problems so a form or request reports all of them at once."""

    items: list[FieldProblem] = field(default_factory=list)

    def add(self, field_name: str, message: str) -> None:
        self.items.append(FieldProblem(field_name, message))

    def raise_if_any(self) -> None:
        if self.items:
            raise InvalidInput(self.items)
