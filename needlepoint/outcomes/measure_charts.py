"""Photo measures over time as server-rendered SVG (like `charts.py`): one small chart per
region and measure, treatment sessions as dashed lines, the band of what repeat photos vary
by (MDC95) around the baseline, and a sentence only when the change is beyond that band."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .charts import (
    BOTTOM,
    HEIGHT,
    LEFT,
    RIGHT,
    TOP,
    WIDTH,
    Dot,
    Tick,
    line_path,
    session_ticks,
    words,
    x_scale,
)
from .measure_selectors import EXPERIMENTAL, Series
from .wording import on_day

# What the pages plot (the API has every figure): the measure's name, its unit, and whether a
# fall is the good direction (for nothing but the sentence's wording).
SHOWN: dict[str, tuple[str, str]] = {
    "spot_area_pct": ("Spots", "% of the region"),
    "redness_area_pct": ("Redness", "% of the region"),
    "evenness_sd": ("Unevenness", "L* units"),
    "ita_deg": ("Skin tone (ITA°)", "degrees"),
    "line_density": ("Lines", "mm per cm²"),
    "texture": ("Texture", "L* units"),
}
STATUS_WORDS = {"pending": "measuring…", "done": "measured", "not_measured": "not measured"}


@dataclass(frozen=True)
class MeasureChart:
    key: str  # for element ids only
    title: str
    unit: str
    experimental: bool
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]
    sessions: tuple[Tick, ...]
    dots: tuple[Dot, ...]
    path: str
    band_y: float | None  # the MDC band around the baseline, in SVG units
    band_h: float | None
    band_w: int
    sentence: str
    variation: str


def _short(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _fmt(value: float) -> str:
    return f"{value:.1f}".replace("-", "−")


def change_sentence(name: str, first: float, last: float, mdc: float | None) -> tuple[str, str]:
    """("Spots: −18 % since baseline (photos vary by ±6 %)", "") when beyond the MDC; else
    ("", what the photos vary by), so a change within the noise is never put in words."""
    if mdc is None:
        return (
            "",
            "Repeat photos of the same visit are needed before a change can be told apart "
            "from the photos' own variation.",
        )
    change = last - first
    relative = abs(first) > 1e-9
    vary = f"±{_fmt(100 * mdc / abs(first))} %" if relative else f"±{_fmt(mdc)}"
    if abs(change) <= mdc:
        return "", f"No change beyond what repeat photos vary by ({vary})."
    size = f"{_fmt(100 * change / abs(first))} %" if relative else _fmt(change)
    amount = f"{'+' if change > 0 else ''}{size}"
    return f"{name}: {amount.replace('-', '−')} since baseline (photos vary by {vary})", ""


def measure_charts(series: Series, session_days: Sequence[date]) -> list[MeasureChart]:
    mdc = {(m.region, m.figure): (m.own or m.clinic).value for m in series.mdc}
    regions = sorted({r for p in series.points for r in p.regions})
    charts = []
    for region in regions:
        for figure, (name, unit) in SHOWN.items():
            values = [
                (p.taken_on, p.regions[region][figure])
                for p in series.points
                if region in p.regions and p.regions[region].get(figure) is not None
            ]
            if not values:
                continue
            charts.append(
                _chart(region, figure, name, unit, values, mdc.get((region, figure)), session_days)
            )
    return charts


def _chart(
    region: str,
    figure: str,
    name: str,
    unit: str,
    values: list[tuple[date, float | None]],
    mdc: float | None,
    session_days: Sequence[date],
) -> MeasureChart:
    points = [(day, float(v)) for day, v in values if v is not None]
    first_day, last_day = points[0][0], points[-1][0]
    x0, per_day = x_scale(first_day, last_day)
    baseline = points[0][1]
    low = min(v for _, v in points)
    high = max(v for _, v in points)
    if mdc is not None:
        low, high = min(low, baseline - mdc), max(high, baseline + mdc)
    pad = max((high - low) * 0.1, 0.5)
    low, high = low - pad, high + pad
    plot_h = HEIGHT - TOP - BOTTOM

    def x_of(day: date) -> float:
        return round(x0 + (day - first_day).days * per_day, 1)

    def y_of(value: float) -> float:
        return round(HEIGHT - BOTTOM - (value - low) / (high - low) * plot_h, 1)

    dots = tuple(Dot(x_of(d), y_of(v), f"{on_day(d)}: {_fmt(v)} {unit}") for d, v in points)
    path = line_path(dots)
    sentence, variation = change_sentence(name, baseline, points[-1][1], mdc)
    if len(points) < 2:
        sentence, variation = "", "One measured photo so far: the change shows from the next one."
    ticks = [low + (high - low) * i / 4 for i in range(5)]
    experimental = figure in EXPERIMENTAL
    return MeasureChart(
        key=f"{region}-{figure}".replace("_", "-"),
        title=f"{name} · {words(region).lower()}",
        unit=unit,
        experimental=experimental,
        width=WIDTH,
        height=HEIGHT,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        plot_top=TOP,
        plot_bottom=HEIGHT - BOTTOM,
        y_ticks=tuple(Tick(y_of(t), _fmt(t)) for t in ticks),
        x_ticks=(Tick(x_of(first_day), _short(first_day)), Tick(x_of(last_day), _short(last_day)))
        if last_day != first_day
        else (Tick(x_of(first_day), _short(first_day)),),
        sessions=session_ticks(session_days, first_day, last_day, x_of),
        dots=dots,
        path=path,
        band_y=y_of(baseline + mdc) if mdc is not None else None,
        band_h=round(y_of(baseline - mdc) - y_of(baseline + mdc), 1) if mdc is not None else None,
        band_w=WIDTH - RIGHT - LEFT,
        sentence=sentence,
        variation=variation,
    )
