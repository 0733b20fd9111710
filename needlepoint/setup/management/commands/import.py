"""`needlepoint import patients FILE`: check (the default) or import another system's export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from needlepoint.core.errors import InvalidInput
from needlepoint.setup.import_words import (
    appointment_words,
    detail_words,
    file_words,
    status_words,
    summary_words,
)
from needlepoint.setup.importing import patients_import

REFUSED_EXIT = 3  # an import asked for was not done: some lines are refused


class Command(BaseCommand):
    help = (
        "Import patients (and upcoming appointments) from another system's export: a CSV "
        "or a FHIR R4 Bundle. Without --commit nothing is saved: every line is reported as "
        "it would be created, matched or refused, and why. See docs/operations.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["patients"])
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--map",
            default="",
            help='columns the usual names miss: "Forename=first name,Notes=ignore" (a field by '
            "its name or code: given_name, family_name, date_of_birth, email, phone, "
            "appointment_start, appointment_date, appointment_time, service, staff, room)",
        )
        run = parser.add_mutually_exclusive_group()
        run.add_argument("--dry-run", action="store_true", help="only report (the default)")
        run.add_argument("--commit", action="store_true", help="import, in one transaction")
        parser.add_argument(
            "--skip-refused",
            action="store_true",
            help="with --commit: import the other lines when some are refused",
        )
        parser.add_argument(
            "--date-order",
            choices=["dmy", "mdy"],
            default=None,
            help="how numeric dates are written: day first or month first (default: as "
            "the file's own dates show; dates that could be read both ways are refused)",
        )
        parser.add_argument("--location", default=None, help="where appointments are booked")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from None
        try:
            report = patients_import(
                actor=None,
                data=data,
                column_map=options["map"],
                date_order=options["date_order"],
                location_slug=options["location"],
                commit=options["commit"],
                skip_refused=options["skip_refused"],
            )
        except InvalidInput as refused:
            raise CommandError(
                "; ".join(f"{p.field}: {p.message}" for p in refused.problems)
            ) from None
        out = self.stdout.write
        done = report.committed
        out(
            f"{'Imported' if done else 'Checked'} {path.name}"
            + ("" if done else " (nothing saved)")
        )
        for words in file_words(report):
            out(f"  {words}")
        zone = report.location.zone
        for outcome in report.lines:
            line = outcome.line
            born = f", born {outcome.born}" if outcome.born else ""
            out(f"{line.where}: {line.name}{born}: {status_words(outcome, done)}")
            for words in detail_words(outcome):
                out(f"    - {words}")
            if outcome.appointment is not None:
                out(f"    appointment: {appointment_words(outcome.appointment, done, zone)}")
        out(summary_words(report))
        if report.blocked:
            raise CommandError(
                f"{report.blocked} (--skip-refused leaves them out)", returncode=REFUSED_EXIT
            )
        if not options["commit"]:
            out("To import, run again with --commit.")
