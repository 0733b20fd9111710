"""Follow-ups after a course (services and selectors): outcome visits 1, 3 and 6 calendar
months after the plan's last session and the maintenance recall, from
``needlepoint.domain.protocols.follow_up_schedule``.

* ``followups_propose`` writes a plan's follow-ups once its course is finished (every plan
  session done); ``followups_sync`` does that for every finished plan and raises the
  maintenance recalls that have come due. Both are idempotent.
* ``followup_book`` books a proposed visit through the booking core (``appointment_book``,
  service ``follow-up``), so every booking rule holds.
* A follow-up's state is read from its appointment and the date (``followup_state``), never
  stored twice: booked, done, missed (a no-show, or never booked and past its due date).
* Reminders are the notifications app's: its planner enqueues outcome-visit and recall
  messages from the same schedule, and booked visits get the usual appointment reminders.

See docs/decisions/0161-follow-up-proposal.md and 0162-missed-outcome-visit.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from needlepoint.accounts.models import User
from needlepoint.audit.services import Target, record, record_denied, record_many
from needlepoint.core.errors import Conflict, InvalidInput, NotFound
from needlepoint.domain.protocols import ProtocolTable, follow_up_schedule
from needlepoint.patients.models import Patient

from .followup_models import FollowUp

FOLLOW_UP_SERVICE = "follow-up"
BOOKING_WINDOW_BEFORE = timedelta(days=7)  # an outcome visit may be booked a week early
SLOT_SEARCH_DAYS = 21


class State:
    PROPOSED = "proposed"  # not booked yet, not yet due
    BOOKED = "booked"
    DONE = "done"
    MISSED = "missed"  # no-show, or never booked and past its due date
    UPCOMING = "upcoming"  # a recall not yet due
    DUE = "due"  # a recall that has come due (raised)
    DISMISSED = "dismissed"

    ALL = ("proposed", "booked", "done", "missed", "upcoming", "due", "dismissed")
    # What the front desk acts on.
    ACTION = ("missed", "due", "proposed")


def _table() -> ProtocolTable:
    from needlepoint.screening.clinic_data import current_protocols

    return current_protocols()


def clinic_today(now: datetime | None = None) -> date:
    from needlepoint.screening.clinic_data import clinic_zone

    return timezone.localdate(now or timezone.now(), timezone=clinic_zone())


def course_last_session(plan: Any) -> date | None:
    """The day of the course's last session, once every session of the plan is done."""
    sessions = list(plan.plan_sessions.all())
    if not sessions or any(s.status != "done" for s in sessions):
        return None
    days = [s.done_on for s in sessions if s.done_on]
    return max(days) if days else None


def followup_state(followup: FollowUp, today: date) -> str:
    if followup.dismissed_at:
        return State.DISMISSED
    appointment = followup.appointment
    status = appointment.status if appointment is not None else None
    if status == "completed":
        return State.DONE
    if status == "booked":
        return State.BOOKED
    if status == "no_show":
        return State.MISSED
    if followup.kind == FollowUp.Kind.MAINTENANCE_RECALL:
        return State.DUE if followup.due_on <= today else State.UPCOMING
    return State.MISSED if followup.due_on < today else State.PROPOSED


