"""Where the reports read from: the replica when ``DATABASE_REPLICA_URL`` is set.

A router cannot tell which app is asking (the reports have no models of their own; they read
appointments, plans and grades), so the reports mark their reads: selectors run inside
``reading_for_reports()``, and only reads made inside it go to the replica. Bookings,
availability and every write never enter it, so they always read the primary, where a
booking's check sees the latest rows (docs/decisions/0670-reports-read-a-replica.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction

_reading = ContextVar("needlepoint_reports_reading", default=False)

# Apps whose rows a report never reads from a copy: the audit chain is written (and its
# head read under a lock) in the primary only.
NEVER_FROM_REPLICA = frozenset({"audit", "sessions", "auth", "accounts"})


def replica_alias() -> str:
    """The replica's alias in ``DATABASES``, or "" when there is none."""
    return str(getattr(settings, "NEEDLEPOINT_REPORTS_DATABASE", "") or "")


@contextmanager
def reading_for_reports() -> Iterator[None]:
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


# What PostgreSQL is told for a report's queries (decision 0673). Just-in-time compiling
# took ~0.9 s of the funnel's 1.6 s at 500,000 appointments (a one-off query gains nothing
# from it), and the rebooking join spilled its hash to disk at the default 4 MB.
POSTGRES_SETTINGS = (("jit", "off"), ("work_mem", "64MB"))


@contextmanager
def planned_for_reports() -> Iterator[None]:
    """A report's reads in one read transaction that, on PostgreSQL, sets ``POSTGRES_SETTINGS``
    for that transaction only (``SET LOCAL``), so no other query on the connection sees them."""
    alias = (replica_alias() if _reading.get() else "") or DEFAULT_DB_ALIAS  # as the router
    if connections[alias].vendor != "postgresql":
        yield
        return
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        for name, value in POSTGRES_SETTINGS:
            cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
        yield


class ReportsReplicaRouter:
    """Reads made for a report go to the replica; everything else keeps Django's default."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        alias = replica_alias()
        if not alias or not _reading.get():
            return None
        if model._meta.app_label in NEVER_FROM_REPLICA:
            return None
        return alias

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return None  # the primary, always

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        # The replica is a copy the database server keeps; Django never migrates it.
        return False if db == replica_alias() and db else None
