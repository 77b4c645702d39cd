"""Descriptive 4- and 12-week views of a person's live moments (PRACTICE.md §7, issue 18 line 6).

Only the person's own moments are counted; nothing here reads or writes a profile or a score,
and nothing is compared with anyone else. Every number is exact (integers and Fractions); the
rounding for display happens once, in `percent` and `median_text`.

The exact readings:

- **Window**: the `weeks` × 7 local days (in the person's time zone) that end today: from
  midnight of the first of them up to `now` (`start <= occurred_at < now`). Week *k* (0 = the
  latest) holds the local days today − 7k − 6 to today − 7k, so its label names exactly the days
  it counts; the latest week includes today so far.
- **Median intensity**: the median of the intensities given (0–10), moments without one left
  out; with an even count, the mean of the two middle values (so a whole number or a half).
- **Steering first**: of the moments with at least one response chip, those whose first chip
  in tap order (`Moment.responses`) is a steering one (moments/kinds.py). A moment with only
  steering chips counts: nothing reactive came before the steering.
- **Repaired within a day**: of the moments that occurred at least 24 hours before `now`
  (their day is over) and were not answered "no need", those answered `repaired` with
  `follow_up_at - occurred_at <= 24 h`. A repair reported later than that is not counted,
  because relcap only knows when the answer was given, not when the repair happened.
- **Close and work**: each measure for all moments, and for those marked close and work;
  moments with no context count only in "all".
- **Display**: a share is shown as a whole percent, rounded half up (1/8 → 13 %), always beside
  its exact counts ("1 of 8"); a median is shown exactly (6 or 6.5).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from fractions import Fraction
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from moments.chips import REACTIVE, STEERING
from moments.models import Moment, MomentsSettings

WEEK_CHOICES = (4, 12)
DAY = timedelta(hours=24)
FIELDS = ("occurred_at", "context", "intensity", "responses", "follow_up", "follow_up_at")


@dataclass(frozen=True)
class Measures:
    """The measures of one group of moments, with the count behind each."""

    n: int = 0
    intensity_n: int = 0
    median_intensity: Fraction | None = None
    responded_n: int = 0  # moments with at least one response chip
    steering_first_n: int = 0
    repair_n: int = 0  # moments whose day is over, not answered "no need"
    repaired_n: int = 0

    @property
    def steering_first_share(self) -> Fraction | None:
        return share(self.steering_first_n, self.responded_n)

    @property
    def repaired_share(self) -> Fraction | None:
        return share(self.repaired_n, self.repair_n)


@dataclass(frozen=True)
class WeekCount:
    index: int  # 0 = the latest week
    first_day: date  # local dates, for the labels
    last_day: date
    close: int
    work: int
    total: int  # close, work and moments without a context


@dataclass(frozen=True)
class Summary:
    weeks: int
    start: datetime
    end: datetime
    all: Measures
    close: Measures
    work: Measures
    per_week: tuple[WeekCount, ...]  # oldest first

    @property
    def n(self) -> int:
        return self.all.n


def share(part: int, whole: int) -> Fraction | None:
    return Fraction(part, whole) if whole else None


def percent(value: Fraction | None) -> int | None:
    """A share as a whole percent, rounded half up (exact: no float is involved)."""
    if value is None:
        return None
    return int(value * 100 + Fraction(1, 2))  # shares are never negative: int() is floor


def median_text(value: Fraction | None) -> str:
    if value is None:
        return ""
    # A median of whole numbers is a whole number or a half, both exact as a float.
    return f"{float(value):g}"


def median(values: list[int]) -> Fraction | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Fraction(ordered[middle])
    return Fraction(ordered[middle - 1] + ordered[middle], 2)


def steering_first(responses: list) -> bool | None:
    """True when the first steering or reactive chip tapped is a steering one; None when the
    moment has neither."""
    for code in responses or ():
        if code in STEERING:
            return True
        if code in REACTIVE:
            return False
    return None


def repaired_within_a_day(row: dict) -> bool:
    return (
        row["follow_up"] == Moment.FollowUp.REPAIRED
        and row["follow_up_at"] is not None
        and row["follow_up_at"] - row["occurred_at"] <= DAY
    )


def measures(rows: list[dict], now: datetime) -> Measures:
    intensities = [row["intensity"] for row in rows if row["intensity"] is not None]
    kinds = [steering_first(row["responses"]) for row in rows]
    repairable = [
        row
        for row in rows
        if row["occurred_at"] <= now - DAY and row["follow_up"] != Moment.FollowUp.NO_NEED
    ]
    return Measures(
        n=len(rows),
        intensity_n=len(intensities),
        median_intensity=median(intensities),
        responded_n=sum(kind is not None for kind in kinds),
        steering_first_n=sum(kind is True for kind in kinds),
        repair_n=len(repairable),
        repaired_n=sum(repaired_within_a_day(row) for row in repairable),
    )


def window_rows(person_id: int, start: datetime, end: datetime) -> list[dict]:
    """The window's moments, the fields the measures need only: one query at any size."""
    return list(
        Moment.objects.filter(
            person_id=person_id, occurred_at__gte=start, occurred_at__lt=end
        ).values(*FIELDS)
    )