# ---------------------------------------------------------------- writes


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
    from needlepoint.treatments.models import PlanSession, TreatmentPlan

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
    today = clinic_today(now)
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
) -> FollowUp:
    """Book the visit through the booking core (all its rules: hours, notice, conflicts)."""
    from needlepoint.clinic.models import Service
    from needlepoint.scheduling.models import BookedVia
    from needlepoint.scheduling.services import appointment_book

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
    appointment = appointment_book(
        actor=actor,
        patient=followup.patient,
        service=service,
        start=start,
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


# ---------------------------------------------------------------- reads


def followup_slots(followup: FollowUp, *, now: datetime | None = None, limit: int = 5) -> list[Any]:
    """The first free follow-up slots from a week before the due date (never in the past)."""
    return followup_slots_many([followup], now=now, limit=limit)[followup.pk]


def followup_slots_many(
    followups: Sequence[FollowUp], *, now: datetime | None = None, limit: int = 5
) -> dict[int, list[Any]]:
    """``followup_slots`` of each follow-up (by id), from one read of the calendars that
    spans every follow-up's search window: a list of them costs what one does."""
    # In the function, as the other reads of this module do: scheduling is not imported at
    # module level here until issue #10 moves follow-ups above it.
    from needlepoint.clinic.models import Service
    from needlepoint.scheduling.selectors import booking_calendars, default_location, service_spec

    found: dict[int, list[Any]] = {f.pk: [] for f in followups}
    if not followups:
        return found
    now = now or timezone.now()
    service = Service.objects.filter(slug=FOLLOW_UP_SERVICE, active=True).first()
    location = default_location()
    if service is None or location is None:
        return found
    today = clinic_today(now)
    windows = {}
    for f in followups:
        start = max(f.due_on - BOOKING_WINDOW_BEFORE, today)
        windows[f.pk] = (start, start + timedelta(days=SLOT_SEARCH_DAYS))
    spec = service_spec(service)
    calendars = booking_calendars(
        location=location,
        start_date=min(start for start, _ in windows.values()),
        end_date=max(end for _, end in windows.values()),
        reach=spec.occupied,
    )
    for f in followups:
        # The engine clips to the dates asked for, so the wider calendars answer the same.
        start, end = windows[f.pk]
        slots = replace(calendars, start_date=start, end_date=end).slots(spec, now=now)
        seen_starts = set()
        for slot in slots:
            if slot.start not in seen_starts:
                seen_starts.add(slot.start)
                found[f.pk].append(slot)
            if len(found[f.pk]) >= limit:
                break
    return found


@dataclass(frozen=True)
class FollowUpRow:
    followup: FollowUp
    state: str

    @property
    def patient(self) -> Patient:
        return self.followup.patient


def _rows(query: Iterable[FollowUp], today: date) -> list[FollowUpRow]:
    return [FollowUpRow(f, followup_state(f, today)) for f in query]


def followup_list(
    *,
    actor: User,
    states: Iterable[str] = State.ACTION,
    today: date | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[FollowUpRow], int]:
    """The front desk's follow-up list, oldest due first: missed outcome visits, recalls due,
    and outcome visits to book. Each patient listed counts as one read (audited)."""
    today = today or clinic_today()
    wanted = set(states)
    query = FollowUp.objects.select_related("patient", "plan", "appointment").order_by(
        "due_on", "id"
    )
    if not wanted & {State.UPCOMING, State.PROPOSED, State.BOOKED}:
        query = query.filter(due_on__lte=today)  # missed/due/done rows are past their day
    rows = [r for r in _rows(query, today) if r.state in wanted]
    page = rows[offset : offset + limit]
    if page:
        record_many(
            actor=actor,
            action="followup.read",
            targets=[
                Target("follow_up", str(r.followup.pk), str(r.followup.patient_id)) for r in page
            ],
            detail={"via": "list"},
        )
    return page, len(rows)


def patient_followups(
    *, actor: User, patient: Patient, today: date | None = None
) -> list[FollowUpRow]:
    """One patient's follow-ups (the portal, the patient page); one audit event."""
    today = today or clinic_today()
    rows = _rows(
        FollowUp.objects.filter(patient=patient)
        .select_related("appointment", "plan")
        .order_by("due_on", "id"),
        today,
    )
    record(
        actor=actor,
        action="followup.read",
        object_type="patient",
        object_id=patient.pk,
        patient_id=patient.pk,
    )
    return rows


def followup_for(*, actor: User, followup_id: int, for_booking: bool = False) -> FollowUp:
    """One follow-up: staff with followup.read any (to book one: staff with appointment.book,
    as docs/roles.md grants the clinic admin), a patient only their own; else 404."""
    query = FollowUp.objects.select_related("patient", "appointment").filter(pk=followup_id)
    staff_booking = for_booking and actor.is_clinic_staff and actor.may("appointment.book")
    if actor.may("followup.read") or staff_booking:
        pass
    elif actor.may("patient.read_own"):
        query = query.filter(patient__user=actor)
    else:
        query = query.none()
    followup = query.first()
    if followup is None:
        record_denied(
            actor=actor,
            action="followup.read",
            object_type="follow_up",
            object_id=followup_id,
            reason="object",
        )
        raise NotFound("no such follow-up")
    return followup
