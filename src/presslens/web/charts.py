"""Server-side SVG charts for the outlet page: geometry here, markup in `_charts.html.j2`.

Data flow: `OutletProfile` (`presslens.corpus.profiles`) → these shapes → template. Drawing
on the server means the charts read without JavaScript, need no vendored chart library, and
obey the app's strict CSP (presentation attributes only, no inline style). Every chart also
has a data table beside it, and series differ by dash pattern and marker shape as well as colour.

>>> chart = bar_chart([("2020-01", 3), ("2020-02", 1)])
>>> [round(b.height) for b in chart.bars]
[96, 32]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

WIDTH, HEIGHT, PAD_L, PAD_B, PAD_T = 640, 200, 40, 30, 10
# Dark enough on white for 3:1 non-text contrast (WCAG 1.4.11).
SERIES_COLOURS = ("#1f5fa8", "#b3541e", "#2a7d3b", "#7b3fa0", "#a3225c")
SERIES_DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2")
SERIES_MARKERS = ("circle", "square", "diamond", "triangle", "cross")


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: float


@dataclass(frozen=True)
class Tick:
    pos: float
    label: str


@dataclass
class BarChart:
    bars: list[Bar]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    width: int = WIDTH
    height: int = HEIGHT


@dataclass
class Series:
    name: str
    colour: str
    dash: str
    marker: str
    points: list[tuple[float, float, str, float]]  # x, y, label, value

    @property
    def path(self) -> str:
        return " ".join(
            f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y, _, _) in enumerate(self.points)
        )


@dataclass
class LineChart:
    series: list[Series]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    width: int = WIDTH
    height: int = HEIGHT
    labels: list[str] = field(default_factory=list)


def fill_months(values: Sequence[tuple[str, float]], max_months: int = 240) -> list[tuple[str, float]]:
    """Insert the missing months (value 0) so a time axis is evenly spaced.

    >>> fill_months([("2020-01", 2), ("2020-03", 1)])
    [('2020-01', 2), ('2020-02', 0), ('2020-03', 1)]
    """
    dated = {m: v for m, v in values if len(m) == 7 and m[4] == "-" and m[:4].isdigit() and m[5:].isdigit()}
    if not dated:
        return list(values)
    first, last = min(dated), max(dated)
    y, mo = int(first[:4]), int(first[5:])
    out: list[tuple[str, float]] = []
    while len(out) < max_months:
        key = f"{y:04d}-{mo:02d}"
        out.append((key, dated.get(key, 0)))
        if key >= last:
            break
        y, mo = (y + 1, 1) if mo == 12 else (y, mo + 1)
    return out + [(m, v) for m, v in values if m not in dated]


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    for power in range(-3, 7):
        for step in (1, 2, 2.5, 5):
            candidate = step * 10**power
            if candidate >= value:
                return candidate
    return value


def _y_ticks(top: float, n: int = 4) -> list[Tick]:
    plot_h = HEIGHT - PAD_B - PAD_T
    return [Tick(HEIGHT - PAD_B - plot_h * i / n, f"{top * i / n:g}") for i in range(n + 1)]


def _x_tick_every(n: int) -> int:
    return max(1, -(-n // 12))


def bar_chart(values: Sequence[tuple[str, float]]) -> BarChart:
    top = _nice_max(max((v for _, v in values), default=0))
    plot_w, plot_h = WIDTH - PAD_L - 10, HEIGHT - PAD_B - PAD_T
    slot = plot_w / max(1, len(values))
    every = _x_tick_every(len(values))
    bars, ticks = [], []
    for i, (label, value) in enumerate(values):
        h = plot_h * value / top
        x = PAD_L + i * slot
        bars.append(Bar(x + slot * 0.1, HEIGHT - PAD_B - h, slot * 0.8, h, label, value))
        if i % every == 0:
            ticks.append(Tick(x + slot / 2, label))
    return BarChart(bars, ticks, _y_ticks(top))


def line_chart(
    series: Mapping[str, Sequence[tuple[str, float]]], labels: dict[str, str] | None = None
) -> LineChart:
    months = sorted({m for rows in series.values() for m, _ in rows})
    top = _nice_max(max((v for rows in series.values() for _, v in rows), default=0))
    plot_w, plot_h = WIDTH - PAD_L - 10, HEIGHT - PAD_B - PAD_T
    step = plot_w / max(1, len(months) - 1) if len(months) > 1 else 0
    xpos = {m: PAD_L + (i * step if len(months) > 1 else plot_w / 2) for i, m in enumerate(months)}
    out = []
    for i, (name, rows) in enumerate(series.items()):
        pts = [(xpos[m], HEIGHT - PAD_B - plot_h * v / top, m, v) for m, v in rows]
        k = i % len(SERIES_COLOURS)
        out.append(
            Series(
                (labels or {}).get(name, name), SERIES_COLOURS[k], SERIES_DASHES[k], SERIES_MARKERS[k], pts
            )
        )
    every = _x_tick_every(len(months))
    ticks = [Tick(xpos[m], m) for i, m in enumerate(months) if i % every == 0]
    return LineChart(out, ticks, _y_ticks(top), labels=months)
