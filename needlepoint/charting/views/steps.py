"""The treatment day as steps a person follows: consent → day-of check → baseline photos →
chart → sign, one per screen (docs/decisions/0472-treatment-day-steps.md).

Each step is its own URL (``?step=chart``), so the page works without JavaScript and a
tablet shows one step at a time; the step list says which are done, which is now and which
are still to do.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..day_selectors import BaselinePhotos
from ..models import SessionChart
from ..selectors import TreatmentDay

PAGE_STEPS: tuple[tuple[str, str], ...] = (
    ("consent", "Consent"),
    ("day_of_check", "Day-of check"),
    ("photos", "Baseline photos"),
    ("chart", "Chart the session"),
    ("sign", "Sign the chart"),
)
STEP_KEYS = tuple(key for key, _ in PAGE_STEPS)
# The form a POST came from, to show again when it is refused.
POSTED_STEP = {"consent": "consent", "day_of": "day_of_check", "chart": "chart", "sign": "sign"}


@dataclass(frozen=True)
class PageStep:
    key: str
    number: int
    label: str
    state: str  # "done", "current", "todo" or "not_needed"
    shown: bool

    @property
    def state_words(self) -> str:
        return {
            "done": "Done",
            "current": "Now",
            "todo": "To do",
            "not_needed": "Not needed today",
        }[self.state]


def _done(day: TreatmentDay, baseline: BaselinePhotos) -> dict[str, bool]:
    signed = day.chart is not None and day.chart.status == SessionChart.Status.SIGNED
    return {
        "consent": day.consent is not None,
        "day_of_check": day.day_of is not None and not day.day_of.blocked,
        "photos": not baseline.blocks_signing,
        "chart": day.chart is not None,
        "sign": signed,
    }


def current_step(day: TreatmentDay, baseline: BaselinePhotos) -> str:
    """The first step not yet done ("sign" when everything is: the page then shows the
    signed chart)."""
    done = _done(day, baseline)
    return next((key for key in STEP_KEYS if not done[key]), "sign")


def page_steps(day: TreatmentDay, baseline: BaselinePhotos, shown: str) -> list[PageStep]:
    done = _done(day, baseline)
    current = current_step(day, baseline)
    steps = []
    for number, (key, label) in enumerate(PAGE_STEPS, start=1):
        if key == "photos" and not baseline.required:
            state = "not_needed"
        elif done[key]:
            state = "done"
        elif key == current:
            state = "current"
        else:
            state = "todo"
        steps.append(PageStep(key, number, label, state, key == shown))
    return steps


def shown_step(requested: str, posted: str, day: TreatmentDay, baseline: BaselinePhotos) -> str:
    if posted in POSTED_STEP:
        return POSTED_STEP[posted]
    if requested in STEP_KEYS:
        return requested
    return current_step(day, baseline)
