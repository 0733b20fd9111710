"""Follow-ups after a course (writes): outcome visits 1, 3 and 6 calendar
months after the plan's last session and the maintenance recall, from
``needlepoint.domain.protocols.follow_up_schedule``.

* ``followups_propose`` writes a plan's follow-ups once its course is finished (every plan
  session done); ``followups_sync`` does that for every finished plan and raises the
  maintenance recalls that have come due. Both are idempotent.
* ``followup_book`` books a proposed visit through the booking core (``appointment_book``,
  service ``follow-up``), so every booking rule holds.
* A follow-up's state is read from its appointment and the date (``selectors.followup_state``),
  never stored twice: booked, done, missed (a no-show, or never booked and past its due date).
* Reminders are the notifications app's: its planner enqueues outcome-visit and recall
  messages from the same schedule, and booked visits get the usual appointment reminders.

See docs/decisions/0161-follow-up-proposal.md and 0162-missed-outcome-visit.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from needlepoint.accounts.models import User
from needlepoint.audit.services import Target, record, record_many
from needlepoint.clinic.access import require_at
from needlepoint.clinic.clock import clinic_today
from needlepoint.clinic.models import Location, Service
from needlepoint.core.errors import Conflict, InvalidInput
from needlepoint.domain.protocols import ProtocolTable, follow_up_schedule
from needlepoint.scheduling.models import BookedVia
from needlepoint.scheduling.services import appointment_book
from needlepoint.screening.clinic_data import current_protocols
from needlepoint.treatments.models import PlanSession, TreatmentPlan

from .models import FollowUp
from .selectors import FOLLOW_UP_SERVICE, course_last_session, usual_locations


def _table() -> ProtocolTable:
    return current_protocols()


def followups_propose(
    *, actor: User | None, plan: Any, now: datetime | None = None
) -> list[FollowUp]:
    """Write the finished course's outcome visits and maintenance recall (once; a course
    whose last session moved re-dates the follow-ups that are not booked yet)."""
    last = course_last_session(plan)
    if last is None:
        raise Conflict(
            "The course is not finished: follow-ups are proposed after its last session.",
            code="course_not_finished",
        )
    schedule = follow_up_schedule(last, _table(), maintenance_months=plan.maintenance_months)
    created: list[FollowUp] = []
    result: list[FollowUp] = []
    with transaction.atomic():
        for item in schedule:
            kind = (
                FollowUp.Kind.MAINTENANCE_RECALL
                if item.kind == "maintenance_recall"
                else FollowUp.Kind.OUTCOME_VISIT
            )
            followup, was_created = FollowUp.objects.get_or_create(
                plan=plan,
                kind=kind,
                months_after=item.months_after,
                defaults={
                    "patient_id": plan.patient_id,
                    "last_session_on": last,
                    "due_on": item.due_date,
                    "text": item.text[:300],
                },
            )
            if was_created:
                created.append(followup)
            elif followup.last_session_on != last and followup.appointment_id is None:
                followup.last_session_on, followup.due_on = last, item.due_date
                followup.save(update_fields=["last_session_on", "due_on", "updated_at"])
                created.append(followup)
            result.append(followup)
        if created:
            record_many(
                actor=actor,
                action="followup.propose",
                targets=[Target("follow_up", str(f.pk), str(plan.patient_id)) for f in created],
                detail={"plan": plan.pk, "last_session": last.isoformat()},
            )
    return result


@dataclass
class SyncReport:
    proposed: int = 0
    recalls_raised: int = 0
    plans: list[int] = field(default_factory=list)


def _finished_plans() -> QuerySet[Any]:
    return (
        TreatmentPlan.objects.exclude(status=TreatmentPlan.Status.CANCELLED)
        .exclude(plan_sessions__status__in=[PlanSession.Status.PLANNED, PlanSession.Status.BOOKED])
        .filter(plan_sessions__status=PlanSession.Status.DONE)
        .distinct()
        .prefetch_related("plan_sessions")
    )


def followups_sync(*, actor: User | None = None, now: datetime | None = None) -> SyncReport:
    """Propose follow-ups for every finished course that has none, and raise each maintenance
    recall whose day has come. Safe to run any number of times (the reminders job, a page)."""
    now = now or timezone.now()
    report = SyncReport()
    have = set(FollowUp.objects.values_list("plan_id", flat=True).distinct())
    for plan in _finished_plans().exclude(pk__in=have):
        report.proposed += len(followups_propose(actor=actor, plan=plan, now=now))
        report.plans.append(plan.pk)
    today = clinic_today(now=now)
    due = list(
        FollowUp.objects.filter(
            kind=FollowUp.Kind.MAINTENANCE_RECALL,
            raised_at__isnull=True,
            dismissed_at__isnull=True,
            due_on__lte=today,
        )
    )
    if due:
        with transaction.atomic():
            FollowUp.objects.filter(pk__in=[f.pk for f in due]).update(raised_at=now)
            record_many(
                actor=actor,
                action="followup.recall_raise",
                targets=[Target("follow_up", str(f.pk), str(f.patient_id)) for f in due],
            )
        report.recalls_raised = len(due)
    return report


def followup_book(
    *,
    actor: User,
    followup: FollowUp,
    start: datetime,
    staff_username: str | None = None,
    now: datetime | None = None,
    location: Location | None = None,
) -> FollowUp:
    """Book the visit through the booking core (all its rules: hours, notice, conflicts) at
    ``location`` (default: where the course's last session was). Staff book only where they
    may act (decision 0700): elsewhere is 404, as for any booking."""

    current = followup.appointment
    if current is not None and current.status in ("booked", "completed"):
        raise Conflict(
            f"This follow-up is already {current.get_status_display().lower()}.",
            code="followup_booked",
        )
    if followup.dismissed_at:
        raise Conflict("This follow-up was dismissed.", code="followup_dismissed")
    service = Service.objects.filter(slug=FOLLOW_UP_SERVICE, active=True).first()
    if service is None:
        raise InvalidInput.one("service", "the clinic offers no follow-up visit service")
    where = location or usual_locations([followup])[followup.pk]
    require_at(actor, where, "location")
    appointment = appointment_book(
        actor=actor,
        patient=followup.patient,
        service=service,
        start=start,
        location=where,
        staff_username=staff_username,
        notes=followup.text,
        booked_via=BookedVia.STAFF if actor.is_clinic_staff else BookedVia.PATIENT,
        now=now,
    )
    with transaction.atomic():
        followup.appointment = appointment
        followup.save(update_fields=["appointment", "updated_at"])
        record(
            actor=actor,
            action="followup.book",
            object_type="follow_up",
            object_id=followup.pk,
            patient_id=followup.patient_id,
            detail={"appointment": appointment.pk, "kind": followup.kind},
        )
    return followup


def followup_link(*, actor: User | None, followup: FollowUp, appointment: Any) -> FollowUp:
    """Attach a visit booked or recorded otherwise (an import, the demo, a walk-in) to the
    follow-up it served; the appointment must be the same patient's."""
    if appointment.patient_id != followup.patient_id:
        raise InvalidInput.one("appointment", "is another patient's")
    with transaction.atomic():
        followup.appointment = appointment
        followup.save(update_fields=["appointment", "updated_at"])
        record(
            actor=actor,
            action="followup.link",
            object_type="follow_up",
            object_id=followup.pk,
            patient_id=followup.patient_id,
            detail={"appointment": appointment.pk},
        )
    return followup
