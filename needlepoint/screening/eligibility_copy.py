"""The treatment page's statements about who may not be treated, grouped by the policy.

The page copy gives the words for each rule code; the policy in force decides the group each
condition is stated under, so the page can never contradict the screening
(docs/decisions/0260-treatment-page-states-the-policy.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from needlepoint.domain.screening import ScreeningPolicy
from needlepoint.domain.screening.policy import (
    REASON_VERDICTS,
    AgeBetween,
    DateWithin,
    ReasonRule,
)

from .page_copy import Section

# Verdicts a page must always state: a person ruled out or made to wait should know before
# screening. needs_review conditions are stated only when the copy has words for them.
ALWAYS_STATED = ("not_eligible", "defer")
DEFAULT_LEADS = {
    "not_eligible": "We cannot treat you with micro-needling if you have:",
    "defer": "We wait before treating if you have:",
    "needs_review": "A clinician looks at your answers with you first if you have:",
}


@dataclass(frozen=True)
class Statement:
    code: str
    words: str


@dataclass(frozen=True)
class StatementGroup:
    verdict: str
    lead: str
    statements: tuple[Statement, ...]


def _plural(n: int, unit: str) -> str:
    return f"{n} {unit}{'' if n == 1 else 's'}"


def _filled(words: str, rule: ReasonRule) -> str:
    """Numbers come from the rule, so a clinic's edit of the policy changes the page too."""
    when = rule.when
    if isinstance(when, DateWithin):
        parts = [_plural(when.offset.months, "month")] if when.offset.months else []
        if when.offset.days:
            parts.append(_plural(when.offset.days, "day"))
        words = words.replace("{wait}", " and ".join(parts))
    if isinstance(when, AgeBetween):
        if when.below is None:
            age = f"{when.at_least} or over"
        elif when.at_least <= 0:
            age = f"under {when.below}"
        else:
            age = f"{when.at_least} to {when.below - 1}"
        words = words.replace("{age}", age)
    return words


def who_may_not_be_treated(section: Section, policy: ScreeningPolicy) -> list[StatementGroup]:
    groups = []
    for verdict in REASON_VERDICTS:
        statements = tuple(
            Statement(rule.code, _filled(section.conditions.get(rule.code, rule.message), rule))
            for rule in policy.rules
            if isinstance(rule, ReasonRule)
            and rule.verdict == verdict
            and (rule.code in section.conditions or verdict in ALWAYS_STATED)
        )
        if statements:
            lead = section.groups.get(verdict, DEFAULT_LEADS[verdict])
            groups.append(StatementGroup(verdict, lead, statements))
    return groups
