"""Putting messages in the outbox: one row per message key, so enqueueing twice is a no-op;
the confirmation and cancellation of an appointment."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from needlepoint.clinic.location_face import location_face
from needlepoint.patients.models import Patient
from needlepoint.scheduling.models import Appointment

from .. import messages, tokens
from ..ical import appointment_ics
from ..models import Channel, Kind, OutboxMessage

SMS_KINDS = frozenset({Kind.CONFIRMATION, Kind.CANCELLATION, Kind.REMINDER_48H, Kind.REMINDER_2H})


def _stamp(value: datetime) -> str:
    return value.astimezone(ZoneInfo("UTC")).strftime("%Y%m%dT%H%MZ")


def appointment_key(appointment: Appointment, kind: str, channel: str) -> str:
    if kind == Kind.CANCELLATION:
        return f"appt:{appointment.pk}:{kind}:{channel}"
    # Keyed by the start too: a rescheduled appointment gets fresh reminders.
    return f"appt:{appointment.pk}:{kind}:{channel}:{_stamp(appointment.start)}"


def _channels(patient: Patient, kind: str) -> list[tuple[str, str]]:
    found = []
    if patient.email:
        found.append((Channel.EMAIL.value, patient.email))
    if patient.phone and kind in SMS_KINDS and settings.NEEDLEPOINT_SMS_ENABLED:
        found.append((Channel.SMS.value, patient.phone))
    return found


def _insert(key: str, **fields: object) -> OutboxMessage | None:
    """The new row, or None when the key is already taken (enqueued before)."""
    if OutboxMessage.objects.filter(key=key).exists():
        return None
    try:
        with transaction.atomic():
            return OutboxMessage.objects.create(key=key, **fields)
    except IntegrityError:
        return None  # a concurrent planner won: the message exists once


def enqueue_for_appointment(
    appointment: Appointment, kind: str, *, due_at: datetime
) -> list[OutboxMessage]:
    patient, location, service = appointment.patient, appointment.location, appointment.service
    wanted = {appointment_key(appointment, kind, c) for c, _ in _channels(patient, kind)}
    if not wanted or wanted <= set(
        OutboxMessage.objects.filter(key__in=wanted).values_list("key", flat=True)
    ):
        return []  # planned before: skip rendering (the planner runs every minute)
    face = location_face(location)
    text = messages.appointment_text(
        kind,
        given_name=patient.given_name,
        service=service.name,
        start=appointment.start,
        zone=location.zone,
        place=location.name,
        phone=location.phone,
        address=face.address_line,
        hours=face.hours,
        map_url=face.map_url,
        is_treatment=service.is_treatment,
        manage_url=tokens.manage_url(appointment),
        late_cancel_hours=settings.NEEDLEPOINT_LATE_CANCEL_HOURS,
    )
    ics = appointment_ics(appointment) if kind in {Kind.CONFIRMATION, Kind.CANCELLATION} else ""
    created = []
    for channel, to in _channels(patient, kind):
        row = _insert(
            appointment_key(appointment, kind, channel),
            kind=kind,
            channel=channel,
            patient=patient,
            appointment=appointment,
            for_start=appointment.start,
            to=to,
            subject=text.subject,
            body=text.body if channel == Channel.EMAIL else text.sms,
            ics=ics if channel == Channel.EMAIL else "",
            due_at=due_at,
        )
        if row is not None:
            created.append(row)
    return created


def confirmation_enqueue(appointment: Appointment) -> list[str]:
    """Queue the confirmation (email with .ics, and SMS); returns the keys to deliver now."""
    enqueue_for_appointment(appointment, Kind.CONFIRMATION, due_at=timezone.now())
    return [
        appointment_key(appointment, Kind.CONFIRMATION, c)
        for c, _ in _channels(appointment.patient, Kind.CONFIRMATION)
    ]


def cancellation_enqueue(appointment: Appointment) -> list[str]:
    enqueue_for_appointment(appointment, Kind.CANCELLATION, due_at=timezone.now())
    return [
        appointment_key(appointment, Kind.CANCELLATION, c)
        for c, _ in _channels(appointment.patient, Kind.CANCELLATION)
    ]
