"""The patient hub's sections: one read each, one query each (a section with children, such
as a plan's sessions, prefetches them in one more), whatever the number of rows.

The hub's one audit event is written by the page's read of the patient record; these reads
write none (a page that opens a record is one read of it). Each section is shown only to
the roles whose capabilities cover it; the page asks `visible_sections`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import CharField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce, Concat, NullIf
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from needlepoint.accounts.models import User
from needlepoint.accounts.roles import Role
from needlepoint.audit.models import AuditEvent
from needlepoint.charting.models import AdverseEvent, ConsentSignature
from needlepoint.core.labels import clock_words, day_words
from needlepoint.followups.models import FollowUp
from needlepoint.notifications.models import OutboxMessage
from needlepoint.outcomes.models import Assessment, Photo
from needlepoint.patients.models import Patient
from needlepoint.scheduling.models import Appointment, AppointmentStatus
from needlepoint.screening.models import Consultation, Determination, Screening
from needlepoint.site.templatetags.status_badges import status_badge
from needlepoint.treatments.models import PlanSession, TreatmentPlan

# (anchor, heading, capability): the hub's sections in the order the page shows them.
SECTIONS = [
    ("contact", "Contact", "patient.read"),
    ("plans", "Plan and sessions", "plan.read"),
    ("appointments", "Appointments", "appointment.read"),
    ("consents", "Consents", "patient.read"),
    ("photos", "Photos", "photo.view"),
    ("grades", "Grades", "assessment.read"),
    ("adverse-events", "Adverse events", "chart.read"),
    ("follow-ups", "Follow-ups", "followup.read"),
    ("messages", "Messages sent", "patient.read"),
    ("opened-by", "Who opened this record", "audit.read"),
]

VERDICT_WORDS = {
    "likely_candidate": "Likely candidate",
    "needs_review": "Needs a clinician's review",
    "defer": "Wait before treatment",
    "not_eligible": "Not eligible",
}
ALLERGY_QUESTIONS = {
    "metal_allergy": "Allergy to metals (nickel, stainless steel)",
    "anesthetic_allergy": "Allergy to numbing creams (local anaesthetics)",
}
PAST_APPOINTMENTS = 30
UPCOMING_APPOINTMENTS = 50
MESSAGES = 50
OPENED_BY = 30


def visible_sections(actor: Any) -> list[tuple[str, str]]:
    return [(anchor, heading) for anchor, heading, cap in SECTIONS if actor.may(cap)]


@dataclass(frozen=True)
class Alerts:
    allergies: list[str]
    precautions: list[str]
    screening: Screening | None
    screening_words: str
    clearance_needed: bool
    cleared: bool

    def __bool__(self) -> bool:
        return bool(self.allergies or self.precautions or self.screening or self.clearance_needed)


def alerts(patient: Patient) -> Alerts:
    """What staff must see first: allergies and precautions from the latest screening, its
    result, and whether a physician's clearance is still needed before treatment."""
    screening = Screening.objects.filter(patient=patient).order_by("-created_at").first()
    consultation = (
        Consultation.objects.filter(patient=patient)
        .prefetch_related("amendments", "clearances")
        .order_by("-signed_at", "-pk")
        .first()
    )
    allergies: list[str] = []
    precautions: list[str] = []
    if screening is not None:
        answers = screening.answers if isinstance(screening.answers, dict) else {}
        for key, words in ALLERGY_QUESTIONS.items():
            if answers.get(key) == "yes":
                allergies.append(words)
            elif answers.get(key) == "unsure":
                allergies.append(f"{words}: the patient was not sure; ask before treating")
        result = screening.result if isinstance(screening.result, dict) else {}
        precautions = [str(p.get("message", "")) for p in result.get("precautions", []) if p]
    clearance_needed, cleared = False, False
    if consultation is not None:
        amendments = sorted(consultation.amendments.all(), key=lambda a: (a.signed_at, a.pk))
        latest = amendments[-1] if amendments else None
        determination = latest.determination if latest else consultation.determination
        signed_at = latest.signed_at if latest else consultation.signed_at
        if determination == Determination.PHYSICIAN_CLEARANCE_REQUIRED:
            clearances = [c for c in consultation.clearances.all() if c.signed_at >= signed_at]
            last = max(clearances, key=lambda c: (c.signed_at, c.pk)) if clearances else None
            cleared = bool(last and last.cleared)
            clearance_needed = not cleared
    words = VERDICT_WORDS.get(screening.verdict, "") if screening is not None else ""
    return Alerts(allergies, precautions, screening, words, clearance_needed, cleared)


def plans(patient: Patient) -> list[TreatmentPlan]:
    sessions = Prefetch("plan_sessions", queryset=PlanSession.objects.order_by("index"))
    return list(
        TreatmentPlan.objects.filter(patient=patient)
        .select_related("created_by")
        .prefetch_related(sessions)
        .order_by("-created_at")
    )


@dataclass(frozen=True)
class Appointments:
    upcoming: list[SafeString]
    past: list[SafeString]


