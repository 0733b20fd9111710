"""Bar charts drawn on the server as inline SVG: geometry only, the template draws it.

Each chart comes with a table of the same numbers (the SVG has a title and a description;
the table is what a screen reader or a spreadsheet reads)."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 640
HEIGHT = 220
LEFT = 48
BOTTOM = 40
TOP = 12


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value_words: str
    show_label: bool

    @property
    def value_y(self) -> float:
        return round(self.y - 4, 1)


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    bars: list[Bar]
    gridlines: list[tuple[float, str]]  # (y, words)
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def label_y(self) -> int:
        return HEIGHT - BOTTOM + 16

    @property
    def axis_x(self) -> int:
        return LEFT - 6

    @property
    def left(self) -> int:
        return LEFT


def bar_chart(
    title: str,
    description: str,
    values: list[tuple[str, float | None]],
    *,
    top: float | None = None,
    unit: str = "%",
) -> Chart:
    """Bars for ``values`` ((label, value or None for "no figure")) on a scale from 0 to
    ``top`` (default: the largest value, at least 1)."""
    highest = max([v for _, v in values if v is not None] + [0.0])
    scale_top = top if top is not None else max(highest, 1.0)
    scale_top = max(scale_top, highest)
    plot_height = HEIGHT - BOTTOM - TOP
    plot_width = WIDTH - LEFT - 8
    slot = plot_width / max(len(values), 1)
    every = max(1, len(values) // 8)  # at most about eight labels under the bars
    bars = []
    for i, (label, value) in enumerate(values):
        height = 0.0 if value is None else plot_height * value / scale_top
        bars.append(
            Bar(
                x=round(LEFT + i * slot + slot * 0.15, 1),
                y=round(HEIGHT - BOTTOM - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                label=label,
                value_words="no figure" if value is None else f"{value:g}{unit}",
                show_label=i % every == 0,
            )
        )
    gridlines = [
        (round(HEIGHT - BOTTOM - plot_height * f, 1), f"{scale_top * f:g}{unit}")
        for f in (0.0, 0.5, 1.0)
    ]
    return Chart(title, description, bars, gridlines)
