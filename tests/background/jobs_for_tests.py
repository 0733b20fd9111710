"""Jobs the background tests queue: they count their runs (threads share this module)."""

from __future__ import annotations

import threading
from collections import Counter

from needlepoint.core.background.jobs import job

RUNS: Counter[str] = Counter()
LOCK = threading.Lock()


def count(key: str) -> None:
    with LOCK:
        RUNS[key] += 1


@job(label="Count a run")
def counted(key: str) -> str:
    count(key)
    return key


@job(label="Always fail", attempts=3, first_delay_seconds=30)
def always_fails(key: str) -> None:
    count(key)
    raise ConnectionError(f"provider unreachable for {key}")


@job(label="Every minute")
def every_minute() -> None:
    count("minute")


@job(label="Every hour")
def every_hour() -> None:
    count("hour")
