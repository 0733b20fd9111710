"""`needlepoint export fhir --out DIR`: the whole clinic as FHIR R4 Bulk Data (NDJSON)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from needlepoint.interop.bulk import clinic_fhir_export


class Command(BaseCommand):
    help = (
        "Export the clinic's records. `export fhir --out DIR` writes one FHIR R4 NDJSON file "
        "per resource type and manifest.json (as FHIR Bulk Data does) into an empty folder."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("format", choices=["fhir"])
        parser.add_argument("--out", required=True, help="an empty (or new) folder")
        parser.add_argument("--batch-size", type=int, default=200)
        parser.add_argument("--no-photos", action="store_true", help="leave out Media/Binary")

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"])
        if out.exists() and (not out.is_dir() or any(out.iterdir())):
            raise CommandError(f"{out} is not an empty folder: an export never mixes with another")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        out.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()

        def progress(done: int, total: int) -> None:
            share = f" ({100 * done // total}%)" if total else ""
            self.stdout.write(f"patients exported: {done} of {total}{share}")

        result = clinic_fhir_export(
            out=out,
            batch_size=options["batch_size"],
            with_photos=not options["no_photos"],
            progress=progress,
        )
        for item in result.manifest["output"]:
            self.stdout.write(f"  {item['url']}: {item['count']}")
        self.stdout.write(
            f"FHIR export of {result.patients} patients written to {out} "
            f"({time.perf_counter() - started:.1f} s); manifest: {out / 'manifest.json'}"
        )
