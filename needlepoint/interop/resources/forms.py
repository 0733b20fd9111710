"""Screenings and day-of checks as QuestionnaireResponses (with a Questionnaire generated
from the policy version they were judged under), signed consents as Consent + Provenance."""

from __future__ import annotations

import base64
import hashlib
from datetime import date
from typing import Any

from needlepoint.charting.models import ConsentSignature, DayOfCheck
from needlepoint.domain.screening.answers import (
    ANSWER_FIELDS,
    AREAS,
    CONCERNS,
    DATE_FIELDS,
    DAY_OF_DATE_FIELDS,
    DAY_OF_FIELDS,
    DAY_OF_TRI_STATE_FIELDS,
    DIABETES_VALUES,
    TRI_STATE_FIELDS,
    TRI_STATE_VALUES,
)
from needlepoint.screening.models import Screening

from .. import codes
from .common import compact, fhir_id, instant, organization_ref, ref
from .context import PatientContext

SCREENING = "screening"
DAY_OF = "day-of"
TITLES = {SCREENING: "Micro-needling screening", DAY_OF: "Treatment-day check"}
VERDICT = "verdict"


def _choices(name: str) -> tuple[str, tuple[str, ...]] | None:
    """(FHIR item type, allowed codes) for a coded question; None for others."""
    if name in TRI_STATE_FIELDS or name in DAY_OF_TRI_STATE_FIELDS:
        return codes.ANSWER, TRI_STATE_VALUES
    if name == "diabetes":
        return codes.ANSWER, DIABETES_VALUES
    if name == "areas":
        return codes.ANSWER, AREAS
    if name == "concerns":
        return codes.CONCERN, CONCERNS
    return None


def _fields(kind: str) -> tuple[str, ...]:
    return ANSWER_FIELDS if kind == SCREENING else DAY_OF_FIELDS


def _is_date(name: str) -> bool:
    return name == "date_of_birth" or name in DATE_FIELDS or name in DAY_OF_DATE_FIELDS


def questionnaire_id(kind: str, policy_version: str) -> str:
    return fhir_id(kind, policy_version)


def questionnaire_url(kind: str, policy_version: str) -> str:
    return f"{codes.LOCAL_BASE}/Questionnaire/{questionnaire_id(kind, policy_version)}"


def questionnaire(kind: str, policy_version: str) -> dict[str, Any]:
    items = []
    for name in _fields(kind):
        item: dict[str, Any] = {"linkId": name, "text": codes.words(name)}
        coded = _choices(name)
        if coded:
            system, values = coded
            item["type"] = "choice"
            item["answerOption"] = [{"valueCoding": codes.coding(system, v)} for v in values]
            if name in ("areas", "concerns"):
                item["repeats"] = True
        else:
            item["type"] = "date" if _is_date(name) else "string"
        items.append(item)
    items.append({"linkId": VERDICT, "text": "Verdict", "type": "string", "readOnly": True})
    return {
        "resourceType": "Questionnaire",
        "id": questionnaire_id(kind, policy_version),
        "url": questionnaire_url(kind, policy_version),
        "version": policy_version,
        "name": "MicroneedlingScreening" if kind == SCREENING else "TreatmentDayCheck",
        "title": TITLES[kind],
        "status": "active",
        "subjectType": ["Patient"],
        "publisher": "Needlepoint",
        "item": items,
    }


def _answer(kind: str, name: str, value: Any) -> list[dict[str, Any]]:
    coded = _choices(name)
    values = value if isinstance(value, list) else [value]
    if coded:
        system, allowed = coded
        return [{"valueCoding": codes.coding(system, v)} for v in values if v in allowed]
    if _is_date(name):
        return [{"valueDate": str(v)} for v in values if _looks_like_date(v)]
    return [{"valueString": str(v)} for v in values]


def _looks_like_date(value: object) -> bool:
    try:
        date.fromisoformat(str(value))
    except ValueError:
        return False
    return True


def _response(
    ctx: PatientContext,
    kind: str,
    resource_id: str,
    *,
    answers: dict[str, Any],
    policy_version: str,
    verdict: str,
    authored: str,
    author: dict[str, Any] | None,
) -> dict[str, Any]:
    items = []
    for name in _fields(kind):
        value = answers.get(name)
        if value in (None, "", []):
            continue
        answer = _answer(kind, name, value)
        if answer:
            items.append({"linkId": name, "text": codes.words(name), "answer": answer})
    items.append({"linkId": VERDICT, "text": "Verdict", "answer": [{"valueString": verdict}]})
    return compact(
        {
            "resourceType": "QuestionnaireResponse",
            "id": resource_id,
            "questionnaire": questionnaire_url(kind, policy_version),
            "status": "completed",
            "subject": ctx.subject,
            "authored": authored,
            "author": author,
            "source": ctx.subject,
            "item": items,
        }
    )


