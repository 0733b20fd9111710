"""The design tokens (needlepoint.css :root, docs/design-system.md) keep their promises: text
colours reach WCAG AA (4.5:1) on the backgrounds they are used on, borders of fields and the
focus ring reach 3:1, and the CSS and the icon sprite stay inside the Content-Security-Policy
(no inline styles or scripts in any template, no fonts or styles from elsewhere)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "needlepoint"
CSS = ROOT / "site" / "static" / "site" / "needlepoint.css"

TEXT_ON = {  # text colour: the backgrounds it is read on
    "ink": ("paper", "tint", "ok-soft", "warn-soft", "bad-soft", "info-soft", "accent-soft"),
    "muted": ("paper", "tint"),
    "accent": ("paper", "tint", "accent-soft", "bad-soft"),
    "accent-ink": ("accent",),
    "bad-ink": ("bad",),
    "ok": ("paper", "ok-soft"),
    "warn": ("paper", "warn-soft"),
    "bad": ("paper", "bad-soft"),
    "info": ("paper", "info-soft"),
}
NON_TEXT = {"field-line": ("paper",), "focus": ("paper", "tint")}


def _tokens() -> dict[str, str]:
    root = CSS.read_text(encoding="utf-8").split(":root {", 1)[1].split("}", 1)[0]
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", root))


def _luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_the_contrast_check_can_fail() -> None:
    assert contrast("#777777", "#ffffff") < 4.5 < contrast("#000000", "#ffffff")


@pytest.mark.parametrize("fg", sorted(TEXT_ON))
def test_text_colours_reach_aa_on_their_backgrounds(fg: str) -> None:
    tokens = _tokens()
    low = {bg: round(contrast(tokens[fg], tokens[bg]), 2) for bg in TEXT_ON[fg]}
    assert all(ratio >= 4.5 for ratio in low.values()), f"--{fg}: {low}"


@pytest.mark.parametrize("fg", sorted(NON_TEXT))
def test_borders_and_focus_reach_three_to_one(fg: str) -> None:
    tokens = _tokens()
    low = {bg: round(contrast(tokens[fg], tokens[bg]), 2) for bg in NON_TEXT[fg]}
    assert all(ratio >= 3 for ratio in low.values()), f"--{fg}: {low}"


def test_the_type_spacing_and_radius_scales_are_tokens() -> None:
    root = CSS.read_text(encoding="utf-8").split(":root {", 1)[1].split("}", 1)[0]
    for name in ("text-s", "text-m", "text-2xl", "space-1", "space-7", "radius", "touch"):
        assert f"--{name}:" in root, name


def test_no_template_carries_inline_style_or_script_or_outside_assets() -> None:
    offenders = []
    for path in ROOT.rglob("templates/**/*.html"):
        text = re.sub(
            r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", "", path.read_text(), flags=re.S
        )
        if re.search(r"\sstyle=\"|<style\b|<script(?![^>]*\bsrc=)[^>]*>", text):
            offenders.append(str(path.relative_to(ROOT)))
        if re.search(r"(href|src)=\"https?://(?!\{\{)", text) and "stylesheet" in text:
            offenders.append(f"{path.relative_to(ROOT)} (outside stylesheet)")
    assert not offenders, offenders


def test_the_icon_sprite_has_the_icons_the_pages_use() -> None:
    sprite = (ROOT / "site" / "static" / "site" / "icons.svg").read_text(encoding="utf-8")
    names = set(re.findall(r'<symbol id="([\w-]+)"', sprite))
    used = set()
    for path in ROOT.rglob("templates/**/*.html"):
        used |= set(re.findall(r'include "icon.html" with icon="([\w-]+)"', path.read_text()))
    assert used, "no page uses an icon"
    assert used <= names, f"icons missing from the sprite: {used - names}"
