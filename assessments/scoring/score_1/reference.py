"""score-1 as ASSESSMENT.md writes it: the reference engine, to read beside §3, §4 and §6.

Plain Python over exact Fractions, one section per § of the spec, every number from rules.py.
The same kinds of objects and byte-identical snapshots as fast.py (the engine in use): the
differential tests and `make bench-diff` hold the two equal. Inputs are checked in inputs.py,
results written down in snapshot.py. Where the spec leaves room, docs/scoring.md says how.
"""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cache, cached_property
from math import ceil
from typing import Any, NamedTuple

# isort: off
# fmt: off
from ..spec import (
    CONTEXTS, DIMENSIONS, FACETS, InstrumentSpec, ItemSpec, ReliabilityParams, contexts_shown,
    is_shown,
)
from .rules import (
    AGREE_MIN, ASI_NOTABLE, ATTENTION_MIN_FAILED, CONTRADICTORY_SHARE, DEVELOPING, DISAGREE_MAX,
    ENDORSED, FOCUS_MIN_SCORED, FOUNDATION_ORDER, GAP, GASI_MIN_ASIS, HIGH, HIGH_MISSING_SHARE,
    LONGSTRING_MIN_RUN, LOW, LOW_QUALITY_MIN_MISC, LOW_VARIABILITY_SD, MAINTAIN, MEMORY_NOTE_DAYS,
    MISCALIBRATED, MS_PER_ANSWER, NOT_SCORED, P0, PATTERNS, QC_FAILS, QUALITY_MISC_FLAGS,
    RC_CRITICAL, SCORABLE_SHARE, SCORE_MAX, SUPPORT_GENTLE, SUPPORT_URGENT_MIN, TOO_FAST_MIN_PAGES,
    UNDERDEVELOPED, VERSION, WB_CODE, WELL, WELL_DEVELOPED,
)
from . import snapshot
from .inputs import check_spec, read_answers
from .snapshot import (  # noqa: F401 (half_up, signed, sqrt_text, text: tested from here)
    Comparison, DimensionResult, Focus, Result, half_away, half_up, no_value, rc_text, signed,
    sqrt_text, text,
)
# fmt: on
# isort: on


# §2.6 The items shown per context mode (what score-1 accepts as input: inputs.py).
def active_items(spec: InstrumentSpec, mode: str) -> tuple[ItemSpec, ...]:
    """Items shown in `mode`, in presentation order; QC and WB items are always shown."""
    contexts_shown(mode)  # ValueError for an unknown mode, even with no scored items
    ordered = sorted(spec.items, key=lambda i: i.position)
    return tuple(i for i in ordered if is_shown(i, mode))


# §3.1 Keying, §3.2 scale scores and proration, §3.3 bands.
def keyed(answer: int, reverse: bool) -> int:
    return LOW + HIGH - answer if reverse else answer


@dataclass(frozen=True)
class Scale:
    items: int  # N, the scale's items in the active mode
    n: int  # answered
    s: int  # keyed sum S
    needed: int  # ⌈0.75 · N⌉
    score: Fraction | None  # 100 · (S − n) / (6n), or None when n < needed

    @property
    def band(self) -> str:
        if self.score is None:
            return NOT_SCORED
        if self.score < ENDORSED:
            return UNDERDEVELOPED
        return DEVELOPING if self.score < WELL_DEVELOPED else WELL

    @cached_property  # scales are shared (make_scale is cached), so this is worked out once
    def snapshot(self) -> dict[str, Any]:
        return snapshot.scale(self)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.snapshot)


@cache  # pure, like half_up
def make_scale(items: int, n: int, s: int) -> Scale:
    """Scorable iff n ≥ ⌈0.75·N⌉ (and n > 0); score = 100 · (m − 1) / 6 with m = S / n."""
    needed = ceil(SCORABLE_SHARE * items)
    if n < needed or n == 0:
        return Scale(items, n, s, needed, None)
    return Scale(items, n, s, needed, SCORE_MAX * (Fraction(s, n) - LOW) / (HIGH - LOW))


