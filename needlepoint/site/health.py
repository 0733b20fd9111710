"""`/healthz` and the admin's backlog warning: is the database there, is the queue keeping up
(its oldest waiting job), is the outbox keeping up (its oldest unsent message), can photo
storage be written, read and deleted.

The answer is 503 when something is broken (the database or photo storage); a backlog alone
answers 200 with "status": "degraded", so a load balancer keeps serving pages while the
workers catch up, and a monitor can still alert on it."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection

from needlepoint.core.background.queue import queue_state
from needlepoint.notifications.selectors import outbox_backlog
from needlepoint.outcomes.services import photo_storage

PROBE = b"needlepoint health probe"
WARNINGS_CACHE_KEY = "needlepoint:background-warnings"
WARNINGS_CACHE_SECONDS = 60


def _seconds(age: timedelta | None) -> int | None:
    return None if age is None else int(age.total_seconds())


def _broken(exc: Exception) -> dict[str, Any]:
    # The kind of failure only: the answer is public, a message could name hosts or paths.
    return {"ok": False, "error": type(exc).__name__}


def check_database() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:
        return _broken(exc)
    return {"ok": True}


def check_queue(now: datetime) -> dict[str, Any]:
    try:
        state = queue_state(now)
    except Exception as exc:
        return _broken(exc)
    age = state.oldest_waiting_age(now)
    limit = timedelta(minutes=settings.NEEDLEPOINT_JOBS_BACKLOG_MINUTES)
    return {
        "ok": age is None or age <= limit,
        "waiting": state.waiting,
        "oldest_waiting_seconds": _seconds(age),
        "running": state.running,
        "retrying": state.retrying,
        "failed": state.failed,
    }


def check_outbox(now: datetime) -> dict[str, Any]:
    try:
        backlog = outbox_backlog(now)
    except Exception as exc:
        return _broken(exc)
    age = backlog.oldest_age(now)
    limit = timedelta(minutes=settings.NEEDLEPOINT_OUTBOX_BACKLOG_MINUTES)
    return {
        "ok": age is None or age <= limit,
        "unsent": backlog.unsent,
        "oldest_unsent_seconds": _seconds(age),
    }


def check_photo_storage() -> dict[str, Any]:
    """Write, read back and delete a probe through the storage photos are kept in (the
    photo storage: the private folder or the bucket, decision 0660)."""
    storage = photo_storage()
    name = f"healthz/probe-{uuid.uuid4().hex}.txt"
    try:
        saved = storage.save(name, ContentFile(PROBE))
        try:
            with storage.open(saved, "rb") as probe:
                same = probe.read() == PROBE
        finally:
            storage.delete(saved)
    except Exception as exc:
        return _broken(exc)
    return {"ok": same} if same else {"ok": False, "error": "read back differs"}


def health(now: datetime) -> tuple[int, dict[str, Any]]:
    """(HTTP status, answer)."""
    answer: dict[str, Any] = {
        "database": check_database(),
        "queue": check_queue(now),
        "outbox": check_outbox(now),
        "photo_storage": check_photo_storage(),
    }
    broken = not (answer["database"]["ok"] and answer["photo_storage"]["ok"])
    behind = not (answer["queue"]["ok"] and answer["outbox"]["ok"])
    answer["status"] = "failing" if broken else "degraded" if behind else "ok"
    return (503 if broken else 200), answer


def backlog_warnings(now: datetime) -> list[str]:
    """Sentences for the clinic admin's pages when background work falls behind; read at
    most once a minute per cache (they are shown on every admin page)."""
    cached = cache.get(WARNINGS_CACHE_KEY)
    if cached is not None:
        return list(cached)
    warnings = []
    queue = queue_state(now)
    age = queue.oldest_waiting_age(now)
    if age is not None and age > timedelta(minutes=settings.NEEDLEPOINT_JOBS_BACKLOG_MINUTES):
        warnings.append(
            f"Background jobs are behind: {queue.waiting} waiting, the oldest for "
            f"{_minutes(age)}. Is the background worker running?"
        )
    if queue.failed:
        warnings.append(
            f"{queue.failed} background job{'s' if queue.failed != 1 else ''} failed after "
            "every try."
        )
    outbox = outbox_backlog(now)
    out_age = outbox.oldest_age(now)
    if out_age is not None and out_age > timedelta(
        minutes=settings.NEEDLEPOINT_OUTBOX_BACKLOG_MINUTES
    ):
        warnings.append(
            f"Patient messages are behind: {outbox.unsent} due and not sent, the oldest "
            f"for {_minutes(out_age)}."
        )
    cache.set(WARNINGS_CACHE_KEY, warnings, WARNINGS_CACHE_SECONDS)
    return warnings


def _minutes(age: timedelta) -> str:
    minutes = int(age.total_seconds() // 60)
    if minutes < 120:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = minutes // 60
    return f"{hours} hours"
