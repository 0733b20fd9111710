"""`needlepoint bench_export`: does the FHIR Bulk Data export keep memory flat?

For each size (200 and 2,000 generated patients by default) a child process builds the
clinic in a throwaway SQLite file under var/; then two fresh child processes export it into
throwaway folders: one plain (its time and peak resident set size, ``getrusage``), one under
tracemalloc (its peak Python allocations; tracing makes it several times slower, so its time
is not reported). Fresh processes, so one run's memory never colours the next.
"""

from __future__ import annotations

import json
import os
import resource
import secrets
import shutil
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from needlepoint.interop.benchdata import build_patients
from needlepoint.interop.bulk import clinic_fhir_export


def _peak_rss_mb() -> float:
    # Linux reports kilobytes (macOS bytes; this is a development-machine measurement).
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Command(BaseCommand):
    help = "Measure the FHIR bulk export's time and peak memory at 200 and 2,000 patients."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--sizes", default="200,2000", help="patient counts, comma-separated")
        parser.add_argument("--inner", choices=["build", "export"], help=""" (internal)""")
        parser.add_argument("--patients", type=int, default=0, help=""" (internal)""")
        parser.add_argument("--out", default="", help=""" (internal)""")
        parser.add_argument("--trace", action="store_true", help=""" (internal)""")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["inner"] == "build":
            call_command("migrate", verbosity=0)
            build_patients(options["patients"])
            return
        if options["inner"] == "export":
            self.stdout.write(json.dumps(self._export(Path(options["out"]), options["trace"])))
            return
        sizes = [int(s) for s in options["sizes"].split(",") if s.strip()]
        rows = [self._measure(n) for n in sizes]
        self.stdout.write("FHIR bulk export (NDJSON, batches of 200 patients, no photos)")
        for n, figures in zip(sizes, rows, strict=True):
            self.stdout.write(
                f"{n:>6} patients: {figures['resources']:>7} resources in "
                f"{figures['seconds']:6.1f} s; peak traced {figures['traced_mb']:6.1f} MB; "
                f"peak RSS {figures['rss_mb']:6.1f} MB"
            )
        if len(rows) > 1:
            first, last = rows[0], rows[-1]
            self.stdout.write(
                f"{sizes[-1] / sizes[0]:.0f}x the patients: "
                f"{last['traced_mb'] / first['traced_mb']:.2f}x peak traced, "
                f"{last['rss_mb'] / first['rss_mb']:.2f}x peak RSS"
            )

    def _export(self, out: Path, trace: bool) -> dict[str, float]:
        out.mkdir(parents=True)
        if trace:
            tracemalloc.start()
        started = time.perf_counter()
        result = clinic_fhir_export(out=out, batch_size=200, with_photos=False)
        seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory() if trace else (0, 0)
        tracemalloc.stop()
        return {
            "resources": sum(item["count"] for item in result.manifest["output"]),
            "seconds": seconds,
            "traced_mb": peak / 2**20,
            "rss_mb": _peak_rss_mb(),
        }

    def _child(self, command: list[str], env: dict[str, str]) -> dict[str, float]:
        done = subprocess.run(  # noqa: S603 (our own command, fixed arguments)
            command, env=env, check=True, capture_output=True, text=True
        )
        figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
        return figures

    def _measure(self, patients: int) -> dict[str, float]:
        tag = secrets.token_hex(4)
        path = Path(settings.DATA_DIR) / f"bench-fhir-{tag}.sqlite3"
        out = Path(settings.DATA_DIR) / f"bench-fhir-{tag}"
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}", "NEEDLEPOINT_ENV": "test"}
        command = [sys.executable, "-m", "needlepoint", "bench_export"]
        try:
            subprocess.run(  # noqa: S603 (our own command, fixed arguments)
                [*command, "--inner", "build", "--patients", str(patients)], env=env, check=True
            )
            plain = self._child([*command, "--inner", "export", "--out", f"{out}-plain"], env)
            traced = self._child([*command, "--inner", "export", "--trace", "--out", str(out)], env)
            return {**plain, "traced_mb": traced["traced_mb"]}
        finally:
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(f"{out}-plain", ignore_errors=True)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