def scale_of(items: Sequence[ItemSpec], raw: Mapping[str, int | None]) -> Scale:
    values = [keyed(raw[i.code], i.reverse) for i in items if raw[i.code] is not None]
    return make_scale(len(items), len(values), sum(values))


def scales_of(items: Sequence[ItemSpec], raw: Mapping[str, int | None], split: bool) -> dict:
    """By name: "REG" (dimension D), "REG1", "REG2" (facets), "REG.C", "REG.W" (contexts, only
    when both contexts are shown: single-context modes have no C/W scales)."""
    scales = {}
    for d in DIMENSIONS:
        own = [i for i in items if i.kind == "scored" and i.dimension == d]
        scales[d] = scale_of(own, raw)
        for f in FACETS:
            scales[f"{d}{f}"] = scale_of([i for i in own if i.facet == f], raw)
        for c in CONTEXTS if split else ():
            scales[f"{d}.{c}"] = scale_of([i for i in own if i.context == c], raw)
    return scales


# §3.4 Context-asymmetry index ASI = W − C, and global asymmetry GASI.
class Asi(NamedTuple):
    value: Fraction

    @property
    def notable(self) -> bool:
        return abs(self.value) >= ASI_NOTABLE


def asi_of(scales: Mapping[str, Scale], d: str) -> Asi | None:
    close, work = scales.get(f"{d}.C"), scales.get(f"{d}.W")
    if close is None or work is None or close.score is None or work.score is None:
        return None
    return Asi(work.score - close.score)


def gasi_of(asis: Sequence[Asi | None]) -> Fraction | None:
    """The mean of the ASIs that are defined, when at least 4 dimensions have one."""
    defined = [a.value for a in asis if a is not None]
    return sum(defined) / len(defined) if len(defined) >= GASI_MIN_ASIS else None


# §3.5 Gap rule.
def gap(p: Scale | None, q: Scale | None) -> bool:
    """G(p, q): p ≥ 50 and q < 50 and p − q ≥ 25; false if either score is missing."""
    if p is None or q is None or p.score is None or q.score is None:
        return False
    return p.score >= ENDORSED and q.score < ENDORSED and p.score - q.score >= GAP


# §3.6 Miscalibration patterns; §3.7 focus candidates have the same shape.
class Candidate(NamedTuple):
    kind: str  # "pattern" | "underdeveloped" | "next_step" | "maintain"
    code: str  # the pattern code; the dimension code for plain kinds; MAINTAIN
    dimension: str | None  # the dimension a pattern marks, or the one concerned
    target: str  # focus key: "REG1", "BON.C" or MAINTAIN
    target_dimension: str | None
    scale: Scale | None  # the low side, whose score is v

    @property
    def value(self) -> Fraction | None:
        return None if self.scale is None else self.scale.score


def lower_facet(scales: Mapping[str, Scale], d: str) -> str:
    """The scorable facet with the lower score; ties → F1."""
    f1, f2 = scales[f"{d}1"].score, scales[f"{d}2"].score
    return f"{d}2" if f2 is not None and (f1 is None or f2 < f1) else f"{d}1"


def patterns_of(scales: Mapping[str, Scale]) -> tuple[Candidate, ...]:
    """Fired patterns in table order; a not-scored dimension takes part in none (§3.2)."""
    hits = []
    for code, marked, high, low in PATTERNS:
        involved = (scales[d].score for d in {marked, high[:3], low[:3]})
        if gap(scales.get(high), scales.get(low)) and None not in involved:
            target = lower_facet(scales, low) if low in DIMENSIONS else low
            hits.append(Candidate("pattern", code, marked, target, target[:3], scales[low]))
    return tuple(hits)


# §3.7 Development focus.
def plain(kind: str, scales: Mapping[str, Scale], d: str) -> Candidate:
    return Candidate(kind, d, d, lower_facet(scales, d), d, scales[d])


