"""`needlepoint serve --with-reminders`: the reminder loop as a child process of the server.

A separate process (not a thread in gunicorn's master, which forks workers) running
`needlepoint reminders send --every N`; it ends when the server ends. Several servers each
running one is safe: the outbox's claims make every message go out once.
"""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
from typing import IO, Any

from django.conf import settings


def start_reminder_loop(stdout: IO[str] | Any) -> subprocess.Popen[bytes]:
    every = settings.NEEDLEPOINT_REMINDERS_EVERY_SECONDS
    child = subprocess.Popen(  # noqa: S603 (our own command, fixed arguments)
        [sys.executable, "-m", "needlepoint", "reminders", "send", "--every", str(every)]
    )

    owner = os.getpid()

    def stop() -> None:
        # gunicorn's forked workers inherit this handler; only the server itself stops it.
        if os.getpid() == owner and child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()

    atexit.register(stop)
    stdout.write(f"Reminders: `needlepoint reminders send` every {every} s (pid {child.pid})\n")
    return child
