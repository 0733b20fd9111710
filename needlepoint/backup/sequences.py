"""Identifiers after a restore: every table's next id jumps well past the backup's.

The copy restores each sequence's position as it was at the backup (SQLite's
sqlite_sequence, PostgreSQL's setval in the dump), so no id issued before the backup comes
back, deleted ones included. Records made between the backup and the disaster are lost, but
references to them may live on (a manage link in an e-mail, a printed chart number): their
ids must not name new records either. So the restore moves every sequence on by a margin
larger than any table grows between two backups (`restore --skip-ids`, default one million;
the keys are 64-bit), including tables that were still empty at the backup.
"""

from __future__ import annotations

from django.db import connection

DEFAULT_SKIP = 1_000_000


def skip_identifiers(skip: int) -> int:
    """Move every table's next id on by ``skip``; returns how many tables were moved."""
    if skip <= 0:
        return 0
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%AUTOINCREMENT%'"
            )
            tables = [name for (name,) in cursor.fetchall()]
            cursor.execute("UPDATE sqlite_sequence SET seq = seq + %s", [skip])
            cursor.execute("SELECT name FROM sqlite_sequence")
            known = {name for (name,) in cursor.fetchall()}
            for table in tables:
                if table not in known:
                    cursor.execute(
                        "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, skip]
                    )
            return len(tables)
        cursor.execute(
            "SELECT schemaname, sequencename, COALESCE(last_value, 0) FROM pg_sequences "
            "WHERE schemaname = current_schema()"
        )
        sequences = cursor.fetchall()
        for schema, name, last in sequences:
            qualified = f"{connection.ops.quote_name(schema)}.{connection.ops.quote_name(name)}"
            cursor.execute("SELECT setval(%s::regclass, %s, true)", [qualified, int(last) + skip])
        return len(sequences)
