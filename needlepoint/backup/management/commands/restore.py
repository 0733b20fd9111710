"""`needlepoint restore DIR`: a backup into an empty database and an empty photo store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from needlepoint.backup.restoring import backup_restore
from needlepoint.backup.sequences import DEFAULT_SKIP
from needlepoint.backup.snapshot import BackupError


class Command(BaseCommand):
    help = (
        "Restore a backup made by `needlepoint backup` into an empty database and photo "
        "store: checks every hash and the audit chains, then writes a signed restore anchor."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", help="the backup directory (holds manifest.json)")
        parser.add_argument(
            "--identity",
            default="",
            help="the age secret key file, for an encrypted backup "
            "(default: NEEDLEPOINT_BACKUP_IDENTITY_FILE)",
        )
        parser.add_argument(
            "--skip-ids",
            type=int,
            default=DEFAULT_SKIP,
            help="how far every table's next id jumps past the backup's, so ids issued after "
            f"the backup (lost with it) never name a new record (default {DEFAULT_SKIP:,})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        identity = options["identity"] or settings.NEEDLEPOINT_BACKUP_IDENTITY_FILE
        try:
            result = backup_restore(
                directory=Path(options["directory"]),
                identity_file=identity,
                skip_ids=options["skip_ids"],
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        counts = ", ".join(f"{n} {label}" for label, n in result.counts.items())
        self.stdout.write(
            f"restored the backup taken {result.taken_at:%Y-%m-%d %H:%M:%S} UTC: {counts}; "
            f"{result.photos} photo files, every hash checked"
        )
        self.stdout.write(
            f"every table's next id moved on by {result.skip_ids:,}: ids issued after the "
            "backup was taken never name a new record"
        )
        for chain, (seq, digest) in sorted(result.heads.items()):
            self.stdout.write(f"audit chain {chain!r}: {seq} events, head {digest}")
        verified = result.verification
        self.stdout.write(
            f"audit chains verified ({verified.events} events); restore anchor written "
            f"({result.anchor.where or 'restores.jsonl'}): `needlepoint audit verify` reports "
            "this restore"
        )
        for text in verified.unchecked:
            self.stderr.write(f"cannot check: {text}")
        for note in result.notes:
            self.stderr.write(f"note: {note}")
