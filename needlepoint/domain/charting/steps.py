"""The order of the treatment-day steps and why a step may not be taken yet."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from needlepoint.domain.charting.rules import (
    CHART_ALREADY_SIGNED,
    CHART_REQUIRED,
    CONSENT_REQUIRED,
    DAY_OF_CHECK_FAILED,
    DAY_OF_CHECK_REQUIRED,
)

# --- Step order ------------------------------------------------------------------------


class Step(StrEnum):
    CONSENT = "consent"
    DAY_OF_CHECK = "day_of_check"
    CHART = "chart"
    SIGN = "sign"
    DONE = "done"


STEPS: tuple[Step, ...] = (Step.CONSENT, Step.DAY_OF_CHECK, Step.CHART, Step.SIGN)


@dataclass(frozen=True)
class StepState:
    """What has happened for one appointment so far."""

    consent_current: bool
    day_of_passed: bool | None  # None: no check yet; False: the latest check blocked
    chart_exists: bool
    chart_signed: bool


@dataclass(frozen=True)
class StepRefusal:
    rule: str
    message: str


def next_step(state: StepState) -> Step:
    """The first step not yet done."""
    if not state.consent_current:
        return Step.CONSENT
    if state.day_of_passed is not True:
        return Step.DAY_OF_CHECK
    if not state.chart_exists:
        return Step.CHART
    if not state.chart_signed:
        return Step.SIGN
    return Step.DONE


def refusal_for(step: Step, state: StepState) -> StepRefusal | None:
    """Why ``step`` may not be taken now (each earlier step must be done), or None."""
    if step is Step.CONSENT:
        return None
    if not state.consent_current:
        return StepRefusal(
            CONSENT_REQUIRED,
            "The patient has not signed the current consent for this plan; take consent first.",
        )
    if step is Step.DAY_OF_CHECK:
        return None
    if state.day_of_passed is None:
        return StepRefusal(
            DAY_OF_CHECK_REQUIRED, "Take the day-of check before charting the session."
        )
    if state.day_of_passed is False:
        return StepRefusal(
            DAY_OF_CHECK_FAILED,
            "The day-of check found a reason not to treat today; rebook the session.",
        )
    if step is Step.CHART:
        if state.chart_signed:
            return StepRefusal(
                CHART_ALREADY_SIGNED,
                "The chart is signed and locked; record an amendment with a reason.",
            )
        return None
    if not state.chart_exists:
        return StepRefusal(CHART_REQUIRED, "Chart the session before signing it.")
    if state.chart_signed:
        return StepRefusal(CHART_ALREADY_SIGNED, "The chart is already signed.")
    return None