def window_start(weeks: int, now: datetime, zone: tzinfo) -> datetime:
    """Local midnight of the first of the `weeks`·7 local days that end today, in UTC."""
    first_day = now.astimezone(zone).date() - timedelta(days=7 * weeks - 1)
    return datetime.combine(first_day, time(0), tzinfo=zone).astimezone(UTC)


def summarise(rows: list[dict], weeks: int, now: datetime, zone: tzinfo) -> Summary:
    """The pure part: the measures of `rows` (dicts of FIELDS) for the window ending at `now`."""
    start = window_start(weeks, now, zone)
    today = now.astimezone(zone).date()
    rows = [row for row in rows if start <= row["occurred_at"] < now]
    buckets: list[list[dict]] = [[] for _ in range(weeks)]
    for row in rows:
        days_back = (today - row["occurred_at"].astimezone(zone).date()).days
        buckets[min(max(days_back, 0) // 7, weeks - 1)].append(row)
    per_week = []
    for index in reversed(range(weeks)):
        bucket = buckets[index]
        per_week.append(
            WeekCount(
                index=index,
                first_day=today - timedelta(days=7 * index + 6),
                last_day=today - timedelta(days=7 * index),
                close=sum(row["context"] == Moment.Context.CLOSE for row in bucket),
                work=sum(row["context"] == Moment.Context.WORK for row in bucket),
                total=len(bucket),
            )
        )
    return Summary(
        weeks=weeks,
        start=start,
        end=now,
        all=measures(rows, now),
        close=measures([r for r in rows if r["context"] == Moment.Context.CLOSE], now),
        work=measures([r for r in rows if r["context"] == Moment.Context.WORK], now),
        per_week=tuple(per_week),
    )


def person_zone(person_id: int) -> tzinfo:
    """The person's chosen time zone (their reminder settings), UTC when none or unknown."""
    name = (
        MomentsSettings.objects.filter(person_id=person_id)
        .values_list("time_zone", flat=True)
        .first()
    )
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def summary_for(person_id: int, weeks: int, now: datetime, zone: tzinfo | None = None) -> Summary:
    """The person's `weeks`-week summary (4 or 12) ending at `now`, in one query.

    `zone` (the person's time zone) only names the weeks' local dates; it defaults to UTC.
    """
    if weeks not in WEEK_CHOICES:
        raise ValueError(f"weeks must be one of {WEEK_CHOICES}")
    zone = zone or UTC
    return summarise(window_rows(person_id, window_start(weeks, now, zone), now), weeks, now, zone)


# --- the chart -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    height: int
    kind: str  # "close" or "work"
    value: int
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    baseline: int
    left: int
    right: int
    bars: tuple[Bar, ...]
    ticks: tuple[tuple[int, int], ...]  # (value, y)
    labels: tuple[tuple[int, str], ...]  # (x centre, week label)
    bar_width: int


CHART_HEIGHT, CHART_TOP, CHART_BOTTOM, CHART_LEFT = 200, 12, 170, 32


def chart(summary: Summary) -> Chart:
    """Grouped bars per week: close and work side by side; heights to scale with the busiest."""
    slot = 80 if summary.weeks == 4 else 44
    bar_width = (slot - 12) // 2
    width = CHART_LEFT + slot * summary.weeks + 8
    top = max([1, *(max(w.close, w.work) for w in summary.per_week)])
    step = max(1, -(-top // 4))  # at most about 5 gridlines, whole numbers only
    scale_top = step * -(-top // step)
    span = CHART_BOTTOM - CHART_TOP

    def y_of(value: int) -> int:
        return CHART_BOTTOM - (span * value) // scale_top

    bars, labels = [], []
    for position, week in enumerate(summary.per_week):
        x = CHART_LEFT + slot * position + 4
        label = f"{week.first_day:%-d %b}–{week.last_day:%-d %b}"
        for offset, kind in ((0, "close"), (bar_width + 2, "work")):
            value = getattr(week, kind)
            bars.append(
                Bar(x + offset, y_of(value), CHART_BOTTOM - y_of(value), kind, value, label)
            )
        if summary.weeks == 4 or position % 2 == 1:  # 12 weeks: every other label, the latest kept
            labels.append((x + bar_width + 1, f"{week.first_day:%-d %b}"))
    ticks = tuple((value, y_of(value)) for value in range(0, scale_top + 1, step))
    return Chart(
        width=width,
        height=CHART_HEIGHT,
        baseline=CHART_BOTTOM,
        left=CHART_LEFT,
        right=width - 4,
        bars=tuple(bars),
        ticks=ticks,
        labels=tuple(labels),
        bar_width=bar_width,
    )


# --- what the page and the partial show -------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    text: str
    detail: str = ""  # the exact counts behind it


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[Cell, Cell, Cell]  # all, close, work


@dataclass(frozen=True)
class Presented:
    """Everything templates/moments/_summary.html needs: include it with `moments_summary`."""

    summary: Summary
    words: dict
    heading: str
    rows: tuple[Row, ...]
    chart: Chart
    chart_id: str
    heading_level: int = 2  # 3 where the including page already has an h2 above it


def _share_cell(part: int, whole: int, words: dict) -> Cell:
    value = percent(share(part, whole))
    if value is None:
        return Cell(words["nothing_to_show"], f"{words['n_label']} 0")
    return Cell(f"{value} %", f"{part} {words['of']} {whole}")


def present(
    summary: Summary, words: dict, chart_id: str = "moments-chart", heading_level: int = 2
) -> Presented:
    """The summary in words (`words`: the copy's `moments_views` group) with its chart."""
    groups = (summary.all, summary.close, summary.work)
    rows = (
        Row(words["row_count"], tuple(Cell(str(m.n)) for m in groups)),
        Row(
            words["row_intensity"],
            tuple(
                Cell(
                    median_text(m.median_intensity) or words["nothing_to_show"],
                    f"{words['n_label']} {m.intensity_n}",
                )
                for m in groups
            ),
        ),
        Row(
            words["row_steering"],
            tuple(_share_cell(m.steering_first_n, m.responded_n, words) for m in groups),
        ),
        Row(
            words["row_repaired"],
            tuple(_share_cell(m.repaired_n, m.repair_n, words) for m in groups),
        ),
    )
    return Presented(
        summary=summary,
        words=words,
        heading=words[f"summary_heading_{summary.weeks}"],
        rows=rows,
        chart=chart(summary),
        chart_id=chart_id,
        heading_level=heading_level,
    )


# --- entries shared with a practitioner (PRACTICE.md §4, at the `entries` level) ---------------

SHARED_WEEKS = 4


@dataclass(frozen=True)
class SharedEntry:
    occurred_at: datetime
    context: str
    role: str
    triggers: tuple[str, ...]
    trigger_text: str
    signals: tuple[str, ...]
    intensity: int | None
    responses: tuple[str, ...]  # in tap order
    follow_up: str


def _labels(texts: dict) -> dict:
    chips = (texts.get("moments") or {}).get("chips") or {}
    follow_up = (texts.get("moments") or {}).get("follow_up") or {}
    return {"chips": chips, "follow_up": follow_up}


def shared_entries(
    person_id: int, now: datetime, texts_of, zone: tzinfo = UTC
) -> tuple[SharedEntry, ...]:
    """The entries of the 4-week window, newest first, each in the copy it was made with
    (`texts_of(version)` gives that copy's texts; a code without a label is shown as is)."""
    start = window_start(SHARED_WEEKS, now, zone)
    rows = Moment.objects.filter(
        person_id=person_id, occurred_at__gte=start, occurred_at__lt=now
    ).order_by("-occurred_at", "-pk")
    made = []
    for moment in rows:
        labels = _labels(texts_of(moment.copy_version))
        chips = labels["chips"]

        def word(group: str, code: str, chips=chips) -> str:
            return (chips.get(group) or {}).get(code, code)

        made.append(
            SharedEntry(
                occurred_at=moment.occurred_at,
                context=word("context", moment.context) if moment.context else "",
                role=word("role", moment.role) if moment.role else "",
                triggers=tuple(word("trigger", c) for c in moment.triggers or ()),
                trigger_text=moment.trigger_text,
                signals=tuple(word("signal", c) for c in moment.signals or ()),
                intensity=moment.intensity,
                responses=tuple(word("response", c) for c in moment.responses or ()),
                follow_up=labels["follow_up"].get(moment.follow_up, moment.follow_up)
                if moment.follow_up
                else "",
            )
        )
    return tuple(made)


def presented_for(person_id: int, weeks: int, now: datetime, words: dict, **options) -> Presented:
    """One call for a page that includes templates/moments/_summary.html (the practice page,
    the brief): the person's zone, their summary and its words; two queries. `words` is the
    copy's `moments_views` group; `options` go to `present` (chart_id, heading_level)."""
    return present(summary_for(person_id, weeks, now, person_zone(person_id)), words, **options)
