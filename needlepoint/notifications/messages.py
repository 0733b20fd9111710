"""The words of each patient message. No health details beyond the service's name: email and
SMS pass through providers and lock screens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings

from needlepoint.clinic.public_face import public_face
from needlepoint.core.labels import clock_words

PREPARATION = (
    "Before a micro-needling session: stop retinoids (tretinoin, retinol, adapalene) 5 days "
    "before, avoid sunburn, and arrive without makeup."
)
CONSULTATION_PREPARATION = "Please arrive without makeup so we can see your skin as it is."
AFTERCARE = (
    "After your session: redness like a mild sunburn is normal and mostly gone in 24-48 hours. "
    "Put nothing on the skin for 6-8 hours and no makeup for 24 hours. Use a mineral SPF 30+ "
    "from 24 hours and avoid the sun for 1-2 weeks. Resume retinoids, acids and vitamin C "
    "after 5-7 days. Any problem since your treatment? Reply or call us, we want to know."
)


@dataclass(frozen=True)
class Text:
    subject: str
    body: str
    sms: str


def when(value: datetime, zone: ZoneInfo) -> str:
    local = value.astimezone(zone)
    return f"{local:%A %-d %B %Y} at {clock_words(local)} ({local.tzname()})"


def _sign_off(phone: str) -> str:
    call = f" or call us on {phone}" if phone else ""
    return f"\n\nQuestions? Reply to this email{call}.\n{public_face().name}\n"


def _finding_us(address: str, hours: str, map_url: str) -> str:
    """Where the location is, when it is open and a map (decision 0711); "" when unknown."""
    lines = [
        f"{label}: {value}"
        for label, value in (("Address", address), ("Opening hours", hours), ("Map", map_url))
        if value
    ]
    return "\n\n" + "\n".join(lines) if lines else ""


def _preparation(is_treatment: bool) -> str:
    return PREPARATION if is_treatment else CONSULTATION_PREPARATION


def appointment_text(
    kind: str,
    *,
    given_name: str,
    service: str,
    start: datetime,
    zone: ZoneInfo,
    place: str,
    phone: str,
    is_treatment: bool,
    manage_url: str,
    late_cancel_hours: int,
    address: str = "",
    hours: str = "",
    map_url: str = "",
) -> Text:
    at = when(start, zone)
    clinic = public_face().name
    finding_us = _finding_us(address, hours, map_url)
    # An SMS names the place and its address on one line.
    sms_place = f"{place}, {address}" if address else place
    manage = (
        f"\n\nView, reschedule or cancel: {manage_url}\n"
        f"Cancelling less than {late_cancel_hours} hours before counts as a late cancellation."
    )
    if kind == "confirmation":
        return Text(
            f"Booked: {service} on {at}",
            f"Hello {given_name},\n\nYour {service} is booked for {at} at {place}.{finding_us}"
            f"\n\n{_preparation(is_treatment)}{manage}\n\nThe attached calendar file adds it "
            f"to your calendar.{_sign_off(phone)}",
            f"{clinic}: your {service} is booked for {at} at {sms_place}. Manage: {manage_url}",
        )
    if kind == "cancellation":
        return Text(
            f"Cancelled: {service} on {at}",
            f"Hello {given_name},\n\nYour {service} on {at} is cancelled. To book again, visit "
            f"{settings.NEEDLEPOINT_BASE_URL.rstrip('/')}/book/consultation/ or call us."
            f"{_sign_off(phone)}",
            f"{clinic}: your {service} on {at} is cancelled.",
        )
    if kind == "reminder_48h":
        return Text(
            f"Reminder: {service} on {at}",
            f"Hello {given_name},\n\nA reminder: your {service} is on {at} at {place}."
            f"{finding_us}\n\n{_preparation(is_treatment)}{manage}{_sign_off(phone)}",
            f"{clinic}: reminder, {service} on {at} at {sms_place}. {_preparation(is_treatment)} "
            f"Manage: {manage_url}",
        )
    if kind == "reminder_2h":
        return Text(
            f"Today: {service} at {clock_words(start.astimezone(zone))}",
            f"Hello {given_name},\n\nSee you soon: your {service} is at {at}, {place}."
            f"{finding_us}{_sign_off(phone)}",
            f"{clinic}: see you at {clock_words(start.astimezone(zone))} for your {service} "
            f"at {sms_place}.",
        )
    if kind == "aftercare":
        return Text(
            "Caring for your skin after your session",
            f"Hello {given_name},\n\n{AFTERCARE}{_sign_off(phone)}",
            f"{clinic}: how is your skin today? {AFTERCARE[:120]}…",
        )
    raise ValueError(f"no appointment text for {kind!r}")


def follow_up_text(kind: str, *, given_name: str, due: date, months: int, phone: str) -> Text:
    clinic = public_face().name
    book = f"{settings.NEEDLEPOINT_BASE_URL.rstrip('/')}/"
    if kind == "maintenance_recall":
        return Text(
            "Time to book your maintenance session",
            f"Hello {given_name},\n\nIt is about {months} months since your last course: one "
            f"maintenance session keeps the results. Book from {due:%-d %B %Y} at {book} or "
            f"call us.{_sign_off(phone)}",
            f"{clinic}: time to book your maintenance session.",
        )
    if kind == "outcome_visit_missed":
        return Text(
            f"Your {months}-month outcome visit: not too late",
            f"Hello {given_name},\n\nYour {months}-month outcome visit was due around "
            f"{due:%-d %B %Y} and we have not seen you for it yet. It is not too late: photos "
            f"taken in the next few weeks still show how your skin has changed. Please book it "
            f"at {book} or call us.{_sign_off(phone)}",
            f"{clinic}: your {months}-month outcome visit was due around {due:%-d %B}; "
            "it is not too late to book.",
        )
    return Text(
        f"Your {months}-month outcome visit",
        f"Hello {given_name},\n\nYour {months}-month outcome visit is due around "
        f"{due:%-d %B %Y}: we take photos and look at the results together. Please book it at "
        f"{book} or call us.{_sign_off(phone)}",
        f"{clinic}: your {months}-month outcome visit is due around {due:%-d %B}.",
    )
