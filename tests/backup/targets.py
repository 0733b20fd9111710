"""A fresh restore target (a new SQLite file or a new PostgreSQL database), the commands run
against it as an operator would, and a raw read of every table for comparisons."""

from __future__ import annotations

import os
import secrets
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[2]


def _admin_params() -> dict[str, Any]:
    from django.db import connection

    params = connection.settings_dict
    return {
        "host": params["HOST"] or "127.0.0.1",
        "port": params["PORT"] or 5432,
        "user": params["USER"],
        "password": params["PASSWORD"] or None,
    }


@contextmanager
def fresh_target(tmp: Path) -> Iterator[str]:
    """The DATABASE_URL of a new, empty (unmigrated) database of the kind the suite runs on;
    a PostgreSQL one is dropped afterwards."""
    from django.db import connection

    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp / 'restored.sqlite3'}"
        return
    import psycopg

    admin = _admin_params()
    name = f"np_restore_{secrets.token_hex(6)}"
    with psycopg.connect(**admin, dbname="postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    password = f":{admin['password']}" if admin["password"] else ""
    try:
        yield f"postgres://{admin['user']}{password}@{admin['host']}:{admin['port']}/{name}"
    finally:
        with psycopg.connect(**admin, dbname="postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_needlepoint(
    database_url: str, data_dir: Path, checkpoints: Path, *args: str
) -> subprocess.CompletedProcess[str]:
    """`python -m needlepoint ARGS` against the target, as the operator runs it."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "NEEDLEPOINT_ENV": "test",
        "NEEDLEPOINT_DATA_DIR": str(data_dir),
        "NEEDLEPOINT_AUDIT_CHECKPOINT_DIR": str(checkpoints),
    }
    return subprocess.run(
        [sys.executable, "-m", "needlepoint", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _rows(cursor: Any, tables: list[str], quote: str = '"') -> dict[str, set[tuple[str, ...]]]:
    found = {}
    for table in tables:
        cursor.execute(f"SELECT * FROM {quote}{table}{quote}")  # noqa: S608
        found[table] = {tuple(repr(value) for value in row) for row in cursor.fetchall()}
    return found


def read_tables(database_url: str | None = None) -> dict[str, set[tuple[str, ...]]]:
    """Every row of every table, as text, through the driver (not Django): the source when
    ``database_url`` is None, else the restored target."""
    from django.db import connection

    if connection.vendor == "sqlite":
        path = str(connection.settings_dict["NAME"])
        if database_url is not None:
            path = database_url.removeprefix("sqlite:///")
        conn = sqlite3.connect(path)
        try:
            cursor = conn.cursor()
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            tables = [name for (name,) in cursor.fetchall()]
            return _rows(cursor, tables)
        finally:
            conn.close()
    import psycopg

    dbname = (
        str(connection.settings_dict["NAME"])
        if database_url is None
        else database_url.rsplit("/", 1)[1]
    )
    with psycopg.connect(**_admin_params(), dbname=dbname) as pg, pg.cursor() as pg_cursor:
        pg_cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        return _rows(pg_cursor, [name for (name,) in pg_cursor.fetchall()])
