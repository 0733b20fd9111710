"""A guard at the door for input no view can use: NUL bytes and over-deep JSON.

PostgreSQL refuses a NUL in any text value (a 500 deep in a query), and Python's JSON
decoder recurses once per nesting level (a RecursionError). Both are refused here, before
any view, with a 400 naming the field: the API's error shape under /api/, words on pages.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.html import escape

from .errors import InvalidInput

# No body of this API or its forms nests deeper than a handful of levels.
MAX_JSON_DEPTH = 32
NUL_MESSAGE = "must not contain NUL characters"
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")


def json_depth(body: bytes) -> int:
    """How deep ``body``'s arrays and objects nest, without decoding it (strings skipped)."""
    depth = deepest = 0
    for bracket in _BRACKET.findall(_JSON_STRING.sub(b'""', body)):
        if bracket in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def nul_field(value: Any, path: str = "") -> str | None:
    """The path (``a.b[0]``) of the first key or string in ``value`` holding a NUL."""
    if isinstance(value, str):
        return (path or "body") if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            if "\x00" in str(key):
                return name
            found = nul_field(item, name)
            if found:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = nul_field(item, f"{path}[{index}]" if path else f"[{index}]")
            if found:
                return found
    return None


def _pairs_nul_field(pairs: list[tuple[str, str]]) -> str | None:
    for key, value in pairs:
        if "\x00" in key or "\x00" in value:
            return key.replace("\x00", "") or "query"
    return None


class InputGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = self._problem(request)
        if problem is not None:
            field, message = problem
            return self._refuse(request, field, message)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        """A page whose query parameter failed ``core.inputs`` answers 400 naming it (the
        API maps ``InvalidInput`` itself, to 422)."""
        if isinstance(exc, InvalidInput) and not request.path_info.startswith("/api/"):
            problem = exc.problems[0] if exc.problems else None
            if problem is not None:
                return self._refuse(request, problem.field, problem.message)
        return None

    def _problem(self, request: HttpRequest) -> tuple[str, str] | None:
        if "\x00" in request.path_info:
            return "path", NUL_MESSAGE
        query = request.META.get("QUERY_STRING", "")
        field = _pairs_nul_field(parse_qsl(query, keep_blank_values=True)) if query else None
        if field is not None:
            return field, NUL_MESSAGE
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        content_type = request.content_type or ""
        if content_type == "multipart/form-data" and request.path_info.startswith("/api/"):
            return None  # checked as ninja parses the form, after authentication (api_input)
        if content_type == "multipart/form-data":
            pairs = [(k, v) for k, values in request.POST.lists() for v in values]
            field = _pairs_nul_field(pairs)
        elif content_type == "application/x-www-form-urlencoded":
            field = _pairs_nul_field(
                parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True)
            )
        else:
            # Under /api/ the operation refuses NUL bytes after authentication (api_input).
            return self._json_problem(request.body, nul=not request.path_info.startswith("/api/"))
        return (field, NUL_MESSAGE) if field is not None else None

    @staticmethod
    def _json_problem(body: bytes, *, nul: bool) -> tuple[str, str] | None:
        if body.lstrip()[:1] not in (b"[", b"{"):
            return None
        if json_depth(body) > MAX_JSON_DEPTH:
            return "body", f"must not nest deeper than {MAX_JSON_DEPTH} levels"
        if not nul:
            return None
        try:
            decoded = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            return None  # the view says what is wrong with it, in its own words
        field = nul_field(decoded)
        return (field, NUL_MESSAGE) if field is not None else None

    @staticmethod
    def _refuse(request: HttpRequest, field: str, message: str) -> HttpResponse:
        detail = "The request has a value that cannot be used."
        if request.path_info.startswith("/api/"):
            errors = [{"field": field, "message": message}]
            return JsonResponse({"detail": detail, "errors": errors}, status=400)
        text = f"<p>{escape(detail)} The field “{escape(field)}” {escape(message)}.</p>"
        return HttpResponse(text, status=400)
