from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from needlepoint.audit.checkpoints import checkpoint_write
from needlepoint.audit.verify import no_checkpoint_warning, verify_chains

UNCHECKED_EXIT = 2  # nothing found broken, but some of the trail could not be checked


class Command(BaseCommand):
    help = (
        "Audit trail tools: `audit verify` checks every chain and the checkpoints (exit 1: "
        "tampering found; 2: some of it could not be checked, a key is missing); "
        "`audit checkpoint` writes a signed checkpoint now."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "checkpoint"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "checkpoint":
            checkpoint = checkpoint_write()
            total = sum(seq for seq, _ in checkpoint.chains.values())
            self.stdout.write(
                f"audit checkpoint written ({checkpoint.where or 'ok'}): {total} events in "
                f"{len(checkpoint.chains)} chain(s), key {checkpoint.key_id!r}"
            )
            return
        report = verify_chains()
        for text in report.restores:
            self.stdout.write(f"restore: {text}")
        for item in report.breaks:
            self.stderr.write(str(item))
        for text in report.unchecked:
            self.stderr.write(f"cannot check: {text}")
        if report.breaks:
            raise CommandError(
                f"audit chain broken in {len(report.breaks)} place(s) of {report.events} events"
            )
        if report.unchecked:
            raise CommandError(
                f"audit chain unverified: {len(report.unchecked)} part(s) of {report.events} "
                "events or checkpoints could not be checked (see above); nothing found broken",
                returncode=UNCHECKED_EXIT,
            )
        if report.checkpoints_used:
            newest = f"{report.newest_checkpoint:%Y-%m-%d %H:%M} UTC"
            checked = f"{report.checkpoints_used} checkpoint(s) agree, newest {newest}"
        else:
            checked = no_checkpoint_warning()
        self.stdout.write(
            f"audit chain intact: {report.events} events in {report.chains} chain(s); {checked}"
        )
