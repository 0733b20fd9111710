"""One consistent snapshot of the database while the clinic keeps working.

SQLite: the online backup API copies every page in one step inside one read transaction
(WAL lets writers carry on meanwhile). PostgreSQL: a REPEATABLE READ transaction exports its
snapshot and `pg_dump --snapshot` dumps exactly what that transaction sees. In both cases
what the manifest records (photo names, audit heads, schema version, row counts) is read from
that same snapshot, never from the live database a moment later, so the photo files listed
are exactly the ones the dumped rows name and the audit heads are the dump's own.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from needlepoint.audit.models import AuditEvent
from needlepoint.charting.models import SessionChart
from needlepoint.outcomes.models import Photo
from needlepoint.patients.models import Patient
from needlepoint.scheduling.models import Appointment


class BackupError(Exception):
    """A backup or restore refused or failed; the message says what to do."""


@dataclass
class SnapshotState:
    """What the snapshot holds, read from the snapshot itself."""

    photo_names: list[str] = field(default_factory=list)
    heads: dict[str, tuple[int, str]] = field(default_factory=dict)
    schema: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    tool: str = ""


Query = Callable[[str], Sequence[Sequence[Any]]]

_HEADS = """SELECT e.chain, e.seq, e.hash FROM audit_auditevent e JOIN
    (SELECT chain, MAX(seq) AS seq FROM audit_auditevent GROUP BY chain) h
    ON e.chain = h.chain AND e.seq = h.seq"""
# The records a person recognises, counted for the manifest and the restore's summary.
COUNTED = {
    label: model._meta.db_table
    for label, model in [
        ("patients", Patient),
        ("appointments", Appointment),
        ("charts", SessionChart),
        ("photos", Photo),
        ("audit events", AuditEvent),
    ]
}


def _read_state(query: Query, tool: str) -> SnapshotState:
    table = Photo._meta.db_table
    names = query(f"SELECT file_name, thumb_name FROM {table} ORDER BY id")  # noqa: S608
    latest: dict[str, str] = {}
    for app, name in query("SELECT app, name FROM django_migrations"):
        latest[app] = max(latest.get(app, ""), str(name))
    return SnapshotState(
        photo_names=[str(n) for row in names for n in row],
        heads={str(c): (int(s), str(h)) for c, s, h in query(_HEADS)},
        schema=dict(sorted(latest.items())),
        counts={
            label: int(query(f"SELECT COUNT(*) FROM {t}")[0][0])  # noqa: S608
            for label, t in COUNTED.items()
        },
        tool=tool,
    )


def snapshot_database(target: Path) -> SnapshotState:
    """Write the snapshot to ``target`` (a SQLite file or a pg_dump custom-format file)."""
    if connection.vendor == "sqlite":
        return _snapshot_sqlite(target)
    if connection.vendor == "postgresql":
        return _snapshot_postgres(target)
    raise BackupError(f"backups support SQLite and PostgreSQL, not {connection.vendor}")


def sqlite_path() -> str:
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return name


def _snapshot_sqlite(target: Path) -> SnapshotState:
    source = sqlite3.connect(sqlite_path(), timeout=20)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # all pages in one step: one read transaction, one moment
        # One self-contained file: no -wal beside it when it is opened later.
        copy.execute("PRAGMA journal_mode=DELETE")
        state = _read_state(
            lambda sql: copy.execute(sql).fetchall(), f"SQLite {sqlite3.sqlite_version} backup API"
        )
    finally:
        copy.close()
        source.close()
    return state


def pg_environment() -> tuple[dict[str, str], list[str]]:
    """The libpq environment and connection arguments for pg_dump/pg_restore: the password
    goes through the environment, never the command line other users can read."""
    params = connection.settings_dict
    env = {**os.environ}
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    args = ["--dbname", str(params["NAME"])]
    if params.get("HOST"):
        args += ["--host", str(params["HOST"])]
    if params.get("PORT"):
        args += ["--port", str(params["PORT"])]
    if params.get("USER"):
        args += ["--username", str(params["USER"])]
    return env, args


def pg_tool(name: str) -> tuple[str, int]:
    """The path of pg_dump or pg_restore and its major version, refused when it is older
    than the server (an older pg_dump cannot read a newer server)."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not installed: install the PostgreSQL client of the server's version "
            "(Debian: apt-get install postgresql-client)"
        )
    output = subprocess.run(  # noqa: S603 (a fixed tool, no shell)
        [path, "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    found = re.search(r"(\d+)(?:\.\d+)?", output.stdout)
    major = int(found.group(1)) if found else 0
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        server = int(cursor.fetchone()[0]) // 10000
    if major < server:
        raise BackupError(
            f"{name} is version {major} but the server runs PostgreSQL {server}: install the "
            f"client of version {server} or newer"
        )
    return path, major


def _snapshot_postgres(target: Path) -> SnapshotState:
    pg_dump, major = pg_tool("pg_dump")
    env, args = pg_environment()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot_id = str(cursor.fetchone()[0])

        def query(sql: str) -> Sequence[Sequence[Any]]:
            cursor.execute(sql)
            return list(cursor.fetchall())

        state = _read_state(query, f"pg_dump {major} (custom format)")
        # The exported snapshot lives as long as this transaction: pg_dump runs inside it.
        done = subprocess.run(  # noqa: S603 (a fixed tool and our own arguments, no shell)
            [pg_dump, "--format=custom", f"--snapshot={snapshot_id}", "--file", str(target), *args],
            env=env,
            capture_output=True,
            text=True,
        )
    if done.returncode != 0:
        raise BackupError(f"pg_dump failed: {done.stderr.strip()[:500]}")
    return state
