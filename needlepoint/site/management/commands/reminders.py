"""`needlepoint reminders send`: propose follow-ups of finished courses and raise due recalls,
plan due reminders into the outbox, offer freed slots to the waitlist, then deliver every
due message. Safe to run from several machines at once."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from needlepoint.audit.checkpoints import checkpoint_if_due
from needlepoint.followups.services import followups_sync
from needlepoint.notifications.services import outbox_deliver, reminders_plan
from needlepoint.waitlist.services import waitlist_offer_freed_slots


class Command(BaseCommand):
    help = "Plan and send patient reminders (outbox); also offers freed slots to the waitlist."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["send"], help="send: plan, then deliver")
        parser.add_argument("--no-waitlist", action="store_true", help="skip waitlist offers")
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="keep running: once every SECONDS (as `serve --with-reminders` does)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        every = options["every"]
        if not every:
            self.run_once(options)
            return
        try:
            while True:
                try:
                    self.run_once(options)
                except Exception as exc:  # keep the loop alive; the next round retries
                    self.stderr.write(f"reminders: {type(exc).__name__}: {exc}")
                finally:
                    close_old_connections()
                time.sleep(every)
        except KeyboardInterrupt:  # Ctrl+C on `make run` reaches the whole process group
            return

    def run_once(self, options: dict[str, Any]) -> None:
        # Finished courses get their outcome visits proposed and due recalls raised first, so
        # the reminders planned next can see them.
        followups_sync(actor=None)
        planned = reminders_plan()
        offered = 0
        if not options["no_waitlist"]:
            offered = waitlist_offer_freed_slots()
        delivered = outbox_deliver()
        # The periodic job also vouches for the audit trail (docs/operations.md, Audit).
        checkpoint_if_due()
        self.stdout.write(
            f"planned {planned.planned}, waitlist offers {offered}, sent {delivered.sent}, "
            f"cancelled {delivered.cancelled}, retrying {delivered.retrying}, "
            f"failed {delivered.failed}"
        )
