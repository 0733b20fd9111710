"""Every resource of every demo patient's bundle validates with two R4 validators and the
rules no schema checks (issue #13: "done when")."""

from __future__ import annotations

import base64
import hashlib
from collections import Counter

import pytest

from .validators import bundle_problems, code_problems, model_problems, schema_problems

pytestmark = pytest.mark.django_db

EXPECTED_TYPES = {
    "Patient",
    "Organization",
    "Location",
    "Practitioner",
    "PractitionerRole",
    "HealthcareService",
    "Appointment",
    "CarePlan",
    "Questionnaire",
    "QuestionnaireResponse",
    "Consent",
    "Provenance",
    "Procedure",
    "Device",
    "Observation",
    "Media",
    "Binary",
    "AdverseEvent",
}


def test_every_demo_patients_bundle_validates_with_both_validators_and_the_rules(demo):
    from needlepoint.clinic.models import Service
    from needlepoint.interop.selectors import patient_bundle
    from needlepoint.patients.models import Patient

    services = frozenset(Service.objects.values_list("slug", flat=True))
    seen: Counter[str] = Counter()
    patients = list(Patient.objects.all())
    assert len(patients) >= 5
    for patient in patients:
        bundle = patient_bundle(patient, with_photos=True)
        assert bundle["type"] == "collection"
        assert bundle_problems(bundle, services) == [], patient.pk
        seen.update(e["resource"]["resourceType"] for e in bundle["entry"])
    # The demo reaches every resource type the export makes.
    assert set(seen) == EXPECTED_TYPES


def test_a_signed_chart_is_a_procedure_with_zones_devices_and_linked_observations(demo):
    from needlepoint.charting.models import AdverseEvent
    from needlepoint.interop.selectors import patient_bundle

    event = AdverseEvent.objects.select_related("chart", "patient").first()
    assert event is not None
    bundle = patient_bundle(event.patient, with_photos=False)
    by_key = {
        f"{e['resource']['resourceType']}/{e['resource']['id']}": e["resource"]
        for e in bundle["entry"]
    }
    chart = event.chart
    procedure = by_key[f"Procedure/{chart.pk}"]
    assert [c["coding"][0]["code"] for c in procedure["bodySite"]] == [
        z["zone"] for z in chart.zones
    ]
    pen = by_key[procedure["focalDevice"][0]["manipulated"]["reference"]]
    assert pen["serialNumber"] == chart.device.serial_number
    lot = by_key[procedure["usedReference"][0]["reference"]]
    assert lot["lotNumber"] == chart.cartridge_lot.lot
    assert lot["expirationDate"] == chart.cartridge_lot.expiry.isoformat()
    depth = [
        r
        for r in by_key.values()
        if r["resourceType"] == "Observation"
        and r.get("partOf") == [{"reference": f"Procedure/{chart.pk}"}]
        and r["code"]["coding"][0]["code"] == "needle-depth"
    ]
    assert len(depth) == len(chart.zones)
    assert {d["valueQuantity"]["code"] for d in depth} == {"mm"}
    assert {d["valueQuantity"]["system"] for d in depth} == {"http://unitsofmeasure.org"}
    adverse = by_key[f"AdverseEvent/{event.pk}"]
    suspects = [s["instance"]["reference"] for s in adverse["suspectEntity"]]
    assert suspects == [f"Procedure/{chart.pk}", f"Device/lot-{chart.cartridge_lot_id}"]
    # Without the photo permission, no Media and no Binary.
    assert not [k for k in by_key if k.startswith(("Media/", "Binary/"))]


def test_the_consent_carries_the_text_version_and_hash_and_its_signature(demo):
    from needlepoint.charting.models import ConsentSignature
    from needlepoint.interop.selectors import patient_bundle

    signature = ConsentSignature.objects.select_related("patient").first()
    bundle = patient_bundle(signature.patient, with_photos=False)
    by_key = {
        f"{e['resource']['resourceType']}/{e['resource']['id']}": e["resource"]
        for e in bundle["entry"]
    }
    consent = by_key[f"Consent/{signature.pk}"]
    assert consent["extension"][0]["valueString"] == signature.text_hash
    attachment = consent["sourceAttachment"]
    assert signature.version in attachment["title"]
    # The text itself, byte for byte the one whose SHA-256 was recorded at signing.
    text = base64.b64decode(attachment["data"])
    assert hashlib.sha256(text).hexdigest() == signature.text_hash
    assert attachment["hash"] == base64.b64encode(hashlib.sha1(text).digest()).decode()  # noqa: S324
    provenance = by_key[f"Provenance/consent-{signature.pk}"]
    assert provenance["target"] == [{"reference": f"Consent/{signature.pk}"}]
    assert provenance["signature"][0]["who"] == {"reference": f"Patient/{signature.patient_id}"}


