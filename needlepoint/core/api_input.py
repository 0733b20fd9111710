"""API input checks that run after authentication (so a request without a token is 401
first, as the document promises): NUL bytes in JSON bodies and form fields, and query
parameters the operation does not know (decision 0250). The input guard middleware has
already refused NUL bytes in the query string and JSON nested too deep.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja.parser import Parser

from .errors import FieldProblem, InvalidInput
from .input_guard import NUL_MESSAGE, nul_field

_NUL_FIELD = "_needlepoint_nul_field"


class GuardedParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        # Refused once the operation runs (after authentication), naming the field.
        setattr(request, _NUL_FIELD, nul_field(data))
        return data

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        for key, values in data.lists():
            if any(isinstance(v, str) and "\x00" in v for v in [key, *values]):
                raise InvalidInput.one(key.replace("\x00", "") or "form", NUL_MESSAGE)
        return super().parse_querydict(data, list_fields, request)


def _query_names(operation: Any) -> set[str]:
    names: set[str] = set()
    for model in getattr(operation, "models", []):
        if getattr(model, "__ninja_param_source__", None) == "query":
            names |= set(getattr(model, "__ninja_flatten_map__", {}) or {})
            names |= set(model.model_fields)
    return names


def check_request(view_func: Callable[..., Any]) -> Callable[..., Any]:
    """A query parameter the operation does not read is refused (422), so a typo such as
    ``?limt=5`` is answered rather than silently ignored."""
    allowed = _query_names(getattr(view_func, "_ninja_operation", None))

    @wraps(view_func)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        field = getattr(request, _NUL_FIELD, None)
        if field:
            raise InvalidInput.one(field, NUL_MESSAGE)
        unknown = sorted({key for key in request.GET if key not in allowed})
        if unknown:
            raise InvalidInput([FieldProblem(k, "is not a known parameter") for k in unknown])
        return view_func(request, *args, **kwargs)

    return checked
