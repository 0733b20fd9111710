"""`Idempotency-Key` for every POST that creates something (DESIGN: API conventions).

The stored answer is written in the same transaction as the creation it describes, so a
crash can never leave a created object without its key, nor a key without its object; two
concurrent requests with one key race on the unique constraint and the loser replays.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from ninja import Status
from pydantic import BaseModel

from .errors import InvalidInput
from .models import IdempotencyRecord

HEADER = "HTTP_IDEMPOTENCY_KEY"


def _jsonable(payload: Any) -> Any:
    if isinstance(payload, BaseModel):
        return payload.model_dump(mode="json")
    return json.loads(json.dumps(payload, default=str))


def _request_hash(request: HttpRequest) -> str:
    if request.content_type == "multipart/form-data":
        return _form_hash(request)
    body = request.body or b""
    # The same JSON with other spacing or key order is the same request.
    with contextlib.suppress(ValueError):
        body = json.dumps(json.loads(body), sort_keys=True).encode()
    return hashlib.sha256(body).hexdigest()


def _form_hash(request: HttpRequest) -> str:
    """Django forbids reading ``request.body`` once a multipart body was parsed (the files
    may be on disk by then), so hash what it was parsed into: every field, and every file's
    field, name, size and bytes."""
    digest = hashlib.sha256()
    fields = sorted((name, request.POST.getlist(name)) for name in request.POST)
    digest.update(json.dumps(fields).encode())
    for name in sorted(request.FILES):
        for upload in request.FILES.getlist(name):
            digest.update(b"\0" + json.dumps([name, upload.name, upload.size]).encode() + b"\0")
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)  # the view reads it next
    return digest.hexdigest()


def idempotent(view: Callable[..., tuple[int, Any]]) -> Callable[..., Status[Any]]:
    """Wrap a ninja operation that returns ``(status, payload)``."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Status[Any]:
        status, data = idempotent_call(request, lambda: view(request, *args, **kwargs))
        return Status(status, data)

    return wrapper


def idempotent_call(request: HttpRequest, work: Callable[[], tuple[int, Any]]) -> tuple[int, Any]:
    """``(status, payload)`` from ``work()``, or the answer stored under the request's
    ``Idempotency-Key``. For an operation that must check permissions or input before a
    replay (``@idempotent`` replays before the view runs)."""
    key = request.META.get(HEADER, "").strip()
    if not key:
        return work()
    if len(key) > 255:
        raise InvalidInput.one("Idempotency-Key", "must be at most 255 characters")
    user = getattr(request, "auth", None)
    user = user if getattr(user, "pk", None) else None
    scope = f"{request.method} {request.path}"
    digest = _request_hash(request)

    def replay(found: IdempotencyRecord) -> tuple[int, Any]:
        if found.request_hash != digest:
            raise InvalidInput.one(
                "Idempotency-Key",
                "was already used with a different request body; use a new key",
            )
        return found.status_code, found.response

    existing = IdempotencyRecord.objects.filter(user=user, key=key, scope=scope).first()
    if existing:
        return replay(existing)
    try:
        with transaction.atomic():
            status, payload = work()
            data = _jsonable(payload)
            if 200 <= status < 300:
                IdempotencyRecord.objects.create(
                    user=user,
                    key=key,
                    scope=scope,
                    request_hash=digest,
                    status_code=status,
                    response=data,
                )
    except IntegrityError:
        winner = IdempotencyRecord.objects.filter(user=user, key=key, scope=scope).first()
        if winner is None:
            raise
        return replay(winner)
    return status, data