def focus_of(scales: Mapping[str, Scale], hits: Sequence[Candidate]) -> Focus:
    scored = [d for d in DIMENSIONS if scales[d].score is not None]
    if len(scored) < FOCUS_MIN_SCORED:
        return Focus(None, None, "too_few_scored")
    rank = FOUNDATION_ORDER.index
    underdeveloped = [
        plain(UNDERDEVELOPED, scales, d) for d in scored if scales[d].band == UNDERDEVELOPED
    ]
    candidates = sorted(  # v; patterns first; the target's dimension in foundation order; code
        [*hits, *underdeveloped],
        key=lambda c: (c.value, c.kind != "pattern", rank(c.target_dimension), c.code, c.target),
    )
    if candidates:
        primary = candidates[0]
        others = (c for c in candidates if c.target_dimension != primary.target_dimension)
        return Focus(primary, next(others, None), None)
    below = [d for d in scored if scales[d].score < WELL_DEVELOPED]
    if below:  # "next step": the lowest-scoring dimension, ties by foundation order
        lowest = min(below, key=lambda d: (scales[d].score, rank(d)))
        return Focus(plain("next_step", scales, lowest), None, None)
    return Focus(Candidate("maintain", MAINTAIN, None, MAINTAIN, None, None), None, None)


# §4 Response quality.
def quality_level(misc_flags: int, failed_qc: int, too_fast: bool) -> str:
    """m = raised flags among QUALITY_MISC_FLAGS, q = failed QC items: low iff q ≥ 2 or
    TOO_FAST or m ≥ 2 or (m = 1 and q = 1); otherwise caution iff m = 1 or q = 1; else ok."""
    m, q = misc_flags, failed_qc
    if q >= ATTENTION_MIN_FAILED or too_fast or m >= LOW_QUALITY_MIN_MISC or (m == 1 and q == 1):
        return "low"
    return "caution" if m == 1 or q == 1 else "ok"


def longest_run(values: Sequence[int | None]) -> int:
    """Longest run of identical raw answers; a skipped item (None) ends a run."""
    best = run = 0
    for k, value in enumerate(values):
        same = k > 0 and value is not None and value == values[k - 1]
        run = run + 1 if same else int(value is not None)
        best = max(best, run)
    return best


def timing(items: Sequence[ItemSpec], raw: Mapping, page_ms: Mapping[int, int] | None) -> tuple:
    """TOO_FAST: is the total time < 2 s × answered items (None unless every page with a shown
    item has a time, so a missing time never raises it), and which pages were answered in less
    than 2 s × the items answered on them (a page with none answered is never fast)."""
    if page_ms is None:
        return None, [], None
    if any(type(ms) is not int or ms < 0 for ms in page_ms.values()):
        raise ValueError("page times must be non-negative integers (milliseconds)")
    answered: dict[int, int] = {}
    for i in items:
        answered[i.page] = answered.get(i.page, 0) + (raw[i.code] is not None)
    fast = [p for p, k in answered.items() if p in page_ms and page_ms[p] < MS_PER_ANSWER * k]
    if not answered.keys() <= page_ms.keys():
        return None, fast, None
    total = sum(page_ms.values())  # over save-and-resume visits: pauses only lengthen it
    return total < MS_PER_ANSWER * sum(answered.values()), fast, total


def cells_of(scored: Sequence[ItemSpec], raw: Mapping[str, int | None]) -> tuple[int, int]:
    """(contradictory, evaluable) cells. Evaluable: the reverse item and ≥ 1 forward item are
    answered. Contradictory: the mean of the answered forward items and the reverse item (their
    mean, in a layout with several) are both ≥ 5 or both ≤ 3."""
    cells: dict[tuple, tuple[list[int], list[int]]] = {}
    for i in scored:
        forward, reverse = cells.setdefault((i.dimension, i.facet, i.context), ([], []))
        if raw[i.code] is not None:
            (reverse if i.reverse else forward).append(raw[i.code])
    contradictory = evaluable = 0
    for forward, reverse in cells.values():
        if forward and reverse:
            f, r = (Fraction(sum(values), len(values)) for values in (forward, reverse))  # means
            evaluable += 1
            contradictory += min(f, r) >= AGREE_MIN or max(f, r) <= DISAGREE_MAX
    return contradictory, evaluable


