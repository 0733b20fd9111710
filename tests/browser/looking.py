"""What the walks check on every page they visit: axe-core finds no critical or serious
accessibility violation, and a screenshot at the desktop and the tablet size is kept under
var/test-results/ for people to look at.

axe-core is the npm package's built file, committed under tests/browser/vendor/ with its
licence (MPL-2.0), so the tests download nothing.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 800}
TABLET = {"width": 820, "height": 1180}
BLOCKING = {"critical", "serious"}


def results_dir() -> Path:
    out = Path(os.environ.get("NEEDLEPOINT_TEST_RESULTS", "var/test-results"))
    out.mkdir(parents=True, exist_ok=True)
    return out


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """The critical and serious violations axe-core finds on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the browser's debugging protocol, not a <script> tag: the pages'
        # Content-Security-Policy (script-src 'self') rightly refuses inline scripts.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [v for v in found if v.get("impact") in BLOCKING]


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        targets = [", ".join(n.get("target", [])) for n in v.get("nodes", [])[:3]]
        lines.append(f"{v['impact']}: {v['id']} ({v['help']}) at {'; '.join(targets)}")
    return "\n".join(lines)


def assert_accessible(page: Any) -> None:
    violations = axe_violations(page)
    assert not violations, f"axe-core on {page.url}:\n{describe(violations)}"


def look(page: Any, name: str) -> None:
    """Check the page with axe-core at both sizes and keep a screenshot of each.

    The viewport goes back to the desktop size afterwards, so the walk carries on as before."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    for label, size in (("tablet", TABLET), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        page.screenshot(path=str(results_dir() / f"{slug}-{label}.png"), full_page=True)
        assert_accessible(page)
