"""'Download my data' is complete: every model about a patient, the patient's rows, nobody
else's; and the set of such models is discovered, so a new one without test data fails."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from django.apps import apps

from needlepoint.audit.models import AuditEvent
from needlepoint.portal.export import (
    EXCLUDED,
    LEGACY_EXPORT_LABELS,
    export_label,
    history_models,
    patient_models,
)

from .world import COVERED, build_world

pytestmark = pytest.mark.django_db


def _pks(label: str) -> set[Any]:
    model = apps.get_model(label)
    return {str(pk) for pk in model._default_manager.values_list("pk", flat=True)}


def _snapshot() -> dict[str, set[Any]]:
    return {label: _pks(label) for label in [*patient_models(), *history_models()]}


def _diff(
    after: dict[str, set[Any]], before: dict[str, set[Any]], patient: Any
) -> dict[str, set[Any]]:
    added = {label: after[label] - before[label] for label in after}
    added["patients.patient"] = {str(patient.pk)}
    # A record's versions are the patient's when the record is (the persona's own row was
    # versioned before the snapshot).
    for history_label, base_label in history_models().items():
        history = apps.get_model(history_label)
        pk_name = history.instance_type._meta.pk.name
        added[history_label] = {
            str(pk)
            for pk in history.objects.filter(**{f"{pk_name}__in": added[base_label]}).values_list(
                "pk", flat=True
            )
        }
    return added


@pytest.fixture
def worlds(frozen: Any, patient: Any, other_patient: Any, aesthetician: Any) -> dict[str, Any]:
    """Everything about pat, then everything about otto; the rows each one added."""
    before = _snapshot()
    build_world(patient.patient, aesthetician.user)
    middle = _snapshot()
    build_world(other_patient.patient, aesthetician.user)
    after = _snapshot()
    return {
        "mine": _diff(middle, before, patient.patient),
        "theirs": _diff(after, middle, other_patient.patient),
    }


def _export(api: Any, persona: Any) -> tuple[dict[str, Any], zipfile.ZipFile]:
    response = api(persona).get("/me/export")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return json.loads(archive.read("data.json")), archive


def test_every_model_about_a_patient_has_test_data_in_the_fixture():
    # A new model that points at a patient (directly or through an appointment, plan or
    # chart) must be given a builder in tests/portal/world.py, or this fails.
    assert set(patient_models()) == set(COVERED)


def test_the_export_leaves_out_only_the_listed_credentials_and_internals():
    discovered = set(patient_models())
    assert not discovered & set(EXCLUDED)
    assert "accounts.apitoken" in EXCLUDED and "mfa.authenticator" in EXCLUDED


def test_the_export_holds_every_patient_row_of_every_model_and_none_of_anyone_elses(
    api, patient, worlds
):
    data, _ = _export(api, patient)
    records = data["records"]
    for label in [*patient_models(), *history_models()]:
        exported = {str(row["pk"]) for row in records[export_label(label)]}
        mine, theirs = worlds["mine"][label], worlds["theirs"][label]
        assert mine, f"the fixture made no {label} rows for the patient"
        assert mine <= exported, f"{label}: missing {mine - exported}"
        assert not exported & theirs, f"{label}: another patient's rows {exported & theirs}"


def test_models_that_moved_app_keep_their_key_in_the_archive(api, patient, worlds):
    # An archive's keys are its format: the treatment day moved from `treatments` to
    # `charting` (issue #10) and the archive still says "treatments.sessionchart".
    data, _ = _export(api, patient)
    assert data["format"] == "needlepoint-export/1"
    for label, key in LEGACY_EXPORT_LABELS.items():
        assert label in patient_models()
        assert key in data["records"] and label not in data["records"]
    assert {"treatments.sessionchart", "treatments.consentsignature"} <= set(data["records"])


def test_a_model_that_moved_app_keeps_its_key_in_the_export(api, patient, worlds):
    # An archive reads the same before and after follow-ups got their own app (0306).
    data, _ = _export(api, patient)
    assert data["records"]["outcomes.followup"]
    assert "followups.followup" not in data["records"]


def test_the_export_names_nobody_else_and_holds_no_password_or_hashes(
    api, patient, other_patient, worlds
):
    # otto tries to read pat's appointment: pat's trail shows an attempt, not otto's name.
    appointment = (
        apps.get_model("scheduling.appointment").objects.filter(patient=patient.patient).first()
    )
    assert api(other_patient).get(f"/appointments/{appointment.pk}").status_code == 404
    data, archive = _export(api, patient)
    text = archive.read("data.json").decode()
    assert "otto" not in text.lower()
    assert "password" not in data["account"]
    assert data["account"]["username"] == "pat"
    assert all("hash" not in event and "ip" not in event for event in data["audit_trail"])


def test_the_export_holds_every_photo_file_of_the_patient(api, patient, worlds):
    from needlepoint.outcomes.models import Photo
    from needlepoint.outcomes.services import photo_bytes

    data, archive = _export(api, patient)
    photos = Photo.objects.filter(patient=patient.patient)
    assert len(data["photos"]) == photos.count() == 3  # shared or not: it is their record
    names = set(archive.namelist())
    for entry in data["photos"]:
        photo = photos.get(pk=entry["photo"])
        assert entry["path"] in names
        assert archive.read(entry["path"]) == photo_bytes(photo)
    assert data["photos_missing"] == []


def test_the_export_includes_the_patients_own_audit_trail(api, patient, worlds):
    data, _ = _export(api, patient)
    actions = {event["action"] for event in data["audit_trail"]}
    assert {"photo.upload", "followup.propose"} <= actions


def test_an_export_is_one_audit_event(api, patient, worlds):
    before = AuditEvent.objects.filter(action="data.export").count()
    _export(api, patient)
    events = AuditEvent.objects.filter(action="data.export")
    assert events.count() == before + 1
    assert events.last().patient_id == str(patient.patient.pk)


@pytest.mark.parametrize("role", ["front_desk", "aesthetician", "physician", "clinic_admin"])
def test_staff_may_not_use_the_patients_export(api, personas, role):
    assert api(personas[role]).get("/me/export").status_code == 403


def test_the_export_needs_a_token(api):
    assert api(None).get("/me/export").status_code == 401


def test_a_patient_login_without_a_record_gets_404(api, make_persona):
    lonely = make_persona("lonely", "patient")
    assert api(lonely).get("/me/export").status_code == 404
