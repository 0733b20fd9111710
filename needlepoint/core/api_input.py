"""API input checks that need the operation (so run after authentication): NUL bytes in
form fields, and query parameters the operation does not know (decision 0250).

The input guard middleware refuses NUL bytes in query strings and JSON bodies before any
view; multipart forms carry files, so their text fields are checked here, as ninja parses
them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja.parser import Parser

from .errors import FieldProblem, InvalidInput
from .middleware import NUL_MESSAGE


class GuardedParser(Parser):
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


def refuse_unknown_query(view_func: Callable[..., Any]) -> Callable[..., Any]:
    """A query parameter the operation does not read is refused (422), so a typo such as
    ``?limt=5`` is answered rather than silently ignored."""
    allowed = _query_names(getattr(view_func, "_ninja_operation", None))

    @wraps(view_func)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        unknown = sorted({key for key in request.GET if key not in allowed})
        if unknown:
            raise InvalidInput([FieldProblem(k, "is not a known parameter") for k in unknown])
        return view_func(request, *args, **kwargs)

    return checked
