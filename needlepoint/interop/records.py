"""Rows to export: one patient's records, fetched for a batch of patients at once.

A batch costs the same dozen queries whether it holds one patient or five hundred, so the
Bulk Data export reads the clinic in fixed-size batches (memory flat in the number of
patients) and the single-patient bundle reads the same way with a batch of one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, QuerySet

from needlepoint.accounts.models import User
from needlepoint.accounts.roles import Role
from needlepoint.charting.models import AdverseEvent, ConsentSignature, DayOfCheck, SessionChart
from needlepoint.charting.selectors import consent_library
from needlepoint.clinic.models import CartridgeLot, Device, Location, Room, Service, WorkingHours
from needlepoint.outcomes.models import Assessment, PatientRating, Photo
from needlepoint.patients.models import Patient
from needlepoint.scheduling.models import Appointment
from needlepoint.screening.models import Screening
from needlepoint.treatments.models import TreatmentPlan


@dataclass
class PatientRecords:
    patient: Patient
    appointments: list[Appointment] = field(default_factory=list)
    plans: list[TreatmentPlan] = field(default_factory=list)
    screenings: list[Screening] = field(default_factory=list)
    day_of_checks: list[DayOfCheck] = field(default_factory=list)
    consents: list[ConsentSignature] = field(default_factory=list)
    charts: list[SessionChart] = field(default_factory=list)
    adverse_events: list[AdverseEvent] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)
    ratings: list[PatientRating] = field(default_factory=list)
    photos: list[Photo] = field(default_factory=list)


@dataclass(frozen=True)
class Directory:
    """The clinic's own resources (small tables): read once per export."""

    locations: list[Location]
    rooms: list[Room]
    pens: list[Device]
    lots: list[CartridgeLot]
    services: list[Service]
    staff: list[User]
    staff_locations: dict[int, list[int]]


def clinic_directory() -> Directory:
    staff = list(User.objects.exclude(role=Role.PATIENT).order_by("pk"))
    # Where each works: their weekly hours (not their appointments: that would scan every
    # appointment the clinic ever had for each single-patient bundle).
    worked: dict[int, set[int]] = defaultdict(set)
    for user_id, location_id in WorkingHours.objects.values_list("staff_id", "location_id"):
        worked[user_id].add(location_id)
    return Directory(
        locations=list(Location.objects.order_by("pk")),
        rooms=list(Room.objects.order_by("pk")),
        pens=list(Device.objects.order_by("pk")),
        lots=list(CartridgeLot.objects.order_by("pk")),
        services=list(Service.objects.order_by("pk")),
        staff=staff,
        staff_locations={k: sorted(v) for k, v in worked.items()},
    )


def _grouped(query: QuerySet[Any], ids: list[int]) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in query.filter(patient_id__in=ids).order_by("pk"):
        grouped[row.patient_id].append(row)
    return grouped


def patient_records(patients: list[Patient]) -> list[PatientRecords]:
    """Every exported record of these patients, in a fixed number of queries."""
    ids = [p.pk for p in patients]
    parts: dict[str, dict[int, list[Model]]] = {
        "appointments": _grouped(Appointment.objects.select_related("service"), ids),
        "plans": _grouped(TreatmentPlan.objects.prefetch_related("plan_sessions"), ids),
        "screenings": _grouped(Screening.objects.all(), ids),
        "day_of_checks": _grouped(DayOfCheck.objects.all(), ids),
        "consents": _grouped(ConsentSignature.objects.all(), ids),
        "charts": _grouped(
            SessionChart.objects.filter(status=SessionChart.Status.SIGNED)
            .select_related("appointment")
            .prefetch_related("amendments"),
            ids,
        ),
        "adverse_events": _grouped(AdverseEvent.objects.select_related("chart"), ids),
        "assessments": _grouped(Assessment.objects.all(), ids),
        "ratings": _grouped(PatientRating.objects.all(), ids),
        "photos": _grouped(
            Photo.objects.select_related("measure").prefetch_related("measure__regions"), ids
        ),
    }
    return [
        PatientRecords(patient=p, **{name: rows.get(p.pk, []) for name, rows in parts.items()})  # type: ignore[arg-type]
        for p in patients
    ]


def patient_batches(batch_size: int) -> Iterator[list[Patient]]:
    """Every live patient record (merged ones are tombstones), ``batch_size`` at a time,
    never holding more than one batch of rows."""
    batch: list[Patient] = []
    live = Patient.objects.filter(merged_into__isnull=True).order_by("pk")
    for patient in live.iterator(chunk_size=batch_size):
        batch.append(patient)
        if len(batch) == batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


def patient_count() -> int:
    return Patient.objects.filter(merged_into__isnull=True).count()


def consent_texts() -> dict[str, str]:
    """Every consent text version (the data file's and those published from setup)."""
    return {version: text.text for version, text in consent_library().versions.items()}
