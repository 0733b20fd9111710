"""The audit trail as the clinic admin reads it: who (by name), did what (in words), to which
patient (by name), when (in the clinic's zone), from where, with the detail as lines.

The audit app stores ids and codes and imports no other app, so the names are resolved here,
in site, which may read accounts, patients and the clinic's services and pens: one query per
kind of name for the whole page, whatever its length (tests/query_budgets/test_audit.py).
Reading the trail is itself an audited action (``audit.read``, docs/decisions/0451).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from needlepoint.accounts.models import User
from needlepoint.accounts.roles import STAFF_ROLES, Role
from needlepoint.audit.models import AuditEvent
from needlepoint.audit.selectors import audit_trail_events
from needlepoint.audit.services import record
from needlepoint.audit.wording import (
    CHANNEL_WORDS,
    REASON_WORDS,
    action_label,
    detail_label,
    words,
)
from needlepoint.clinic.models import Device, Service
from needlepoint.clinic.services.access import managed_staff_ids
from needlepoint.patients.models import Patient
from needlepoint.team.wording import clock_time

FORMER_STAFF = "A former staff member"
SYSTEM = "System"
NO_ACTOR = "system"  # the person filter's value for "no one signed in"
PATIENT_MATCHES = 20  # a name search narrows to at most this many patients

_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")

VIA_WORDS = {
    "search": "the patient search",
    "me": "their own record",
    "list": "a list",
    "calendar": "the calendar",
    "manage_link": "the booking's manage link",
    "calendar_feed": "a calendar feed",
    "unlinked_list": "the list of unlinked screenings",
    "online_booking": "online booking",
    "staff": "the staff pages",
    "online": "online booking",
    "session": "signed in to the pages",
    "merge_preview": "the merge page",
    "erasure_preview": "the erasure page",
    "erasure_dry_run": "a dry run of an erasure",
}


@dataclass(frozen=True)
class AuditFilters:
    """What the page asks for; ``None`` is "any" (an empty patient list matches no one)."""

    person: str = ""  # "", NO_ACTOR, or a user's id
    patient_ids: tuple[int, ...] | None = None
    actions: tuple[str, ...] = ()
    outcome: str = ""
    start: datetime | None = None
    end: datetime | None = None

    def as_detail(self) -> dict[str, Any]:
        """The filters as the audit.read event keeps them: ids and codes only."""
        detail: dict[str, Any] = {}
        if self.person:
            detail["person"] = self.person
        if self.patient_ids is not None:
            detail["patients"] = list(self.patient_ids)
        if self.actions:
            detail["actions"] = len(self.actions)
        if self.outcome:
            detail["outcome"] = self.outcome
        if self.start is not None:
            detail["from"] = self.start.isoformat()
        if self.end is not None:
            detail["to"] = self.end.isoformat()
        return detail


@dataclass(frozen=True)
class Person:
    pk: int
    name: str
    role: str
    active: bool


@dataclass
class AuditRow:
    pk: int
    occurred_at: datetime
    when: str
    who: str
    role: str
    what: str
    refused: bool
    patient_id: int | None
    patient_name: str
    where: str
    lines: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class AuditTrailPage:
    rows: list[AuditRow]
    count: int
    number: int
    pages: int
    first: int
    last: int

    @property
    def showing(self) -> str:
        """ "Showing 1–50 of 1,234 events"."""
        if not self.count:
            return "No events match these filters."
        noun = "event" if self.count == 1 else "events"
        return f"Showing {self.first:,}–{self.last:,} of {self.count:,} {noun}"


def when_words(moment: datetime, now: datetime) -> str:
    """In the active zone (the clinic's on pages): "Today at 9:05 am", "Yesterday at …",
    else "Tuesday 1 December 2026, 4:12 pm"."""
    local = timezone.localtime(moment)
    days = (timezone.localtime(now).date() - local.date()).days
    at = clock_time(local)
    if days == 0:
        return f"Today at {at}"
    if days == 1:
        return f"Yesterday at {at}"
    return f"{day_words(local.date())}, {at}"


def day_words(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def exact_words(moment: datetime) -> str:
    """Tuesday 1 December 2026, 4:12:07 pm EST: to the second, with the zone's name."""
    local = timezone.localtime(moment)
    hour = local.hour % 12 or 12
    half = "am" if local.hour < 12 else "pm"
    return f"{day_words(local.date())}, {hour}:{local:%M:%S} {half} {local.tzname()}"


def staff_people(within: list[int] | None = None) -> list[Person]:
    """Everyone who has worked here, for the person filter: active first, then by name
    (``within``: only these people, a location admin's staff, decision 0700)."""
    users = User.objects.filter(role__in=[str(r) for r in STAFF_ROLES]).order_by(
        "-is_active", "first_name", "last_name", "pk"
    )
    if within is not None:
        users = users.filter(pk__in=within)
    return [_person(user) for user in users]


def _person(user: User) -> Person:
    return Person(user.pk, user.display_name, user.get_role_display(), user.is_active)


def patients_named(text: str) -> list[Patient]:
    """Patients whose given or family names contain every word typed (at most a few)."""
    found = Patient.objects.all()
    for word in text.split()[:4]:
        found = found.filter(given_name__icontains=word) | found.filter(family_name__icontains=word)
    return list(found.order_by("family_name", "given_name", "pk")[:PATIENT_MATCHES])


def patient_by_id(patient_id: int) -> Patient | None:
    return Patient.objects.filter(pk=patient_id).first()


def filtered_events(filters: AuditFilters, within: list[int] | None = None) -> QuerySet[AuditEvent]:
    """The filtered trail; ``within``: only what these people did (a location admin reads
    their own staff's trail, not the group's nor the public's, decision 0700)."""
    no_actor = filters.person == NO_ACTOR
    actor_ids = [int(filters.person)] if filters.person.isdigit() else None
    if within is not None:
        no_actor = False
        actor_ids = [pk for pk in (actor_ids or within) if pk in within]
    patients = filters.patient_ids
    return audit_trail_events(
        actor_ids=actor_ids,
        no_actor=no_actor,
        patient_ids=None if patients is None else [str(pk) for pk in patients],
        actions=filters.actions,
        outcome=filters.outcome,
        start=filters.start,
        end=filters.end,
    )


def audit_trail(*, actor: User, filters: AuditFilters, page: int, size: int = 50) -> AuditTrailPage:
    """One page of the trail in words; the reading is recorded (audit.read)."""
    events = filtered_events(filters, managed_staff_ids(actor))
    count = events.count()
    pages = max(1, (count + size - 1) // size)
    number = min(max(1, page), pages)
    offset = (number - 1) * size
    chosen = list(events[offset : offset + size])
    rows = rows_in_words(chosen)
    record(
        actor=actor,
        action="audit.read",
        object_type="audit_trail",
        detail={**filters.as_detail(), "page": number},
    )
    first = offset + 1 if chosen else 0
    return AuditTrailPage(rows, count, number, pages, first, offset + len(chosen))


def rows_in_words(events: Sequence[AuditEvent], now: datetime | None = None) -> list[AuditRow]:
    now = now or timezone.now()
    names = _Names.of(events)
    return [_row(event, names, now) for event in events]


@dataclass
class _Names:
    """The page's people, patients, services and pens, read with one query each."""

    users: dict[int, User]
    patients: dict[int, Patient]
    services: dict[str, str]
    devices: dict[str, str]

    @classmethod
    def of(cls, events: Sequence[AuditEvent]) -> _Names:
        actor_ids = {e.actor_id for e in events if e.actor_id is not None}
        patient_ids = {int(e.patient_id) for e in events if e.patient_id.isdigit()}
        # An audit.read event names the person and patients its reader filtered by.
        actor_ids |= {int(v) for v in _detail_values(events, "person") if v.isdigit()}
        patient_ids |= {
            int(v)
            for e in events
            if isinstance(e.detail, dict) and isinstance(e.detail.get("patients"), list)
            for v in e.detail["patients"]
            if str(v).isdigit()
        }
        slugs = _detail_values(events, "service")
        pens = _detail_values(events, "device")
        return cls(
            users=User.objects.in_bulk(actor_ids) if actor_ids else {},
            patients=Patient.objects.in_bulk(patient_ids) if patient_ids else {},
            services=dict(Service.objects.filter(slug__in=slugs).values_list("slug", "name"))
            if slugs
            else {},
            devices={
                d.slug: f"{d.model_name} (serial {d.serial_number})"
                for d in Device.objects.filter(slug__in=pens)
            }
            if pens
            else {},
        )


def _detail_values(events: Iterable[AuditEvent], key: str) -> set[str]:
    return {
        str(e.detail[key])
        for e in events
        if isinstance(e.detail, dict) and isinstance(e.detail.get(key), str)
    }


def _who(event: AuditEvent, names: _Names) -> tuple[str, str]:
    if event.actor_id is None:
        return SYSTEM, ""
    user = names.users.get(event.actor_id)
    if user is None:
        return FORMER_STAFF, ""
    role = user.get_role_display() if user.role in Role.values else ""
    return user.display_name, role


def _where(event: AuditEvent) -> str:
    channel = CHANNEL_WORDS.get(event.channel, words(event.channel))
    return f"{channel}, {event.ip}" if event.ip else channel


def _row(event: AuditEvent, names: _Names, now: datetime) -> AuditRow:
    who, role = _who(event, names)
    patient = names.patients.get(int(event.patient_id)) if event.patient_id.isdigit() else None
    refused = event.outcome == AuditEvent.Outcome.DENIED
    return AuditRow(
        pk=event.pk,
        occurred_at=event.occurred_at,
        when=when_words(event.occurred_at, now),
        who=who,
        role=role,
        what=action_label(event.action),
        refused=refused,
        patient_id=patient.pk if patient is not None else None,
        patient_name=_patient_name(event, patient),
        where=_where(event),
        lines=_lines(event, names, refused),
    )


def _patient_name(event: AuditEvent, patient: Patient | None) -> str:
    if patient is not None:
        return patient.full_name
    return "A removed patient record" if event.patient_id else ""


def _lines(event: AuditEvent, names: _Names, refused: bool) -> list[tuple[str, str]]:
    detail = dict(event.detail) if isinstance(event.detail, Mapping) else {}
    lines = [("Exact time", exact_words(event.occurred_at))]
    if refused:
        reason = str(detail.pop("reason", ""))
        lines.append(("Result", f"Refused: {REASON_WORDS.get(reason, reason) or 'not allowed'}"))
    else:
        lines.append(("Result", "Allowed"))
    # A patient is named in the row; other records keep their number for the auditor.
    number = "" if event.object_type == "patient" else event.object_id
    lines.append(("Record", f"{words(event.object_type)} {number}".strip()))
    if event.via:
        lines.append(("Sent through", _via_words(event.via)))
    for key, value in detail.items():
        lines.append((detail_label(key), _value_words(key, value, names)))
    if event.request_id:
        lines.append(("Request reference", event.request_id))
    return lines


def _via_words(via: str) -> str:
    kind, _, rest = via.partition(":")
    if kind == "token":
        return f"API token number {rest}"
    if kind == "command":
        return f"the command {rest}"
    return VIA_WORDS.get(via, words(via))


def _value_words(key: str, value: Any, names: _Names) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if value is None or value == "":
        return "None"
    if isinstance(value, Mapping):
        return "; ".join(
            f"{detail_label(k)}: {_value_words(str(k), v, names)}" for k, v in value.items()
        )
    if isinstance(value, list | tuple):
        return ", ".join(_value_words(key, v, names) for v in value) or "None"
    if key == "patients" and isinstance(value, int):
        patient = names.patients.get(value)
        return patient.full_name if patient is not None else "a removed patient record"
    text = str(value)
    if key == "person":
        user = names.users.get(int(text)) if text.isdigit() else None
        return (
            user.display_name if user is not None else SYSTEM if text == NO_ACTOR else FORMER_STAFF
        )
    if key == "outcome":
        return {"denied": "Only refused", "allowed": "Only allowed"}.get(text, text)
    if key == "service":
        return names.services.get(text, words(text))
    if key == "device":
        return names.devices.get(text, words(text))
    if key == "reason":
        return REASON_WORDS.get(text, text)
    if key == "via":
        return VIA_WORDS.get(text, words(text))
    if _ISO_MOMENT.match(text):
        try:
            return exact_words(datetime.fromisoformat(text))
        except ValueError:
            return text
    if _ISO_DAY.match(text):
        try:
            return day_words(date.fromisoformat(text))
        except ValueError:
            return text
    if isinstance(value, str) and " " not in text and "_" in text:
        return text.replace("_", " ")
    return text
