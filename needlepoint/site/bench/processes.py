"""Start-up shared by `needlepoint bench_load` and `needlepoint loadtest`.

Both run the real server (`needlepoint serve`: gunicorn gthread) as child processes against a
throwaway database, so what they measure is what a clinic runs. This module creates and drops
that database, runs the command's measuring half in a child with DATABASE_URL pointing at it
(Django reads the database settings once, at start-up), and starts, waits for and stops
servers and `needlepoint worker` processes.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import psycopg

POSTGRES_SERVER_URL = os.environ.get(
    "NEEDLEPOINT_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432"
)


@contextmanager
def throwaway_postgres(name: str) -> Iterator[str]:
    """Create database `name` (dropping any leftover of that name) and drop it afterwards."""
    with psycopg.connect(f"{POSTGRES_SERVER_URL}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{POSTGRES_SERVER_URL}/{name}"
    finally:
        with psycopg.connect(f"{POSTGRES_SERVER_URL}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_inner(command: str, arguments: Sequence[str], database_url: str, **env: str) -> int:
    """Run `needlepoint <command> --inner ...` on `database_url`; return its exit code."""
    done = subprocess.run(  # noqa: S603 (our own command, fixed arguments)
        [sys.executable, "-m", "needlepoint", command, "--inner", *arguments],
        env={**os.environ, "NEEDLEPOINT_ENV": "test", "DATABASE_URL": database_url, **env},
        check=False,
    )
    return done.returncode


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(
    port: int,
    *,
    workers: int,
    threads: int,
    env: Mapping[str, str] | None = None,
    log: Path | None = None,
) -> subprocess.Popen[bytes]:
    """`needlepoint serve` on 127.0.0.1:port (its access log to `log`, else discarded)."""
    output = log.open("ab") if log is not None else subprocess.DEVNULL
    return subprocess.Popen(  # noqa: S603 (our own command, fixed arguments)
        [
            sys.executable,
            "-m",
            "needlepoint",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--threads",
            str(threads),
        ],
        env={**os.environ, **(env or {})},
        stdout=output,
        stderr=subprocess.STDOUT,
    )


def start_worker(
    *, env: Mapping[str, str] | None = None, log: Path | None = None
) -> subprocess.Popen[bytes]:
    """`needlepoint worker`: queued jobs and the periodic ones (reminders, ...)."""
    output = log.open("ab") if log is not None else subprocess.DEVNULL
    return subprocess.Popen(
        [sys.executable, "-m", "needlepoint", "worker"],
        env={**os.environ, **(env or {})},
        stdout=output,
        stderr=subprocess.STDOUT,
    )


def wait_for(port: int, path: str = "/healthz", seconds: float = 120) -> None:
    """Wait until GET path answers 200 (the server is up and has its database)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"the server on port {port} did not start")


def stop(processes: Sequence[subprocess.Popen[bytes]], seconds: float = 30) -> None:
    """SIGTERM every process (a worker finishes its running job), then wait; kill stragglers."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
