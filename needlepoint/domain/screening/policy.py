"""The screening policy as values: rules, messages and mappings a clinic edits as data.

``parse_policy`` turns the plain dict read from the clinic's YAML file into these values and
refuses anything it cannot use with a ``DataError`` naming the key path, so the loader can
point at the line. Every number a clinician could argue about is in the data, not here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Literal, TypeVar

from needlepoint.domain.errors import DataError

from .answers import (
    CONCERNS,
    DATE_FIELDS,
    DAY_OF_DATE_FIELDS,
    DAY_OF_TRI_STATE_FIELDS,
    DIABETES_VALUES,
    TRI_STATE_FIELDS,
    TRI_STATE_VALUES,
    UNSURE_ABLE_FIELDS,
)
from .dates import add_offset

Verdict = Literal["not_eligible", "defer", "needs_review", "likely_candidate"]
NextStep = Literal["book_consultation", "rescreen", "contact_clinic"]
Fit = Literal["good", "fair", "limited", "discuss"]

# Most severe first: the overall verdict is the first of these any reason has.
VERDICTS: tuple[Verdict, ...] = ("not_eligible", "defer", "needs_review", "likely_candidate")
# likely_candidate is what remains when nothing fires, so no rule may give it.
REASON_VERDICTS: tuple[Verdict, ...] = VERDICTS[:-1]
NEXT_STEPS: tuple[NextStep, ...] = ("book_consultation", "rescreen", "contact_clinic")
FITS: tuple[Fit, ...] = ("good", "fair", "limited", "discuss")
UNSURE_PREFIX = "UNSURE_"

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Offset:
    months: int = 0
    days: int = 0

    def after(self, start: date) -> date:
        return add_offset(start, months=self.months, days=self.days)


@dataclass(frozen=True)
class AnswerIs:
    field: str
    value: str


@dataclass(frozen=True)
class DateWithin:
    """Fires while the judged date is before ``field + offset`` (that date is resume_on)."""

    field: str
    offset: Offset


@dataclass(frozen=True)
class DateOlderThan:
    """Fires when ``field`` is answered and ``field + offset`` is on or before the judged date."""

    field: str
    offset: Offset


@dataclass(frozen=True)
class DateGiven:
    field: str


@dataclass(frozen=True)
class AgeBetween:
    """Age in completed years on the judged date: ``at_least <= age < below``."""

    at_least: int
    below: int | None


@dataclass(frozen=True)
class ConcernsOnly:
    """Fires when every concern chosen is one of ``concerns``."""

    concerns: frozenset[str]


Trigger = AnswerIs | DateWithin | DateOlderThan | DateGiven | AgeBetween | ConcernsOnly


@dataclass(frozen=True)
class ReasonRule:
    code: str
    when: Trigger
    verdict: Verdict
    requires_physician: bool
    message: str


@dataclass(frozen=True)
class PrecautionRule:
    """A finding that changes how the treatment is done, not whether (e.g. antivirals)."""

    code: str
    when: Trigger
    precaution: str


Rule = ReasonRule | PrecautionRule


@dataclass(frozen=True)
class UnsurePolicy:
    verdict: Verdict
    requires_physician: bool
    message_template: str
    topics: Mapping[str, str]

    def code_for(self, field: str) -> str:
        return UNSURE_PREFIX + field.upper()

    def message_for(self, field: str) -> str:
        return self.message_template.format(topic=self.topics[field])


@dataclass(frozen=True)
class ConcernFit:
    fit: Fit
    message: str


@dataclass(frozen=True)
class ScreeningPolicy:
    version: str
    rules: tuple[Rule, ...]
    unsure: UnsurePolicy
    precautions: Mapping[str, str]
    concerns: Mapping[str, ConcernFit]
    next_steps: Mapping[Verdict, NextStep]
    disclaimer: str


# --- parsing -------------------------------------------------------------------------------

_CODE = re.compile(r"^[A-Z][A-Z0-9_]*$")
_CHOICE_FIELDS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys((*TRI_STATE_FIELDS, *DAY_OF_TRI_STATE_FIELDS), TRI_STATE_VALUES),
    "diabetes": DIABETES_VALUES,
}
_DATE_FIELDS = tuple(dict.fromkeys((*DATE_FIELDS, *DAY_OF_DATE_FIELDS)))
_YAML_BOOL_HINT = ' (write it in quotes, e.g. "yes": YAML reads a bare yes/no as true/false)'


def _mapping(
    value: object, path: KeyPath, *, required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise DataError(path, "must be a mapping of keys to values")
    allowed = (*required, *optional)
    for key in value:
        if key not in allowed:
            raise DataError((*path, key), f"unknown key {key!r}; expected {', '.join(allowed)}")
    for key in required:
        if key not in value:
            raise DataError((*path, key), f"{key!r} is missing")
    return value


def _text(value: object, path: KeyPath) -> str:
    if not isinstance(value, str) or not value.strip():
        raise DataError(path, "must be a non-empty text")
    return value.strip()


Choice = TypeVar("Choice", bound=str)


def _choice(value: object, path: KeyPath, allowed: tuple[Choice, ...]) -> Choice:
    for option in allowed:  # returning the option, not the value, keeps its Literal type
        if isinstance(value, str) and value == option:
            return option
    hint = _YAML_BOOL_HINT if isinstance(value, bool) else ""
    raise DataError(path, f"must be one of {', '.join(allowed)}, not {value!r}{hint}")


def _flag(value: object, path: KeyPath) -> bool:
    if not isinstance(value, bool):
        raise DataError(path, f"must be true or false, not {value!r}")
    return value


def _count(value: object, path: KeyPath) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise DataError(path, f"must be a whole number, 0 or more, not {value!r}")
    return value


def _code(value: object, path: KeyPath) -> str:
    code = _text(value, path)
    if not _CODE.match(code):
        raise DataError(path, f"{code!r} must be UPPER_CASE letters, digits and _")
    return code


def _parse_offset(value: object, path: KeyPath) -> Offset:
    raw = _mapping(value, path, required=(), optional=("months", "days"))
    if not raw:
        raise DataError(path, "give months:, days: or both")
    return Offset(
        months=_count(raw.get("months", 0), (*path, "months")),
        days=_count(raw.get("days", 0), (*path, "days")),
    )


def _parse_answer_trigger(raw: Mapping[str, object], path: KeyPath) -> AnswerIs:
    raw = _mapping(raw, path, required=("answer", "is"))
    field = _choice(raw["answer"], (*path, "answer"), tuple(_CHOICE_FIELDS))
    return AnswerIs(field, _choice(raw["is"], (*path, "is"), _CHOICE_FIELDS[field]))


def _parse_date_trigger(raw: Mapping[str, object], path: KeyPath) -> Trigger:
    raw = _mapping(raw, path, required=("date",), optional=("within", "older_than", "given"))
    field = _choice(raw["date"], (*path, "date"), _DATE_FIELDS)
    kinds = [key for key in ("within", "older_than", "given") if key in raw]
    if len(kinds) != 1:
        raise DataError(path, "give exactly one of within:, older_than: or given: true")
    kind = kinds[0]
    if kind == "given":
        if _flag(raw["given"], (*path, "given")) is not True:
            raise DataError((*path, "given"), "may only be true")
        return DateGiven(field)
    offset = _parse_offset(raw[kind], (*path, kind))
    return DateWithin(field, offset) if kind == "within" else DateOlderThan(field, offset)


def _parse_age_trigger(value: object, path: KeyPath) -> AgeBetween:
    raw = _mapping(value, path, required=(), optional=("from", "below"))
    if not raw:
        raise DataError(path, "give from:, below: or both")
    at_least = _count(raw.get("from", 0), (*path, "from"))
    below = _count(raw["below"], (*path, "below")) if "below" in raw else None
    if below is not None and below <= at_least:
        raise DataError((*path, "below"), "must be greater than from:")
    return AgeBetween(at_least, below)


def _parse_trigger(value: object, path: KeyPath) -> Trigger:
    if not isinstance(value, Mapping):
        raise DataError(path, 'must be a mapping, e.g. {answer: bleeding_disorder, is: "yes"}')
    if "answer" in value:
        return _parse_answer_trigger(value, path)
    if "date" in value:
        return _parse_date_trigger(value, path)
    if "age" in value:
        _mapping(value, path, required=("age",))
        return _parse_age_trigger(value["age"], (*path, "age"))
    if "concerns_only" in value:
        _mapping(value, path, required=("concerns_only",))
        listed = value["concerns_only"]
        if not isinstance(listed, list) or not listed:
            raise DataError((*path, "concerns_only"), "must be a non-empty list of concerns")
        return ConcernsOnly(
            frozenset(
                _choice(c, (*path, "concerns_only", i), CONCERNS) for i, c in enumerate(listed)
            )
        )
    raise DataError(path, "must start with one of answer:, date:, age:, concerns_only:")


def _parse_rule(value: object, path: KeyPath) -> Rule:
    keys = ("code", "when", "verdict", "requires_physician", "message", "precaution")
    raw = _mapping(value, path, required=("code", "when"), optional=keys[2:])
    code = _code(raw["code"], (*path, "code"))
    if code.startswith(UNSURE_PREFIX):
        raise DataError((*path, "code"), f"codes starting with {UNSURE_PREFIX} are reserved")
    when = _parse_trigger(raw["when"], (*path, "when"))
    if ("verdict" in raw) == ("precaution" in raw):
        raise DataError(path, f"rule {code} needs either verdict: or precaution: (not both)")
    if "precaution" in raw:
        for key in ("message", "requires_physician"):
            if key in raw:
                raise DataError(
                    (*path, key), "a precaution rule takes its message from precautions:"
                )
        return PrecautionRule(code, when, _code(raw["precaution"], (*path, "precaution")))
    verdict = _choice(raw["verdict"], (*path, "verdict"), REASON_VERDICTS)
    requires_physician = _requires_physician(raw, path, verdict)
    if "message" not in raw:
        raise DataError((*path, "message"), f"rule {code} has no message for the patient")
    return ReasonRule(
        code, when, verdict, requires_physician, _text(raw["message"], (*path, "message"))
    )


def _requires_physician(raw: Mapping[str, object], path: KeyPath, verdict: Verdict) -> bool:
    # Explicit for every needs_review rule: who must review is a clinical decision.
    if verdict != "needs_review":
        if raw.get("requires_physician", False) is not False:
            raise DataError(
                (*path, "requires_physician"), "only a needs_review rule can require one"
            )
        return False
    if "requires_physician" not in raw:
        raise DataError((*path, "requires_physician"), "needs_review rules must say true or false")
    return _flag(raw["requires_physician"], (*path, "requires_physician"))


def _parse_unsure(value: object, path: KeyPath) -> UnsurePolicy:
    raw = _mapping(
        value, path, required=("verdict", "message", "topics"), optional=("requires_physician",)
    )
    verdict = _choice(raw["verdict"], (*path, "verdict"), REASON_VERDICTS)
    requires_physician = _requires_physician(raw, path, verdict)
    template = _text(raw["message"], (*path, "message"))
    try:
        template.format(topic="")
    except (KeyError, IndexError, ValueError) as exc:
        raise DataError((*path, "message"), "may use {topic} and no other {placeholder}") from exc
    topics = _text_table(raw["topics"], (*path, "topics"), UNSURE_ABLE_FIELDS)
    return UnsurePolicy(verdict, requires_physician, template, topics)


def _text_table(value: object, path: KeyPath, keys: tuple[str, ...]) -> Mapping[str, str]:
    raw = _mapping(value, path, required=keys)
    return MappingProxyType({key: _text(raw[key], (*path, key)) for key in keys})


def _parse_precautions(value: object, path: KeyPath, rules: tuple[Rule, ...]) -> Mapping[str, str]:
    used = tuple(dict.fromkeys(r.precaution for r in rules if isinstance(r, PrecautionRule)))
    if not isinstance(value, Mapping):
        raise DataError(path, "must be a mapping of precaution codes to messages")
    for code in value:
        if code not in used:
            raise DataError((*path, code), f"precaution {code} is not given by any rule")
    return _text_table(value, path, used)


def _parse_concerns(value: object, path: KeyPath) -> Mapping[str, ConcernFit]:
    raw = _mapping(value, path, required=CONCERNS)
    parsed: dict[str, ConcernFit] = {}
    for concern in CONCERNS:
        entry = _mapping(raw[concern], (*path, concern), required=("fit", "message"))
        fit = _choice(entry["fit"], (*path, concern, "fit"), FITS)
        parsed[concern] = ConcernFit(fit, _text(entry["message"], (*path, concern, "message")))
    return MappingProxyType(parsed)


def _parse_next_steps(value: object, path: KeyPath) -> Mapping[Verdict, NextStep]:
    raw = _mapping(value, path, required=VERDICTS)
    steps: dict[Verdict, NextStep] = {}
    for verdict in VERDICTS:
        steps[verdict] = _choice(raw[verdict], (*path, verdict), NEXT_STEPS)
    return MappingProxyType(steps)


def parse_policy(raw: object) -> ScreeningPolicy:
    """Validate the plain data of a policy file; raise ``DataError`` at the first problem."""
    top = _mapping(
        raw,
        (),
        required=(
            "version",
            "rules",
            "unsure",
            "precautions",
            "concerns",
            "next_steps",
            "disclaimer",
        ),
    )
    listed = top["rules"]
    if not isinstance(listed, list) or not listed:
        raise DataError(("rules",), "must be a non-empty list of rules")
    rules = tuple(_parse_rule(rule, ("rules", i)) for i, rule in enumerate(listed))
    seen: set[str] = set()
    for i, rule in enumerate(rules):
        if rule.code in seen:
            raise DataError(("rules", i, "code"), f"code {rule.code} is used by an earlier rule")
        seen.add(rule.code)
    return ScreeningPolicy(
        version=_text(top["version"], ("version",)),
        rules=rules,
        unsure=_parse_unsure(top["unsure"], ("unsure",)),
        precautions=_parse_precautions(top["precautions"], ("precautions",), rules),
        concerns=_parse_concerns(top["concerns"], ("concerns",)),
        next_steps=_parse_next_steps(top["next_steps"], ("next_steps",)),
        disclaimer=_text(top["disclaimer"], ("disclaimer",)),
    )
