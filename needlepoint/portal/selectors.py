"""What the portal shows one patient. Every page reads through ``portal_read`` (one audit
event naming the section); nothing here takes a patient id from the request: the patient is
always the signed-in user's own record, so another patient's objects are unreachable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from needlepoint.accounts.models import User
from needlepoint.audit.services import record
from needlepoint.charting.models import ConsentSignature
from needlepoint.charting.selectors import consented_plans
from needlepoint.clinic.clock import clinic_today, local_date
from needlepoint.core.audited import found_or_denied
from needlepoint.core.labels import assessment_kind_label, day_words
from needlepoint.domain.outcomes import VIEW_LABELS, VIEWS
from needlepoint.domain.protocols import TimelineStep, session_timeline
from needlepoint.followups.models import FollowUp
from needlepoint.outcomes.charts import grade_chart
from needlepoint.outcomes.models import Photo
from needlepoint.outcomes.selectors import (
    grade_series,
    sessions_between_dates,
    treatment_session_days,
)
from needlepoint.patients.models import Patient
from needlepoint.scheduling.models import Appointment, AppointmentStatus
from needlepoint.scheduling.rules import late_cancel_window
from needlepoint.scheduling.selectors import appointment_is_charted
from needlepoint.screening.clinic_data import current_protocols
from needlepoint.treatments.models import TreatmentPlan


def own_patient(actor: User) -> Patient | None:
    return Patient.objects.filter(user=actor).first()


def portal_read(*, actor: User, patient: Patient, section: str) -> None:
    record(
        actor=actor,
        action="portal.read",
        object_type="patient",
        object_id=patient.pk,
        patient_id=patient.pk,
        detail={"section": section},
    )


# ---------------------------------------------------------------- appointments


@dataclass(frozen=True)
class AppointmentView:
    appointment: Appointment
    local_start: datetime
    local_end: datetime
    can_change: bool
    late: bool  # cancelling now would be a late cancellation

    @property
    def pk(self) -> int:
        return self.appointment.pk


def with_charted(rows: QuerySet[Appointment]) -> QuerySet[Appointment]:
    """Each appointment with ``charted`` (a session chart exists), read in the same query."""
    charts = Appointment.objects.filter(pk=OuterRef("pk"), chart__isnull=False)
    return rows.annotate(charted=Exists(charts))


def appointment_view(appointment: Appointment, now: datetime) -> AppointmentView:
    zone = appointment.location.zone
    charted = getattr(appointment, "charted", None)  # annotated by with_charted()
    open_ = (
        appointment.status == AppointmentStatus.BOOKED
        and appointment.start > now
        and not (appointment_is_charted(appointment) if charted is None else charted)
    )
    return AppointmentView(
        appointment=appointment,
        local_start=appointment.start.astimezone(zone),
        local_end=appointment.end.astimezone(zone),
        can_change=open_,
        late=open_ and appointment.start - now < late_cancel_window(),
    )


def appointments(
    patient: Patient, now: datetime
) -> tuple[list[AppointmentView], list[AppointmentView]]:
    rows = with_charted(
        Appointment.objects.select_related("service", "location", "staff").filter(patient=patient)
    )
    upcoming = [
        appointment_view(a, now)
        for a in rows.filter(status=AppointmentStatus.BOOKED, end__gt=now).order_by("start")
    ]
    past = [
        appointment_view(a, now)
        for a in rows.exclude(status=AppointmentStatus.BOOKED, end__gt=now).order_by("-start")[:50]
    ]
    return upcoming, past


def own_appointment(*, actor: User, appointment_id: int) -> Appointment:
    """The patient's own appointment, or NotFound (another patient's is indistinguishable
    from none; the refusal is audited)."""
    return found_or_denied(
        (
            Appointment.objects.select_related("patient", "service", "location")
            .filter(pk=appointment_id, patient__user=actor)
            .first()
        ),
        actor=actor,
        action="appointment.read",
        object_type="appointment",
        object_id=appointment_id,
        not_found="no such appointment",
    )


# ---------------------------------------------------------------- aftercare


@dataclass(frozen=True)
class Aftercare:
    session_on: date
    steps: list[TimelineStep]
    this_week: list[TimelineStep]
    days_since: int


def last_session_aftercare(patient: Patient, today: date) -> Aftercare | None:
    """The timeline after the patient's most recent completed treatment session."""
    last = (
        Appointment.objects.select_related("location")
        .filter(patient=patient, status=AppointmentStatus.COMPLETED, service__is_treatment=True)
        .order_by("-start")
        .first()
    )
    if last is None:
        return None
    day = local_date(last.location, last.start)
    steps = session_timeline(day, current_protocols())
    week_end = today + timedelta(days=6)
    this_week = [s for s in steps if s.starts_on <= week_end and s.ends_on >= today]
    return Aftercare(
        session_on=day, steps=steps, this_week=this_week, days_since=(today - day).days
    )