def test_the_validators_are_not_blind():
    """Each validator refuses what it should: the test above can fail."""
    broken = {"resourceType": "Patient", "id": "1", "gender": "robot", "birthDate": "1990-13-45"}
    assert len(schema_problems(broken)) == 2
    assert model_problems(broken)
    appointment = {
        "resourceType": "Appointment",
        "id": "1",
        "status": "done",
        "participant": [{"status": "accepted", "actor": {"reference": "Patient/1"}}],
        "serviceType": [
            {
                "coding": [
                    {"system": "https://needlepoint.example/fhir/CodeSystem/zone", "code": "ear"}
                ]
            }
        ],
    }
    problems = code_problems(appointment)
    assert any("'ear'" in p for p in problems)
    assert any("status" in p for p in problems)
    assert any("start and end" in p for p in problems)
    dangling = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {
                "fullUrl": "https://x.test/fhir/Patient/1",
                "resource": {
                    "resourceType": "Patient",
                    "id": "1",
                    "link": [{"type": "seealso", "other": {"reference": "Patient/2"}}],
                },
            }
        ],
    }
    assert bundle_problems(dangling) == ["Patient/1 -> Patient/2"]


def test_an_amended_chart_exports_what_the_amendment_says(demo):
    from django.utils import timezone

    from needlepoint.charting.models import ChartAmendment, SessionChart
    from needlepoint.interop.selectors import patient_bundle

    chart = SessionChart.objects.filter(status="signed", endpoint="even_erythema").first()
    ChartAmendment.objects.create(
        chart=chart,
        changes={"endpoint": {"from": "even_erythema", "to": "pinpoint_bleeding"}},
        reason="Endpoint misrecorded",
        amended_by=chart.operator,
        amended_at=timezone.now(),
    )
    bundle = patient_bundle(chart.patient, with_photos=False)
    by_key = {
        f"{e['resource']['resourceType']}/{e['resource']['id']}": e["resource"]
        for e in bundle["entry"]
    }
    endpoint = by_key[f"Observation/chart-{chart.pk}-endpoint"]
    assert endpoint["valueCodeableConcept"]["coding"][0]["code"] == "pinpoint_bleeding"
    assert endpoint["status"] == "amended"
    procedure = by_key[f"Procedure/{chart.pk}"]
    assert any("Endpoint misrecorded" in n["text"] for n in procedure["note"])


def test_a_bundle_costs_a_fixed_number_of_queries(demo):
    """Rows are read per table, never per record: the busiest demo patient's bundle costs
    what an empty record's does."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from needlepoint.interop.selectors import patient_bundle
    from needlepoint.patients.models import Patient

    counts = []
    for patient in Patient.objects.all():
        with CaptureQueriesContext(connection) as queries:
            patient_bundle(patient, with_photos=True)
        counts.append(len(queries))
    assert max(counts) <= 22
    # Prefetches are skipped when there is nothing to prefetch: a patient with no plan, no
    # amended chart and no measured photo (Gus, a Chicago consultation) skips three.
    assert max(counts) - min(counts) <= 3


def test_the_organization_is_named_as_the_clinic_set_its_public_pages(demo):
    """Defect: the Organization took the deployment's setting, not the name the clinic admin
    set at /staff/setup/public-pages/ (ClinicProfile), which every page and message shows."""
    from django.core.cache import cache

    from needlepoint.clinic.models import ClinicProfile
    from needlepoint.interop.resources.directory import organization

    ClinicProfile.objects.update_or_create(pk=1, defaults={"name": "Lakeside Skin Clinic"})
    cache.clear()
    assert organization()["name"] == "Lakeside Skin Clinic"
