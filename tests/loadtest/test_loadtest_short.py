"""`make loadtest`, short: a few users for a few seconds, on each database in its own pass.

The whole run (migrate, demo clinic, servers, workers, locust, the after-checks) in a child
process, so it proves the harness and the after-checks work end to end; the figures come from
the full runs (docs/performance.md), never from here.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

SHORT = ["--users", "6", "--duration", "10s", "--patients", "20", "--settle", "120"]


def _loadtest(*arguments: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "needlepoint", "loadtest", *arguments, *SHORT],
        env={**os.environ, "NEEDLEPOINT_ENV": "test", **env},
        capture_output=True,
        text=True,
        timeout=420,
        check=False,
    )


def _assert_clean_run(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    for operation in ("availability (7 days)", "services", "Aggregated"):
        assert operation in out
    assert "double bookings found afterwards: 0" in out
    assert "0 rows sent twice, 0 emails and 0 texts repeated" in out
    assert "0 measured twice" in out


@pytest.mark.sqlite_only
def test_one_server_and_one_worker_on_sqlite_answer_without_errors_or_double_bookings():
    done = _loadtest("--db", "sqlite")
    _assert_clean_run(done)
    assert "sqlite: 1 app server(s)" in done.stdout and "1 job worker(s)" in done.stdout


@pytest.mark.postgres_only
def test_two_servers_and_two_workers_on_postgresql_answer_without_errors_or_double_bookings():
    server = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    done = _loadtest("--db", "postgres", "--locations", "2", NEEDLEPOINT_BENCH_POSTGRES=server)
    _assert_clean_run(done)
    assert "postgres: 2 app server(s)" in done.stdout and "2 job worker(s)" in done.stdout
