"""Geometry for the server-rendered SVG charts: templates only place what is computed here.

Colour is never the only cue: every bar carries its integer score and status as text, an
uneven (miscalibrated) bar is also hatched, and every chart has a table twin for screen
readers. Colours are calm blues and teals; a low score is never shown in red.
"""

from dataclasses import dataclass

# Bar chart of the six dimensions, in SVG user units (the SVG scales to its container).
BAR_WIDTH_PER_POINT = 3  # 0..100 → 0..300
BAR_LEFT = 170
BAR_HEIGHT = 22
ROW_HEIGHT = 40
TOP = 16
LABEL_RIGHT = BAR_LEFT - 10
SCORE_LEFT = BAR_LEFT + 100 * BAR_WIDTH_PER_POINT + 12
STATUS_LEFT = SCORE_LEFT + 34
CHART_WIDTH = 780
BAND_CUTS = (50, 75)  # §3.3: where the bands change, drawn as dashed guides
STATUS_FILLS = {
    "well_developed": "#2f5d62",
    "developing": "#5f9ea0",
    "miscalibrated": "url(#rc-hatch)",
    "underdeveloped": "#a9c1d3",
}
HATCH_BACKGROUND, HATCH_STROKE = "#dceaea", "#3f767b"

# The same chart for phones (shown below 576 px): each label sits on its own line above its
# bar, so the drawing is 340 units wide and its 14-unit text stays about 13 px on a 360 px
# screen (the wide chart would shrink it to 6 px).
NARROW_WIDTH = 340
NARROW_POINT = 2.6  # 0..100 → 0..260
NARROW_ROW = 52
NARROW_BAR_TOP = 10  # from the label's baseline
NARROW_BAR_HEIGHT = 18
NARROW_SCORE_LEFT = round(100 * NARROW_POINT) + 10
NARROW_TOP = 18

# Line charts of one dimension over time (small multiples on "My profiles").
LINE_WIDTH, LINE_HEIGHT = 320, 150
LINE_LEFT, LINE_RIGHT, LINE_TOP, LINE_BOTTOM = 34, 16, 12, 30
LINE_COLOUR = "#2f5d62"
LABEL_EVERY_POINT_UP_TO = 4  # beyond this, only the first and last dates fit under the line


@dataclass(frozen=True)
class Bar:
    label: str
    score: int | None  # None: not enough answers, so no bar is drawn
    status_label: str
    y: int
    text_y: int
    width: int
    fill: str
    height: int = BAR_HEIGHT


@dataclass(frozen=True)
class Guide:
    x: int
    label: str


@dataclass(frozen=True)
class NarrowBar:
    label: str
    score: int | None
    status_label: str
    label_y: int  # baseline of the line "label · status"
    y: int
    text_y: int  # baseline of the score beside the bar
    width: int
    fill: str
    height: int = NARROW_BAR_HEIGHT

    # The dashed guides cross the bar's band only, never the label line above it.
    @property
    def guide_top(self) -> int:
        return self.y - 3

    @property
    def guide_bottom(self) -> int:
        return self.y + self.height + 3


@dataclass(frozen=True)
class NarrowChart:
    width: int
    height: int
    axis_y: int
    bars: tuple[NarrowBar, ...]
    guides: tuple[Guide, ...]
    score_left: int = NARROW_SCORE_LEFT

    @property
    def axis_label_y(self) -> int:
        return self.axis_y + 16


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    axis_y: int
    bars: tuple[Bar, ...]
    guides: tuple[Guide, ...]
    narrow: NarrowChart
    hatch_label: str  # the status label of hatched bars, for the legend; "" when none is
    label_right: int = LABEL_RIGHT
    bar_left: int = BAR_LEFT
    not_scored_left: int = BAR_LEFT + 6
    score_left: int = SCORE_LEFT
    status_left: int = STATUS_LEFT
    guide_top: int = TOP // 2
    hatch_background: str = HATCH_BACKGROUND
    hatch_stroke: str = HATCH_STROKE

    @property
    def axis_label_y(self) -> int:
        return self.axis_y + 16