def screening_response(ctx: PatientContext, item: Screening) -> dict[str, Any]:
    return _response(
        ctx,
        SCREENING,
        fhir_id(SCREENING, item.pk),
        answers=item.answers if isinstance(item.answers, dict) else {},
        policy_version=item.policy_version,
        verdict=item.verdict,
        authored=instant(item.created_at),
        author=ctx.person(item.taken_by_id) or ctx.subject,
    )


def day_of_response(ctx: PatientContext, item: DayOfCheck) -> dict[str, Any]:
    return _response(
        ctx,
        DAY_OF,
        fhir_id(DAY_OF, item.pk),
        answers=item.answers if isinstance(item.answers, dict) else {},
        policy_version=item.policy_version,
        verdict=item.verdict,
        authored=instant(item.checked_at),
        author=ctx.person(item.checked_by_id),
    )


def consent(ctx: PatientContext, item: ConsentSignature) -> dict[str, Any]:
    provisions = []
    if item.photo_release:
        provisions.append(
            {
                "type": "permit",
                "code": [codes.concept(codes.CONSENT_PROVISION, "photo-release")],
            }
        )
    return compact(
        {
            "resourceType": "Consent",
            "id": fhir_id(item.pk),
            "extension": [{"url": codes.EXT_TEXT_SHA256, "valueString": item.text_hash}],
            "status": "active",
            "scope": codes.concept(codes.CONSENT_SCOPE, "treatment", "Treatment"),
            "category": [codes.concept(codes.LOINC, "59284-0", "Patient Consent")],
            "patient": ctx.subject,
            "dateTime": instant(item.signed_at),
            "performer": [ctx.subject],
            "organization": [organization_ref()],
            "sourceAttachment": _consent_text(ctx, item),
            "policyRule": codes.concept(codes.ACT_CODE, "OPTIN", "opt-in"),
            "provision": {"type": "permit", "provision": provisions},
        }
    )


def _consent_text(ctx: PatientContext, item: ConsentSignature) -> dict[str, Any]:
    """The text the patient signed, when its version is known and its SHA-256 is the one
    recorded at signing (else only the title: never a text other than the one signed)."""
    attachment: dict[str, Any] = {
        "contentType": "text/plain; charset=utf-8",
        "title": f"Consent to micro-needling, text version {item.version}",
    }
    text = ctx.consent_texts.get(item.version)
    if text is not None and hashlib.sha256(text.encode()).hexdigest() == item.text_hash:
        data = text.encode()
        attachment["data"] = base64.b64encode(data).decode("ascii")
        # Attachment.hash is SHA-1 by definition (R4); the SHA-256 is in the extension.
        attachment["hash"] = base64.b64encode(hashlib.sha1(data).digest()).decode("ascii")  # noqa: S324
        attachment["size"] = len(data)
    return attachment


def consent_provenance(ctx: PatientContext, item: ConsentSignature) -> dict[str, Any]:
    drawn = item.signature_kind == ConsentSignature.SignatureKind.DRAWN
    agents = [
        {
            "type": codes.concept(codes.PROVENANCE_PARTICIPANT, "author", "Author"),
            "who": ctx.subject,
        }
    ]
    collector = ctx.person(item.collected_by_id)
    if collector and collector != ctx.subject:
        agents.append(
            {
                "type": codes.concept(codes.PROVENANCE_PARTICIPANT, "enterer", "Enterer"),
                "who": collector,
            }
        )
    return {
        "resourceType": "Provenance",
        "id": fhir_id("consent", item.pk),
        "target": [ref("Consent", fhir_id(item.pk))],
        "recorded": instant(item.signed_at),
        "activity": {"text": f"Consent signed ({item.get_source_display()})"},
        "agent": agents,
        "signature": [
            {
                "type": [
                    codes.coding(
                        codes.SIGNATURE_TYPE, "1.2.840.10065.1.12.1.7", "Consent Signature"
                    )
                ],
                "when": instant(item.signed_at),
                "who": ctx.subject,
                "sigFormat": "image/svg+xml" if drawn else "text/plain",
                "data": base64.b64encode(item.signature.encode()).decode("ascii"),
            }
        ],
    }
