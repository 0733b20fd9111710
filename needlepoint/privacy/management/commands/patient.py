"""`needlepoint patient erase ID [--dry-run] [--confirm] [--by USERNAME]`: carry out a
patient's erasure request (docs/retention.md). Without --confirm it only shows what would
be removed and kept, as --dry-run does."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from needlepoint.accounts.models import User
from needlepoint.core.errors import Conflict, Forbidden, NotFound

from ...selectors import ErasurePlan
from ...services import patient_erase


class Command(BaseCommand):
    help = "Erase a patient's personal data; clinical records stay for the retention period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["erase"])
        parser.add_argument("patient_id", type=int)
        parser.add_argument("--dry-run", action="store_true", help="only say what would change")
        parser.add_argument("--confirm", action="store_true", help="erase (asked once)")
        parser.add_argument(
            "--by", default="", help="the clinic admin's username, named in the audit trail"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = None
        if options["by"]:
            actor = User.objects.filter(username=options["by"], is_active=True).first()
            if actor is None:
                raise CommandError(f"--by: no active user {options['by']!r}")
        dry_run = options["dry_run"] or not options["confirm"]
        try:
            erasure = patient_erase(actor=actor, patient_id=options["patient_id"], dry_run=dry_run)
        except (NotFound, Forbidden, Conflict) as exc:
            raise CommandError(exc.message) from None
        self._show(erasure.plan)
        if erasure.done:
            self.stdout.write(f"Erased patient #{erasure.plan.patient.pk}.")
        elif erasure.plan.problems:
            self.stdout.write("Cannot be erased yet: " + " ".join(erasure.plan.problems))
        else:
            self.stdout.write("Nothing changed. Run again with --confirm to erase.")

    def _show(self, plan: ErasurePlan) -> None:
        self.stdout.write(f"Patient #{plan.patient.pk}")
        self.stdout.write("Removed:")
        for line in plan.removed:
            self.stdout.write(f"  {line.label}" + (f": {line.count}" if line.counted else ""))
        self.stdout.write(f"Kept until at least {plan.keep_until}:")
        for line in plan.kept:
            self.stdout.write(f"  {line.label}" + (f": {line.count}" if line.counted else ""))
