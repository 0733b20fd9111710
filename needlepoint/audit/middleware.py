from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .context import Origin, new_request_id, reset_origin, set_origin


def client_ip(request: HttpRequest) -> str:
    # Behind a proxy the deployment sets BEHIND_TLS_PROXY and the proxy overwrites
    # REMOTE_ADDR; we never trust a client-supplied X-Forwarded-For here.
    return str(request.META.get("REMOTE_ADDR", ""))


class RequestContextMiddleware:
    """Gives every request an id (echoed as X-Request-ID) and an audit origin."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = new_request_id()
        channel = "api" if request.path.startswith("/api/") else "web"
        token = set_origin(Origin(channel=channel, ip=client_ip(request), request_id=request_id))
        request.request_id = request_id  # type: ignore[attr-defined]
        try:
            response = self.get_response(request)
        finally:
            reset_origin(token)
        response["X-Request-ID"] = request_id
        return response
