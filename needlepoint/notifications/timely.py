"""Timeliness of queued messages: the day each one is about, judged by the domain rule
(``needlepoint.domain.reminders``), and the missed-visit message that replaces, once, an
outcome-visit reminder that can no longer go out as it is
(docs/decisions/0222-timely-messages.md)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from needlepoint.clinic.clock import clinic_today, local_date
from needlepoint.domain.reminders import TIMELY, Verdict, message_timeliness
from needlepoint.followups.models import FollowUp

from . import messages
from .models import Kind, OutboxMessage

FOLLOW_UP_KINDS = frozenset(
    {Kind.OUTCOME_VISIT, Kind.OUTCOME_VISIT_MISSED, Kind.MAINTENANCE_RECALL}
)


def follow_up_key(plan_id: int, kind: str, months: int, channel: str) -> str:
    return f"plan:{plan_id}:{kind}:{months}m:{channel}"


def key_months(key: str) -> int | None:
    """The months of a follow-up message's key (`plan:<id>:<kind>:<m>m:<channel>`)."""
    part = next((p for p in key.split(":") if p.endswith("m") and p[:-1].isdigit()), "")
    return int(part[:-1]) if part else None


def about_day(message: OutboxMessage) -> date | None:
    """The local day the message is about: the follow-up's due day, the session's day for
    aftercare; None when the message names no such day (or it cannot be told)."""
    if message.kind in FOLLOW_UP_KINDS:
        if message.for_start is not None:  # planned with the due day (10:00 local)
            return local_date(None, message.for_start)
        months = key_months(message.key)
        if months is None:
            return None
        kind = (
            FollowUp.Kind.MAINTENANCE_RECALL
            if message.kind == Kind.MAINTENANCE_RECALL
            else FollowUp.Kind.OUTCOME_VISIT
        )
        return (
            FollowUp.objects.filter(plan_id=message.plan_id, kind=kind, months_after=months)
            .values_list("due_on", flat=True)
            .first()
        )
    if message.kind == Kind.AFTERCARE and message.appointment is not None:
        appointment = message.appointment
        return local_date(appointment.location, appointment.start)
    return None


def verdict(message: OutboxMessage, now: datetime) -> Verdict:
    about = about_day(message)
    if about is None:
        return TIMELY
    return message_timeliness(message.kind, about=about, today=clinic_today(now=now))


def missed_visit_row(message: OutboxMessage, now: datetime) -> tuple[str, dict[str, Any]] | None:
    """The key and fields of the missed-visit message replacing this late reminder."""
    months, due = key_months(message.key), about_day(message)
    if months is None or due is None or message.plan_id is None:
        return None
    text = messages.follow_up_text(
        Kind.OUTCOME_VISIT_MISSED,
        given_name=message.patient.given_name,
        due=due,
        months=months,
        phone="",
    )
    key = follow_up_key(message.plan_id, Kind.OUTCOME_VISIT_MISSED, months, message.channel)
    return key, {
        "kind": Kind.OUTCOME_VISIT_MISSED,
        "channel": message.channel,
        "patient": message.patient,
        "plan_id": message.plan_id,
        "to": message.to,
        "subject": text.subject,
        "body": text.body if message.channel == "email" else text.sms,
        "for_start": message.for_start,
        "due_at": now,
    }
