"""'Download my data': every record about one patient, as data.json plus their photo files.

Which models are "about a patient" is computed, not listed: every installed model with a
chain of ForeignKey/OneToOne fields (at most ``MAX_DEPTH`` long) ending at Patient, and the
Patient row itself. A new model that points at a patient, an appointment, a plan or a chart
is exported without anyone remembering to add it, and the completeness test fails until it
has test data (docs/decisions/0160-export-scope-and-format.md).

A row belongs to the patient through its *shortest* chain: a waitlist offer is the patient's
through its entry, not through the slot another patient's cancellation freed.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.apps import apps
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from needlepoint.accounts.models import User
from needlepoint.accounts.roles import STAFF_ROLES
from needlepoint.audit.models import AuditEvent
from needlepoint.audit.services import record
from needlepoint.clinic.clock import clinic_today
from needlepoint.interop.selectors import patient_bundle
from needlepoint.outcomes.models import Photo
from needlepoint.outcomes.services import photo_bytes
from needlepoint.patients.models import Patient

FORMAT = "needlepoint-export/1"
# The same record as a FHIR R4 Bundle, beside data.json (issue #13; docs/fhir.md).
FHIR_FILE = "fhir-r4-bundle.json"
MAX_DEPTH = 3

# Models reached only through the patient's login (not through Patient) are not discovered;
# the account itself is exported as "account". These are left out on purpose.
EXCLUDED: dict[str, str] = {
    "accounts.apitoken": "API token hashes are credentials, not data about the patient",
    "mfa.authenticator": "two-factor secrets and recovery codes are credentials",
    "sessions.session": "sign-in sessions are transient security state",
    "account.emailconfirmation": "one-time verification keys are credentials",
    "core.idempotencyrecord": "stored API replies duplicate records already exported",
    "admin.logentry": "staff admin log; changes to the patient's records are in the history",
    "audit.auditevent": "exported as audit_trail without the hash chain, IPs and request ids",
}
# Keys of "records" for models that moved to another app (issue #10): the archive keeps the
# label it had before, so what a patient (or a tool reading the archive) got yesterday reads
# the same today (docs/decisions/0301-export-keeps-labels-of-moved-models.md).
LEGACY_EXPORT_LABELS: dict[str, str] = {
    "charting.consentsignature": "treatments.consentsignature",
    "charting.dayofcheck": "treatments.dayofcheck",
    "charting.sessionchart": "treatments.sessionchart",
    "charting.chartamendment": "treatments.chartamendment",
    "charting.cartridgeuse": "treatments.cartridgeuse",
    "charting.adverseevent": "treatments.adverseevent",
    "followups.followup": "outcomes.followup",
}
# Fields never exported from otherwise exported models.
REDACTED_FIELDS: dict[str, frozenset[str]] = {
    "accounts.user": frozenset({"password"}),
}
# Models that moved to another app keep the key they were exported under, so an archive's
# "records" read the same before and after the move
# (docs/decisions/0306-moved-apis-keep-operation-ids-and-export-keys.md).
ACCOUNT_FIELDS = ("id", "username", "email", "first_name", "last_name", "role", "date_joined")
AUDIT_FIELDS = (
    "occurred_at",
    "actor_username",
    "actor_role",
    "action",
    "object_type",
    "object_id",
    "outcome",
    "channel",
)


def export_label(label: str) -> str:
    """The key under "records" for the model labelled ``label`` ("app.model")."""
    return LEGACY_EXPORT_LABELS.get(label, label)


def _is_history(model: type[models.Model]) -> bool:
    return hasattr(model, "instance_type")


def _forward_relations(model: type[models.Model]) -> Iterable[models.Field]:
    for f in model._meta.get_fields():
        if (
            getattr(f, "concrete", False)
            and (f.many_to_one or f.one_to_one)
            and f.related_model is not None
        ):
            yield f  # type: ignore[misc]


def _shortest_path(model: type[models.Model]) -> str | None:
    """The ORM lookup from ``model`` to the patient's pk along the shortest FK chain."""
    if model is Patient:
        return "pk"
    frontier: list[tuple[type[models.Model], tuple[str, ...]]] = [(model, ())]
    for _ in range(MAX_DEPTH):
        following = []
        for current, path in frontier:
            for f in _forward_relations(current):
                target: Any = f.related_model
                if target is Patient:
                    return "__".join((*path, f.name))
                if target is not model and target is not User:
                    following.append((target, (*path, f.name)))
        frontier = following
    return None


def patient_models() -> dict[str, str]:
    """``{"app.model": lookup}`` for every model holding records about a patient."""
    found = {}
    for model in apps.get_models():
        if _is_history(model) or model._meta.proxy:
            continue
        label = model._meta.label_lower
        if label in EXCLUDED:
            continue
        path = _shortest_path(model)
        if path is not None:
            found[label] = path
    return dict(sorted(found.items()))


def history_models() -> dict[str, str]:
    """``{"app.historicalmodel": "app.model"}`` for the exported models that keep versions."""
    exported = set(patient_models())
    return {
        m._meta.label_lower: m.instance_type._meta.label_lower  # type: ignore[attr-defined]
        for m in apps.get_models()
        if _is_history(m) and m.instance_type._meta.label_lower in exported  # type: ignore[attr-defined]
    }