# ---------------------------------------------------------------- plan and progress


def current_plan(patient: Patient) -> Any:
    plans = TreatmentPlan.objects.filter(patient=patient).exclude(
        status=TreatmentPlan.Status.CANCELLED
    )
    return plans.prefetch_related("plan_sessions").order_by("-created_at", "-pk").first()


@dataclass(frozen=True)
class PlanProgress:
    plan: Any
    sessions: list[Any]
    done: int
    booked: int
    planned: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / max(1, len(self.sessions)))


def plan_progress(patient: Patient) -> PlanProgress | None:
    plan = current_plan(patient)
    if plan is None:
        return None
    sessions = sorted(plan.plan_sessions.all(), key=lambda s: s.index)
    count = {s: sum(1 for x in sessions if x.status == s) for s in ("done", "booked", "planned")}
    return PlanProgress(plan, sessions, count["done"], count["booked"], count["planned"])


def _concern_label(name: str) -> str:
    concern = current_protocols().concerns.get(name)
    return concern.label if concern is not None else name.replace("_", " ").capitalize()


def _chart_for_people(concern: str, points: Any, session_days: Any, today: date) -> Any:
    """The chart, with its dots' titles in the patient's words (the chart's own name the
    assessment by its code's words); session lines keep the chart's date in words."""
    chart = grade_chart(concern, points, session_days, today=today)
    dots = [
        (dot, f"{day_words(p.on)}: grade {p.grade or '—'} ({assessment_kind_label(p.kind)})")
        for dot, p in zip(chart.dots, points, strict=True)
    ]
    sessions = [(t, f"Session on {t.label}") for t in chart.sessions]
    return {"chart": chart, "dots": dots, "sessions": sessions}


def grade_charts(patient: Patient) -> list[dict[str, Any]]:
    series = grade_series(patient)
    session_days, _ = treatment_session_days(patient)
    today = clinic_today()
    return [
        {
            **_chart_for_people(concern, points, session_days, today),
            "points": points,
            "label": _concern_label(concern),
        }
        for concern, points in series.items()
    ]


# ---------------------------------------------------------------- photos


def shared_comparison(
    patient: Patient, view: str, a: date | None, b: date | None
) -> dict[str, Any]:
    """The patient's shared photos, by view and day, and the chosen before/after pair."""
    photos = list(
        Photo.objects.filter(patient=patient, shared_with_patient=True).order_by("taken_on", "id")
    )
    by_view: dict[str, dict[date, Any]] = {}
    for photo in photos:
        by_view.setdefault(photo.view, {})[photo.taken_on] = photo  # a retake replaces
    views = [v for v in VIEWS if v in by_view]
    if view not in by_view:
        view = views[0] if views else ""
    days = sorted(by_view.get(view, {}))
    a = a if a in days else (days[0] if days else None)
    b = b if b in days else (days[-1] if days else None)
    before = by_view[view][a] if a else None
    after = by_view[view][b] if b and b != a else None
    return {
        "photos": photos,
        "views": [(v, VIEW_LABELS[v]) for v in views],
        "view": view,
        "view_label": VIEW_LABELS.get(view, ""),
        "days": days,
        "a": a,
        "b": b,
        "before": before,
        "after": after,
        "sessions": sessions_between_dates(patient, a, b) if before and after and a and b else None,
        "months": round((b - a).days / 30.44, 1) if before and after and a and b else None,
    }


# ---------------------------------------------------------------- forms


@dataclass(frozen=True)
class PendingConsent:
    appointment: AppointmentView


def pending_consents(patient: Patient, now: datetime) -> list[PendingConsent]:
    """Upcoming treatment appointments without a signature of the consent text in force."""
    rows = with_charted(
        Appointment.objects.select_related("service", "location").filter(
            patient=patient,
            status=AppointmentStatus.BOOKED,
            service__is_treatment=True,
            start__gt=now,
        )
    )
    consented = consented_plans(patient.pk)
    return [
        PendingConsent(appointment_view(a, now))
        for a in rows.order_by("start")
        if (a.plan_id not in consented if a.plan_id else not consented)
    ]


# ---------------------------------------------------------------- lookups for the pages


def own_followup(*, actor: User, patient: Patient, followup_id: int) -> FollowUp:
    """The patient's own follow-up, or NotFound (another's is indistinguishable from none;
    the refusal is audited)."""
    return found_or_denied(
        (
            FollowUp.objects.select_related("appointment")
            .filter(pk=followup_id, patient=patient)
            .first()
        ),
        actor=actor,
        action="followup.read",
        object_type="follow_up",
        object_id=followup_id,
        not_found="no such follow-up",
    )


def signed_consents(patient: Patient, *, limit: int = 10) -> list[ConsentSignature]:
    """The patient's latest consent signatures, newest first."""
    return list(ConsentSignature.objects.filter(patient=patient).order_by("-signed_at")[:limit])
