"""The clinic's periodic jobs (they were one loop, `reminders send --every 60`): each a
background job of its own, so one failing does not hold back the others, and each fired once
per period by whichever worker claims it (core.background.periodic).

Priorities keep the old loop's order on a worker: follow-ups are proposed before reminders are
planned (so the plan sees them), offers and plans are made before the messages go out."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from needlepoint.audit.checkpoints import checkpoint_if_due
from needlepoint.core.background.jobs import job
from needlepoint.core.background.periodic import Periodic
from needlepoint.core.models import PeriodicFiring
from needlepoint.followups.services import followups_sync
from needlepoint.notifications.services import outbox_deliver, reminders_plan
from needlepoint.waitlist.services import waitlist_offer_freed_slots

KEEP_FIRINGS = timedelta(days=2)
KEEP_FINISHED_JOBS = timedelta(days=14)


@job(label="Propose follow-up visits and recalls", priority=40)
def propose_followups() -> str:
    followups_sync(actor=None)
    return "done"


@job(label="Plan reminders", priority=30)
def plan_reminders() -> int:
    return reminders_plan().planned


@job(label="Offer freed slots to the waitlist", priority=20)
def offer_freed_slots() -> int:
    return waitlist_offer_freed_slots()


@job(label="Send due messages", priority=10)
def send_due_messages() -> dict[str, int]:
    report = outbox_deliver()
    return {
        "sent": report.sent,
        "cancelled": report.cancelled,
        "retrying": report.retrying,
        "failed": report.failed,
    }


@job(label="Sign an audit checkpoint", priority=0)
def audit_checkpoint() -> str:
    # The periodic job vouches for the audit trail (docs/operations.md, Audit).
    checkpoint_if_due()
    return "done"


@job(label="Tidy finished background jobs", priority=-10)
def tidy_jobs() -> int:
    """Forget firings older than two days and jobs that succeeded over two weeks ago; jobs
    that gave up stay until the admin has seen them (they are few)."""
    now = timezone.now()
    PeriodicFiring.objects.filter(period_start__lt=now - KEEP_FIRINGS).delete()
    done, _ = (
        DBTaskResult.objects.successful().filter(finished_at__lt=now - KEEP_FINISHED_JOBS).delete()
    )
    return done


def schedule() -> list[Periodic]:
    """What the workers fire, and how often (read when a worker starts)."""
    minute = timedelta(seconds=settings.NEEDLEPOINT_REMINDERS_EVERY_SECONDS)
    return [
        Periodic("propose-followups", minute, propose_followups),
        Periodic("plan-reminders", minute, plan_reminders),
        Periodic("offer-freed-slots", minute, offer_freed_slots),
        Periodic("send-due-messages", minute, send_due_messages),
        Periodic("audit-checkpoint", minute, audit_checkpoint),
        Periodic("tidy-jobs", timedelta(days=1), tidy_jobs),
    ]
