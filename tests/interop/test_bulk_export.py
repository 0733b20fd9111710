"""`needlepoint export fhir --out DIR`: NDJSON per type, a manifest, every line valid R4,
every reference resolvable inside the export, every patient's read audited."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from needlepoint.interop.resources.patient import references_in

from .validators import code_problems, model_problems, schema_problems

pytestmark = pytest.mark.django_db


def test_the_whole_demo_clinic_exports_as_valid_ndjson_with_a_manifest(demo, tmp_path):
    from needlepoint.audit.models import AuditEvent
    from needlepoint.clinic.models import Service
    from needlepoint.patients.models import Patient

    out = tmp_path / "export"
    said = io.StringIO()
    call_command("export", "fhir", "--out", str(out), "--batch-size", "2", stdout=said)
    patients = Patient.objects.count()
    assert f"patients exported: {patients} of {patients} (100%)" in said.getvalue()
    assert "patients exported: 2 of" in said.getvalue()  # progress, batch by batch

    manifest = json.loads((out / "manifest.json").read_text())
    listed = {item["type"]: item for item in manifest["output"]}
    assert {p.name for p in out.iterdir()} == {"manifest.json"} | {
        i["url"] for i in listed.values()
    }
    services = frozenset(Service.objects.values_list("slug", flat=True))
    keys: set[str] = set()
    references: list[tuple[str, str]] = []
    canonicals: set[str] = set()
    answered: set[str] = set()
    for kind, item in listed.items():
        lines = (out / item["url"]).read_text().splitlines()
        assert len(lines) == item["count"] > 0
        for line in lines:
            resource = json.loads(line)
            assert resource["resourceType"] == kind
            problems = schema_problems(resource) + model_problems(resource)
            assert problems + code_problems(resource, services) == []
            key = f"{kind}/{resource['id']}"
            assert key not in keys
            keys.add(key)
            references += [(key, target) for target in references_in(resource)]
            if kind == "Questionnaire":
                canonicals.add(resource["url"])
            if kind == "QuestionnaireResponse":
                answered.add(resource["questionnaire"])
    assert [r for r in references if r[1] not in keys] == []
    assert answered <= canonicals
    assert listed["Patient"]["count"] == patients
    audited = AuditEvent.objects.filter(action="fhir.bulk_export")
    assert audited.count() == patients
    assert set(audited.values_list("patient_id", flat=True)) == {
        str(pk) for pk in Patient.objects.values_list("pk", flat=True)
    }


def test_the_export_refuses_a_folder_that_is_not_empty(db, tmp_path):
    (tmp_path / "old.ndjson").write_text("{}\n")
    with pytest.raises(CommandError, match="not an empty folder"):
        call_command("export", "fhir", "--out", str(tmp_path))
