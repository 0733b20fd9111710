from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from needlepoint.audit.models import AuditEvent
from needlepoint.audit.selectors import chain_breaks


class Command(BaseCommand):
    help = "Audit trail tools: `audit verify` checks the whole hash chain."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        breaks = list(chain_breaks())
        total = AuditEvent.objects.count()
        if breaks:
            for item in breaks:
                self.stderr.write(f"audit event #{item.event_id} {item.problem}")
            raise CommandError(f"audit chain broken in {len(breaks)} place(s) of {total} events")
        self.stdout.write(f"audit chain intact: {total} events")
