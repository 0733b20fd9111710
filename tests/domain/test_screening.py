"""The self-screening engine, judged against the contract in screening-policy.md.

Pure: no database, no clock. Planned date 2027-01-15 as in the contract's worked examples.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from needlepoint.data.loading import DataFileError, load_yaml
from needlepoint.data.screening_policy import POLICY_FILE, load_policy
from needlepoint.domain.errors import DataError
from needlepoint.domain.screening import (
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
    UNSURE_ABLE_FIELDS,
    VERDICTS,
    AnswerProblem,
    Answers,
    DayOfAnswers,
    ScreeningResult,
    add_months,
    age_on,
    blocks_treatment,
    evaluate,
    evaluate_day_of,
    most_severe,
    parse_policy,
    validate_answers,
    validate_day_of_answers,
)

PLANNED = date(2027, 1, 15)
POLICY = load_policy()


def answers(**changes: Any) -> Answers:
    """A 36-year-old with acne scars on the face who answered "no" and "never" to everything."""
    base: dict[str, Any] = {
        "date_of_birth": date(1990, 3, 2),
        "concerns": ("acne_scars",),
        "areas": ("face",),
        "diabetes": "none",
        **dict.fromkeys(TRI_STATE_FIELDS, "no"),
        **dict.fromkeys(DATE_FIELDS, None),
    }
    return Answers(**{**base, **changes})


def judge(planned: date = PLANNED, **changes: Any) -> ScreeningResult:
    return evaluate(answers(**changes), POLICY, planned)


def judge_answer(field: str, value: object) -> ScreeningResult:
    return evaluate(answers(**{field: value}), POLICY, PLANNED)


def with_answer(given_answers: Answers, field: str, value: object) -> Answers:
    changes: dict[str, Any] = {field: value}
    return replace(given_answers, **changes)


def day_of(**changes: Any) -> DayOfAnswers:
    base: dict[str, Any] = {
        **dict.fromkeys(DAY_OF_TRI_STATE_FIELDS, "no"),
        **dict.fromkeys(DAY_OF_DATE_FIELDS, None),
    }
    return DayOfAnswers(**{**base, **changes})


def codes(result: ScreeningResult) -> list[str]:
    return [reason.code for reason in result.reasons]


def reason(result: ScreeningResult, code: str) -> Any:
    return next(r for r in result.reasons if r.code == code)


def severity(verdict: str) -> int:
    return [str(v) for v in VERDICTS].index(verdict)


# --- the contract's field lists -------------------------------------------------------------


def test_answers_have_exactly_the_contracts_fields_except_planned_date_and_consent() -> None:
    assert set(ANSWER_FIELDS) == {
        "date_of_birth", "concerns", "areas", "diabetes",
        "pregnant_or_breastfeeding", "active_skin_infection", "active_cold_sore",
        "cold_sore_history", "open_wounds_or_irritated_skin", "skin_lesions_or_changing_moles",
        "active_inflamed_acne", "dermatitis_flare", "dermatitis_history", "bleeding_disorder",
        "blood_thinners", "keloid_history", "immunosuppressed", "metal_allergy",
        "anesthetic_allergy", "gold_threads_in_area",
        "isotretinoin_last_dose", "radiation_to_area_last", "filler_in_area_last",
        "neurotoxin_last", "peel_or_laser_last", "facial_surgery_last", "sunburn_last",
        "retinoid_or_acid_last_use",
    }  # fmt: skip
    assert len(TRI_STATE_FIELDS) == 16
    assert len(DATE_FIELDS) == 8
    assert "diabetes" not in TRI_STATE_FIELDS
    assert CONCERNS[-1] == "other"
    assert AREAS == ("face", "neck", "decollete", "body")


# --- worked examples 1-8 ----------------------------------------------------------------------


def test_example_1_nothing_in_the_way_is_a_likely_candidate() -> None:
    result = judge()
    assert result.verdict == "likely_candidate"
    assert result.next_step == "book_consultation"
    assert result.reasons == ()
    assert result.resume_on is None
    assert result.requires_physician is False
    assert result.judged_for == PLANNED
    assert result.policy_version == "2026.11-default"
    assert result.disclaimer == (
        "Only a clinic professional can confirm that micro-needling is right for you."
    )
    assert [(c.concern, c.fit) for c in result.concerns] == [("acne_scars", "good")]


def test_example_2_bleeding_disorder_is_not_eligible() -> None:
    result = judge(bleeding_disorder="yes")
    assert result.verdict == "not_eligible"
    assert result.next_step == "contact_clinic"
    assert codes(result) == ["BLEEDING_DISORDER"]
    assert result.resume_on is None


def test_example_3_recent_isotretinoin_defers_for_six_calendar_months() -> None:
    result = judge(isotretinoin_last_dose=date(2026, 11, 2))
    assert result.verdict == "defer"
    assert result.resume_on == date(2027, 5, 2)
    assert result.next_step == "rescreen"
    assert reason(result, "ISOTRETINOIN_RECENT").resume_on == date(2027, 5, 2)


def test_example_4_two_waits_defer_until_the_later_one_ends() -> None:
    result = judge(filler_in_area_last=date(2027, 1, 10), sunburn_last=date(2027, 1, 12))
    assert result.verdict == "defer"
    assert result.resume_on == date(2027, 1, 26)
    assert reason(result, "FILLER_RECENT").resume_on == date(2027, 1, 24)
    assert reason(result, "SUNBURN_RECENT").resume_on == date(2027, 1, 26)


def test_example_5_a_wait_without_an_end_date_leaves_resume_on_open() -> None:
    result = judge(filler_in_area_last=date(2027, 1, 10), active_skin_infection="yes")
    assert result.verdict == "defer"
    assert result.resume_on is None
    assert set(codes(result)) == {"FILLER_RECENT", "ACTIVE_INFECTION"}


def test_example_6_a_twenty_year_old_needs_a_physicians_review() -> None:
    result = judge(date_of_birth=date(2006, 2, 1))
    assert result.verdict == "needs_review"
    assert result.requires_physician is True
    assert result.next_step == "book_consultation"
    assert codes(result) == ["BELOW_LABEL_AGE"]


def test_example_7_defer_outranks_needs_review_and_both_reasons_are_listed() -> None:
    result = judge(blood_thinners="yes", pregnant_or_breastfeeding="yes")
    assert result.verdict == "defer"
    assert codes(result) == ["PREGNANCY", "BLOOD_THINNERS"]  # worst first
    assert result.resume_on is None
    assert result.requires_physician is True  # the physician still has to clear it later


def test_example_8_cold_sore_history_is_a_precaution_not_a_verdict() -> None:
    result = judge(cold_sore_history="yes")
    assert result.verdict == "likely_candidate"
    assert [p.code for p in result.precautions] == ["ANTIVIRAL_PROPHYLAXIS"]
    assert result.reasons == ()


# --- every yes/no rule -----------------------------------------------------------------------

ANSWER_RULES = [
    ("pregnant_or_breastfeeding", "yes", "PREGNANCY", "defer", False),
    ("active_skin_infection", "yes", "ACTIVE_INFECTION", "defer", False),
    ("active_cold_sore", "yes", "ACTIVE_COLD_SORE", "defer", False),
    ("open_wounds_or_irritated_skin", "yes", "OPEN_WOUNDS", "defer", False),
    ("skin_lesions_or_changing_moles", "yes", "SKIN_LESIONS", "needs_review", True),
    ("active_inflamed_acne", "yes", "ACTIVE_ACNE", "defer", False),
    ("dermatitis_flare", "yes", "DERMATITIS_FLARE", "defer", False),
    ("dermatitis_history", "yes", "DERMATITIS_HISTORY", "needs_review", False),
    ("bleeding_disorder", "yes", "BLEEDING_DISORDER", "not_eligible", False),
    ("blood_thinners", "yes", "BLOOD_THINNERS", "needs_review", True),
    ("keloid_history", "yes", "KELOID_HISTORY", "needs_review", True),
    ("immunosuppressed", "yes", "IMMUNOSUPPRESSED", "needs_review", True),
    ("diabetes", "uncontrolled", "DIABETES_UNCONTROLLED", "defer", False),
    ("metal_allergy", "yes", "METAL_ALLERGY", "needs_review", True),
    ("gold_threads_in_area", "yes", "GOLD_THREADS", "needs_review", True),
]


@pytest.mark.parametrize(("field", "value", "code", "verdict", "physician"), ANSWER_RULES)
def test_each_answer_rule_gives_its_verdict(
    field: str, value: str, code: str, verdict: str, physician: bool
) -> None:
    result = judge_answer(field, value)
    assert codes(result) == [code]
    assert result.verdict == verdict
    assert reason(result, code).requires_physician is physician
    assert result.requires_physician is physician
    assert reason(result, code).resume_on is None
    assert reason(result, code).message  # every reason speaks to the patient


@pytest.mark.parametrize(
    ("field", "value", "precaution"),
    [
        ("cold_sore_history", "yes", "ANTIVIRAL_PROPHYLAXIS"),
        ("diabetes", "controlled", "SLOWER_HEALING"),
        ("anesthetic_allergy", "yes", "NO_TOPICAL_ANESTHETIC"),
    ],
)
def test_precaution_answers_leave_the_verdict_alone(
    field: str, value: str, precaution: str
) -> None:
    result = judge_answer(field, value)
    assert result.verdict == "likely_candidate"
    assert [(p.code, bool(p.message)) for p in result.precautions] == [(precaution, True)]


# --- every dated rule at its boundary ---------------------------------------------------------

DATE_RULES = [
    # field, code, the answered date at which the wait ends exactly on PLANNED
    ("isotretinoin_last_dose", "ISOTRETINOIN_RECENT", date(2026, 7, 15)),
    ("radiation_to_area_last", "RADIATION_RECENT", date(2026, 10, 15)),
    ("filler_in_area_last", "FILLER_RECENT", date(2027, 1, 1)),
    ("neurotoxin_last", "NEUROTOXIN_RECENT", date(2027, 1, 1)),
    ("peel_or_laser_last", "PEEL_OR_LASER_RECENT", date(2026, 12, 16)),
    ("facial_surgery_last", "SURGERY_RECENT", date(2026, 7, 15)),
    ("sunburn_last", "SUNBURN_RECENT", date(2027, 1, 1)),
    ("retinoid_or_acid_last_use", "RETINOID_WASHOUT", date(2027, 1, 10)),
]


@pytest.mark.parametrize(("field", "code", "wait_ends_today"), DATE_RULES)
def test_a_wait_that_ends_on_the_planned_date_does_not_fire(
    field: str, code: str, wait_ends_today: date
) -> None:
    assert code not in codes(judge_answer(field, wait_ends_today))


@pytest.mark.parametrize(("field", "code", "wait_ends_today"), DATE_RULES)
def test_a_wait_that_ends_the_day_after_the_planned_date_defers_until_then(
    field: str, code: str, wait_ends_today: date
) -> None:
    result = judge_answer(field, wait_ends_today + timedelta(days=1))
    assert result.verdict == "defer"
    assert reason(result, code).resume_on == PLANNED + timedelta(days=1)
    assert result.resume_on == PLANNED + timedelta(days=1)


def test_filler_fourteen_days_before_is_fine_and_thirteen_days_before_defers() -> None:
    assert judge(filler_in_area_last=PLANNED - timedelta(days=14)).verdict == "likely_candidate"
    assert judge(filler_in_area_last=PLANNED - timedelta(days=13)).verdict == "defer"


def test_treatment_done_on_the_planned_date_itself_defers() -> None:
    result = judge(peel_or_laser_last=PLANNED)
    assert reason(result, "PEEL_OR_LASER_RECENT").resume_on == date(2027, 2, 14)


def test_radiation_older_than_three_months_needs_a_physician_instead_of_a_wait() -> None:
    older = judge(radiation_to_area_last=date(2026, 10, 15))
    assert codes(older) == ["RADIATION_HISTORY"]
    assert older.verdict == "needs_review"
    assert older.requires_physician is True
    recent = judge(radiation_to_area_last=date(2026, 10, 16))
    assert codes(recent) == ["RADIATION_RECENT"]


def test_any_retinoid_date_adds_the_stop_retinoids_precaution() -> None:
    long_ago = judge(retinoid_or_acid_last_use=date(2020, 1, 1))
    assert long_ago.verdict == "likely_candidate"
    assert [p.code for p in long_ago.precautions] == ["STOP_RETINOIDS"]
    recent = judge(retinoid_or_acid_last_use=PLANNED)
    assert codes(recent) == ["RETINOID_WASHOUT"]
    assert [p.code for p in recent.precautions] == ["STOP_RETINOIDS"]
    assert judge().precautions == ()


# --- age ---------------------------------------------------------------------------------------


def test_age_is_counted_on_the_planned_date() -> None:
    assert codes(judge(date_of_birth=date(2009, 1, 15))) == ["BELOW_LABEL_AGE"]  # 18 today
    assert codes(judge(date_of_birth=date(2009, 1, 16))) == ["MINOR"]  # 18 tomorrow
    assert codes(judge(date_of_birth=date(2005, 1, 15))) == []  # 22 today
    assert codes(judge(date_of_birth=date(2005, 1, 16))) == ["BELOW_LABEL_AGE"]


def test_a_minor_is_not_eligible_and_asked_to_contact_the_clinic() -> None:
    result = judge(date_of_birth=date(2012, 5, 5))
    assert result.verdict == "not_eligible"
    assert result.next_step == "contact_clinic"


def test_someone_born_on_february_29_has_a_birthday_on_march_1_in_common_years() -> None:
    born = date(2008, 2, 29)
    assert age_on(born, date(2026, 2, 28)) == 17
    assert age_on(born, date(2026, 3, 1)) == 18
    assert age_on(born, date(2028, 2, 29)) == 20


# --- calendar months -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),
        (date(2027, 1, 31), 1, date(2027, 2, 28)),
        (date(2026, 11, 2), 6, date(2027, 5, 2)),
        (date(2026, 10, 31), 3, date(2027, 1, 31)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2027, 3, 31), -1, date(2027, 2, 28)),
    ],
)
def test_months_are_calendar_months_clamped_to_the_month_end(
    start: date, months: int, expected: date
) -> None:
    assert add_months(start, months) == expected


def test_isotretinoin_on_august_31_may_resume_at_the_end_of_february() -> None:
    last_dose = date(2026, 8, 31)
    assert judge(planned=date(2027, 2, 28), isotretinoin_last_dose=last_dose).reasons == ()
    result = judge(planned=date(2027, 2, 27), isotretinoin_last_dose=last_dose)
    assert result.resume_on == date(2027, 2, 28)


# --- concerns ----------------------------------------------------------------------------------


def test_only_other_concerns_need_a_clinicians_review() -> None:
    result = judge(concerns=("other",))
    assert codes(result) == ["CONCERN_OUT_OF_SCOPE"]
    assert result.requires_physician is False
    assert [(c.concern, c.fit) for c in result.concerns] == [("other", "discuss")]


def test_other_alongside_a_treatable_concern_is_not_out_of_scope() -> None:
    result = judge(concerns=("stretch_marks", "other", "enlarged_pores"))
    assert result.verdict == "likely_candidate"
    fits = [(c.concern, c.fit) for c in result.concerns]
    assert fits == [("stretch_marks", "fair"), ("other", "discuss"), ("enlarged_pores", "limited")]


def test_concern_fit_never_changes_the_verdict() -> None:
    for concern in CONCERNS[:-1]:
        assert judge(concerns=(concern,)).verdict == "likely_candidate"


# --- unsure answers ----------------------------------------------------------------------------


@pytest.mark.parametrize("field", [*TRI_STATE_FIELDS, "diabetes"])
def test_an_unsure_answer_needs_a_clinicians_review(field: str) -> None:
    result = judge_answer(field, "unsure")
    assert codes(result) == [f"UNSURE_{field.upper()}"]
    assert result.verdict == "needs_review"
    assert result.requires_physician is False
    assert result.next_step == "book_consultation"
    assert POLICY.unsure.topics[field] in result.reasons[0].message


def test_unsure_codes_are_upper_cased_field_names() -> None:
    assert codes(judge(active_skin_infection="unsure")) == ["UNSURE_ACTIVE_SKIN_INFECTION"]
    assert codes(judge(diabetes="unsure")) == ["UNSURE_DIABETES"]


def test_a_physician_reason_makes_the_whole_review_need_a_physician() -> None:
    result = judge(diabetes="unsure", keloid_history="yes")
    assert result.verdict == "needs_review"
    assert result.requires_physician is True


# --- the treatment-day check ----------------------------------------------------------------


def test_a_clear_treatment_day_checklist_does_not_block() -> None:
    result = evaluate_day_of(day_of(), POLICY, PLANNED)
    assert result.verdict == "likely_candidate"
    assert not blocks_treatment(result)
    assert result.concerns == ()


def test_filler_three_days_before_the_session_blocks_it() -> None:
    result = evaluate_day_of(day_of(filler_in_area_last=date(2027, 1, 12)), POLICY, PLANNED)
    assert codes(result) == ["FILLER_RECENT"]
    assert result.resume_on == date(2027, 1, 26)
    assert blocks_treatment(result)


def test_a_cold_sore_on_the_day_blocks_the_session() -> None:
    assert blocks_treatment(evaluate_day_of(day_of(active_cold_sore="yes"), POLICY, PLANNED))


def test_a_new_medication_needs_review_but_does_not_block() -> None:
    result = evaluate_day_of(day_of(new_medication="yes"), POLICY, PLANNED)
    assert codes(result) == ["NEW_MEDICATION"]
    assert result.verdict == "needs_review"
    assert not blocks_treatment(result)
    unsure = evaluate_day_of(day_of(new_medication="unsure"), POLICY, PLANNED)
    assert codes(unsure) == ["UNSURE_NEW_MEDICATION"]


def test_the_day_of_check_ignores_questions_it_does_not_ask() -> None:
    assert set(DAY_OF_FIELDS) - set(ANSWER_FIELDS) == {"new_medication"}
    result = evaluate_day_of(day_of(retinoid_or_acid_last_use=date(2026, 1, 1)), POLICY, PLANNED)
    assert result.reasons == ()  # no age or concern rule fires without those answers
    assert [p.code for p in result.precautions] == ["STOP_RETINOIDS"]


def test_not_eligible_blocks_treatment_and_needs_review_does_not() -> None:
    assert blocks_treatment(judge(bleeding_disorder="yes"))
    assert not blocks_treatment(judge(blood_thinners="yes"))


# --- validation ------------------------------------------------------------------------------


def test_valid_answers_have_no_problems() -> None:
    assert validate_answers(answers(), planned_date=PLANNED, today=PLANNED) == []


def test_validation_lists_every_problem_at_once() -> None:
    bad = answers(
        date_of_birth=date(2027, 2, 1),
        concerns=(),
        areas=("face", "knee"),
        blood_thinners="maybe",
        diabetes="type 2",
        filler_in_area_last=date(2027, 1, 16),
        sunburn_last="last week",
    )
    problems = validate_answers(bad, planned_date=PLANNED, today=date(2027, 1, 16))
    assert {problem.field for problem in problems} == {
        "planned_date", "date_of_birth", "concerns", "areas", "blood_thinners", "diabetes",
        "filler_in_area_last", "sunburn_last",
    }  # fmt: skip
    assert AnswerProblem("planned_date", "must not be in the past") in problems
    assert AnswerProblem("date_of_birth", "must not be after the planned date") in problems
    assert AnswerProblem("filler_in_area_last", "must not be after the planned date") in problems
    assert AnswerProblem("concerns", "choose at least one") in problems
    assert any("'knee'" in p.message for p in problems if p.field == "areas")


def test_a_date_on_the_planned_date_is_allowed() -> None:
    assert (
        validate_answers(answers(sunburn_last=PLANNED), planned_date=PLANNED, today=PLANNED) == []
    )


def test_day_of_validation_refuses_dates_after_the_session_and_unknown_answers() -> None:
    bad = day_of(neurotoxin_last=date(2027, 1, 16), new_medication="perhaps")
    problems = validate_day_of_answers(bad, on_date=PLANNED)
    assert [p.field for p in problems] == ["new_medication", "neurotoxin_last"]
    assert validate_day_of_answers(day_of(), on_date=PLANNED) == []


# --- the policy as data ----------------------------------------------------------------------


def raw_policy() -> Any:
    return copy.deepcopy(load_yaml(POLICY_FILE).value)


def rule_index(raw: Any, code: str) -> int:
    return next(i for i, rule in enumerate(raw["rules"]) if rule["code"] == code)


def test_the_shipped_policy_loads_with_a_message_for_every_code() -> None:
    assert POLICY.version == "2026.11-default"
    assert set(POLICY.unsure.topics) == set(UNSURE_ABLE_FIELDS)
    assert set(POLICY.concerns) == set(CONCERNS)
    assert set(POLICY.next_steps) == set(VERDICTS)


@dataclass(frozen=True)
class RuleCoded:
    """Stands for the index of the rule with this code in a key path, so the table reads."""

    code: str


DELETE = object()


def resolve(raw: Any, path: tuple[Any, ...]) -> tuple[str | int, ...]:
    return tuple(rule_index(raw, k.code) if isinstance(k, RuleCoded) else k for k in path)


PREGNANCY = RuleCoded("PREGNANCY")
ISOTRETINOIN = RuleCoded("ISOTRETINOIN_RECENT")

BAD_POLICIES: list[tuple[tuple[Any, ...], Any, str]] = [
    # (key path changed, new value or DELETE, words in the refusal)
    (("rules", PREGNANCY, "verdict"), "maybe", "one of"),
    (("rules", PREGNANCY, "verdict"), "likely_candidate", "one of"),
    (("rules", PREGNANCY, "when", "answer"), "pregnant", "one of"),
    (("rules", PREGNANCY, "when", "is"), True, "quotes"),
    (("rules", PREGNANCY, "requires_physician"), True, "only a needs_review"),
    (("rules", PREGNANCY, "message"), DELETE, "no message"),
    (("rules", PREGNANCY, "message"), "  ", "non-empty"),
    (("rules", RuleCoded("FILLER_RECENT"), "when", "date"), "filler", "one of"),
    (("rules", ISOTRETINOIN, "when", "within", "months"), -6, "0 or more"),
    (("rules", ISOTRETINOIN, "when", "within", "months"), "six", "whole number"),
    (("rules", ISOTRETINOIN, "when", "within", "weeks"), 2, "unknown key"),
    (("rules", RuleCoded("MINOR"), "when", "age", "below"), 0, "greater"),
    (("rules", RuleCoded("BLOOD_THINNERS"), "requires_physician"), DELETE, "true or false"),
    (("rules", RuleCoded("MINOR"), "code"), "UNSURE_AGE", "reserved"),
    (("rules", RuleCoded("MINOR"), "code"), "minor", "UPPER_CASE"),
    (("rules", RuleCoded("COLD_SORE_HISTORY"), "message"), "Hi", "from precautions:"),
    (("unsure", "topics", "diabetes"), DELETE, "missing"),
    (("unsure", "message"), "You weren't sure {question}.", "{topic}"),
    (("unsure", "verdict"), "sometimes", "one of"),
    (("precautions", "STOP_RETINOIDS"), DELETE, "missing"),
    (("precautions", "WEAR_SUNSCREEN"), "Please.", "not given by any rule"),
    (("concerns", "acne_scars", "fit"), "great", "one of"),
    (("concerns", "other"), DELETE, "missing"),
    (("next_steps", "defer"), DELETE, "missing"),
    (("next_steps", "defer"), "wait", "one of"),
    (("version",), "", "non-empty"),
    (("disclaimers",), "typo", "unknown key"),
]


@pytest.mark.parametrize(("path", "value", "words"), BAD_POLICIES)
def test_a_bad_policy_is_refused_with_the_key_path(
    path: tuple[Any, ...], value: Any, words: str
) -> None:
    raw = raw_policy()
    where = resolve(raw, path)
    parent = raw
    for key in where[:-1]:
        parent = parent[key]
    if value is DELETE:
        del parent[where[-1]]
    else:
        parent[where[-1]] = value
    with pytest.raises(DataError) as refused:
        parse_policy(raw)
    assert refused.value.path == where
    assert words in refused.value.message


def test_a_code_used_twice_is_refused_at_the_second_rule() -> None:
    raw = raw_policy()
    raw["rules"][3]["code"] = raw["rules"][1]["code"]
    with pytest.raises(DataError) as refused:
        parse_policy(raw)
    assert refused.value.path == ("rules", 3, "code")
    assert "earlier rule" in refused.value.message


def test_a_rule_with_both_a_verdict_and_a_precaution_is_refused() -> None:
    raw = raw_policy()
    at = rule_index(raw, "COLD_SORE_HISTORY")
    raw["rules"][at]["verdict"] = "defer"
    with pytest.raises(DataError) as refused:
        parse_policy(raw)
    assert refused.value.path == ("rules", at)


def test_a_policy_that_is_not_a_mapping_is_refused() -> None:
    with pytest.raises(DataError):
        parse_policy(["rules"])


def test_a_clinic_can_lengthen_the_isotretinoin_wait_by_editing_the_file(tmp_path: Path) -> None:
    text = POLICY_FILE.read_text(encoding="utf-8")
    old = "{date: isotretinoin_last_dose, within: {months: 6}}"
    assert old in text
    edited = tmp_path / "screening-policy.yaml"
    edited.write_text(text.replace(old, old.replace("6", "12")), encoding="utf-8")
    result = evaluate(
        answers(isotretinoin_last_dose=date(2026, 11, 2)), load_policy(edited), PLANNED
    )
    assert result.resume_on == date(2027, 11, 2)


def test_a_bad_value_in_the_file_is_refused_with_file_and_line(tmp_path: Path) -> None:
    lines = POLICY_FILE.read_text(encoding="utf-8").splitlines()
    rule_line = lines.index("  - code: ISOTRETINOIN_RECENT")
    verdict_line = rule_line + 2
    assert lines[verdict_line] == "    verdict: defer"
    lines[verdict_line] = "    verdict: someday"
    broken = tmp_path / "clinic-policy.yaml"
    broken.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(DataFileError) as refused:
        load_policy(broken)
    assert refused.value.line == verdict_line + 1
    assert f"{broken}, line {verdict_line + 1}: must be one of" in str(refused.value)


def test_a_missing_message_points_at_its_rule(tmp_path: Path) -> None:
    text = POLICY_FILE.read_text(encoding="utf-8")
    lines = text.splitlines()
    start = lines.index("  - code: BLEEDING_DISORDER")
    message_at = start + 3
    assert lines[message_at].startswith("    message:")
    del lines[message_at : message_at + 3]  # the key and its two folded lines
    broken = tmp_path / "policy.yaml"
    broken.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(DataFileError) as refused:
        load_policy(broken)
    assert refused.value.line == start + 1
    assert "BLEEDING_DISORDER has no message" in refused.value.problem


def test_malformed_yaml_is_refused_with_file_and_line(tmp_path: Path) -> None:
    lines = POLICY_FILE.read_text(encoding="utf-8").splitlines()
    at = lines.index("  - code: FILLER_RECENT") + 1
    lines[at] = "    when: {date: filler_in_area_last, within: {days: 14}"  # unclosed brace
    broken = tmp_path / "policy.yaml"
    broken.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(DataFileError) as refused:
        load_policy(broken)
    assert refused.value.file == str(broken)
    assert refused.value.line is not None and at + 1 <= refused.value.line <= at + 2
    assert "not valid YAML" in str(refused.value)


def test_precautions_given_by_two_rules_are_listed_once() -> None:
    raw = raw_policy()
    raw["rules"].append(
        {
            "code": "RETINOID_HISTORY",
            "when": {"date": "retinoid_or_acid_last_use", "given": True},
            "precaution": "STOP_RETINOIDS",
        }
    )
    policy = parse_policy(raw)
    result = evaluate(answers(retinoid_or_acid_last_use=PLANNED), policy, PLANNED)
    assert [p.code for p in result.precautions] == ["STOP_RETINOIDS"]


# --- properties ------------------------------------------------------------------------------


@st.composite
def screenings(draw: st.DrawFn) -> tuple[Answers, date]:
    planned = draw(st.dates(date(2025, 1, 1), date(2030, 12, 31)))

    def some_date_or_none() -> date | None:
        days_before = draw(st.none() | st.integers(0, 500))
        return None if days_before is None else planned - timedelta(days=days_before)

    drawn: dict[str, Any] = {
        "date_of_birth": planned - timedelta(days=draw(st.integers(0, 90 * 366))),
        "concerns": tuple(draw(st.lists(st.sampled_from(CONCERNS), min_size=1, unique=True))),
        "areas": tuple(draw(st.lists(st.sampled_from(AREAS), min_size=1, unique=True))),
        "diabetes": draw(st.sampled_from(DIABETES_VALUES)),
        **{name: draw(st.sampled_from(TRI_STATE_VALUES)) for name in TRI_STATE_FIELDS},
        **{name: some_date_or_none() for name in DATE_FIELDS},
    }
    return Answers(**drawn), planned


@given(screenings())
def test_the_verdict_is_the_most_severe_of_the_reasons(screening: tuple[Answers, date]) -> None:
    given_answers, planned = screening
    result = evaluate(given_answers, POLICY, planned)
    reason_verdicts = [r.verdict for r in result.reasons]
    expected = min(reason_verdicts, key=severity) if reason_verdicts else "likely_candidate"
    assert result.verdict == expected == most_severe(reason_verdicts)
    assert result.next_step == POLICY.next_steps[result.verdict]
    assert result.requires_physician == any(r.requires_physician for r in result.reasons)
    assert len(set(codes(result))) == len(result.reasons)
    assert len({p.code for p in result.precautions}) == len(result.precautions)
    assert validate_answers(given_answers, planned_date=planned, today=planned) == []


@given(screenings())
def test_resume_on_is_the_latest_wait_or_open_when_any_wait_is_open(
    screening: tuple[Answers, date],
) -> None:
    given_answers, planned = screening
    result = evaluate(given_answers, POLICY, planned)
    for r in result.reasons:
        assert r.resume_on is None or r.resume_on > planned  # a rule only fires before it
    waits = [r.resume_on for r in result.reasons if r.verdict == "defer"]
    if result.verdict != "defer" or None in waits:
        assert result.resume_on is None
    else:
        assert result.resume_on == max(w for w in waits if w is not None)


@given(screenings(), st.sampled_from([*TRI_STATE_FIELDS, "diabetes"]), st.data())
def test_a_worse_answer_never_makes_the_verdict_milder(
    screening: tuple[Answers, date], field: str, data: st.DataObject
) -> None:
    given_answers, planned = screening
    mildest = "none" if field == "diabetes" else "no"
    worse = data.draw(
        st.sampled_from(
            ("controlled", "uncontrolled", "unsure") if field == "diabetes" else ("yes", "unsure")
        )
    )
    before = evaluate(with_answer(given_answers, field, mildest), POLICY, planned)
    after = evaluate(with_answer(given_answers, field, worse), POLICY, planned)
    assert severity(after.verdict) <= severity(before.verdict)


@given(screenings(), st.sampled_from(DATE_FIELDS), st.integers(0, 500), st.integers(0, 500))
def test_a_more_recent_date_never_makes_the_verdict_milder(
    screening: tuple[Answers, date], field: str, older_by: int, newer_by: int
) -> None:
    given_answers, planned = screening
    newer = planned - timedelta(days=min(older_by, newer_by))
    older = planned - timedelta(days=max(older_by, newer_by))
    never = evaluate(with_answer(given_answers, field, None), POLICY, planned)
    long_ago = evaluate(with_answer(given_answers, field, older), POLICY, planned)
    recently = evaluate(with_answer(given_answers, field, newer), POLICY, planned)
    assert severity(recently.verdict) <= severity(long_ago.verdict) <= severity(never.verdict)


def test_a_date_of_birth_before_1900_is_refused() -> None:
    problems = validate_answers(
        answers(date_of_birth=date(1800, 1, 1)), planned_date=PLANNED, today=PLANNED
    )
    assert [p.field for p in problems] == ["date_of_birth"]


def test_a_date_of_birth_in_the_future_is_refused() -> None:
    later = date(2027, 6, 1)
    problems = validate_answers(
        answers(date_of_birth=date(2027, 3, 1)), planned_date=later, today=PLANNED
    )
    assert AnswerProblem("date_of_birth", "must not be in the future") in problems


def test_a_planned_date_more_than_two_years_ahead_is_refused() -> None:
    far = date(9999, 12, 31)
    problems = validate_answers(answers(), planned_date=far, today=PLANNED)
    assert [p.field for p in problems] == ["planned_date"]
    assert validate_answers(answers(), planned_date=date(2029, 1, 14), today=PLANNED) == []


def test_a_choice_listed_twice_is_refused() -> None:
    problems = validate_answers(
        answers(areas=("face",) * 100_000), planned_date=PLANNED, today=PLANNED
    )
    assert [p.field for p in problems] == ["areas"]
    assert len(problems) == 1
