"""Merging two records of one person: every history moves to the kept record, the duplicate
stays as a tombstone, the audit trail is never rewritten, and a conflict is refused."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import models

from needlepoint.audit.models import AuditEvent
from needlepoint.audit.services import record
from needlepoint.charting.models import AdverseEvent, ConsentSignature, DayOfCheck, SessionChart
from needlepoint.core.errors import Conflict, Forbidden
from needlepoint.outcomes.models import Photo
from needlepoint.patients import selectors, services
from needlepoint.patients.models import Patient
from needlepoint.scheduling.models import Appointment
from needlepoint.screening.models import Consultation, Screening
from needlepoint.treatments.models import TreatmentPlan
from tests.query_budgets import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic(aesthetician: Any, physician: Any) -> Iterator[Any]:
    with time_machine.travel(builders.NOW, tick=False):
        yield builders.clinic(aesthetician.user, physician.user)


def history(owner: Patient, staff: Any, i: int, *, hours_later: int = 0) -> None:
    """A plan, a charted session with a consent, a day-of check, an adverse event, photos
    and an upcoming appointment: something of every kind that points at a patient."""
    plan = builders.plan(owner, staff, done=1)
    chart = builders.chart(i, patient=owner, operator=staff, plan=plan)
    builders.consent(chart.appointment, staff)
    DayOfCheck.objects.create(
        appointment=chart.appointment,
        patient=owner,
        answers={},
        judged_for=chart.session_date,
        policy_version="test",
        verdict="ok",
        blocked=False,
        checked_by=staff,
        checked_at=builders.NOW - timedelta(days=i + 1),
    )
    builders.adverse_event(chart, staff, i)
    builders.photo(i, patient=owner)
    upcoming = builders.NOW + timedelta(days=i + 3, hours=hours_later)
    builders.appointment(i, patient=owner, staff=staff, start=upcoming)


def counts(owner: Patient) -> dict[str, int]:
    kinds = {
        "appointments": Appointment,
        "screenings": Screening,
        "consultations": Consultation,
        "plans": TreatmentPlan,
        "charts": SessionChart,
        "consents": ConsentSignature,
        "day_of_checks": DayOfCheck,
        "adverse_events": AdverseEvent,
        "photos": Photo,
    }
    return {name: model.objects.filter(patient=owner).count() for name, model in kinds.items()}


def test_a_merge_moves_every_history_to_the_kept_record_and_keeps_a_tombstone(
    clinic, clinic_admin, aesthetician, patient
):
    staff = aesthetician.user
    kept = builders.patient(1)
    duplicate = patient.patient  # has the portal login
    history(kept, staff, 1)
    history(duplicate, staff, 2)
    before = {name: count * 2 for name, count in counts(kept).items()}
    record(
        actor=staff,
        action="patient.read",
        object_type="patient",
        object_id=duplicate.pk,
        patient_id=duplicate.pk,
    )
    old_audit = list(AuditEvent.objects.filter(patient_id=str(duplicate.pk)).values("pk", "hash"))

    plan = services.patient_merge(
        actor=clinic_admin.user, kept_id=kept.pk, duplicate_id=duplicate.pk
    )

    assert counts(kept) == before
    assert all(count == 0 for count in counts(duplicate).values())
    assert plan.login_moves
    duplicate.refresh_from_db()
    kept.refresh_from_db()
    assert duplicate.merged_into_id == kept.pk and duplicate.merged_at is not None
    assert kept.user_id == patient.user.pk and duplicate.user_id is None
    # Earlier audit rows are untouched; the merge's own events name both records.
    assert old_audit == [
        e
        for e in AuditEvent.objects.filter(patient_id=str(duplicate.pk)).values("pk", "hash")
        if e["pk"] in {o["pk"] for o in old_audit}
    ]
    merges = AuditEvent.objects.filter(action="patient.merge")
    assert {e.patient_id for e in merges} == {str(kept.pk), str(duplicate.pk)}
    for event in merges:
        assert event.detail["kept"] == kept.pk and event.detail["merged"] == duplicate.pk
        assert event.detail["moved"]["scheduling.Appointment"] == 2
        assert event.detail["moved"]["charting.DayOfCheck"] == 1


def test_records_merged_earlier_into_the_duplicate_then_point_at_the_kept_one(clinic_admin):
    kept, duplicate, older = (builders.patient(i) for i in (1, 2, 3))
    services.patient_merge(actor=clinic_admin.user, kept_id=duplicate.pk, duplicate_id=older.pk)
    services.patient_merge(actor=clinic_admin.user, kept_id=kept.pk, duplicate_id=duplicate.pk)
    older.refresh_from_db()
    assert older.merged_into_id == kept.pk


def test_only_the_clinic_admin_may_merge(front_desk, physician):
    kept, duplicate = builders.patient(1), builders.patient(2)
    for persona in (front_desk, physician):
        with pytest.raises(Forbidden):
            services.patient_merge(actor=persona.user, kept_id=kept.pk, duplicate_id=duplicate.pk)
    assert Patient.objects.get(pk=duplicate.pk).merged_into_id is None


def test_two_portal_logins_stop_the_merge_and_say_what_to_do(clinic_admin, patient, other_patient):
    with pytest.raises(Conflict, match="Both records have their own portal login"):
        services.patient_merge(
            actor=clinic_admin.user,
            kept_id=patient.patient.pk,
            duplicate_id=other_patient.patient.pk,
        )
    assert Patient.objects.get(pk=other_patient.patient.pk).merged_into_id is None


def test_a_merge_into_itself_or_of_a_tombstone_is_refused(clinic_admin):
    kept, duplicate, third = (builders.patient(i) for i in (1, 2, 3))
    with pytest.raises(Conflict, match="cannot be merged into itself"):
        services.patient_merge(actor=clinic_admin.user, kept_id=kept.pk, duplicate_id=kept.pk)
    services.patient_merge(actor=clinic_admin.user, kept_id=kept.pk, duplicate_id=duplicate.pk)
    with pytest.raises(Conflict, match="already merged"):
        services.patient_merge(actor=clinic_admin.user, kept_id=third.pk, duplicate_id=duplicate.pk)


def test_a_row_a_patient_may_have_only_once_on_both_records_stops_the_merge(
    clinic, clinic_admin, aesthetician, physician, monkeypatch
):
    """Found from the models' own unique constraints: here a made-up rule of one adverse
    event per patient and onset day, which both records break together."""
    kept, duplicate = builders.patient(1), builders.patient(2)
    history(kept, aesthetician.user, 1)
    # The same onset day; another clinician and a later hour, as a clinician or a room
    # cannot be booked twice at once (PostgreSQL's exclusion constraints).
    history(duplicate, physician.user, 1, hours_later=2)
    rule = models.UniqueConstraint(fields=["patient", "onset"], name="test_one_a_day")
    monkeypatch.setattr(AdverseEvent._meta, "constraints", [rule])
    preview = selectors.patient_merge_preview(
        actor=clinic_admin.user, kept_id=kept.pk, duplicate_id=duplicate.pk
    )
    assert preview.problems and "adverse events" in preview.problems[0]
    with pytest.raises(Conflict, match="adverse events"):
        services.patient_merge(actor=clinic_admin.user, kept_id=kept.pk, duplicate_id=duplicate.pk)
    assert AdverseEvent.objects.filter(patient=duplicate).count() == 1


def test_the_preview_lists_what_moves_and_changes_nothing(clinic, clinic_admin, aesthetician):
    kept, duplicate = builders.patient(1), builders.patient(2)
    history(duplicate, aesthetician.user, 2)
    preview = selectors.patient_merge_preview(
        actor=clinic_admin.user, kept_id=kept.pk, duplicate_id=duplicate.pk
    )
    moved = {m.label: m.count for m in preview.moves}
    assert moved["appointments"] == 2 and moved["photos"] == 1
    assert not preview.problems
    assert Appointment.objects.filter(patient=duplicate).count() == 2
