"""The screening result as it is stored with a screening (``Screening.result``, a day-of
check's screening) and kept for the result page. Its shape is the API's ``ScreeningOut``
(screening-policy.md, "The response"), which the API builds from the domain value itself."""

from __future__ import annotations

from typing import Any

from needlepoint.domain.screening import ScreeningResult


def _day(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def result_payload(result: ScreeningResult, screening_id: object | None) -> dict[str, Any]:
    return {
        "id": str(screening_id) if screening_id is not None else None,
        "policy_version": result.policy_version,
        "judged_for": result.judged_for.isoformat(),
        "verdict": result.verdict,
        "resume_on": _day(result.resume_on),
        "reasons": [
            {
                "code": r.code,
                "verdict": r.verdict,
                "resume_on": _day(r.resume_on),
                "requires_physician": r.requires_physician,
                "message": r.message,
            }
            for r in result.reasons
        ],
        "precautions": [{"code": p.code, "message": p.message} for p in result.precautions],
        "concerns": [
            {"concern": c.concern, "fit": c.fit, "message": c.message} for c in result.concerns
        ],
        "next_step": result.next_step,
        "disclaimer": result.disclaimer,
    }
