"""`needlepoint waitlist offer`: offer slots freed by recent cancellations to the waitlist."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from needlepoint.notifications.services import outbox_deliver
from needlepoint.waitlist.services import waitlist_offer_freed_slots


class Command(BaseCommand):
    help = "Offer slots freed by cancellations to the waitlist (exactly once per slot)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["offer"])

    def handle(self, *args: Any, **options: Any) -> None:
        offered = waitlist_offer_freed_slots()
        sent = outbox_deliver().sent
        self.stdout.write(f"waitlist offers {offered}, messages sent {sent}")