def quality_of(items: Sequence[ItemSpec], raw: Mapping, page_ms: Mapping | None) -> dict:
    scored = [i for i in items if i.kind == "scored"]  # presentation order
    values = [raw[i.code] for i in scored]
    given = [v for v in values if v is not None]
    qc = [i.code for i in items if i.kind == "qc" and raw[i.code] is not None]
    failed = sorted(code for code in qc if QC_FAILS[code](raw[code]))  # a skip never fails
    too_fast_total, fast_pages, total_ms = timing(items, raw, page_ms)
    n, total = len(given), sum(given)  # population variance Σ(x − mean)² / n = (nΣx² − (Σx)²) / n²
    variance = Fraction(n * sum(x * x for x in given) - total**2, n * n) if given else None
    contradictory, evaluable = cells_of(scored, raw)
    raised = {  # in the order of the §4 table
        "ATTENTION": len(failed) >= ATTENTION_MIN_FAILED,
        "TOO_FAST": bool(too_fast_total) or len(fast_pages) >= TOO_FAST_MIN_PAGES,
        "LONGSTRING": longest_run(values) >= LONGSTRING_MIN_RUN,
        "LOW_VARIABILITY": variance is not None and variance < LOW_VARIABILITY_SD**2,
        "CONTRADICTORY": evaluable > 0 and contradictory >= CONTRADICTORY_SHARE * evaluable,
        "HIGH_MISSING": len(values) - len(given) > HIGH_MISSING_SHARE * len(values),
    }
    misc = sum(raised[flag] for flag in QUALITY_MISC_FLAGS)
    return {
        "level": quality_level(misc, len(failed), raised["TOO_FAST"]),
        "flags": [flag for flag, up in raised.items() if up], "failed_qc": failed,
        "too_fast_total": too_fast_total, "fast_pages": fast_pages,
        "answered": sum(v is not None for v in raw.values()), "total_ms": total_ms,
        "longest_run": longest_run(values),
        "sd": None if variance is None else sqrt_text(variance),
        "contradictory_cells": contradictory, "evaluable_cells": evaluable,
        "missing": len(values) - len(given), "active_scored": len(values),
    }  # fmt: skip


# §7.3 Distress and company notes, stored with the result: WB1 ≥ 6 urgent, WB1 = 5 gentle.
def support_of(raw: Mapping[str, int | None]) -> str:
    wb1 = raw.get(WB_CODE) or 0
    return "urgent" if wb1 >= SUPPORT_URGENT_MIN else "gentle" if wb1 == SUPPORT_GENTLE else "none"


def score(
    spec: InstrumentSpec,
    answers: Mapping[str, int | None],
    *,
    mode: str,
    page_ms: Mapping[int, int] | None = None,
) -> Result:
    """Score one sheet of raw answers by item code. ValueError for an unknown mode, a spec
    score-1 cannot read, an answer to a shown item that is not 1..7, or a bad page time."""
    items = active_items(spec, mode)
    check_spec(sorted(spec.items, key=lambda i: i.position))
    raw = read_answers(items, answers)
    scales = scales_of(items, raw, split=len(contexts_shown(mode)) == 2)
    hits = patterns_of(scales)
    dimensions = tuple(
        DimensionResult(
            d, scales[d], (scales[f"{d}1"], scales[f"{d}2"]),
            (scales[f"{d}.C"], scales[f"{d}.W"]) if f"{d}.C" in scales else None,
            asi_of(scales, d),
            MISCALIBRATED if any(h.dimension == d for h in hits) else scales[d].band,
            tuple(h.code for h in hits if h.dimension == d),
        )
        for d in DIMENSIONS
    )  # fmt: skip
    return Result(
        VERSION, spec.version, mode, dimensions, gasi_of([d.asi for d in dimensions]), hits,
        focus_of(scales, hits), quality_of(items, raw, page_ms), support_of(raw),
    )  # fmt: skip


# §6 Change over time, between two stored snapshots of one account (and §6.1).
def stored_score(scale: Mapping[str, Any] | None) -> Fraction | None:
    """The exact score from the stored (n, S), not from the 2-decimal string."""
    if scale is None or scale["score"] is None:
        return None
    return make_scale(scale["items"], scale["n"], scale["s"]).score


