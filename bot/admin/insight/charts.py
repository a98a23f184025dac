"""Chart geometry computed on the server, drawn as inline SVG by the templates.

No JavaScript and nothing from elsewhere (the console's Content-Security-Policy
allows neither). Only numbers are computed here; every label is placed by the
template, which escapes it. Each chart on a page is followed by a table of the
same figures, for screen readers and for anyone who wants the numbers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 480
BAR_SPAN = 100.0
PLOT_TOP, PLOT_BOTTOM, PLOT_LEFT, PLOT_RIGHT = 12, 26, 36, 6
MAX_X_LABELS = 8
MIN_SLOTS = 14  # a round's first days are bars of a readable width, not one wide block
STANCE_COLOURS = {"support": "#1e6b3a", "oppose": "#b3261e", "suggest": "#0b5cad",
                  "other": "#6b7280"}


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    w: float
    h: float
    value: int


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True)
class ColumnChart:
    """Vertical bars over time: bars, y-axis ticks, a few x-axis labels, the baseline."""

    width: int
    height: int
    bars: list[Bar]
    y_ticks: list[Tick]
    x_labels: list[Tick]
    baseline: float
    left: float = PLOT_LEFT
    right: float = WIDTH - PLOT_RIGHT


@dataclass(frozen=True)
class Segment:
    """A part of a row's bar, in a 0-100 wide coordinate space (the bar stretches to fit)."""

    x: float
    w: float
    key: str
    value: int
    colour: str


@dataclass(frozen=True)
class StackRow:
    label: str
    total: int
    segments: list[Segment]


@dataclass(frozen=True)
class StackChart:
    """Horizontal bars, one per row, split into coloured parts (e.g. stances of an article).

    Labels and totals are HTML beside each bar, so they keep the page's text size
    on a phone; only the bar itself is SVG, stretched to the width left for it.
    """

    rows: list[StackRow]


def nice_top(value: int) -> int:
    """A round axis maximum at or above `value`: 1, 2, 5, 10, 20, 50, ..."""
    if value <= 1:
        return 1
    power = int(10 ** math.floor(math.log10(value)))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def columns(values: Sequence[int], labels: Sequence[str], *, height: int = 200) -> ColumnChart:
    """One bar per value (e.g. comments per day), with a readable number of x labels."""
    top = nice_top(max(values, default=0))
    plot_w = WIDTH - PLOT_LEFT - PLOT_RIGHT
    plot_h = height - PLOT_TOP - PLOT_BOTTOM
    step = plot_w / max(len(values), MIN_SLOTS)
    gap = min(2.0, step * 0.2)
    bars = [
        Bar(PLOT_LEFT + i * step + gap / 2, PLOT_TOP + plot_h * (1 - v / top),
            max(step - gap, 1.0), plot_h * v / top, v)
        for i, v in enumerate(values)
    ]
    every = max(1, math.ceil(len(labels) / MAX_X_LABELS))
    x_labels = [Tick(PLOT_LEFT + (i + 0.5) * step, label)
                for i, label in enumerate(labels) if i % every == 0]
    y_ticks = [Tick(PLOT_TOP + plot_h * (1 - f), str(round(top * f))) for f in (0, 0.5, 1)
               if f == 0 or top * f == int(top * f)]
    return ColumnChart(WIDTH, height, bars, y_ticks, x_labels, PLOT_TOP + plot_h)


def stacked(rows: Sequence[tuple[str, dict[str, int]]], keys: Sequence[str],
            colours: dict[str, str]) -> StackChart:
    """Rows of parts in the order of `keys`, all scaled to the largest row's total."""
    top = max((sum(parts.values()) for _label, parts in rows), default=0) or 1
    found = []
    for label, parts in rows:
        x, segments = 0.0, []
        for key in keys:
            value = parts.get(key, 0)
            if value:
                w = BAR_SPAN * value / top
                segments.append(Segment(x, w, key, value, colours.get(key, "#6b7280")))
                x += w
        found.append(StackRow(label, sum(parts.values()), segments))
    return StackChart(found)
