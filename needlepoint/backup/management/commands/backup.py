"""`needlepoint backup --out DIR`: a consistent backup while the clinic keeps working."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from needlepoint.backup.services import backup_create
from needlepoint.backup.snapshot import BackupError


class Command(BaseCommand):
    help = (
        "Back up the database (a consistent snapshot), the photo files and a signed manifest "
        "into a new directory; encrypted to NEEDLEPOINT_BACKUP_KEY when it is set."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, help="a new (or empty) directory")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup_create(out=Path(options["out"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        counts = ", ".join(f"{n} {label}" for label, n in result.state.counts.items())
        sealed = "encrypted (age)" if result.encrypted else "NOT encrypted (no backup key set)"
        self.stdout.write(
            f"backup written to {result.directory} in {result.seconds:.1f} s: {counts}; "
            f"{len(result.state.photo_names)} photo files; {result.total_bytes:,} bytes; {sealed}"
        )