def delta_of(before: Mapping | None, after: Mapping | None) -> dict[str, Any] | None:
    """A descriptive difference later − earlier (facet, context), half away from zero."""
    old, new = stored_score(before), stored_score(after)
    return None if old is None or new is None else signed(new - old)


def reliable_label(delta: Fraction, sd: Fraction, r: Fraction) -> str:
    """|RC| ≥ 1.96, RC = Δ / S_diff, decided exactly (§6.1): Δ² ≥ 1.96² · S_diff², where
    S_diff² = 2 · SE² = 2 · SD² · (1 − r); the sign comes from Δ."""
    if delta != 0 and delta**2 >= RC_CRITICAL**2 * 2 * sd**2 * (1 - r):
        return "reliable_increase" if delta > 0 else "reliable_decrease"
    return "about_the_same"


def dimension_change(code: str, earlier: Mapping, later: Mapping, reasons: list, params) -> dict:
    before, after = earlier["dimensions"][code], later["dimensions"][code]
    change: dict[str, Any] = {"label": NOT_SCORED, "reason": None, "reasons": []}
    change |= dict.fromkeys(("delta", "delta_display", "rc"))
    # §6.1: facet and context differences, like Δ, only for a dimension scored in both.
    change["facets"], change["contexts"] = dict.fromkeys(("1", "2")), dict.fromkeys(CONTEXTS)
    change["asi"] = None
    old, new = stored_score(before), stored_score(after)
    if old is None or new is None:
        return change
    change["facets"] = {f: delta_of(before["facets"][f], after["facets"][f]) for f in ("1", "2")}
    contexts = [before["contexts"] or {}, after["contexts"] or {}]
    change["contexts"] = {c: delta_of(*(side.get(c) for side in contexts)) for c in CONTEXTS}
    delta, (sd, r) = new - old, params.per_dimension[code]
    change |= {
        "label": "not_comparable" if reasons else reliable_label(delta, sd, r),
        "reason": reasons[0] if reasons else None, "reasons": reasons,
        **signed(delta, "delta", "delta_display"), "rc": rc_text(delta, sd, r),
    }  # fmt: skip
    if before["asi"] is not None and after["asi"] is not None:  # descriptive only
        was, now = (stored_score(p["contexts"]["W"]) - stored_score(p["contexts"]["C"])
                    for p in (before, after))  # fmt: skip
        change["asi"] = signed(now - was)
    return change


def pattern_changes(earlier: Mapping, later: Mapping) -> tuple[list, list]:
    """Patterns new / no longer present, among dimensions scored in both profiles; CTX
    patterns only when both profiles are in `both` mode (§6.1)."""
    both = earlier["mode"] == later["mode"] == "both"
    scored = [d for d in DIMENSIONS if earlier["dimensions"][d]["band"] != NOT_SCORED]
    scored = [d for d in scored if later["dimensions"][d]["band"] != NOT_SCORED]
    old, new = (
        [(h["code"], h["dimension"]) for h in snapshot["patterns"]
         if h["dimension"] in scored and (both or not h["code"].startswith("CTX-"))]
        for snapshot in (earlier, later)
    )  # fmt: skip
    return [p for p in new if p not in old], [p for p in old if p not in new]


def compare(
    earlier: Mapping[str, Any],
    later: Mapping[str, Any],
    *,
    params: ReliabilityParams = P0,
    substantive_dimensions: Collection[str] = (),
    days_apart: int | None = None,
) -> Comparison:
    """Compare two stored snapshots; `params` is the reliability parameter set pinned for
    the earlier profile's instrument version, `substantive_dimensions` those with an item
    that changed substantively between the two instrument versions."""
    changed = substantive_dimensions
    shared = ["low_quality"] * ("low" in (earlier["quality"]["level"], later["quality"]["level"]))
    shared += ["mode_differs"] * (earlier["mode"] != later["mode"])
    dimensions = {
        d: dimension_change(d, earlier, later, shared + ["item_changed"] * (d in changed), params)
        for d in DIMENSIONS
    }
    memory = days_apart is not None and days_apart < MEMORY_NOTE_DAYS
    new, resolved = pattern_changes(earlier, later)
    return Comparison(VERSION, params.id, days_apart, memory, dimensions, new, resolved)
