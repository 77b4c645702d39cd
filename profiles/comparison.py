"""Change over time (ASSESSMENT.md §6): comparing two profiles, and "My profiles" history.

The labels come from the scoring rules' `compare` over the two stored snapshots; this module
adds only which dimensions are "not directly comparable" because their items changed
substantively between the two instrument versions, and the words from the copy.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.timezone import localtime

from assessments import scoring
from assessments.models import Change
from assessments.queries import copy_texts, reliability_params_for
from assessments.scoring.spec import DIMENSIONS, ReliabilityParams
from profiles import charts, report_queries
from profiles.models import Profile, ResultSnapshot
from profiles.report import CONTEXT_NAMES, summary

P0 = scoring.get("score-1").P0  # §6 default reliability parameter set

NOT_SCORED_TEXT = (
    "Not compared: one of the two profiles does not have enough answers about this capacity."
)
CHANGED_ITEM = frozenset({Change.SUBSTANTIVE, Change.NEW})


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


def signed(value: int | None) -> str:
    if value is None:
        return ""
    return f"+{value}" if value > 0 else (f"−{-value}" if value < 0 else "0")


def changed_dimensions(items: Iterable[dict], earlier_id: int, later_id: int) -> set[str]:
    """Dimensions with an item that is new, missing or substantively changed on the way from
    the earlier instrument version to the later one (§6 "not directly comparable").

    `items` are scored item versions (id, instrument_version_id, dimension, derived_from_id,
    change) of every version; a later item is followed back through `derived_from` until it
    reaches the earlier version. When the later version does not descend from the earlier
    one (a profile started on an older version), the walk runs the other way.
    """
    if earlier_id == later_id:
        return set()
    rows = {row["id"]: row for row in items}
    for source, target in ((earlier_id, later_id), (later_id, earlier_id)):
        changed, reached = _walk(rows, source=source, target=target)
        if reached:
            missing = {
                row["dimension"]
                for row in rows.values()
                if row["instrument_version_id"] == source and row["id"] not in reached
            }
            return changed | missing
    return set(DIMENSIONS)  # unrelated versions: no item can be matched


def _walk(rows: dict[int, dict], *, source: int, target: int) -> tuple[set[str], set[int]]:
    """Follow every item of `target` back towards `source`: the dimensions touched by a new or
    substantive step, and the ids of the `source` items reached without one."""
    changed, reached = set(), set()
    for row in rows.values():
        if row["instrument_version_id"] != target:
            continue
        dimensions, current = {row["dimension"]}, row
        while current is not None and current["instrument_version_id"] != source:
            if current["change"] in CHANGED_ITEM:
                current = None
                break
            current = rows.get(current["derived_from_id"])
            if current is not None:
                dimensions.add(current["dimension"])
        if current is None:
            changed |= dimensions
        else:
            reached.add(current["id"])
    return changed, reached


def compare_profiles(earlier: Profile, later: Profile) -> ComparisonView:
    """Both profiles have `snapshots_newest_first` loaded; the later one's copy words it.

    Reliable change uses the parameter set in force for the earlier profile's instrument
    version when the later profile was submitted (§6.1 "Pinned parameters"), so releasing a
    set afterwards leaves every existing comparison as it was; the page names the set."""
    substantive = changed_dimensions(
        report_queries.scored_item_lineage(),
        earlier.instrument_version_id,
        later.instrument_version_id,
    )
    later_snapshot = newest_snapshot(later)
    return build_comparison(
        earlier,
        later,
        newest_snapshot(earlier),
        later_snapshot,
        substantive=substantive,
        copy=copy_texts(later_snapshot.copy_version),
        params=reliability_params_for(earlier.instrument_version, at=later.submitted_at),
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
    """The comparison of two snapshots with the given reliability parameters."""
    rules = scoring.get(later_snapshot.scoring_version)
    days = (later.submitted_at - earlier.submitted_at).days
    result = rules.compare(
        earlier_snapshot.data,
        later_snapshot.data,
        params=params,
        substantive_dimensions=substantive,
        days_apart=days,
    ).as_dict()
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
    )


def dimension_row(code: str, earlier: dict, later: dict, result: dict, copy: dict) -> DimensionRow:
    change, texts = result["dimensions"][code], copy["dimensions"][code]
    label = change["label"]
    if label == "not_comparable":
        label_text = copy["change"]["not_comparable"][change["reason"]]
    elif label == "not_scored":
        label_text = NOT_SCORED_TEXT
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
        details=() if label == "not_scored" else detail_lines(change, texts),
    )


def detail_lines(change: dict, texts: dict) -> tuple[DeltaLine, ...]:
    """Facet and context differences, descriptive only (§6), for a dimension scored in both
    profiles (§6.1 "Scope of a comparison": the engine gives none for any other)."""
    facets = [
        DeltaLine(texts["facets"][f]["name"], signed((change["facets"][f] or {}).get("display")))
        for f in ("1", "2")
    ]
    contexts = [
        DeltaLine(CONTEXT_NAMES[c], signed((change["contexts"][c] or {}).get("display")))
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
        strongest, focus = summary(snapshot.data, copy_texts(snapshot.copy_version))
        rows.append(ProfileRow(profile, snapshot.data["instrument"], strongest, focus))
    return rows


def history(profiles: list[Profile]) -> tuple[charts.LineChart, ...]:
    """Each dimension over time, oldest first, once there are enough profiles; `profiles`
    are newest first (as listed) and have their snapshots loaded."""
    if len(profiles) < HISTORY_MIN_PROFILES:
        return ()
    oldest_first = profiles[::-1]
    copy = copy_texts(newest_snapshot(profiles[0]).copy_version)
    dated = [
        (date_format(localtime(p.submitted_at), "j M Y"), newest_snapshot(p).data["dimensions"])
        for p in oldest_first
    ]
    return tuple(
        charts.line_chart(
            copy["dimensions"][code]["name"],
            [(day, dimensions[code]["display"]) for day, dimensions in dated],
        )
        for code in DIMENSIONS
    )
