"""pg_dump and pg_restore: refused by name when missing or older than the server."""

from __future__ import annotations

import os

import pytest

from needlepoint.backup.snapshot import BackupError, pg_tool

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_only]


def test_the_installed_pg_dump_is_at_least_the_server_version():
    path, major = pg_tool("pg_dump")
    assert path.endswith("pg_dump") and major >= 10


def test_an_older_pg_dump_is_refused_with_what_to_install(tmp_path, monkeypatch):
    fake = tmp_path / "pg_dump"
    fake.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    with pytest.raises(
        BackupError, match=r"pg_dump is version 9 but the server runs PostgreSQL \d+"
    ):
        pg_tool("pg_dump")


def test_a_missing_pg_restore_is_refused_with_the_package_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BackupError, match=r"pg_restore is not installed.*postgresql-client"):
        pg_tool("pg_restore")
