"""What a person answers in the self-screening and on treatment day, and its validation.

Field names and values are the contract in ``screening-policy.md``; the API and the web form
build their schemas from the constants below so there is one list, not three.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Literal, NamedTuple, TypeGuard

TriState = Literal["yes", "no", "unsure"]
Diabetes = Literal["none", "controlled", "uncontrolled", "unsure"]
Concern = Literal[
    "acne_scars",
    "sun_damage",
    "fine_lines_wrinkles",
    "uneven_skin_tone",
    "stretch_marks",
    "enlarged_pores",
    "other",
]
Area = Literal["face", "neck", "decollete", "body"]

TRI_STATE_VALUES: tuple[TriState, ...] = ("yes", "no", "unsure")
DIABETES_VALUES: tuple[Diabetes, ...] = ("none", "controlled", "uncontrolled", "unsure")
UNSURE = "unsure"
CONCERNS: tuple[Concern, ...] = (
    "acne_scars",
    "sun_damage",
    "fine_lines_wrinkles",
    "uneven_skin_tone",
    "stretch_marks",
    "enlarged_pores",
    "other",
)
AREAS: tuple[Area, ...] = ("face", "neck", "decollete", "body")


@dataclass(frozen=True)
class Answers:
    """The self-screening answers the rules read.

    ``planned_date`` is not here: it is the date the answers are judged for, resolved by the
    caller (default: today in the clinic's zone) and passed to ``evaluate``. Neither is
    ``consent_to_store``, which decides storage, not eligibility.
    """

    date_of_birth: date
    concerns: tuple[Concern, ...]
    areas: tuple[Area, ...]
    pregnant_or_breastfeeding: TriState
    active_skin_infection: TriState
    active_cold_sore: TriState
    cold_sore_history: TriState
    open_wounds_or_irritated_skin: TriState
    skin_lesions_or_changing_moles: TriState
    active_inflamed_acne: TriState
    dermatitis_flare: TriState
    dermatitis_history: TriState
    bleeding_disorder: TriState
    blood_thinners: TriState
    keloid_history: TriState
    immunosuppressed: TriState
    diabetes: Diabetes
    metal_allergy: TriState
    anesthetic_allergy: TriState
    gold_threads_in_area: TriState
    isotretinoin_last_dose: date | None
    radiation_to_area_last: date | None
    filler_in_area_last: date | None
    neurotoxin_last: date | None
    peel_or_laser_last: date | None
    facial_surgery_last: date | None
    sunburn_last: date | None
    retinoid_or_acid_last_use: date | None


@dataclass(frozen=True)
class DayOfAnswers:
    """The short checklist re-asked on treatment day, before the device is used.

    Only what can change between consultation and session; ``new_medication`` stands in for
    everything the full screening asks about medicines.
    """

    active_skin_infection: TriState
    active_cold_sore: TriState
    open_wounds_or_irritated_skin: TriState
    active_inflamed_acne: TriState
    dermatitis_flare: TriState
    pregnant_or_breastfeeding: TriState
    new_medication: TriState
    sunburn_last: date | None
    filler_in_area_last: date | None
    neurotoxin_last: date | None
    peel_or_laser_last: date | None
    retinoid_or_acid_last_use: date | None


def _names_of(cls: type, annotation: str) -> tuple[str, ...]:
    # With ``from __future__ import annotations`` field types are the source strings.
    return tuple(f.name for f in fields(cls) if f.type == annotation)


ANSWER_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Answers))
TRI_STATE_FIELDS: tuple[str, ...] = _names_of(Answers, "TriState")
DATE_FIELDS: tuple[str, ...] = _names_of(Answers, "date | None")
DAY_OF_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(DayOfAnswers))
DAY_OF_TRI_STATE_FIELDS: tuple[str, ...] = _names_of(DayOfAnswers, "TriState")
DAY_OF_DATE_FIELDS: tuple[str, ...] = _names_of(DayOfAnswers, "date | None")
# Every field whose "unsure" answer becomes an UNSURE_<FIELD> reason.
UNSURE_ABLE_FIELDS: tuple[str, ...] = (
    *TRI_STATE_FIELDS,
    "diabetes",
    *(name for name in DAY_OF_TRI_STATE_FIELDS if name not in TRI_STATE_FIELDS),
)


class AnswerProblem(NamedTuple):
    """One thing wrong with the answers, for a field-by-field 422."""

    field: str
    message: str


NOT_AFTER_PLANNED = "must not be after the planned date"
# Nobody alive was born before 1900; a treatment is planned at most two years ahead
# (decision 0251): beyond that the answers would be stale long before the day.
EARLIEST_BIRTH = date(1900, 1, 1)
PLANNING_HORIZON_DAYS = 730


def _is_date(value: object) -> TypeGuard[date]:
    # datetime is a date subclass, but a time of day here means the caller mixed things up.
    return isinstance(value, date) and not isinstance(value, datetime)


def _choice_problem(field: str, value: object, allowed: tuple[str, ...]) -> AnswerProblem | None:
    if value in allowed:
        return None
    return AnswerProblem(field, f"must be one of {', '.join(allowed)} (got {value!r})")


def _list_problems(field: str, values: object, allowed: tuple[str, ...]) -> list[AnswerProblem]:
    if not isinstance(values, tuple | list):
        return [AnswerProblem(field, "must be a list")]
    if not values:
        return [AnswerProblem(field, "choose at least one")]
    if len(values) > len(allowed) or len(set(map(repr, values))) < len(values):
        return [AnswerProblem(field, "choose each answer at most once")]
    return [
        AnswerProblem(field, f"unknown value {v!r}; choose from {', '.join(allowed)}")
        for v in values
        if v not in allowed
    ]


def _date_problems(
    values: dict[str, object], names: tuple[str, ...], judged_for: date | None
) -> list[AnswerProblem]:
    problems: list[AnswerProblem] = []
    for name in names:
        value = values[name]
        if value is None:
            continue
        if not _is_date(value):
            problems.append(AnswerProblem(name, "must be a date (YYYY-MM-DD) or empty"))
        elif judged_for is not None and value > judged_for:
            problems.append(AnswerProblem(name, NOT_AFTER_PLANNED))
    return problems


def validate_answers(answers: Answers, *, planned_date: date, today: date) -> list[AnswerProblem]:
    """Every problem with ``answers`` at once (empty list: fine to evaluate).

    Checks values as well as types, because an adapter may build ``Answers`` from plain
    strings and wants one 422 listing everything, not one problem per round trip.
    """
    values = {name: getattr(answers, name) for name in ANSWER_FIELDS}
    problems: list[AnswerProblem] = []
    if not _is_date(planned_date):
        problems.append(AnswerProblem("planned_date", "must be a date (YYYY-MM-DD)"))
    elif planned_date < today:
        problems.append(AnswerProblem("planned_date", "must not be in the past"))
    elif (planned_date - today).days > PLANNING_HORIZON_DAYS:
        problems.append(AnswerProblem("planned_date", "must be within two years from today"))
    if not _is_date(answers.date_of_birth):
        problems.append(AnswerProblem("date_of_birth", "must be a date (YYYY-MM-DD)"))
    elif _is_date(planned_date) and answers.date_of_birth > planned_date:
        problems.append(AnswerProblem("date_of_birth", NOT_AFTER_PLANNED))
    elif answers.date_of_birth > today:
        problems.append(AnswerProblem("date_of_birth", "must not be in the future"))
    elif answers.date_of_birth < EARLIEST_BIRTH:
        problems.append(AnswerProblem("date_of_birth", "must not be before 1900"))
    problems += _list_problems("concerns", answers.concerns, CONCERNS)
    problems += _list_problems("areas", answers.areas, AREAS)
    for name in TRI_STATE_FIELDS:
        problem = _choice_problem(name, values[name], TRI_STATE_VALUES)
        problems += [problem] if problem else []
    problem = _choice_problem("diabetes", answers.diabetes, DIABETES_VALUES)
    problems += [problem] if problem else []
    judged_for = planned_date if _is_date(planned_date) else None
    return problems + _date_problems(values, DATE_FIELDS, judged_for)


def validate_day_of_answers(answers: DayOfAnswers, *, on_date: date) -> list[AnswerProblem]:
    """Every problem with a treatment-day checklist (dates may not be after ``on_date``)."""
    values = {name: getattr(answers, name) for name in DAY_OF_FIELDS}
    problems: list[AnswerProblem] = []
    for name in DAY_OF_TRI_STATE_FIELDS:
        problem = _choice_problem(name, values[name], TRI_STATE_VALUES)
        problems += [problem] if problem else []
    return problems + _date_problems(values, DAY_OF_DATE_FIELDS, on_date)
