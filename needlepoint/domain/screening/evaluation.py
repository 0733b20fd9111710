"""Answers + policy + the date judged for -> verdict, reasons, precautions, next step.

Pure: the judged date is always passed in, so a screening can be re-judged for any day
(and a treatment-day check for the session's date) and tests need no frozen clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date
from typing import assert_never

from .answers import (
    DAY_OF_TRI_STATE_FIELDS,
    UNSURE,
    UNSURE_ABLE_FIELDS,
    Answers,
    DayOfAnswers,
)
from .dates import age_on
from .policy import (
    VERDICTS,
    AgeBetween,
    AnswerIs,
    ConcernsOnly,
    DateGiven,
    DateOlderThan,
    DateWithin,
    Fit,
    NextStep,
    PrecautionRule,
    ReasonRule,
    ScreeningPolicy,
    Trigger,
    Verdict,
)

_SEVERITY = {verdict: rank for rank, verdict in enumerate(VERDICTS)}
_BLOCKING: tuple[Verdict, ...] = ("not_eligible", "defer")


@dataclass(frozen=True)
class Reason:
    code: str
    verdict: Verdict
    resume_on: date | None  # the day this reason stops applying, when the rule knows it
    requires_physician: bool
    message: str


@dataclass(frozen=True)
class Precaution:
    code: str
    message: str


@dataclass(frozen=True)
class ConcernAdvice:
    concern: str
    fit: Fit
    message: str


@dataclass(frozen=True)
class ScreeningResult:
    verdict: Verdict
    resume_on: date | None
    requires_physician: bool
    reasons: tuple[Reason, ...]
    precautions: tuple[Precaution, ...]
    concerns: tuple[ConcernAdvice, ...]
    next_step: NextStep
    disclaimer: str
    policy_version: str
    judged_for: date


@dataclass(frozen=True)
class _Firing:
    resume_on: date | None = None


def most_severe(verdicts: Iterable[Verdict]) -> Verdict:
    """The most severe of ``verdicts``; likely_candidate when there are none."""
    return min(verdicts, key=_SEVERITY.__getitem__, default="likely_candidate")


def _fires(trigger: Trigger, facts: Mapping[str, object], on: date) -> _Firing | None:
    # A rule about a field the answers do not have (age on treatment day) cannot fire.
    match trigger:
        case AnswerIs(field, value):
            return _Firing() if field in facts and facts[field] == value else None
        case DateWithin(field, offset):
            answered = facts.get(field)
            if not isinstance(answered, date):
                return None
            resume_on = offset.after(answered)
            return _Firing(resume_on) if on < resume_on else None
        case DateOlderThan(field, offset):
            answered = facts.get(field)
            return (
                _Firing() if isinstance(answered, date) and offset.after(answered) <= on else None
            )
        case DateGiven(field):
            return _Firing() if isinstance(facts.get(field), date) else None
        case AgeBetween(at_least, below):
            born = facts.get("date_of_birth")
            if not isinstance(born, date):
                return None
            age = age_on(born, on)
            return _Firing() if at_least <= age and (below is None or age < below) else None
        case ConcernsOnly(allowed):
            chosen = facts.get("concerns")
            if not isinstance(chosen, tuple) or not chosen:
                return None
            return _Firing() if set(chosen) <= allowed else None
        case _:
            assert_never(trigger)


def _judge(
    facts: Mapping[str, object],
    unsure_fields: Iterable[str],
    policy: ScreeningPolicy,
    on: date,
) -> ScreeningResult:
    reasons: list[Reason] = []
    precaution_codes: dict[str, None] = {}  # a dict keeps first-seen order while deduplicating
    for rule in policy.rules:
        firing = _fires(rule.when, facts, on)
        if firing is None:
            continue
        if isinstance(rule, PrecautionRule):
            precaution_codes[rule.precaution] = None
        else:
            reasons.append(_reason(rule, firing))
    unsure = policy.unsure
    for field in unsure_fields:
        if facts.get(field) == UNSURE:
            reasons.append(
                Reason(
                    code=unsure.code_for(field),
                    verdict=unsure.verdict,
                    resume_on=None,
                    requires_physician=unsure.requires_physician,
                    message=unsure.message_for(field),
                )
            )
    # Worst first, so a person reads what matters most; file order within a verdict.
    reasons.sort(key=lambda reason: _SEVERITY[reason.verdict])
    verdict = most_severe(reason.verdict for reason in reasons)
    return ScreeningResult(
        verdict=verdict,
        resume_on=_overall_resume_on(verdict, reasons),
        requires_physician=any(reason.requires_physician for reason in reasons),
        reasons=tuple(reasons),
        precautions=tuple(Precaution(code, policy.precautions[code]) for code in precaution_codes),
        concerns=_concern_advice(facts.get("concerns"), policy),
        next_step=policy.next_steps[verdict],
        disclaimer=policy.disclaimer,
        policy_version=policy.version,
        judged_for=on,
    )


def _reason(rule: ReasonRule, firing: _Firing) -> Reason:
    return Reason(
        code=rule.code,
        verdict=rule.verdict,
        resume_on=firing.resume_on,
        requires_physician=rule.requires_physician,
        message=rule.message,
    )


def _overall_resume_on(verdict: Verdict, reasons: list[Reason]) -> date | None:
    # Only a deferral has a date to come back on; "not eligible" must not suggest one.
    if verdict != "defer":
        return None
    dates = [reason.resume_on for reason in reasons if reason.verdict == "defer"]
    known = [d for d in dates if d is not None]
    return max(known) if len(known) == len(dates) else None


def _concern_advice(chosen: object, policy: ScreeningPolicy) -> tuple[ConcernAdvice, ...]:
    if not isinstance(chosen, tuple):
        return ()
    unique = dict.fromkeys(c for c in chosen if isinstance(c, str))
    return tuple(
        ConcernAdvice(concern, policy.concerns[concern].fit, policy.concerns[concern].message)
        for concern in unique
    )


def _facts(answers: Answers | DayOfAnswers) -> dict[str, object]:
    return {field.name: getattr(answers, field.name) for field in fields(answers)}


def evaluate(answers: Answers, policy: ScreeningPolicy, planned_date: date) -> ScreeningResult:
    """Judge a self-screening as of ``planned_date`` (validate it first)."""
    return _judge(_facts(answers), UNSURE_ABLE_FIELDS, policy, planned_date)


def evaluate_day_of(
    answers: DayOfAnswers, policy: ScreeningPolicy, on_date: date
) -> ScreeningResult:
    """Re-check the treatment-day checklist against the same rules, as of ``on_date``."""
    return _judge(_facts(answers), DAY_OF_TRI_STATE_FIELDS, policy, on_date)


def blocks_treatment(result: ScreeningResult) -> bool:
    """Whether a finding must stop the session from starting (defer or not eligible)."""
    return result.verdict in _BLOCKING
