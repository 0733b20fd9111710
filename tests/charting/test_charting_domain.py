"""The pure treatment-day rules: step order, consent texts, chart checks, stock warnings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from needlepoint.data.charting_data import load_consent, load_sterile_products
from needlepoint.data.loading import DataFileError
from needlepoint.data.protocol_table import load_protocols
from needlepoint.domain import charting as c
from needlepoint.domain.errors import DomainError

TABLE = load_protocols()


def ctx(role="aesthetician", precautions=(), plan=None):
    return c.ChartContext(
        operator_role=role,
        plan_zones=plan if plan is not None else {"cheeks": (1.0, 1.5), "forehead": (0.25, 0.5)},
        precautions=frozenset(precautions),
        approved_products=frozenset(load_sterile_products()),
        table=TABLE,
        scope_ceilings=TABLE.ceilings.default_scope,
    )


def draft(*zones, anesthetic="", topicals=(), endpoint="even_erythema"):
    return c.ChartDraft(
        zones=tuple(zones) or (c.ZoneEntry("cheeks", 1.25, 3),),
        anesthetic=anesthetic,
        topicals=tuple(topicals),
        endpoint=endpoint,
    )


def rules(verdict):
    return [p.rule for p in verdict.problems]


def test_steps_come_in_order_consent_day_of_chart_sign():
    state = c.StepState(False, None, False, False)
    assert c.next_step(state) is c.Step.CONSENT
    assert c.refusal_for(c.Step.CHART, state).rule == c.CONSENT_REQUIRED
    state = c.StepState(True, None, False, False)
    assert c.next_step(state) is c.Step.DAY_OF_CHECK
    assert c.refusal_for(c.Step.CHART, state).rule == c.DAY_OF_CHECK_REQUIRED
    assert c.refusal_for(c.Step.CHART, c.StepState(True, False, False, False)).rule == (
        c.DAY_OF_CHECK_FAILED
    )
    state = c.StepState(True, True, False, False)
    assert c.refusal_for(c.Step.CHART, state) is None
    assert c.refusal_for(c.Step.SIGN, state).rule == c.CHART_REQUIRED
    assert c.next_step(c.StepState(True, True, True, False)) is c.Step.SIGN
    signed = c.StepState(True, True, True, True)
    assert c.next_step(signed) is c.Step.DONE
    assert c.refusal_for(c.Step.SIGN, signed).rule == c.CHART_ALREADY_SIGNED
    assert c.refusal_for(c.Step.CHART, signed).rule == c.CHART_ALREADY_SIGNED


def test_the_shipped_consent_covers_every_section_and_hashes_stably():
    library = load_consent()
    assert [s.key for s in library.current.sections] == list(c.CONSENT_SECTIONS)
    assert library.current.text_hash == c.text_hash(library.current.text)
    assert len(library.current.text_hash) == 64
    assert library.resolve("current") is library.current


def test_the_hash_ignores_spacing_but_not_words():
    a = c.canonical_text(["Risk  of infection.\n"])
    assert c.text_hash(a) == c.text_hash(c.canonical_text(["Risk of infection."]))
    assert c.text_hash(a) != c.text_hash(c.canonical_text(["Risk of scarring."]))


def test_an_old_or_unknown_consent_version_cannot_be_signed(tmp_path: Path):
    text = Path("needlepoint/data/consent.yaml").read_text()
    text = text.replace('current: "2026.11"', 'current: "2027.01"')
    block = text[text.index('  - version: "2026.11"') : text.index("photo_release:")]
    text = text.replace("photo_release:", block.replace("2026.11", "2027.01") + "photo_release:", 1)
    file = tmp_path / "consent.yaml"
    file.write_text(text)
    library = load_consent(file)
    assert library.current.version == "2027.01"
    with pytest.raises(DomainError) as old:
        library.resolve("2026.11")
    assert old.value.code == c.CONSENT_VERSION_NOT_CURRENT
    with pytest.raises(DomainError) as unknown:
        library.resolve("1999")
    assert unknown.value.code == c.CONSENT_VERSION_UNKNOWN


def test_a_consent_without_a_required_risk_is_refused_with_its_line(tmp_path: Path):
    text = (
        Path("needlepoint/data/consent.yaml")
        .read_text()
        .replace("HSV", "X")
        .replace("herpes simplex", "x")
        .replace("cold sore", "x")
    )
    file = tmp_path / "consent.yaml"
    file.write_text(text)
    with pytest.raises(DataFileError) as error:
        load_consent(file)
    assert "cold sores" in str(error.value) and error.value.line


def test_a_chart_within_the_plan_is_ok():
    verdict = c.check_chart(draft(), ctx())
    assert verdict.ok, verdict.problems
    assert verdict.zones[0].rule == "DEPTH_OK"


def test_a_depth_above_the_face_ceiling_is_refused():
    assert rules(c.check_chart(draft(c.ZoneEntry("cheeks", 2.0, 2)), ctx())) == [
        "DEPTH_ABOVE_FACE_CEILING"
    ]


def test_a_physician_may_go_above_the_face_ceiling_within_their_scope():
    verdict = c.check_chart(draft(c.ZoneEntry("cheeks", 2.0, 2, "thick skin")), ctx("physician"))
    assert verdict.ok


def test_a_depth_above_the_operator_ceiling_is_refused():
    plan = {"body": (1.5, 2.0)}
    assert rules(c.check_chart(draft(c.ZoneEntry("body", 2.5, 2)), ctx(plan=plan))) == [
        "DEPTH_ABOVE_OPERATOR_CEILING"
    ]


def test_a_depth_outside_the_plan_needs_a_reason():
    verdict = c.check_chart(draft(c.ZoneEntry("cheeks", 0.75, 2)), ctx())
    assert rules(verdict) == ["DEPTH_OUTSIDE_PLAN_RANGE"]
    assert verdict.problems[0].kind is c.ProblemKind.NEEDS_REASON
    assert c.check_chart(draft(c.ZoneEntry("cheeks", 0.75, 2, "thin skin today")), ctx()).ok


def test_a_zone_outside_the_plan_needs_a_reason():
    assert rules(c.check_chart(draft(c.ZoneEntry("nose", 0.25, 1)), ctx())) == [
        "DEPTH_OUTSIDE_PLAN_RANGE"
    ]


def test_unknown_zone_bad_passes_and_unknown_endpoint_are_refused():
    verdict = c.check_chart(
        draft(c.ZoneEntry("elbow", 1.0, 2), c.ZoneEntry("cheeks", 1.0, 0), endpoint="shiny"),
        ctx(),
    )
    assert rules(verdict) == ["ZONE_UNKNOWN", "PASSES_INVALID", "ENDPOINT_UNKNOWN"]


def test_anesthetic_is_refused_with_the_allergy_precaution():
    verdict = c.check_chart(
        draft(anesthetic="lidocaine 4%"), ctx(precautions={"NO_TOPICAL_ANESTHETIC"})
    )
    assert rules(verdict) == ["ANESTHETIC_CONTRAINDICATED"]
    assert c.check_chart(draft(anesthetic="lidocaine 4%"), ctx()).ok


def test_only_approved_sterile_products_unless_a_physician_overrides_with_a_reason():
    ok = c.TopicalEntry("sterile-ha-serum", "HA-1")
    serum = c.TopicalEntry("vitamin-c-serum", "VC-9")
    assert c.check_chart(draft(topicals=[ok]), ctx()).ok
    assert rules(c.check_chart(draft(topicals=[serum]), ctx())) == ["TOPICAL_NOT_APPROVED"]
    reasoned = c.TopicalEntry("vitamin-c-serum", "VC-9", "study protocol")
    assert rules(c.check_chart(draft(topicals=[reasoned]), ctx())) == ["TOPICAL_NOT_APPROVED"]
    assert c.check_chart(draft(topicals=[reasoned]), ctx("physician")).ok
    assert rules(c.check_chart(draft(topicals=[c.TopicalEntry("sterile-saline", "")]), ctx())) == [
        "TOPICAL_LOT_REQUIRED"
    ]


def test_stock_warnings_name_expiring_low_and_expired_lots():
    today = date(2027, 3, 1)
    lots = [
        c.LotStock("FRESH", date(2028, 1, 1), 100, 3),
        c.LotStock("SOON", date(2027, 3, 20), 100, 0),
        c.LotStock("LOW", date(2028, 1, 1), 20, 15),
        c.LotStock("OLD", date(2027, 2, 1), 10, 2),
        c.LotStock("GONE", date(2027, 2, 1), 10, 10),
    ]
    found = [
        (w.lot, w.code) for w in c.stock_warnings(lots, today, expiry_days=30, low_threshold=5)
    ]
    assert found == [("SOON", "LOT_EXPIRING"), ("LOW", "LOT_LOW"), ("OLD", "LOT_EXPIRED")]
    assert c.usable_stock(lots, today) == 97 + 100 + 5


def test_a_lot_is_usable_only_unexpired_and_in_stock():
    today = date(2027, 3, 1)
    assert c.lot_refusal(c.LotStock("A", today, 1, 0), today) is None
    assert c.lot_refusal(c.LotStock("A", date(2027, 2, 28), 5, 0), today).rule == c.LOT_EXPIRED
    assert c.lot_refusal(c.LotStock("A", today, 5, 5), today).rule == c.LOT_EXHAUSTED
    assert c.receipt_refusal(date(2027, 2, 28), 10, today).rule == c.LOT_EXPIRED


def test_amendments_change_only_amendable_fields_with_a_reason():
    assert c.check_amendment({"immediate_reactions": "mild oedema"}, "late entry") == []
    assert [p.rule for p in c.check_amendment({"cartridge_lot": "X"}, "")] == [
        "REASON_REQUIRED",
        "AMENDMENT_FIELD_UNKNOWN",
    ]


def test_scope_ceilings_setting_parses_and_refuses_nonsense():
    assert c.parse_scope_setting("aesthetician=1.0/2.0, physician=2.5") == {
        "aesthetician": (1.0, 2.0),
        "physician": (2.5, 2.5),
    }
    assert c.parse_scope_setting("") == {}
    for bad in ("aesthetician", "aesthetician=deep", "aesthetician=9/9"):
        with pytest.raises(DomainError):
            c.parse_scope_setting(bad)
