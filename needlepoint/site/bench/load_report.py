"""The load test's table: p50/p95/p99 per operation (locust's CSV) and answers by status.

Locust counts only 5xx and transport errors as failures (the locustfile marks them); the
status table, written by the locustfile, shows the rest: 409 is a slot taken meanwhile (the
clinic answering correctly under contention), 4xx a refusal the clinic explains.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import IO, Any


def report_locust(out: IO[str] | Any, data_dir: Path) -> int:
    """Write the table; return the failed requests (5xx and transport errors)."""
    stats = data_dir / "run_stats.csv"
    if not stats.exists():
        out.write("locust wrote no statistics")
        return 1
    statuses: dict[str, dict[str, int]] = {}
    if (data_dir / "statuses.json").exists():
        statuses = json.loads((data_dir / "statuses.json").read_text(encoding="utf-8"))
    out.write(
        f"{'operation':22} {'requests':>8} {'failed':>6} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'p99 ms':>7} {'req/s':>6}  answers"
    )
    failed_total = 0
    with stats.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["Name"] == "Aggregated":
                failed_total = int(row["Failure Count"])
            answers = ", ".join(
                f"{status}: {count}"
                for status, count in sorted(statuses.get(row["Name"], {}).items())
            )
            out.write(
                f"{row['Name'][:22]:22} {row['Request Count']:>8} {row['Failure Count']:>6} "
                f"{row['50%']:>7} {row['95%']:>7} {row['99%']:>7} "
                f"{float(row['Requests/s']):6.1f}  {answers}"
            )
    failures = data_dir / "run_failures.csv"
    if failures.exists():
        with failures.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                out.write(f"error: {row['Name']}: {row['Error']} x{row['Occurrences']}")
    return failed_total
