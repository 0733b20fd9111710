"""`make run`'s server with its worker (`needlepoint serve --with-worker`): it answers
/healthz, the worker beside it fires the periodic jobs, and Ctrl+C (SIGINT to the process
group, as a terminal sends it) stops both. On the test database, already migrated."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.background.test_periodic import _database_url

pytestmark = [pytest.mark.sqlite_only, pytest.mark.django_db(transaction=True)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_the_server_and_its_worker_start_answer_and_stop_together(tmp_path) -> None:
    from needlepoint.core.models import PeriodicFiring

    port = _free_port()
    log = tmp_path / "serve.log"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "NEEDLEPOINT_ENV": "test",
        "NEEDLEPOINT_DATA_DIR": str(tmp_path),
        "NEEDLEPOINT_AUDIT_CHECKPOINT_DIR": str(tmp_path / "checkpoints"),
        "WEB_WORKERS": "1",
    }
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "needlepoint", "serve", "--port", str(port), "--with-worker"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, as a terminal's foreground job
        )
    deadline = time.monotonic() + 120  # a bound on waiting for each condition, not a timing
    try:
        answer = None
        while answer is None:
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz") as response:
                    answer = json.loads(response.read())
            except OSError:
                time.sleep(0.3)
        assert answer["database"] == {"ok": True} and answer["photo_storage"] == {"ok": True}
        while not PeriodicFiring.objects.filter(job="send-due-messages").exists():
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.3)
        worker_pid = int(re.search(r"needlepoint worker` \(pid (\d+)\)", log.read_text())[1])
        os.kill(worker_pid, 0)  # the worker runs
    finally:
        os.killpg(server.pid, signal.SIGINT)  # Ctrl+C
        server.wait(timeout=60)
    while _group_alive(server.pid):
        assert time.monotonic() < deadline + 60, "a process of `make run` outlived Ctrl+C"
        time.sleep(0.3)