def appointments(patient: Patient, *, now: datetime) -> Appointments:
    """The soonest upcoming (soonest first) and the most recent past ones, in one query (two
    limited reads of the patient-and-start index inside it), each written as its list item
    here: 80 rows through `{% url %}`, two filters and a tag each cost more than the query."""
    mine = Appointment.objects.filter(patient=patient)
    soonest = mine.filter(start__gte=now).order_by("start", "pk").values("pk")
    latest = mine.filter(start__lt=now).order_by("-start", "-pk").values("pk")
    rows = list(
        mine.filter(
            Q(pk__in=soonest[:UPCOMING_APPOINTMENTS]) | Q(pk__in=latest[:PAST_APPOINTMENTS])
        ).select_related("service", "staff", "room")
    )
    upcoming = sorted((a for a in rows if a.start >= now), key=lambda a: (a.start, a.pk))
    past = sorted((a for a in rows if a.start < now), key=lambda a: (a.start, a.pk), reverse=True)
    head, _, tail = reverse("scheduling:appointment", args=[0]).rpartition("0")
    return Appointments(
        [_item(a, f"{head}{a.pk}{tail}", upcoming=True) for a in upcoming],
        [_item(a, f"{head}{a.pk}{tail}", upcoming=False) for a in past],
    )


def _item(appointment: Appointment, link: str, *, upcoming: bool) -> SafeString:
    """As the template wrote it: when (in the clinic's time), service, staff (and room while
    upcoming), and the status (an upcoming one's only when it is not simply booked)."""
    start = timezone.localtime(appointment.start)
    when = f"{day_words(start.date())}, {clock_words(start)}"
    badge = status_badge(appointment.status, appointment.get_status_display())
    if upcoming:
        return format_html(
            '<li><a href="{}">{}</a>: {} with {}, {}{}</li>',
            link,
            when,
            appointment.service.name,
            appointment.staff.display_name,
            appointment.room.name,
            format_html(" {}", badge) if appointment.status != "booked" else "",
        )
    return format_html(
        '<li><a href="{}">{}</a>: {} with {} {}</li>',
        link,
        when,
        appointment.service.name,
        appointment.staff.display_name,
        badge,
    )


def consents(patient: Patient) -> list[ConsentSignature]:
    return list(
        ConsentSignature.objects.filter(patient=patient)
        .select_related("collected_by")
        .order_by("-signed_at")
    )


@dataclass(frozen=True)
class PhotoVisit:
    taken_on: Any
    views: list[str]


def photos(patient: Patient) -> list[PhotoVisit]:
    """Photos by visit: the day and the views taken (the pictures are on the photo pages)."""
    visits: dict[Any, list[str]] = {}
    for photo in Photo.objects.filter(patient=patient).order_by("-taken_on", "view"):
        visits.setdefault(photo.taken_on, []).append(photo.get_view_display())
    return [PhotoVisit(day, views) for day, views in visits.items()]


def grades(patient: Patient) -> list[Assessment]:
    return list(
        Assessment.objects.filter(patient=patient)
        .select_related("assessed_by")
        .order_by("-assessed_on", "-pk")
    )


def adverse_events(patient: Patient) -> list[AdverseEvent]:
    return list(
        AdverseEvent.objects.filter(patient=patient)
        .select_related("recorded_by")
        .order_by("-onset", "-pk")
    )


def follow_ups(patient: Patient) -> list[FollowUp]:
    return list(
        FollowUp.objects.filter(patient=patient).select_related("appointment").order_by("due_on")
    )


def messages(patient: Patient) -> list[OutboxMessage]:
    return list(
        OutboxMessage.objects.filter(patient=patient)
        .only("kind", "channel", "subject", "status", "due_at", "sent_at", "patient_id")
        .order_by("-due_at")[:MESSAGES]
    )


def opened_by(patient: Patient) -> list[AuditEvent]:
    """Who opened the record (this one and records merged into it): name, role, when.

    The staff member's full name comes with each row from the user table, in the same
    query; a list found by searching is not an opening."""
    merged = Patient.objects.filter(merged_into=patient).values_list("pk", flat=True)
    ids = [str(patient.pk), *(str(pk) for pk in merged)]
    full_name = Concat("first_name", Value(" "), "last_name", output_field=CharField())
    name = User.objects.filter(pk=OuterRef("actor_id")).values(
        display=Coalesce(NullIf(full_name, Value(" ")), "username")
    )
    events: list[AuditEvent] = list(
        AuditEvent.objects.filter(patient_id__in=ids, action__endswith=".read")
        .filter(Q(detail__via__isnull=True) | ~Q(detail__via="search"))
        .annotate(actor_name=Subquery(name[:1]))
        .order_by("-occurred_at", "-pk")[:OPENED_BY]
    )
    roles = dict(Role.choices)
    # One line per person per minute: a page that reads the record in several parts (or
    # reloads) is one opening to the reader of this list.
    lines: list[AuditEvent] = []
    for event in events:
        minute = event.occurred_at.replace(second=0, microsecond=0)
        last = lines[-1] if lines else None
        if last is not None and same_opening(last, event, minute):
            last.times += 1  # type: ignore[attr-defined]
            continue
        event.minute = minute  # type: ignore[attr-defined]
        event.times = 1  # type: ignore[attr-defined]
        event.role_words = roles.get(event.actor_role, "")  # type: ignore[attr-defined]
        lines.append(event)
    return lines


def same_opening(last: Any, event: AuditEvent, minute: datetime) -> bool:
    return bool(
        (last.actor_id, last.outcome, last.minute) == (event.actor_id, event.outcome, minute)
    )


def next_appointments(patient_ids: list[int], *, now: datetime) -> dict[int, Appointment]:
    """Each listed patient's next booked appointment, in one query."""
    soonest: dict[int, Appointment] = {}
    rows = (
        Appointment.objects.filter(
            patient_id__in=patient_ids, start__gte=now, status=AppointmentStatus.BOOKED
        )
        .select_related("service", "location")
        .order_by("patient_id", "start")
    )
    for row in rows:
        soonest.setdefault(row.patient_id, row)
    return soonest
