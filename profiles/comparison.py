"""Change over time (ASSESSMENT.md §6): comparing two profiles, and "My profiles" history.

The labels come from the scoring rules' `compare` over the two stored snapshots; this module
adds only which dimensions are "not directly comparable" because their items changed
substantively between the two instrument versions, and the words from the copy.
"""

from dataclasses import dataclass

from assessments import scoring
from assessments.copy_text import fill
from assessments.lineage import changed_dimensions  # noqa: F401 (re-exported)
from assessments.queries import reliability_params_for
from assessments.scoring.spec import DIMENSIONS, ReliabilityParams
from profiles import charts, locales, report_queries
from profiles.models import Profile, ResultSnapshot
from profiles.report import summary
from profiles.report_queries import snapshot_copy

P0 = scoring.get("score-1").P0  # §6 default reliability parameter set
# Two profiles taken in different locales (issue 16 line 4). No released copy words this
# reason yet, so it reads as the copy's "some of the statements … have changed": they have,
# into another language. A copy may add its own text under change.not_comparable.
LOCALE_DIFFERS = "locale_differs"
REASON_WORDED_AS = {LOCALE_DIFFERS: "item_changed"}


@dataclass(frozen=True)
class DeltaLine:
    label: str
    delta: str  # signed integer text, e.g. "+5"; empty when either side was not scored


@dataclass(frozen=True)
class DimensionRow:
    code: str
    name: str
    earlier: int | None
    later: int | None
    delta: str
    label: str  # reliable_increase | reliable_decrease | about_the_same | not_comparable | …
    label_text: str
    details: tuple[DeltaLine, ...]  # facets and contexts, descriptive only (§6)
    reason: str = ""  # for not_comparable: low_quality, mode_differs, item_changed, locale_differs


@dataclass(frozen=True)
class PatternChange:
    title: str
    dimension: str


@dataclass(frozen=True)
class ComparisonView:
    earlier: Profile
    later: Profile
    params_id: str
    days_apart: int
    memory_note: str
    rows: tuple[DimensionRow, ...]
    patterns_new: tuple[PatternChange, ...]
    patterns_resolved: tuple[PatternChange, ...]
    pattern_new_label: str
    pattern_resolved_label: str
    threshold_note: str
    retake_suggestion: str
    words: dict  # the page's own headings and short labels (copy "comparison")
    days_apart_text: str
    params_note: str
    locale: str = "en"  # the later snapshot's, which words the comparison (issue 16 line 4)


def signed(value: int | None) -> str:
    if value is None:
        return ""
    return f"+{value}" if value > 0 else (f"−{-value}" if value < 0 else "0")


def compare_profiles(earlier: Profile, later: Profile) -> ComparisonView:
    """Both profiles have `snapshots_newest_first` loaded; the later one's copy words it."""
    return compare_snapshots(earlier, later, newest_snapshot(earlier), newest_snapshot(later))


def compare_snapshots(
    earlier: Profile,
    later: Profile,
    earlier_snapshot: ResultSnapshot,
    later_snapshot: ResultSnapshot,
) -> ComparisonView:
    """The comparison of two profiles' given snapshots, worded by the later snapshot's copy
    in the later snapshot's locale.

    Reliable change uses the parameter set in force for the earlier profile's instrument
    version and locale when the later profile was submitted (§6.1 "Pinned parameters"), so
    releasing a set afterwards leaves every existing comparison as it was; the page names the
    set. Two profiles taken in different locales are not directly comparable (issue 16 line 4)."""
    substantive = changed_dimensions(
        report_queries.scored_item_lineage(),
        earlier.instrument_version_id,
        later.instrument_version_id,
    )
    return build_comparison(
        earlier,
        later,
        earlier_snapshot,
        later_snapshot,
        substantive=substantive,
        copy=snapshot_copy(later_snapshot),
        params=reliability_params_for(
            earlier.instrument_version, at=later.submitted_at, locale=earlier_snapshot.locale
        ),
    )


