from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from needlepoint.audit.context import Origin, new_request_id, reset_origin, set_origin

from .client_ip import client_address
from .errors import Forbidden, NotFound


class RequestContextMiddleware:
    """Gives every request an id (echoed as X-Request-ID) and an audit origin.

    It lives in core, not in the audit app, because it reads the web request (the client's
    address behind trusted proxies); the audit app stays free of other apps' imports."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = new_request_id()
        channel = "api" if request.path.startswith("/api/") else "web"
        token = set_origin(
            Origin(channel=channel, ip=client_address(request), request_id=request_id)
        )
        request.request_id = request_id  # type: ignore[attr-defined]
        try:
            response = self.get_response(request)
        finally:
            reset_origin(token)
        response["X-Request-ID"] = request_id
        return response


class PageRefusalsMiddleware:
    """A page's view may let a lookup's refusal through: `NotFound` becomes the 404 page and
    `Forbidden` the 403 page, as the API maps them to 404 and 403 (needlepoint/api.py).

    So views call a selector that raises instead of wrapping each lookup in try/except;
    the API never gets here (ninja maps its own errors first)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, NotFound):
            raise Http404(exception.message) from exception
        if isinstance(exception, Forbidden):
            raise PermissionDenied(exception.message) from exception
