"""`flush` that may empty the audit table on SQLite too.

SQLite has no TRUNCATE, so Django flushes with DELETE, which the audit table's trigger
refuses; PostgreSQL's TRUNCATE fires no row trigger. Flushing is the one sanctioned way to
empty the table (test teardown, `needlepoint flush`), and `audit verify` still reports it
as long as a checkpoint recorded events.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands.flush import Command as DjangoFlush
from django.db import connections

NO_DELETE = """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;"""


class Command(DjangoFlush):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            super().handle(**options)
            return
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
        try:
            super().handle(**options)
        finally:
            with connection.cursor() as cursor:
                cursor.execute(NO_DELETE)
