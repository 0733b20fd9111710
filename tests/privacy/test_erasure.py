"""A patient's erasure: it removes exactly what docs/retention.md says and keeps the rest,
the audit event holds no erased value, the patient can no longer sign in, a dry run changes
nothing, and only the clinic admin may do it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.db.models import Model
from django.test import Client

from needlepoint.accounts.models import ApiToken
from needlepoint.audit.models import AuditEvent
from needlepoint.charting.models import ConsentSignature, SessionChart
from needlepoint.core.errors import Conflict, Forbidden
from needlepoint.notifications.models import OutboxMessage
from needlepoint.outcomes.models import Assessment, Photo, PhotoRelease
from needlepoint.outcomes.selectors import photo_release_granted
from needlepoint.patients.models import Patient
from needlepoint.privacy.models import ErasureRequest
from needlepoint.privacy.services import erasure_request_create, patient_erase
from needlepoint.scheduling.models import Appointment
from needlepoint.waitlist.models import WaitlistEntry
from tests.query_budgets import builders

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple 9"
# Values of the patient's that must not survive anywhere the erasure writes.
GIVEN, FAMILY = "Zelda", "Quixote"
EMAIL, PHONE = "pat@example.com", "+1 555 0111"
ERASED_VALUES = [GIVEN, FAMILY, EMAIL, PHONE, "5550111"]


@pytest.fixture
def clinic(aesthetician: Any, physician: Any) -> Iterator[Any]:
    with time_machine.travel(builders.NOW, tick=False):
        yield builders.clinic(aesthetician.user, physician.user)


def _photo(owner: Patient, day: Any, view: str, tag: str) -> Photo:
    storage = storages["default"]
    file_name = storage.save(f"photos/{tag}.jpg", ContentFile(b"jpeg"))
    thumb_name = storage.save(f"photos/{tag}.thumb.jpg", ContentFile(b"thumb"))
    return Photo.objects.create(
        patient=owner,
        view=view,
        taken_on=day,
        file_name=file_name,
        thumb_name=thumb_name,
        width=10,
        height=10,
        byte_size=4,
        sha256=tag.ljust(64, "0")[:64],
        source_format="jpeg",
    )


@pytest.fixture
def history(clinic: Any, patient: Any, aesthetician: Any) -> dict[str, Any]:
    """One patient with something of every kind the erasure removes or keeps."""
    owner = patient.patient
    owner.given_name, owner.family_name = GIVEN, FAMILY
    owner.save()
    staff = aesthetician.user
    plan = builders.plan(owner, staff, done=1)
    chart = builders.chart(1, patient=owner, operator=staff, plan=plan)
    builders.consent(chart.appointment, staff)
    graded_on = builders.TODAY - timedelta(weeks=2)
    builders.assessment(owner, staff, days_ago=14, grade="3", kind="baseline")
    baseline = builders.TODAY - timedelta(weeks=4)
    photos = {
        "baseline_retaken": _photo(owner, baseline, "front", "baseline-first"),
        "baseline": _photo(owner, baseline, "front", "baseline-retake"),
        "graded": _photo(owner, graded_on, "front", "graded"),
        "chart_day": _photo(owner, chart.session_date, "left_45", "chart-day"),
        "extra": _photo(owner, builders.TODAY - timedelta(weeks=3), "front", "extra"),
    }
    PhotoRelease.objects.create(
        patient=owner, granted=True, signed_at=builders.NOW - timedelta(days=30), source="paper"
    )
    common = {"patient": owner, "channel": "email", "to": EMAIL, "kind": "aftercare"}
    OutboxMessage.objects.create(
        key="sent", body=f"Dear {GIVEN}", due_at=builders.NOW, status="sent", **common
    )
    OutboxMessage.objects.create(
        key="pending", body=f"Dear {GIVEN}", due_at=builders.NOW + timedelta(days=9), **common
    )
    builders.waitlist_entry(1, patient=owner, staff=staff)
    signed_in = Client()
    assert signed_in.login(username="pat", password=PASSWORD)
    erasure_request_create(actor=patient.user)
    return {"patient": owner, "photos": photos, "chart": chart, "client": signed_in}


def _exists(name: str) -> bool:
    return bool(storages["default"].exists(name))


def test_erasure_removes_what_the_document_says_and_keeps_the_clinical_records(
    history, clinic_admin, patient, django_capture_on_commit_callbacks
):
    owner: Patient = history["patient"]
    photos: dict[str, Photo] = history["photos"]
    kept_before = {
        "appointments": Appointment.objects.filter(patient=owner).count(),
        "charts": SessionChart.objects.filter(patient=owner).count(),
        "consents": ConsentSignature.objects.filter(patient=owner).count(),
        "grades": Assessment.objects.filter(patient=owner).count(),
    }
    secrets = set(Appointment.objects.filter(patient=owner).values_list("link_secret", flat=True))

    with django_capture_on_commit_callbacks(execute=True):  # the files go after the commit
        erasure = patient_erase(actor=clinic_admin.user, patient_id=owner.pk)

    assert erasure.done
    owner.refresh_from_db()
    # Removed: contact details (also in the record's history), the portal login.
    assert (owner.email, owner.phone, owner.phone_digits) == ("", "", "")
    assert owner.erased_at is not None and owner.user is None
    for version in owner.history.all():
        assert (version.email, version.phone, version.phone_digits) == ("", "", "")
    user = patient.user
    user.refresh_from_db()
    assert not user.is_active and not user.has_usable_password()
    assert (user.email, user.username, user.display_name) == (
        "",
        f"erased-{user.pk}",
        "Erased patient",
    )
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()
    # Photos without clinical purpose go, file and row (and history); the others stay.
    for name in ("extra", "baseline_retaken"):
        photo = photos[name]
        assert not Photo.objects.filter(pk=photo.pk).exists()
        assert not Photo.history.filter(id=photo.pk).exists()
        assert not _exists(photo.file_name) and not _exists(photo.thumb_name)
    for name in ("baseline", "graded", "chart_day"):
        assert Photo.objects.filter(pk=photos[name].pk).exists()
        assert _exists(photos[name].file_name)
    # The photo release is withdrawn by a new row; the signed one stays as history.
    assert not photo_release_granted(owner)
    assert PhotoRelease.objects.filter(patient=owner).count() == 2
    # Messages: the unsent one is cancelled; none keeps an address or text.
    messages = OutboxMessage.objects.filter(patient=owner)
    assert set(messages.values_list("status", flat=True)) == {"sent", "cancelled"}
    assert set(messages.values_list("to", "body", "subject")) == {("", "", "")}
    assert WaitlistEntry.objects.get(patient=owner).status == "withdrawn"
    # Emailed manage links stop working; the portal request is done.
    assert not secrets & set(
        Appointment.objects.filter(patient=owner).values_list("link_secret", flat=True)
    )
    assert ErasureRequest.objects.get(patient=owner).done_at is not None
    # Kept: name, date of birth and every clinical record.
    assert (owner.given_name, owner.family_name) == (GIVEN, FAMILY)
    assert kept_before == {
        "appointments": Appointment.objects.filter(patient=owner).count(),
        "charts": SessionChart.objects.filter(patient=owner).count(),
        "consents": ConsentSignature.objects.filter(patient=owner).count(),
        "grades": Assessment.objects.filter(patient=owner).count(),
    }


def test_the_audit_event_counts_and_holds_no_erased_value(history, clinic_admin):
    owner = history["patient"]
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()

    patient_erase(actor=clinic_admin.user, patient_id=owner.pk)

    written = list(AuditEvent.objects.filter(id__gt=last))
    assert [e.action for e in written] == ["patient.erase"]
    event = written[0]
    assert event.patient_id == str(owner.pk) and event.actor_id == clinic_admin.user.pk
    assert event.detail["removed"]["photos_without_clinical_purpose"] == 2
    assert event.detail["removed"]["contact_details"] == 2
    assert event.detail["kept"]["clinical_photos"] == 3
    assert event.detail["retention_years"] == 10
    for row in written:
        text = " ".join(str(getattr(row, f.name)) for f in AuditEvent._meta.fields)
        for value in ERASED_VALUES:
            assert value not in text


def test_the_erased_patient_cannot_sign_in_any_more(history, clinic_admin, patient, api):
    signed_in: Client = history["client"]
    assert signed_in.get("/portal/").status_code == 200

    patient_erase(actor=clinic_admin.user, patient_id=history["patient"].pk)

    assert not Client().login(username="pat", password=PASSWORD)
    assert not Client().login(username=EMAIL, password=PASSWORD)
    assert Client().post(
        "/accounts/login/", {"login": "pat", "password": PASSWORD}
    ).status_code in (200, 400)
    response = signed_in.get("/portal/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert api(patient).get("/me").status_code == 401


def _snapshot(owner: Patient) -> list[Any]:
    models: list[type[Model]] = [Photo, PhotoRelease, OutboxMessage, WaitlistEntry, Appointment]
    rows: list[Any] = [list(m.objects.filter(patient=owner).values()) for m in models]  # type: ignore[attr-defined]
    rows.append(list(Patient.objects.filter(pk=owner.pk).values()))
    rows.append(list(owner.history.values()))
    rows.append(list(ApiToken.objects.values()))
    rows.append(sorted(n for n in storages["default"].listdir("photos")[1]))
    return rows


def test_a_dry_run_changes_nothing_and_says_what_would_go(history, clinic_admin):
    owner = history["patient"]
    before = _snapshot(owner)
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()

    erasure = patient_erase(actor=clinic_admin.user, patient_id=owner.pk, dry_run=True)

    assert not erasure.done
    assert erasure.plan.counts(erasure.plan.removed)["photos_without_clinical_purpose"] == 2
    assert _snapshot(owner) == before
    # Only the read of the record is audited.
    actions = list(AuditEvent.objects.filter(id__gt=last).values_list("action", flat=True))
    assert actions == ["patient.read"]
    assert history["client"].get("/portal/").status_code == 200


@pytest.mark.parametrize("role", ["front_desk", "aesthetician", "physician", "patient"])
def test_only_the_clinic_admin_may_erase(history, personas, role):
    owner = history["patient"]
    before = _snapshot(owner)
    with pytest.raises(Forbidden):
        patient_erase(actor=personas[role].user, patient_id=owner.pk)
    assert _snapshot(owner) == before


def test_an_upcoming_appointment_stops_the_erasure_and_changes_nothing(
    history, clinic_admin, aesthetician
):
    owner = history["patient"]
    builders.appointment(
        5, patient=owner, staff=aesthetician.user, start=builders.NOW + timedelta(days=3)
    )
    before = _snapshot(owner)
    with pytest.raises(Conflict, match="upcoming appointment"):
        patient_erase(actor=clinic_admin.user, patient_id=owner.pk)
    assert _snapshot(owner) == before


def test_a_record_is_erased_once(history, clinic_admin):
    owner = history["patient"]
    patient_erase(actor=clinic_admin.user, patient_id=owner.pk)
    with pytest.raises(Conflict, match="already erased"):
        patient_erase(actor=clinic_admin.user, patient_id=owner.pk)


def test_the_command_shows_first_and_erases_with_confirm(history, clinic_admin):
    owner = history["patient"]
    before = _snapshot(owner)
    out = StringIO()
    call_command("patient", "erase", str(owner.pk), stdout=out)
    assert "Nothing changed" in out.getvalue()
    assert "photos without clinical purpose: 2" in out.getvalue()
    assert _snapshot(owner) == before

    out = StringIO()
    call_command("patient", "erase", str(owner.pk), "--confirm", "--by", "adah", stdout=out)
    assert f"Erased patient #{owner.pk}." in out.getvalue()
    owner.refresh_from_db()
    assert owner.erased_at is not None
    event = AuditEvent.objects.filter(action="patient.erase").get()
    assert event.actor_id == clinic_admin.user.pk

    with pytest.raises(CommandError, match="already erased"):
        call_command("patient", "erase", str(owner.pk), "--confirm")


def test_the_command_refuses_a_user_who_is_not_a_clinic_admin(history, front_desk):
    with pytest.raises(CommandError, match="may not erase"):
        call_command("patient", "erase", str(history["patient"].pk), "--confirm", "--by", "fran")