def build_comparison(
    earlier: Profile,
    later: Profile,
    earlier_snapshot: ResultSnapshot,
    later_snapshot: ResultSnapshot,
    *,
    substantive: set[str],
    copy: dict,
    params: ReliabilityParams = P0,
) -> ComparisonView:
    """The comparison of two snapshots with the given reliability parameters.

    Snapshots of two locales answered two different sets of statements (a translation is a
    new instrument until it is validated, ASSESSMENT.md §5.5): every dimension is then "not
    directly comparable", as for statements that changed substantively, with the reason
    `locale_differs` and, until a copy words that reason, the copy's words for changed
    statements."""
    rules = scoring.get(later_snapshot.scoring_version)
    days = (later.submitted_at - earlier.submitted_at).days
    across = earlier_snapshot.locale != later_snapshot.locale
    result = rules.compare(
        earlier_snapshot.data,
        later_snapshot.data,
        params=params,
        substantive_dimensions=set(DIMENSIONS) if across else substantive,
        days_apart=days,
    ).as_dict()
    if across:
        for code, change in result["dimensions"].items():
            if change["reason"] == "item_changed" and code not in substantive:
                change["reason"] = LOCALE_DIFFERS
    texts = copy["change"]
    return ComparisonView(
        earlier=earlier,
        later=later,
        params_id=result["params_id"],
        days_apart=days,
        memory_note=texts["memory_note"] if result["memory_note"] else "",
        rows=tuple(
            dimension_row(code, earlier_snapshot.data, later_snapshot.data, result, copy)
            for code in DIMENSIONS
        ),
        patterns_new=pattern_changes(result["patterns_new"], copy),
        patterns_resolved=pattern_changes(result["patterns_resolved"], copy),
        pattern_new_label=texts["pattern_new"],
        pattern_resolved_label=texts["pattern_resolved"],
        threshold_note=texts["threshold_note"],
        retake_suggestion=texts["retake_suggestion"],
        words=copy["comparison"],
        days_apart_text=fill(
            copy["comparison"]["days_apart_one" if days == 1 else "days_apart_many"],
            {"days": days},
        ),
        params_note=fill(copy["comparison"]["params_note"], {"params": result["params_id"]}),
        locale=later_snapshot.locale,
    )


def dimension_row(code: str, earlier: dict, later: dict, result: dict, copy: dict) -> DimensionRow:
    change, texts = result["dimensions"][code], copy["dimensions"][code]
    label = change["label"]
    if label == "not_comparable":
        reasons = copy["change"]["not_comparable"]
        label_text = reasons.get(change["reason"]) or reasons[REASON_WORDED_AS[change["reason"]]]
    elif label == "not_scored":
        label_text = copy["comparison"]["not_scored"]
    else:
        label_text = copy["change"][label]
    return DimensionRow(
        code=code,
        name=texts["name"],
        earlier=earlier["dimensions"][code]["display"],
        later=later["dimensions"][code]["display"],
        delta=signed(change["delta_display"]),
        label=label,
        label_text=label_text,
        details=() if label == "not_scored" else detail_lines(change, texts, copy),
        reason=(change["reason"] or "") if label == "not_comparable" else "",
    )


def detail_lines(change: dict, texts: dict, copy: dict) -> tuple[DeltaLine, ...]:
    """Facet and context differences, descriptive only (§6), for a dimension scored in both
    profiles (§6.1 "Scope of a comparison": the engine gives none for any other)."""
    facets = [
        DeltaLine(texts["facets"][f]["name"], signed((change["facets"][f] or {}).get("display")))
        for f in ("1", "2")
    ]
    contexts = [
        DeltaLine(copy["contexts"][c]["name"], signed((change["contexts"][c] or {}).get("display")))
        for c in ("C", "W")
        if change["contexts"][c] is not None
    ]
    return tuple(facets + contexts)


def pattern_changes(hits: list[dict], copy: dict) -> tuple[PatternChange, ...]:
    return tuple(
        PatternChange(
            copy["patterns"][hit["code"]]["title"], copy["dimensions"][hit["dimension"]]["name"]
        )
        for hit in hits
    )


# ----------------------------------------------------------------------------- since last time
@dataclass(frozen=True)
class ChangeLine:
    name: str
    label: str  # short words for the reliable-change label, from the copy
    delta: str


@dataclass(frozen=True)
class ChangesSinceLast:
    """Issue 14 line 10: near the top of a retake's report, what changed since the previous
    profile, with the same labels as the full comparison (pinned parameters, §6.1)."""

    heading: str
    intro: str
    lines: tuple[ChangeLine, ...]
    link_label: str
    earlier: Profile


