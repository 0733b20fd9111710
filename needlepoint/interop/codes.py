"""Code systems: the standard ones where FHIR R4 has one, Needlepoint's own where none fits.

Local code systems live under one stable base (docs/decisions/0600-fhir-code-system-base.md,
listed in docs/fhir.md). Each local system's codes are the domain's own constants, so a new
zone or rule code is in the export's code system the moment the domain knows it.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from needlepoint.accounts.roles import Role
from needlepoint.domain.charting import rules as charting_rules
from needlepoint.domain.charting.rules import (
    ADVERSE_EVENT_KINDS,
    ENDPOINTS,
)
from needlepoint.domain.outcomes import ASSESSMENT_KINDS, VIEWS
from needlepoint.domain.protocols import CONCERNS
from needlepoint.domain.protocols.table import ZONES
from needlepoint.domain.screening.answers import AREAS, DIABETES_VALUES, TRI_STATE_VALUES
from needlepoint.domain.screening.answers import CONCERNS as SCREENING_CONCERNS

# Never derived from the clinic's host: a code means the same in every clinic's export.
LOCAL_BASE = "https://needlepoint.example/fhir"


def local(name: str) -> str:
    return f"{LOCAL_BASE}/CodeSystem/{name}"


# Standard systems (HL7 terminology and UCUM).
UCUM = "http://unitsofmeasure.org"
LOINC = "http://loinc.org"
CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
LOCATION_TYPE = "http://terminology.hl7.org/CodeSystem/location-physical-type"
MEDIA_TYPE = "http://terminology.hl7.org/CodeSystem/media-type"
AE_SEVERITY = "http://terminology.hl7.org/CodeSystem/adverse-event-severity"
AE_OUTCOME = "http://terminology.hl7.org/CodeSystem/adverse-event-outcome"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
SIGNATURE_TYPE = "urn:iso-astm:E1762-95:2013"
PROVENANCE_PARTICIPANT = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"

# Local systems.
ZONE = local("zone")
ENDPOINT = local("endpoint")
RULE = local("rule")
CONCERN = local("concern")
ASSESSMENT_KIND = local("assessment-kind")
PHOTO_VIEW = local("photo-view")
ADVERSE_EVENT_KIND = local("adverse-event-kind")
OBSERVATION = local("observation")
PHOTO_MEASURE = local("photo-measure")
PHOTO_REGION = local("photo-region")
PROCEDURE = local("procedure")
SERVICE = local("service")
STAFF_ROLE = local("staff-role")
ANSWER = local("answer")
CONSENT_PROVISION = local("consent-provision")
IDENTIFIER_PATIENT = f"{LOCAL_BASE}/sid/patient-record"
EXT_TEXT_SHA256 = f"{LOCAL_BASE}/StructureDefinition/consent-text-sha256"


def _rule_codes() -> tuple[str, ...]:
    names = [v for k, v in vars(charting_rules).items() if k.isupper() and isinstance(v, str)]
    depth = (
        "DEPTH_OK",
        "DEPTH_ABOVE_FACE_CEILING",
        "DEPTH_ABOVE_OPERATOR_CEILING",
        "DEPTH_OUTSIDE_PLAN_RANGE",
    )
    return tuple(sorted({*names, *depth}))


OBSERVATION_CODES: MappingProxyType[str, str] = MappingProxyType(
    {
        "needle-depth": "Needle depth in one zone",
        "passes": "Passes in one zone",
        "endpoint": "Clinical endpoint reached",
        "depth-rule": "The depth rule that judged the zone",
        "depth-reason": "Why the depth differs from the plan",
        "concern-grade": "Clinician's grade of a concern",
        "mmasi": "mMASI score",
        "gais": "Global Aesthetic Improvement Scale (clinician)",
        "patient-improvement": "Patient's rating of improvement (1 very much improved, 5 worse)",
        "patient-satisfaction": "Patient's satisfaction (1 very dissatisfied, 5 very satisfied)",
        "assessment-kind": "When in the course the assessment was made",
        "concern": "The concern assessed",
    }
)

# Photo measures (issue #14, docs/photo-measures.md): each figure's UCUM unit ("1": L* units,
# None: a count, exported as an integer). The names are the API's.
PHOTO_MEASURE_UNITS: MappingProxyType[str, str | None] = MappingProxyType(
    {
        "l_star": "1", "a_star": "1", "b_star": "1", "ita_deg": "deg",
        "redness_area_pct": "%", "evenness_sd": "1", "spot_count": None,
        "spot_area_pct": "%", "line_density": "mm/cm2", "texture": "1",
    }
)  # fmt: skip
PHOTO_REGIONS = ("forehead", "left_cheek", "right_cheek", "nose", "chin", "area")

# Every local system with its codes: docs/fhir.md lists them; the rule checks read them.
LOCAL_SYSTEMS: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(
    {
        ZONE: ZONES,
        ENDPOINT: ENDPOINTS,
        RULE: _rule_codes(),
        CONCERN: tuple(sorted({*CONCERNS, *SCREENING_CONCERNS})),
        ASSESSMENT_KIND: ASSESSMENT_KINDS,
        PHOTO_VIEW: VIEWS,
        ADVERSE_EVENT_KIND: ADVERSE_EVENT_KINDS,
        OBSERVATION: tuple(OBSERVATION_CODES),
        PHOTO_MEASURE: tuple(PHOTO_MEASURE_UNITS),
        PHOTO_REGION: PHOTO_REGIONS,
        PROCEDURE: ("microneedling",),
        STAFF_ROLE: tuple(r.value for r in Role if r != Role.PATIENT),
        ANSWER: tuple(sorted({*TRI_STATE_VALUES, *DIABETES_VALUES, *AREAS})),
        CONSENT_PROVISION: ("photo-release",),
    }
)

# Systems whose codes each clinic defines: the services' slugs (its setup pages).
CLINIC_DEFINED = frozenset({SERVICE})

# Standard systems: the codes the export uses (each from that system's R4 value set).
STANDARD_CODES: MappingProxyType[str, frozenset[str]] = MappingProxyType(
    {
        CONSENT_SCOPE: frozenset({"treatment"}),
        LOINC: frozenset({"59284-0"}),
        ACT_CODE: frozenset({"OPTIN"}),
        LOCATION_TYPE: frozenset({"si", "ro"}),
        MEDIA_TYPE: frozenset({"image"}),
        AE_SEVERITY: frozenset({"mild", "moderate", "severe"}),
        AE_OUTCOME: frozenset(
            {"resolved", "recovering", "ongoing", "resolvedWithSequelae", "fatal", "unknown"}
        ),
        OBSERVATION_CATEGORY: frozenset({"procedure", "exam", "survey", "imaging"}),
        SIGNATURE_TYPE: frozenset({"1.2.840.10065.1.12.1.7"}),
        PROVENANCE_PARTICIPANT: frozenset({"author", "enterer", "verifier"}),
        UCUM: frozenset({"mm", "{score}", "1", "deg", "%", "mm/cm2"}),
    }
)

# Coded elements bound to a required value set (R4), by resource type and element.
REQUIRED_VALUES: MappingProxyType[tuple[str, str], frozenset[str]] = MappingProxyType(
    {
        ("Patient", "gender"): frozenset({"male", "female", "other", "unknown"}),
        ("Appointment", "status"): frozenset(
            {
                "proposed",
                "pending",
                "booked",
                "arrived",
                "fulfilled",
                "cancelled",
                "noshow",
                "entered-in-error",
                "checked-in",
                "waitlist",
            }
        ),
        ("Procedure", "status"): frozenset(
            {
                "preparation",
                "in-progress",
                "not-done",
                "on-hold",
                "stopped",
                "completed",
                "entered-in-error",
                "unknown",
            }
        ),
        ("Consent", "status"): frozenset(
            {"draft", "proposed", "active", "rejected", "inactive", "entered-in-error"}
        ),
        ("CarePlan", "status"): frozenset(
            {"draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown"}
        ),
        ("Observation", "status"): frozenset(
            {"registered", "preliminary", "final", "amended", "corrected", "cancelled"}
        ),
    }
)

APPOINTMENT_STATUS = MappingProxyType(
    {"booked": "booked", "cancelled": "cancelled", "completed": "fulfilled", "no_show": "noshow"}
)
CARE_PLAN_STATUS = MappingProxyType(
    {"active": "active", "completed": "completed", "cancelled": "revoked"}
)
PLAN_SESSION_STATUS = MappingProxyType(
    {"planned": "not-started", "booked": "scheduled", "done": "completed"}
)
DEVICE_STATUS = MappingProxyType(
    {"in_service": "active", "maintenance": "inactive", "retired": "inactive"}
)
AE_OUTCOMES = MappingProxyType(
    {
        "ongoing": "ongoing",
        "resolved": "resolved",
        "resolved_with_sequelae": "resolvedWithSequelae",
        "unknown": "unknown",
    }
)


def words(code: str) -> str:
    return code.replace("_", " ").replace("-", " ").capitalize()


def coding(system: str, code: str, display: str = "") -> dict[str, Any]:
    item = {"system": system, "code": code}
    if display:
        item["display"] = display
    return item


def concept(system: str, code: str, display: str = "", text: str = "") -> dict[str, Any]:
    """A CodeableConcept with one coding; local codes get their words as display."""
    shown = display or (words(code) if system in LOCAL_SYSTEMS else "")
    result: dict[str, Any] = {"coding": [coding(system, code, shown)]}
    if text:
        result["text"] = text
    return result


def observation_code(code: str) -> dict[str, Any]:
    return concept(OBSERVATION, code, OBSERVATION_CODES[code])


def mm(value: float) -> dict[str, Any]:
    return {"value": value, "unit": "mm", "system": UCUM, "code": "mm"}


def score(value: float) -> dict[str, Any]:
    return {"value": value, "unit": "score", "system": UCUM, "code": "{score}"}
