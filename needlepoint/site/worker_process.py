"""`needlepoint serve --with-worker`: one `needlepoint worker` as a child process of the server.

A separate process (not a thread in gunicorn's master, which forks workers); it ends when the
server ends. Ctrl+C on `make run` reaches both (one process group); a plain exit of the server
terminates the worker, which finishes its running job first."""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
from typing import IO, Any


def start_worker(stdout: IO[str] | Any) -> subprocess.Popen[bytes]:
    child = subprocess.Popen([sys.executable, "-m", "needlepoint", "worker"])
    owner = os.getpid()

    def stop() -> None:
        # gunicorn's forked workers inherit this handler; only the server itself stops it.
        if os.getpid() == owner and child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()

    atexit.register(stop)
    stdout.write(f"Background worker: `needlepoint worker` (pid {child.pid})\n")
    return child
