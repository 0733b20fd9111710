"""`needlepoint reminders send`: run the message jobs once, now, in this process: propose
follow-ups and raise due recalls, plan due reminders, offer freed slots to the waitlist,
deliver every due message, sign an audit checkpoint if due. `needlepoint worker` runs the same
jobs every minute (site/tasks.py); this is for an operator, cron, or a test. Safe beside
workers and other runs: the outbox's claims make every message go out once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from needlepoint.site.tasks import (
    audit_checkpoint,
    offer_freed_slots,
    plan_reminders,
    propose_followups,
    send_due_messages,
)


class Command(BaseCommand):
    help = "Plan and send patient reminders (outbox) now; also offers freed slots to the waitlist."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["send"], help="send: plan, then deliver")
        parser.add_argument("--no-waitlist", action="store_true", help="skip waitlist offers")

    def handle(self, *args: Any, **options: Any) -> None:
        # Finished courses get their outcome visits proposed and due recalls raised first, so
        # the reminders planned next can see them.
        propose_followups.call()
        planned = plan_reminders.call()
        offered = 0 if options["no_waitlist"] else offer_freed_slots.call()
        delivered = send_due_messages.call()
        audit_checkpoint.call()
        self.stdout.write(
            f"planned {planned}, waitlist offers {offered}, sent {delivered['sent']}, "
            f"cancelled {delivered['cancelled']}, retrying {delivered['retrying']}, "
            f"failed {delivered['failed']}"
        )