def _rows(model: type[models.Model], lookup: str, patient: Patient) -> list[dict[str, Any]]:
    query = model._default_manager.filter(**{lookup: patient.pk}).order_by("pk")
    drop = REDACTED_FIELDS.get(model._meta.label_lower, frozenset())
    rows = []
    for item in serializers.serialize("python", query):
        fields = {k: v for k, v in item["fields"].items() if k not in drop}
        rows.append({"pk": item["pk"], **fields})
    return rows


def _history_lookup(base_lookup: str, history: type[models.Model]) -> str:
    # Versions keep the record's own id in "id" (not a key); its foreign keys stay usable.
    pk_name = history.instance_type._meta.pk.name  # type: ignore[attr-defined]
    return pk_name if base_lookup == "pk" else base_lookup


@dataclass
class Export:
    data: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)
    fhir: dict[str, Any] | None = None

    def zip_bytes(self) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            text = json.dumps(self.data, cls=DjangoJSONEncoder, indent=2, sort_keys=True)
            archive.writestr("data.json", text)
            if self.fhir is not None:
                archive.writestr(FHIR_FILE, json.dumps(self.fhir, indent=1, sort_keys=True))
            for name, content in sorted(self.files.items()):
                # JPEGs are compressed already.
                archive.writestr(name, content, compress_type=zipfile.ZIP_STORED)
        return out.getvalue()


def _audit_trail(patient: Patient) -> list[dict[str, Any]]:
    """Who read or changed the record. Staff are named; any other account (another patient
    who tried a link that is not theirs) is not: that would disclose *their* identity."""
    rows = []
    events = AuditEvent.objects.filter(patient_id=str(patient.pk)).order_by("id")
    for event in events.values("actor_id", *AUDIT_FIELDS):
        actor_id = event.pop("actor_id")
        if actor_id is not None and actor_id == patient.user_id:
            event["actor_username"] = "(you)"
        elif event["actor_role"] not in STAFF_ROLES:
            event["actor_username"] = "(another account)" if actor_id else "(system)"
        rows.append(event)
    return rows


def _photo_files(patient: Patient) -> tuple[dict[str, bytes], list[dict[str, Any]], list[int]]:
    files: dict[str, bytes] = {}
    index = []
    missing = []
    for photo in Photo.objects.filter(patient=patient).order_by("taken_on", "view", "pk"):
        name = f"photos/{photo.taken_on.isoformat()}-{photo.view}-{photo.pk}.jpg"
        try:
            files[name] = photo_bytes(photo)
        except OSError:
            missing.append(photo.pk)
            continue
        index.append({"photo": photo.pk, "path": name, "sha256": photo.sha256})
    return files, index, missing


def patient_export_build(*, patient: Patient, now: datetime | None = None) -> Export:
    """The archive's contents (no audit: ``patient_export`` audits)."""
    now = now or timezone.now()
    records: dict[str, list[dict[str, Any]]] = {}
    lookups = patient_models()
    for label, lookup in lookups.items():
        records[export_label(label)] = _rows(apps.get_model(label), lookup, patient)
    for history_label, base_label in history_models().items():
        history = apps.get_model(history_label)
        records[export_label(history_label)] = _rows(
            history, _history_lookup(lookups[base_label], history), patient
        )
    account = None
    if patient.user_id:
        user = User.objects.filter(pk=patient.user_id).values(*ACCOUNT_FIELDS).first()
        emails = []
        if apps.is_installed("allauth.account"):
            from allauth.account.models import EmailAddress

            emails = list(
                EmailAddress.objects.filter(user_id=patient.user_id).values(
                    "email", "verified", "primary"
                )
            )
        account = {**(user or {}), "email_addresses": emails}
    trail = _audit_trail(patient)
    files, photo_index, missing = _photo_files(patient)
    data = {
        "format": FORMAT,
        "generated_at": now,
        "patient": patient.pk,
        "records": records,
        "account": account,
        "audit_trail": trail,
        "photos": photo_index,
        "photos_missing": missing,
        "excluded": EXCLUDED,
        "redacted_fields": {k: sorted(v) for k, v in REDACTED_FIELDS.items()},
    }
    return Export(data=data, files=files, fhir=patient_bundle(patient, with_photos=True, now=now))


def patient_export(*, actor: User, patient: Patient) -> Export:
    """The patient's archive; one audit event for the export."""
    export = patient_export_build(patient=patient)
    record(
        actor=actor,
        action="data.export",
        object_type="patient",
        object_id=patient.pk,
        patient_id=patient.pk,
        detail={
            "models": len(export.data["records"]),
            "photos": len(export.files),
            "fhir_resources": len(export.fhir["entry"]) if export.fhir else 0,
        },
    )
    return export


def export_filename(patient: Patient, now: datetime | None = None) -> str:
    day = clinic_today(now=now)
    return f"my-data-{patient.pk}-{day.isoformat()}.zip"