def changes_since_last(
    profile: Profile, snapshot: ResultSnapshot, copy: dict
) -> ChangesSinceLast | None:
    """None for a first or anonymous profile, and for a copy without these texts (copy-1
    reports stay as released)."""
    if "changes" not in copy or getattr(snapshot, "has_earlier", True) is False:
        return None
    earlier = report_queries.previous_submitted(profile)
    if earlier is None:
        return None
    view = compare_snapshots(earlier, profile, newest_snapshot(earlier), snapshot)
    return summarise_changes(view, copy)


def summarise_changes(view: ComparisonView, copy: dict) -> ChangesSinceLast:
    """The short "what changed" part of a report from the full comparison's rows."""
    texts = copy["changes"]
    when = locales.report_date(view.earlier.submitted_at, view.locale)
    return ChangesSinceLast(
        heading=texts["heading"],
        intro=fill(texts["intro"], {"date": when}),
        lines=tuple(
            ChangeLine(row.name, texts["labels"][row.label], row.delta) for row in view.rows
        ),
        link_label=texts["link"],
        earlier=view.earlier,
    )


# ----------------------------------------------------------------------------- my profiles
HISTORY_MIN_PROFILES = 3  # a line needs at least three points to say more than the comparison


@dataclass(frozen=True)
class ProfileRow:
    profile: Profile
    instrument: str
    strongest: str
    focus_title: str


def newest_snapshot(profile: Profile) -> ResultSnapshot:
    """The newest snapshot of a profile loaded with `snapshots_newest_first`."""
    return profile.snapshots_newest_first[0]


def profile_rows(profiles: list[Profile]) -> list[ProfileRow]:
    rows = []
    for profile in profiles:
        snapshot = newest_snapshot(profile)
        strongest, focus = summary(snapshot.data, snapshot_copy(snapshot))
        rows.append(ProfileRow(profile, snapshot.data["instrument"], strongest, focus))
    return rows


@dataclass(frozen=True)
class HistoryChart:
    """One capacity's line over time with its words (copy "history")."""

    chart: charts.LineChart
    title: str  # the chart's text alternative
    numbers: str  # the label that opens its table
    caption: str
    words: dict
    # Issue 16: the line joins profiles taken in different locales, which answered different
    # statements (§5.5); worded like the comparison's reason (`LOCALE_DIFFERS`). "" otherwise.
    locale_note: str = ""


def locale_differs_text(copy: dict) -> str:
    """The copy's words for two profiles of different locales: its own `locale_differs` text
    once a copy has one, else its `item_changed` one (REASON_WORDED_AS); "" for a copy with
    neither (copy-1 has no comparison texts)."""
    reasons = copy.get("change", {}).get("not_comparable", {})
    return reasons.get(LOCALE_DIFFERS) or reasons.get(REASON_WORDED_AS[LOCALE_DIFFERS], "")


def history(profiles: list[Profile]) -> tuple[HistoryChart, ...]:
    """Each dimension over time, oldest first, once there are enough profiles; `profiles`
    are newest first (as listed) and have their snapshots loaded. The newest profile's copy
    words it. When the profiles were taken in more than one locale, each line says they are
    not directly comparable (issue 16)."""
    if len(profiles) < HISTORY_MIN_PROFILES:
        return ()
    oldest_first = profiles[::-1]
    newest = newest_snapshot(profiles[0])
    copy = snapshot_copy(newest)
    dated = [
        (
            locales.report_date(p.submitted_at, newest.locale, short=True),
            newest_snapshot(p).data["dimensions"],
        )
        for p in oldest_first
    ]
    mixed = len({newest_snapshot(p).locale for p in profiles}) > 1
    return history_lines(dated, copy, locale_note=locale_differs_text(copy) if mixed else "")


def history_lines(
    dated: list[tuple[str, dict]], copy: dict, *, locale_note: str = ""
) -> tuple[HistoryChart, ...]:
    """One line per dimension from (date label, stored dimensions), oldest first;
    `locale_note` under each when the profiles were taken in more than one locale."""
    words = copy["history"]
    lines = []
    for code in DIMENSIONS:
        name = copy["dimensions"][code]["name"]
        chart = charts.line_chart(
            name, [(day, dimensions[code]["display"]) for day, dimensions in dated]
        )
        named = {"name": name}
        lines.append(
            HistoryChart(
                chart=chart,
                title=fill(words["chart_title"], named),
                numbers=fill(words["numbers"], named),
                caption=fill(words["table_caption"], named),
                words=words,
                locale_note=locale_note,
            )
        )
    return tuple(lines)
