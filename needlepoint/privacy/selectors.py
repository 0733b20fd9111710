"""What a patient's erasure would remove and what the clinic keeps (docs/retention.md).

The plan is read from the rows as they are; ``privacy.services.patient_erase`` carries it
out in one transaction and ``erasure_preview`` shows it to the clinic admin first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.dateformat import format as format_date

from needlepoint.accounts.models import ApiToken, User
from needlepoint.charting.models import (
    AdverseEvent,
    ConsentSignature,
    DayOfCheck,
    SessionChart,
)
from needlepoint.clinic.clock import clinic_today, local_date
from needlepoint.core.errors import Forbidden
from needlepoint.followups.models import FollowUp
from needlepoint.notifications.models import OutboxMessage
from needlepoint.outcomes.models import Assessment, PatientRating, Photo
from needlepoint.outcomes.selectors import photo_release_granted
from needlepoint.patients.models import Patient
from needlepoint.patients.selectors import patient_to_act_on, record_patient_reads
from needlepoint.scheduling.models import Appointment, AppointmentStatus
from needlepoint.screening.models import Consultation, Screening
from needlepoint.treatments.models import TreatmentPlan
from needlepoint.waitlist.models import WaitlistEntry

from .models import ErasureRequest

ADULT_AGE = 18


@dataclass(frozen=True)
class Line:
    """One kind of row, in words, and how many (``code`` names it in the audit event)."""

    code: str
    label: str
    count: int
    counted: bool = True  # False: the page names it without a number ("portal login")


@dataclass(frozen=True)
class ErasurePlan:
    patient: Patient
    removed: list[Line] = field(default_factory=list)
    kept: list[Line] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    photo_ids: list[int] = field(default_factory=list)  # photos without clinical purpose
    keep_until: date | None = None  # the clinical records' retention period ends

    def counts(self, lines: list[Line]) -> dict[str, int]:
        """Codes and counts for the audit event: never a value of the patient's."""
        return {line.code: line.count for line in lines}


def retention_years() -> int:
    return int(settings.NEEDLEPOINT_CLINICAL_RETENTION_YEARS)


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def keep_until(patient: Patient, *, today: date) -> date:
    """The clinical records are kept for the retention period after the last care (the
    last appointment, or the erasure day when none), and for a minor from the day they come
    of age, whichever ends later."""
    last_start = Appointment.objects.filter(patient=patient).aggregate(last=Max("start"))["last"]
    last_care = today
    if isinstance(last_start, datetime):
        last_care = max(today, last_start.date())
    of_age = _add_years(patient.date_of_birth, ADULT_AGE)
    return _add_years(max(last_care, of_age), retention_years())


def clinical_photo_ids(patient: Patient) -> set[int]:
    """Photos with a clinical purpose: the current photo of each view (a retake replaces
    the earlier one) on the baseline day, on a day a clinician graded the patient, or on
    the day of a signed session chart. Other photos are extras without clinical purpose."""
    photos = list(Photo.objects.filter(patient=patient).order_by("id"))
    if not photos:
        return set()
    days = {min(p.taken_on for p in photos)}
    days |= set(Assessment.objects.filter(patient=patient).values_list("assessed_on", flat=True))
    days |= set(
        SessionChart.objects.filter(patient=patient, status=SessionChart.Status.SIGNED).values_list(
            "session_date", flat=True
        )
    )
    current: dict[tuple[date, str], int] = {}
    for photo in photos:
        if photo.taken_on in days:
            current[(photo.taken_on, photo.view)] = photo.pk
    return set(current.values())


def _upcoming(patient: Patient, now: datetime) -> int:
    return Appointment.objects.filter(
        patient=patient, start__gt=now, status=AppointmentStatus.BOOKED
    ).count()


def user_session_keys(user: User | None) -> list[str]:
    """The keys of the live signed-in sessions of ``user`` (sessions live in the database;
    a session names its user only inside its encoded data, so each is decoded)."""
    if user is None:
        return []
    live: QuerySet[Session] = Session.objects.filter(expire_date__gt=timezone.now())
    return [
        s.session_key
        for s in live.iterator()
        if str(s.get_decoded().get("_auth_user_id", "")) == str(user.pk)
    ]