def bar_chart(rows: list[tuple[str, int | None, str, str]]) -> BarChart:
    """Rows of (label, integer score or None, status code, status label), top to bottom."""
    bars = tuple(
        Bar(
            label=label,
            score=score,
            status_label=status_label,
            y=TOP + index * ROW_HEIGHT,
            text_y=TOP + index * ROW_HEIGHT + BAR_HEIGHT // 2 + 5,
            width=0 if score is None else max(score * BAR_WIDTH_PER_POINT, 2),
            fill=STATUS_FILLS.get(status, STATUS_FILLS["developing"]),
        )
        for index, (label, score, status, status_label) in enumerate(rows)
    )
    axis_y = TOP + len(rows) * ROW_HEIGHT
    guides = tuple(
        Guide(x=BAR_LEFT + value * BAR_WIDTH_PER_POINT, label=str(value))
        for value in (0, *BAND_CUTS, 100)
    )
    hatched = [label for _, _, status, label in rows if status == "miscalibrated"]
    return BarChart(
        CHART_WIDTH,
        axis_y + 24,
        axis_y,
        bars,
        guides,
        narrow_chart(rows),
        hatch_label=hatched[0] if hatched else "",
    )


def narrow_chart(rows: list[tuple[str, int | None, str, str]]) -> NarrowChart:
    bars = []
    for index, (label, score, status, status_label) in enumerate(rows):
        label_y = NARROW_TOP + index * NARROW_ROW
        bar_y = label_y + NARROW_BAR_TOP
        bars.append(
            NarrowBar(
                label=label,
                score=score,
                status_label=status_label,
                label_y=label_y,
                y=bar_y,
                text_y=bar_y + NARROW_BAR_HEIGHT // 2 + 5,
                width=0 if score is None else max(round(score * NARROW_POINT), 2),
                fill=STATUS_FILLS.get(status, STATUS_FILLS["developing"]),
            )
        )
    axis_y = NARROW_TOP + len(rows) * NARROW_ROW - 10
    guides = tuple(
        Guide(x=round(value * NARROW_POINT) + 1, label=str(value)) for value in (0, *BAND_CUTS, 100)
    )
    return NarrowChart(NARROW_WIDTH, axis_y + 24, axis_y, tuple(bars), guides)


@dataclass(frozen=True)
class Point:
    x: int
    y: int
    label: str  # e.g. "3 Mar 2026: 62"


@dataclass(frozen=True)
class Tick:
    position: int
    label: str
    label_position: int  # where the tick's text sits across the axis
    anchor: str = "middle"  # SVG text-anchor, so the end labels stay inside the chart


@dataclass(frozen=True)
class LineChart:
    title: str
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    segments: tuple[str, ...]  # SVG polyline `points`; a gap where a profile was not scored
    points: tuple[Point, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    rows: tuple[tuple[str, int | None], ...]  # the table twin: (date label, score or None)
    colour: str = LINE_COLOUR

    @property
    def y_label_x(self) -> int:
        return self.left - 6


def line_chart(title: str, series: list[tuple[str, int | None]]) -> LineChart:
    """One dimension over time: (date label, integer score or None), oldest first. Profiles
    are spaced evenly, in order, so each retake gets room for its label."""
    plot_width = LINE_WIDTH - LINE_LEFT - LINE_RIGHT
    plot_height = LINE_HEIGHT - LINE_TOP - LINE_BOTTOM
    step = plot_width / max(len(series) - 1, 1)

    def y_of(score: int) -> int:
        return round(LINE_TOP + plot_height * (100 - score) / 100)

    xs = [round(LINE_LEFT + index * step) for index in range(len(series))]
    points, segments, current = [], [], []
    for x, (label, score) in zip(xs, series, strict=True):
        if score is None:
            segments.append(current)
            current = []
            continue
        points.append(Point(x, y_of(score), f"{label}: {score}"))
        current.append(f"{x},{y_of(score)}")
    segments.append(current)
    return LineChart(
        title=title,
        width=LINE_WIDTH,
        height=LINE_HEIGHT,
        left=LINE_LEFT,
        right=LINE_WIDTH - LINE_RIGHT,
        top=LINE_TOP,
        bottom=LINE_TOP + plot_height,
        segments=tuple(" ".join(s) for s in segments if len(s) > 1),
        points=tuple(points),
        x_ticks=_date_ticks(xs, [label for label, _ in series]),
        y_ticks=tuple(Tick(y_of(v), str(v), y_of(v) + 4) for v in (0, 50, 75, 100)),
        rows=tuple(series),
    )


def _date_ticks(xs: list[int], labels: list[str]) -> tuple[Tick, ...]:
    ticks = [Tick(x, label, LINE_HEIGHT - 10) for x, label in zip(xs, labels, strict=True)]
    if len(ticks) > LABEL_EVERY_POINT_UP_TO:
        ticks = [ticks[0], ticks[-1]]
    if len(ticks) > 1:
        first, last = ticks[0], ticks[-1]
        ticks[0] = Tick(first.position, first.label, first.label_position, "start")
        ticks[-1] = Tick(last.position, last.label, last.label_position, "end")
    return tuple(ticks)
