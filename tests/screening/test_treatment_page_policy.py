"""The treatment page's "who may not be treated" statements agree with the screening policy."""

from __future__ import annotations

import re
from html import unescape

import pytest

from needlepoint.domain.screening.policy import ReasonRule
from needlepoint.screening.clinic_data import current_policy

pytestmark = pytest.mark.django_db

GROUP = re.compile(r'<ul[^>]*data-verdict="(?P<verdict>[a-z_]+)"[^>]*>(?P<items>.*?)</ul>', re.S)
ITEM = re.compile(r'<li[^>]*data-rule="(?P<code>[A-Z0-9_]+)"[^>]*>(?P<text>.*?)</li>', re.S)


def _section(body: str) -> str:
    match = re.search(r'<section id="who-may-not-qualify".*?</section>', body, re.S)
    assert match, "the page has a section about who may not be treated"
    return match.group(0)


def _statements(client) -> dict[str, tuple[str, str]]:
    """rule code -> (the verdict group it is stated under, its words)."""
    found: dict[str, tuple[str, str]] = {}
    for group in GROUP.finditer(_section(client.get("/micro-needling/").content.decode())):
        for item in ITEM.finditer(group["items"]):
            assert item["code"] not in found, f"{item['code']} is stated twice"
            found[item["code"]] = (group["verdict"], unescape(item["text"]).strip())
    return found


def test_every_condition_on_the_page_is_stated_with_its_policy_verdict(client):
    rules = {r.code: r for r in current_policy().rules if isinstance(r, ReasonRule)}
    statements = _statements(client)
    assert statements
    for code, (verdict, words) in statements.items():
        assert code in rules, f"the page states {code!r}, which the policy does not have"
        assert verdict == rules[code].verdict, f"{words!r}: page says {verdict}"


def test_no_condition_the_policy_rules_out_or_defers_is_missing(client):
    statements = _statements(client)
    for rule in current_policy().rules:
        if isinstance(rule, ReasonRule) and rule.verdict in ("not_eligible", "defer"):
            assert rule.code in statements, f"{rule.code} is not on the page"


def test_a_clotting_disorder_is_stated_as_ruling_treatment_out(client):
    verdict, words = _statements(client)["BLEEDING_DISORDER"]
    assert verdict == "not_eligible"
    assert "clotting" in words
    body = client.get("/micro-needling/").content.decode()
    ruled_out = re.search(r'<ul data-verdict="not_eligible">.*?</ul>', body, re.S).group(0)
    # Nowhere else on the page is a clotting disorder said to be anything else.
    assert "clotting" not in body.replace(ruled_out, "")


def test_the_page_follows_the_policy_in_force_when_the_clinic_changes_it(
    client, settings, tmp_path
):
    from needlepoint.data.screening_policy import POLICY_FILE

    text = POLICY_FILE.read_text().replace(
        'code: BLOOD_THINNERS\n    when: {answer: blood_thinners, is: "yes"}\n'
        "    verdict: needs_review\n    requires_physician: true",
        'code: BLOOD_THINNERS\n    when: {answer: blood_thinners, is: "yes"}\n'
        "    verdict: not_eligible",
    )
    assert "verdict: not_eligible\n    message: >-\n      Blood thinners" in text
    edited = tmp_path / "policy.yaml"
    edited.write_text(text)
    settings.NEEDLEPOINT_SCREENING_POLICY_FILE = str(edited)
    assert _statements(client)["BLOOD_THINNERS"][0] == "not_eligible"
