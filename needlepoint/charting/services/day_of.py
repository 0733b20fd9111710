"""Step 2: the day-of check, judged as of the appointment's date and recorded."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from needlepoint.accounts.models import User
from needlepoint.audit.services import record
from needlepoint.domain import charting
from needlepoint.domain.charting import Step
from needlepoint.domain.screening import (
    DAY_OF_FIELDS,
    DayOfAnswers,
    blocks_treatment,
    evaluate_day_of,
    validate_day_of_answers,
)
from needlepoint.scheduling.models import Appointment
from needlepoint.screening import clinic_data
from needlepoint.screening.results import result_payload

from .. import selectors as sel
from ..models import DayOfCheck, SessionChart
from .common import RuleRefused, _conflict, _local_today, _open, _refuse_step, _refuse_timing

# --- 2. Day-of check -------------------------------------------------------------------


def day_of_answers(raw: Mapping[str, Any]) -> DayOfAnswers:
    unknown = sorted(set(raw) - set(DAY_OF_FIELDS))
    if unknown:
        raise RuleRefused.single(unknown[0], "FIELD_UNKNOWN", "is not a known field")
    missing = [name for name in DAY_OF_FIELDS if name not in raw]
    if missing:
        raise RuleRefused([(name, "FIELD_REQUIRED", "is required") for name in missing])
    return DayOfAnswers(**{name: raw[name] for name in DAY_OF_FIELDS})


def day_of_check_record(
    *,
    actor: User,
    appointment: Appointment,
    answers: DayOfAnswers,
    now: datetime | None = None,
) -> DayOfCheck:
    """Judge the checklist as of the appointment's date and record it, blocked or not.

    A blocking finding is stored (and audited) and then the caller refuses the session:
    the record of *why* must survive the refusal.
    """
    _open(appointment)
    on_date = sel.session_date(appointment)
    _refuse_timing(charting.day_of_check_refusal(on_date, _local_today(appointment, now)))
    problems = validate_day_of_answers(answers, on_date=on_date)
    if problems:
        raise RuleRefused([(p.field, "VALUE_INVALID", p.message) for p in problems])
    _refuse_step(Step.DAY_OF_CHECK, appointment)
    day = sel.treatment_day(appointment)
    if day.chart is not None and day.chart.status == SessionChart.Status.SIGNED:
        raise _conflict(charting.CHART_ALREADY_SIGNED, "The session is charted and signed.")
    result = evaluate_day_of(answers, clinic_data.current_policy(), on_date)
    payload = result_payload(result, None)
    blocked = blocks_treatment(result)
    with transaction.atomic():
        check = DayOfCheck.objects.create(
            appointment=appointment,
            patient=appointment.patient,
            answers={
                name: (v.isoformat() if isinstance(v, date) else v)
                for name, v in ((n, getattr(answers, n)) for n in DAY_OF_FIELDS)
            },
            judged_for=on_date,
            policy_version=result.policy_version,
            verdict=result.verdict,
            blocked=blocked,
            resume_on=result.resume_on,
            reasons=payload["reasons"],
            precautions=payload["precautions"],
            checked_by=actor,
            checked_at=now or timezone.now(),
        )
        record(
            actor=actor,
            action="day_of_check.record",
            object_type="day_of_check",
            object_id=check.pk,
            patient_id=appointment.patient_id,
            detail={
                "verdict": result.verdict,
                "blocked": blocked,
                "reasons": [r.code for r in result.reasons],
            },
        )
    return check
