"""The base of a response schema built from a model or a domain value (decision 0311)."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import ModelWrapValidatorHandler, ValidationInfo, model_validator


class ModelOut(Schema):
    """A response schema whose ``resolve_<field>`` methods read a model or domain value.

    Given a dict instead, it is the response already in JSON form (an answer stored under
    an ``Idempotency-Key`` and replayed, ``core.idempotency``): it is validated as it is,
    without the resolvers, which expect the object."""

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(
        cls, values: Any, handler: ModelWrapValidatorHandler[Any], info: ValidationInfo
    ) -> Any:
        if isinstance(values, dict):
            return handler(values)
        return super()._run_root_validator(values, handler, info)  # type: ignore[operator]
