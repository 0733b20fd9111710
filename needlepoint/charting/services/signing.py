"""Step 4: the operator signs, the medical director co-signs, a signed chart is amended."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from needlepoint.accounts.models import User
from needlepoint.audit.services import record
from needlepoint.domain import charting
from needlepoint.domain.charting import Step
from needlepoint.scheduling.models import AppointmentStatus
from needlepoint.scheduling.services import appointment_complete
from needlepoint.treatments.services import plan_session_mark

from .. import selectors as sel
from ..models import ChartAmendment, SessionChart
from .common import RuleRefused, _conflict, _local_today, _refuse_step, _refuse_timing

# --- 4. Sign, co-sign, amend -----------------------------------------------------------


def _first_session(chart: SessionChart) -> bool:
    appointment = chart.appointment
    if appointment.plan_session is not None:
        return appointment.plan_session == 1
    if chart.plan_id is None:
        return False
    return not SessionChart.objects.filter(
        plan_id=chart.plan_id, status=SessionChart.Status.SIGNED
    ).exists()


def _baseline_photos_complete(patient: Any) -> bool | None:
    """The outcomes app's answer, or None while it has no such selector."""
    import importlib

    try:
        outcome_selectors = importlib.import_module("needlepoint.outcomes.selectors")
    except ImportError:
        return None
    check = getattr(outcome_selectors, "baseline_photos_complete", None)
    return None if check is None else bool(check(patient))


def baseline_photos_missing(patient: Any) -> bool:
    return _baseline_photos_complete(patient) is False


def chart_sign(*, actor: User, chart: SessionChart, now: datetime | None = None) -> SessionChart:
    """The operator signs; a non-physician's chart goes to the medical director's queue."""
    when = now or timezone.now()
    with transaction.atomic():
        # The appointment too, and before the audit lock: signing completes it, and every
        # other writer of an appointment locks its row before appending to the audit chain.
        chart = (
            SessionChart.objects.select_for_update(of=("self", "appointment"))
            .select_related("appointment", "appointment__location")
            .get(pk=chart.pk)
        )
        if chart.status == SessionChart.Status.SIGNED:
            raise _conflict(charting.CHART_ALREADY_SIGNED, "The chart is already signed.")
        if chart.operator_id != actor.pk:
            raise _conflict(
                charting.NOT_THE_OPERATOR, "Only the operator who charted the session signs it."
            )
        _refuse_timing(
            charting.sign_refusal(chart.session_date, _local_today(chart.appointment, when))
        )
        _refuse_step(Step.SIGN, chart.appointment)
        if _first_session(chart) and _baseline_photos_complete(chart.patient) is False:
            raise _conflict(
                charting.BASELINE_PHOTOS_REQUIRED,
                "Baseline photos are required before the first session's chart is signed.",
            )
        chart.status = SessionChart.Status.SIGNED
        chart.signed_at = when
        chart.needs_cosign = chart.operator_role != "physician"
        chart.save(update_fields=["status", "signed_at", "needs_cosign", "updated_at"])
        record(
            actor=actor,
            action="chart.sign",
            object_type="session_chart",
            object_id=chart.pk,
            patient_id=chart.patient_id,
            detail={"needs_cosign": chart.needs_cosign},
        )
        _close_appointment(actor, chart, when)
    return chart


def _close_appointment(actor: User, chart: SessionChart, when: datetime) -> None:
    appointment = chart.appointment
    if appointment.status == AppointmentStatus.BOOKED and when >= appointment.start:
        appointment_complete(actor=actor, appointment=appointment, now=when)
    plan = appointment.plan
    if plan is not None and appointment.plan_session and plan.status != "cancelled":
        plan_session_mark(
            actor=actor,
            plan=plan,
            index=appointment.plan_session,
            status="done",
            on=chart.session_date,
            reference=f"appointment:{appointment.pk}",
        )


def chart_cosign(*, actor: User, chart: SessionChart, now: datetime | None = None) -> SessionChart:
    with transaction.atomic():
        chart = SessionChart.objects.select_for_update(of=("self",)).get(pk=chart.pk)
        if chart.status != SessionChart.Status.SIGNED:
            raise _conflict(charting.CHART_NOT_SIGNED, "The operator has not signed the chart yet.")
        if chart.cosigned_at is not None:
            raise _conflict(charting.ALREADY_COSIGNED, "The chart is already co-signed.")
        if not chart.needs_cosign:
            raise _conflict(
                charting.COSIGN_NOT_NEEDED, "A physician's chart needs no co-signature."
            )
        chart.cosigned_by = actor
        chart.cosigned_at = now or timezone.now()
        chart.save(update_fields=["cosigned_by", "cosigned_at", "updated_at"])
        record(
            actor=actor,
            action="chart.cosign",
            object_type="session_chart",
            object_id=chart.pk,
            patient_id=chart.patient_id,
        )
    return chart


def chart_amend(
    *,
    actor: User,
    chart: SessionChart,
    changes: Mapping[str, Any],
    reason: str,
    now: datetime | None = None,
) -> ChartAmendment:
    """A signed chart is locked: a change is an amendment kept beside the original."""
    problems = charting.check_amendment(changes, reason or "")
    if problems:
        raise RuleRefused([(p.field, p.rule, p.message) for p in problems])
    with transaction.atomic():
        chart = SessionChart.objects.select_for_update(of=("self",)).get(pk=chart.pk)
        if chart.status != SessionChart.Status.SIGNED:
            raise _conflict(
                charting.CHART_NOT_SIGNED, "An unsigned chart is corrected by charting it again."
            )
        before = sel.current_values(chart)
        diff = {
            name: {"from": before[name], "to": value}
            for name, value in changes.items()
            if before[name] != value
        }
        if not diff:
            raise RuleRefused.single("changes", "NO_CHANGE", "nothing differs from the chart")
        amendment = ChartAmendment.objects.create(
            chart=chart,
            changes=diff,
            reason=reason.strip(),
            amended_by=actor,
            amended_at=now or timezone.now(),
        )
        record(
            actor=actor,
            action="chart.amend",
            object_type="session_chart",
            object_id=chart.pk,
            patient_id=chart.patient_id,
            detail={"fields": sorted(diff), "amendment": amendment.pk},
        )
    return amendment