def erasure_plan(patient: Patient, *, now: datetime | None = None) -> ErasurePlan:
    """What erasing ``patient`` removes and keeps, and what stops it (in words)."""
    now = now or timezone.now()
    problems: list[str] = []
    if patient.erased_at is not None:
        when = format_date(local_date(None, patient.erased_at), "j F Y")
        problems.append(f"This record was already erased on {when}.")
    if patient.merged_into_id is not None:
        problems.append("This record was merged into another: erase that record instead.")
    upcoming = _upcoming(patient, now)
    if upcoming:
        problems.append(
            f"{upcoming} upcoming appointment{'s' if upcoming != 1 else ''} still booked: "
            "cancel them first (the patient is told), then erase."
        )
    user = patient.user
    clinical = clinical_photo_ids(patient)
    extra = sorted(
        set(Photo.objects.filter(patient=patient).values_list("pk", flat=True)) - clinical
    )
    messages = OutboxMessage.objects.filter(patient=patient)
    contact = [
        name for name, value in (("email", patient.email), ("phone", patient.phone)) if value
    ]
    removed = [
        Line(
            "contact_details",
            f"{' and '.join(contact)}, also in earlier versions of the record",
            len(contact),
            counted=False,
        ),
        Line(
            "portal_login",
            "portal login: it can no longer sign in",
            int(user is not None),
            counted=False,
        ),
        Line(
            "api_tokens",
            "portal access tokens",
            ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() if user else 0,
        ),
        Line("sessions", "signed-in portal sessions", len(user_session_keys(user))),
        Line("photos_without_clinical_purpose", "photos without clinical purpose", len(extra)),
        Line(
            "photo_release_withdrawn",
            "photo release (withdrawn)",
            int(photo_release_granted(patient)),
        ),
        Line(
            "messages_unsent",
            "messages not yet sent (cancelled)",
            messages.filter(status=OutboxMessage.Status.PENDING).count(),
        ),
        Line("message_texts", "addresses and texts of messages", messages.count()),
        Line(
            "waitlist_requests",
            "waitlist requests (withdrawn)",
            WaitlistEntry.objects.filter(
                patient=patient, status=WaitlistEntry.Status.WAITING
            ).count(),
        ),
    ]
    kept_kinds = [
        ("name_and_birth_date", "name and date of birth, to identify the records", None),
        ("screenings", "screenings", Screening),
        ("consultations", "consultations and determinations", Consultation),
        ("plans", "treatment plans", TreatmentPlan),
        ("appointments", "appointments", Appointment),
        ("consents", "signed consents", ConsentSignature),
        ("day_of_checks", "day-of checks", DayOfCheck),
        ("charts", "session charts", SessionChart),
        ("adverse_events", "adverse events", AdverseEvent),
        ("grades", "grades", Assessment),
        ("ratings", "the patient's own ratings", PatientRating),
        ("follow_ups", "follow-ups", FollowUp),
    ]
    kept = [
        Line(
            code,
            label,
            1 if model is None else model.objects.filter(patient=patient).count(),
            counted=model is not None,
        )
        for code, label, model in kept_kinds
    ]
    kept.append(Line("clinical_photos", "photos with clinical purpose", len(clinical)))
    return ErasurePlan(
        patient=patient,
        removed=[line for line in removed if line.count],
        kept=[line for line in kept if line.count],
        problems=problems,
        photo_ids=extra,
        keep_until=keep_until(patient, today=clinic_today()),
    )


def erasure_preview(*, actor: User, patient_id: int) -> ErasurePlan:
    """The plan, read by a clinic admin (one audited read of the record)."""
    if not actor.may("patient.erase"):
        raise Forbidden("your role may not erase a patient's personal data")
    patient = patient_to_act_on(patient_id)
    record_patient_reads(actor=actor, patients=[patient], via="erasure_preview")
    return erasure_plan(patient)


def open_erasure_request(patient: Patient) -> ErasureRequest | None:
    """The patient's request not yet carried out, if any (no audit: shown with a record
    whose opening is audited)."""
    return ErasureRequest.objects.filter(patient=patient, done_at__isnull=True).first()
