"""The client's address. Minimal stand-in: the lead merges the version that honours the
trusted-proxies setting (issue #9, item 8)."""

from __future__ import annotations

from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))
