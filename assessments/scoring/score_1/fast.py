"""score-1's fast engine (ASSESSMENT.md §3, §4, §6): standard library only, numbers from rules.py.

This is the engine in use (`scoring.get("score-1")`); `reference.py` is the same rules written
as the spec reads, and tests/assessments/scoring/test_score_1_differential.py holds the two equal.

API: `score(spec, answers, *, mode, page_ms=None) -> Result`, `active_items(spec, mode)`, and
`compare(earlier, later, *, params=P0, substantive_dimensions=(), days_apart=None) -> Comparison`
where `earlier`/`later` are stored `Result.as_dict()` snapshots. Both results are frozen and have
`.as_dict()` (JSON-ready: str keys, str/int/bool/None/list/dict, never floats or Fractions).

Snapshot shape (`Result.as_dict()`, keys in this order):
    rules "score-1", instrument "1.0", mode,
    dimensions {MEN..BON: {n, s, items, needed, score, display, band, status,
        facets {"1": scale, "2": scale}, contexts {"C": scale, "W": scale} | None,
        asi, asi_display, asi_notable, patterns [code, ...]}},
      scale = {n, s, items, needed, score, display}: score "54.17" (2 dp, half up) or None
      when n < needed; display an int rounded half up from the exact value,
    gasi "23.15" | None, gasi_display, gasi_notable, gasi_direction "work"|"close"|None,
    patterns [{code, dimension, v, target}] in PATTERNS order,
    focus {primary, secondary, reason}; each {kind, code, dimension, target, target_dimension,
      v}, kind pattern|underdeveloped|next_step|maintain; reason "too_few_scored" or None,
    quality {level, flags, failed_qc, too_fast_total, fast_pages, answered, total_ms,
      longest_run, sd, contradictory_cells, evaluable_cells, missing, active_scored},
    support "none"|"gentle"|"urgent", underdeveloped_count, company_note (§7.3).
ASI, GASI and Δ round half away from zero ("-12.50", display -13).

Exactness: a scale is the unreduced rational 100·(S − n)/(6n) and is classified by integer
cross-multiplication; only RC (§6) is a float, and its ±1.96 label is decided exactly by
comparing Δ² with 1.96²·2·SD²·(1 − r). round() is never used (see _exact.py).

Speed: a scale result depends only on (N, n, S), so `Scale` objects are memoised and shared,
each with its snapshot dict and an integer sort key; a spec is compiled once per (spec, mode)
into a `_Plan`; answers become bytes, are regrouped by cell with one itemgetter, read as one
native int per cell and summarised by memoised cell summaries (`pack_cell`). Every shortcut is
checked against the reference engine (test_score_1_differential.py, `make bench-diff`) and the
released numbers (tests/assessments/scoring/test_score_1_frozen.py).

Readings of the spec where it leaves room (also in the lead's docs/scoring.md):
- §3.8 display integers round the exact score, not the 2-dp string.
- §3.6 a pattern needs every dimension it involves scored (marked, high side, low side).
- §3.7 plain candidates (underdeveloped, next_step) carry the dimension code as `code`;
  ties after v, kind and foundation rank of the target's dimension go to code, then target;
  "the target's dimension" (EMP-FLOOD → MEN) also decides the secondary focus.
- §3.4 gasi_direction is given only when GASI is notable.
- §4 answered counts for TOO_FAST include QC and WB1; the total rule is evaluated only when
  every page holding an active item has a time (total = sum of the given times); a page with
  nothing answered is never fast; comparisons are strict (<).
- §4 no answered scored item: sd None and no LOW_VARIABILITY (HIGH_MISSING covers it);
  CONTRADICTORY is not raised when no cell is evaluable; single-context modes use the active
  items and cells (36 items, 12 cells).
- §6 Δ comes from the stored (n, S); reasons for not_comparable are listed in the order
  low_quality, mode_differs, item_changed, and Δ is still given; patterns new/resolved count
  only dimensions scored in both snapshots, and CTX patterns only when both are `both` mode.
- Answers: bools and non-ints are rejected (ValueError), answers to inactive or unknown codes
  are ignored without validation.
"""

import sys
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from itertools import chain, repeat
from math import ceil, lcm, sqrt
from operator import add, itemgetter
from struct import calcsize
from typing import Any, NamedTuple

from .._exact import fraction_display, fraction_text, half_away, half_up, sqrt_text, units_text
from ..spec import (
    CONTEXTS,
    DIMENSIONS,
    FACETS,
    InstrumentSpec,
    ItemSpec,
    ReliabilityParams,
    contexts_shown,
    is_shown,
)
from .rules import (
    AGREE_MIN,
    ASI_NOTABLE,
    ATTENTION_MIN_FAILED,
    COMPANY_NOTE_MIN_UNDERDEVELOPED,
    CONTRADICTORY_SHARE,
    DEVELOPING,
    DISAGREE_MAX,
    ENDORSED,
    FOCUS_MIN_SCORED,
    FOUNDATION_ORDER,
    GAP,
    GASI_MIN_ASIS,
    GASI_NOTABLE,
    HIGH,
    HIGH_MISSING_SHARE,
    LONGSTRING_MIN_RUN,
    LOW,
    LOW_QUALITY_MIN_MISC,
    LOW_VARIABILITY_SD,
    MAINTAIN,
    MEMORY_NOTE_DAYS,
    MISCALIBRATED,
    MS_PER_ANSWER,
    NOT_SCORED,
    P0,
    PATTERNS,
    PLACES,
    QC_FAILS,
    RC_CRITICAL,
    SCORABLE_SHARE,
    SCORE_MAX,
    SUPPORT_GENTLE,
    SUPPORT_URGENT_MIN,
    TOO_FAST_MIN_PAGES,
    UNDERDEVELOPED,
    VERSION,
    WB_CODE,
    WELL,
    WELL_DEVELOPED,
)

_QC_FAILING = {  # the QC rules as sets of failing answers, for the hot path
    code: frozenset(a for a in range(LOW, HIGH + 1) if fails(a)) for code, fails in QC_FAILS.items()
}
ROLES = ("", "1", "2", ".C", ".W")  # scale roles per dimension: D, F1, F2, C, W


# ----------------------------------------------------------------------------- scales
@dataclass(frozen=True, slots=True, eq=False)
class Scale:
    """One scale: N blueprint items, n answered, keyed sum S. Shared instances (memoised).

    `num / den` is the exact score 100·(S − n) / (6n), unreduced; `score` is the same value as
    a Fraction. Score fields are None (and `endorsed`/`below` False) when n < needed.
    `key` is the exact score in units of 1/KEY_UNIT: an int for every scale of up to
    KEY_ITEMS answered items (an exact Fraction beyond), so scores of any two scales compare,
    subtract and sort as plain integers. `snapshot` is the scale's `as_dict()`, built once
    because instances are shared.
    """

    items: int
    needed: int
    n: int
    s: int
    score: Fraction | None
    text: str | None
    display: int | None
    band: str
    num: int
    den: int
    endorsed: bool  # scored and ≥ 50: the high side of G may be this scale
    below: bool  # scored and < 50: the low side of G may be this scale
    key: int | Fraction | None  # the exact score times KEY_UNIT; None when not scored
    snapshot: dict[str, Any] = field(repr=False)

    def as_dict(self) -> dict[str, Any]:
        return self.snapshot.copy()


# Scores are 100·(S − n)/(6n); KEY_UNIT is a multiple of every such denominator up to
# KEY_ITEMS answered items (the blueprint has at most 12 per scale), so keys are integers;
# 16 keeps every key below 2**30, a one-digit int for CPython.
KEY_ITEMS = 16
KEY_UNIT = (HIGH - LOW) * lcm(*range(1, KEY_ITEMS + 1))
GAP_KEY = GAP * KEY_UNIT


def needed_for(items: int) -> int:
    """Minimum answered items for a scale of `items` blueprint items (§3.2)."""
    return ceil(SCORABLE_SHARE * items)


def make_scale(items: int, n: int, s: int) -> Scale:
    needed = needed_for(items)
    if n < needed or n == 0:
        snapshot = _scale_snapshot(items, needed, n, s, None, None)
        return Scale(
            items, needed, n, s, None, None, None, NOT_SCORED, 0, 1, False, False, None, snapshot
        )  # fmt: skip
    num, den = SCORE_MAX * (s - LOW * n), (HIGH - LOW) * n
    endorsed = num >= ENDORSED * den
    band = (WELL if num >= WELL_DEVELOPED * den else DEVELOPING) if endorsed else UNDERDEVELOPED
    text, display = units_text(half_up(num, den, PLACES), PLACES), half_up(num, den)
    snapshot = _scale_snapshot(items, needed, n, s, text, display)
    key = _key(num, den)
    return Scale(
        items, needed, n, s, Fraction(num, den), text, display, band, num, den, endorsed,
        not endorsed, key, snapshot,
    )  # fmt: skip


def _key(num: int, den: int) -> int | Fraction:
    """num/den in units of 1/KEY_UNIT, exactly: an int whenever den divides KEY_UNIT."""
    whole, rest = divmod(num * KEY_UNIT, den)
    return whole if rest == 0 else Fraction(num * KEY_UNIT, den)


def _scale_snapshot(
    items: int, needed: int, n: int, s: int, text: str | None, display: int | None
) -> dict[str, Any]:
    return {"n": n, "s": s, "items": items, "needed": needed, "score": text, "display": display}


# A cell's answers are summarised as one int packing, from bit 0 up: keyed sum S, answered n,
# blueprint items N, evaluable (§4 CONTRADICTORY), contradictory. Sums of packed ints are packed
# sums, so one `+` combines cells into any scale. Field widths bound a scale to < 2**20 items.
N_SHIFT, ITEMS_SHIFT, EVALUABLE_SHIFT, CONTRADICTORY_SHIFT = 20, 40, 60, 80
MASK = (1 << 20) - 1
SCALE_BITS = (1 << EVALUABLE_SHIFT) - 1
REVERSE_MARK = 8  # in a cell key, a reverse item's raw answer x is stored as 8 + x (8 = skipped)


class _ScaleMemo(dict[int, Scale]):
    def __missing__(self, key: int) -> Scale:
        core = key & SCALE_BITS  # the quality bits do not change a scale
        scale = self.get(core) or make_scale(
            core >> ITEMS_SHIFT, (core >> N_SHIFT) & MASK, core & MASK
        )
        self[key] = self[core] = scale
        return scale


_SCALES = _ScaleMemo()


@dataclass(frozen=True, slots=True, eq=False)
class Asi:
    """ASI = W − C (§3.4) for two scored context scales; memoised like Scale."""

    value: Fraction
    num: int
    den: int
    text: str
    display: int
    notable: bool
    key: int | Fraction  # W.key − C.key: the ASI in units of 1/KEY_UNIT


class _AsiMemo(dict[tuple[Scale, Scale], Asi]):
    def __missing__(self, key: tuple[Scale, Scale]) -> Asi:
        work, close = key
        num, den = work.num * close.den - close.num * work.den, work.den * close.den
        text = units_text(half_away(num, den, PLACES), PLACES)
        notable = abs(num) >= ASI_NOTABLE * den
        value, display = Fraction(num, den), half_away(num, den)
        asi = self[key] = Asi(value, num, den, text, display, notable, work.key - close.key)
        return asi


_ASIS = _AsiMemo()


def pack_cell(key: bytes) -> int:
    """Packed summary of one cell from its key: forward raw answers (0 = skipped), then
    reverse ones as REVERSE_MARK + raw. Contradictory (§4): both the forward mean and the
    reverse raw mean agree (≥ 5) or both disagree (≤ 3); evaluable needs one of each answered."""
    forward = [x for x in key if 0 < x < REVERSE_MARK]
    reverse = [x - REVERSE_MARK for x in key if x > REVERSE_MARK]
    keyed = forward + [LOW + HIGH - x for x in reverse]
    packed = (len(key) << ITEMS_SHIFT) + (len(keyed) << N_SHIFT) + sum(keyed)
    if not (forward and reverse):
        return packed
    n_f, s_f, n_r, s_r = len(forward), sum(forward), len(reverse), sum(reverse)
    agree = s_f >= AGREE_MIN * n_f and s_r >= AGREE_MIN * n_r
    disagree = s_f <= DISAGREE_MAX * n_f and s_r <= DISAGREE_MAX * n_r
    return packed + (1 << EVALUABLE_SHIFT) + ((agree or disagree) << CONTRADICTORY_SHIFT)


class _CellMemo(dict[bytes, int]):
    def __missing__(self, key: bytes) -> int:
        packed = self[key] = pack_cell(key)
        return packed


_CELLS = _CellMemo()

# Cells of up to 8 items are read from the picked bytes as fixed-width native ints (padded
# with PAD, which no answer byte can be), all at once, instead of one bytes slice per cell.
PAD = 0xFF
_CELL_FORMATS = {calcsize(f): f for f in ("I", "Q")}  # width in bytes → native format


class _WideCellMemo(dict[int, int]):
    """Packed cell summaries keyed by the cell's padded bytes read as one native int."""

    def __init__(self, width: int) -> None:
        super().__init__()
        self.width = width

    def __missing__(self, key: int) -> int:
        packed = _CELLS[key.to_bytes(self.width, sys.byteorder).replace(bytes([PAD]), b"")]
        self[key] = packed
        return packed


_WIDE_CELLS = {width: _WideCellMemo(width) for width in _CELL_FORMATS}


# ----------------------------------------------------------------------------- plan
@dataclass(frozen=True)
class _Plan:
    """A spec compiled for one mode: item order, cell layout and page layout."""

    split: bool  # both contexts active, so C/W scales, ASI, CTX and GASI exist
    codes: tuple[str, ...]  # active scored items in presentation order, then QC/WB items
    scored: int  # how many of `codes` are scored items
    fetch: Callable[[Any], tuple]  # answers[code] for every code (KeyError if one is absent)
    pick: Callable[[bytes], tuple]  # (raw + marked raw + PAD) → cell-key bytes in cell order
    cell_slices: tuple[slice, ...]  # one slice of the picked bytes per cell
    cell_format: str | None  # native int format one padded cell is read as; None: slices
    cell_memo: Mapping[Any, int]  # cell key (int or bytes) → packed summary
    qc_rules: tuple[tuple[int, str, frozenset[int]], ...]  # (check offset, code, failing answers)
    wb_offset: int | None  # offset of WB1 among the check answers
    # (page, capacity, start, end, check offsets): the page's slice of the scored items and the
    # offsets of its check items among the check answers
    pages: tuple[tuple[int, int, int, int, tuple[int, ...]], ...]
    fullest_page: int  # largest capacity: a page time at 2 s × this can never be too fast
    all_pages: frozenset[int]


def active_items(spec: InstrumentSpec, mode: str) -> tuple[ItemSpec, ...]:
    """Items shown in `mode`, in presentation order (QC and WB items are always shown)."""
    contexts_shown(mode)  # ValueError for an unknown mode, even with no scored items
    items = sorted(spec.items, key=lambda i: i.position)
    return tuple(i for i in items if is_shown(i, mode))


def _validate_items(items: tuple[ItemSpec, ...]) -> None:
    positions = [i.position for i in items]
    if len(set(positions)) != len(positions) or len({i.code for i in items}) != len(items):
        raise ValueError("item codes and positions must be unique")
    if [i.page for i in items] != sorted(i.page for i in items):
        raise ValueError("pages must follow presentation positions")
    for item in items:
        if item.kind not in ("scored", "qc", "wb"):
            raise ValueError(f"{item.code}: unknown item kind {item.kind!r}")
        if item.kind == "qc" and item.code not in QC_FAILS:
            raise ValueError(f"score-1 has no rule for check item {item.code}")
        cell = (item.dimension, item.facet, item.context)
        if item.kind == "scored" and (
            cell[0] not in DIMENSIONS or cell[1] not in FACETS or cell[2] not in CONTEXTS
        ):
            raise ValueError(f"{item.code}: not a cell of the blueprint")


def _build_plan(spec: InstrumentSpec, mode: str) -> _Plan:
    _validate_items(tuple(sorted(spec.items, key=lambda i: i.position)))
    items = active_items(spec, mode)
    scored = [i for i in items if i.kind == "scored"]
    checks = [i for i in items if i.kind != "scored"]
    index = {item.code: k for k, item in enumerate(scored)}
    picks: list[int] = []
    slices: list[slice] = []
    cell_members = []
    for dimension in DIMENSIONS:
        for facet in FACETS:
            for context in contexts_shown(mode):
                cell = [
                    i
                    for i in scored
                    if (i.dimension, i.facet, i.context) == (dimension, facet, context)
                ]
                members = [index[i.code] for i in cell if not i.reverse]
                members += [index[i.code] + len(scored) for i in cell if i.reverse]
                cell_members.append(members)
    largest = max(map(len, cell_members))
    width = next((w for w in sorted(_CELL_FORMATS) if largest <= w), None)
    for members in cell_members:
        start = len(picks)
        picks += members
        if width:  # the byte after raw + marked raw is PAD
            picks += [2 * len(scored)] * (width - len(members))
        slices.append(slice(start, len(picks)))
    codes = [i.code for i in scored + checks]
    pages = _page_slices(items)
    return _Plan(
        split=len(contexts_shown(mode)) == 2,
        codes=tuple(codes),
        scored=len(scored),
        fetch=_getter(codes),
        pick=_getter(picks),
        cell_slices=tuple(slices),
        cell_format=_CELL_FORMATS.get(width),
        cell_memo=_WIDE_CELLS[width] if width else _CELLS,
        qc_rules=tuple(
            sorted(
                ((k, i.code, _QC_FAILING[i.code]) for k, i in enumerate(checks) if i.kind == "qc"),
                key=itemgetter(1),
            )
        ),
        wb_offset=next((k for k, i in enumerate(checks) if i.code == WB_CODE), None),
        pages=tuple(
            (page, capacity, start, end, tuple(k for k, i in enumerate(checks) if i.page == page))
            for page, capacity, start, end in pages
        ),
        fullest_page=max((capacity for _, capacity, _, _ in pages), default=0),
        all_pages=frozenset(i.page for i in items),
    )


def _getter(keys: list) -> Callable[[Any], tuple]:
    """itemgetter that always returns a tuple (itemgetter(k) alone returns a bare item)."""
    if len(keys) >= 2:
        return itemgetter(*keys)
    return lambda seq: tuple(seq[k] for k in keys)


def _page_slices(items: tuple[ItemSpec, ...]) -> tuple[tuple[int, int, int, int], ...]:
    """Per page: how many active items it holds, and its slice [start, end) of the scored items
    (pages are contiguous in presentation order, checked by _validate_items)."""
    pages: dict[int, list[int]] = {}
    k = 0
    for item in items:
        entry = pages.setdefault(item.page, [0, k, k])
        entry[0] += 1
        if item.kind == "scored":
            k += 1
            entry[2] = k
    return tuple((page, capacity, start, end) for page, (capacity, start, end) in pages.items())


# Keyed by id(spec) with the spec kept alive in the value, so an id is never reused while cached.
_PLANS: dict[tuple[int, str], tuple[InstrumentSpec, _Plan]] = {}
_PLAN_CACHE_SIZE = 64


def _plan(spec: InstrumentSpec, mode: str) -> _Plan:
    cached = _PLANS.get((id(spec), mode))
    if cached is not None and cached[0] is spec:
        return cached[1]
    plan = _build_plan(spec, mode)
    if len(_PLANS) >= _PLAN_CACHE_SIZE:
        _PLANS.clear()
    _PLANS[(id(spec), mode)] = (spec, plan)
    return plan


# ----------------------------------------------------------------------------- results
class DimensionResult(NamedTuple):
    code: str
    scale: Scale
    facets: tuple[Scale, Scale]
    contexts: tuple[Scale, Scale] | None  # None in single-context modes
    asi: Asi | None
    status: str  # band, or "miscalibrated" when a pattern marks the dimension
    patterns: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        facets = {str(f): scale.as_dict() for f, scale in zip(FACETS, self.facets, strict=True)}
        contexts = None
        if self.contexts is not None:
            contexts = {
                c: scale.as_dict() for c, scale in zip(CONTEXTS, self.contexts, strict=True)
            }
        asi = self.asi
        return self.scale.as_dict() | {
            "band": self.scale.band,
            "status": self.status,
            "facets": facets,
            "contexts": contexts,
            "asi": asi.text if asi else None,
            "asi_display": asi.display if asi else None,
            "asi_notable": asi.notable if asi else False,
            "patterns": list(self.patterns),
        }


class Candidate(NamedTuple):
    """A fired pattern or a focus choice; v (§3.6/§3.7) is the score of `scale`."""

    kind: str  # "pattern" | "underdeveloped" | "next_step" | "maintain"
    code: str  # pattern code; the dimension code for the other kinds; "MAINTAIN"
    dimension: str | None  # dimension the pattern marks / the dimension concerned
    target: str  # "MEN1", "BON.C", "MAINTAIN"
    target_dimension: str | None
    scale: Scale | None  # the low-side scale whose score is v; None for maintain

    @property
    def value(self) -> Fraction | None:
        return None if self.scale is None else self.scale.score

    @property
    def text(self) -> str | None:
        return None if self.scale is None else self.scale.text

    def as_dict(self) -> dict[str, Any]:
        scale = self.scale
        return {
            "kind": self.kind,
            "code": self.code,
            "dimension": self.dimension,
            "target": self.target,
            "target_dimension": self.target_dimension,
            "v": None if scale is None else scale.text,
        }


class Focus(NamedTuple):
    primary: Candidate | None
    secondary: Candidate | None
    reason: str | None  # "too_few_scored" when no focus is given

    def as_dict(self) -> dict[str, Any]:
        primary, secondary = self.primary, self.secondary
        return {
            "primary": primary.as_dict() if primary else None,
            "secondary": secondary.as_dict() if secondary else None,
            "reason": self.reason,
        }


class Quality(NamedTuple):
    level: str  # "ok" | "caution" | "low"
    flags: tuple[str, ...]  # in §4 table order
    failed_qc: tuple[str, ...]
    too_fast_total: bool | None  # None: timing missing for a page, not evaluated
    fast_pages: tuple[int, ...]
    answered: int  # scored + QC + WB answers
    total_ms: int | None
    longest_run: int
    # exact population variance of the answered scored raw answers as (numerator, denominator);
    # None when none was answered. Shown as "sd" in as_dict().
    variance: tuple[int, int] | None
    contradictory_cells: int
    evaluable_cells: int
    missing: int
    active_scored: int

    @property
    def sd(self) -> str | None:
        """The population SD as a 2-dp string (half up), computed exactly."""
        return None if self.variance is None else sqrt_text(*self.variance)

    def as_dict(self) -> dict[str, Any]:
        """Fields in order, with `variance` shown as "sd" (a decimal string)."""
        return {
            "level": self.level,
            "flags": list(self.flags),
            "failed_qc": list(self.failed_qc),
            "too_fast_total": self.too_fast_total,
            "fast_pages": list(self.fast_pages),
            "answered": self.answered,
            "total_ms": self.total_ms,
            "longest_run": self.longest_run,
            "sd": self.sd,
            "contradictory_cells": self.contradictory_cells,
            "evaluable_cells": self.evaluable_cells,
            "missing": self.missing,
            "active_scored": self.active_scored,
        }


class Result(NamedTuple):
    """The score-1 result of one answer sheet; `as_dict()` is its snapshot form.

    `scales` holds D, F1, F2, C, W of every dimension (role-major, None for C/W in single
    modes); `dimensions` is the per-dimension view of them, built when read."""

    rules: str
    instrument: str
    mode: str
    scales: tuple[Scale | None, ...]  # D, F1, F2, C, W of every dimension, role-major
    asis: tuple[Asi | None, ...]  # DIMENSIONS order
    gasi_exact: tuple[int, int] | None  # GASI as an unreduced (numerator, denominator > 0)
    patterns: tuple[Candidate, ...]  # PATTERNS table order
    focus: Focus
    quality: Quality
    support: str  # "none" | "gentle" | "urgent"

    @property
    def dimensions(self) -> tuple[DimensionResult, ...]:
        """Per-dimension view of `scales` in DIMENSIONS order."""
        return _dimension_results(self.scales, self.asis, self.patterns)

    @property
    def gasi(self) -> Fraction | None:
        return None if self.gasi_exact is None else Fraction(*self.gasi_exact)

    @property
    def underdeveloped_count(self) -> int:
        return sum(d.band == UNDERDEVELOPED for d in self.scales[:_ROLE_F1])

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready snapshot; key order is fixed. See the module docstring for the shape.

        Built straight from `scales` (the same fields as `DimensionResult.as_dict()`), because
        every submitted profile is stored this way."""
        scales, asis, gasi = self.scales, self.asis, self.gasi_exact
        marks: dict[str, list[str]] = {}
        for hit in self.patterns:
            marks.setdefault(hit.dimension, []).append(hit.code)
        split = scales[_ROLE_C] is not None
        dimensions, underdeveloped = {}, 0
        for k, code in enumerate(DIMENSIONS):
            scale, asi, marked = scales[k], asis[k], marks.get(code)
            band = scale.band
            underdeveloped += band == UNDERDEVELOPED
            entry = scale.snapshot.copy()
            entry["band"] = band
            entry["status"] = MISCALIBRATED if marked else band
            entry["facets"] = {
                "1": scales[k + _ROLE_F1].snapshot.copy(),
                "2": scales[k + _ROLE_F2].snapshot.copy(),
            }
            entry["contexts"] = (
                {"C": scales[k + _ROLE_C].snapshot.copy(), "W": scales[k + _ROLE_W].snapshot.copy()}
                if split
                else None
            )
            if asi is None:
                entry["asi"] = entry["asi_display"] = None
                entry["asi_notable"] = False
            else:
                entry["asi"], entry["asi_display"], entry["asi_notable"] = (
                    asi.text, asi.display, asi.notable,
                )  # fmt: skip
            entry["patterns"] = marked or []
            dimensions[code] = entry
        notable = gasi is not None and abs(gasi[0]) >= GASI_NOTABLE * gasi[1]
        return {
            "rules": self.rules,
            "instrument": self.instrument,
            "mode": self.mode,
            "dimensions": dimensions,
            "gasi": None if gasi is None else units_text(half_away(*gasi, PLACES), PLACES),
            "gasi_display": None if gasi is None else half_away(*gasi),
            "gasi_notable": notable,
            "gasi_direction": ("work" if gasi[0] > 0 else "close") if notable else None,
            "patterns": [_pattern_dict(p) for p in self.patterns],
            "focus": self.focus.as_dict(),
            "quality": self.quality.as_dict(),
            "support": self.support,
            "underdeveloped_count": underdeveloped,
            "company_note": underdeveloped >= COMPANY_NOTE_MIN_UNDERDEVELOPED,
        }


def _pattern_dict(hit: Candidate) -> dict[str, Any]:
    return {"code": hit.code, "dimension": hit.dimension, "v": hit.text, "target": hit.target}


# ----------------------------------------------------------------------------- scoring
# Scales of one profile live in a flat list in role-major order: index = role · 6 + dimension.
_ROLE_D, _ROLE_F1, _ROLE_F2, _ROLE_C, _ROLE_W = (r * len(DIMENSIONS) for r in range(len(ROLES)))
# e.g. scales[_ROLE_F2 + 2] is REG2 and scales[_ROLE_C:_ROLE_W] the six close-context scales.
_SCALE_NAMES = tuple(f"{d}{role}" for role in ROLES for d in DIMENSIONS)
_SCALE_INDEX = {name: k for k, name in enumerate(_SCALE_NAMES)}
_RANKS = {d: k for k, d in enumerate(FOUNDATION_ORDER)}  # foundation rank by dimension code
_DIM_RANKS = tuple(_RANKS[d] for d in DIMENSIONS)  # foundation rank by DIMENSIONS index
_N = len(DIMENSIONS)
# (code, marked, high index, low index, indices of the dimensions that must be scored)
_PATTERN_RULES = tuple(
    (code, marked, _SCALE_INDEX[high], _SCALE_INDEX[low],
     {DIMENSIONS.index(marked), _SCALE_INDEX[high] % _N, _SCALE_INDEX[low] % _N})
    for code, marked, high, low in PATTERNS
)  # fmt: skip
# single-context modes have no C/W scales, so the CTX patterns cannot fire there
_SINGLE_MODE_RULES = tuple(rule for rule in _PATTERN_RULES if rule[2] < _ROLE_C)
_ANSWER_TYPES = frozenset({int, type(None)})
_INT_TYPE = frozenset({int})
_BYTE = {None: 0} | {x: x for x in range(LOW, HIGH + 1)}
_INVALID = 255  # byte for an out-of-range answer (LOW..HIGH must lie within 1..254)
_ANSWER_BYTES = bytes(range(LOW, HIGH + 1))
_SKIP_OR_ANSWER_BYTES = bytes([0]) + _ANSWER_BYTES
_PAD_BYTE = bytes([PAD])
_MARK_REVERSE = bytes(REVERSE_MARK + x if x <= HIGH else 0 for x in range(256))
_SQUARES = bytes(x * x if x <= HIGH else 0 for x in range(256))
_SKIP_TO_FE = bytes(0xFE if x == 0 else x for x in range(256))
_SKIP_TO_FF = bytes(0xFF if x == 0 else x for x in range(256))
_ZERO_TO_ONE = bytes([1] + [0] * 255)
# Fractions turned into integer pairs once, because Fraction arithmetic is slow in a hot path.
_SD_FLOOR = LOW_VARIABILITY_SD * LOW_VARIABILITY_SD
_SD_FLOOR_NUM, _SD_FLOOR_DEN = _SD_FLOOR.numerator, _SD_FLOOR.denominator
_CONTRA_NUM, _CONTRA_DEN = CONTRADICTORY_SHARE.numerator, CONTRADICTORY_SHARE.denominator
_MISSING_NUM, _MISSING_DEN = HIGH_MISSING_SHARE.numerator, HIGH_MISSING_SHARE.denominator


def score(
    spec: InstrumentSpec,
    answers: Mapping[str, int | None],
    *,
    mode: str,
    page_ms: Mapping[int, int] | None = None,
) -> Result:
    """Score one answer sheet (raw 1..7 or None by item code) under rules score-1.

    Raises ValueError for an unknown mode, a malformed spec, or an answer to an active item
    that is not an int in 1..7 (bools are rejected). Answers to inactive items are ignored.
    `page_ms` is milliseconds per page; a page without a time never raises TOO_FAST.
    """
    plan = _plan(spec, mode)
    raw = _read(plan, answers)
    seq, checks = raw[: plan.scored], raw[plan.scored :]
    keys = bytes(plan.pick(seq + seq.translate(_MARK_REVERSE) + _PAD_BYTE))
    if plan.cell_format:
        cells = list(map(plan.cell_memo.__getitem__, memoryview(keys).cast(plan.cell_format)))
    else:
        cells = list(map(_CELLS.__getitem__, map(keys.__getitem__, plan.cell_slices)))
    scales = _scales(plan, cells)
    asis = _asis(plan, scales)
    patterns = _patterns(scales, plan.split)
    return Result(
        VERSION,
        spec.version,
        mode,
        scales,
        asis,
        _gasi(asis),
        patterns,
        _focus(scales, patterns),
        _quality(plan, seq, checks, sum(cells), page_ms),
        _support(plan, checks),
    )


def _read(plan: _Plan, answers: Mapping[str, int | None]) -> bytes:
    """Active answers as bytes, scored items in presentation order then the check items
    (0 = skipped). Raises ValueError for anything but None or an int in 1..7."""
    try:
        values = plan.fetch(answers)
    except KeyError:
        values = tuple(map(answers.get, plan.codes))
    if not _ANSWER_TYPES.issuperset(map(type, values)):  # rejects bools, floats, strings
        raise ValueError(f"answers must be integers {LOW}..{HIGH} or None: {values}")
    try:  # the common case: no skips and every int within 0..255
        raw, allowed = bytes(values), _ANSWER_BYTES
    except (TypeError, ValueError):  # None (skipped), or an int outside 0..255
        raw, allowed = bytes(map(_BYTE.get, values, repeat(_INVALID))), _SKIP_OR_ANSWER_BYTES
    if raw.translate(None, allowed):  # something is left that is not a valid answer
        raise ValueError(f"answers must be integers {LOW}..{HIGH} or None: {values}")
    return raw


def _scales(plan: _Plan, cells: list[int]) -> tuple[Scale | None, ...]:
    """D, F1, F2, C, W for every dimension (role-major); C and W are None in single modes."""
    get = _SCALES.__getitem__
    if not plan.split:
        f1, f2 = cells[0::2], cells[1::2]
        return (*map(get, map(add, f1, f2)), *map(get, f1), *map(get, f2), *_NO_CONTEXTS)
    f1c, f1w, f2c, f2w = cells[0::4], cells[1::4], cells[2::4], cells[3::4]
    f1, f2 = list(map(add, f1c, f1w)), list(map(add, f2c, f2w))
    keys = chain(map(add, f1, f2), f1, f2, map(add, f1c, f2c), map(add, f1w, f2w))
    return tuple(map(get, keys))


_NO_CONTEXTS = (None,) * 2 * _N  # the C and W scales of single-context modes


def _asis(plan: _Plan, scales: tuple[Scale | None, ...]) -> tuple[Asi | None, ...]:
    if not plan.split:
        return _NO_CONTEXTS[:_N]
    pairs = zip(scales[_ROLE_W:], scales[_ROLE_C:_ROLE_W], strict=True)
    return tuple(
        [_ASIS[(w, c)] if w.score is not None and c.score is not None else None for w, c in pairs]
    )


def _gasi(asis: tuple[Asi | None, ...]) -> tuple[int, int] | None:
    """Mean of the defined ASIs as (numerator, denominator), summed in KEY_UNIT units."""
    defined = [a.key for a in asis if a is not None]
    if len(defined) < GASI_MIN_ASIS:
        return None
    total = sum(defined)
    if type(total) is int:
        return total, KEY_UNIT * len(defined)
    return total.numerator, total.denominator * KEY_UNIT * len(defined)


def gap(high: Scale | None, low: Scale | None) -> bool:
    """G(p, q) of §3.5: p ≥ 50, q < 50 and p − q ≥ 25, exactly; False if either is missing."""
    if high is None or low is None or not high.endorsed or not low.below:
        return False
    return high.num * low.den - low.num * high.den >= GAP * high.den * low.den


def _patterns(scales: tuple[Scale | None, ...], split: bool) -> tuple[Candidate, ...]:
    """Fired §3.6 patterns in table order; every dimension involved must be scored."""
    hits = []
    every_scored = None  # whether all six dimensions are scored, worked out at the first gap
    for code, marked, high, low, dims in _PATTERN_RULES if split else _SINGLE_MODE_RULES:
        p = scales[high]
        if not p.endorsed:  # G's conditions in order of cheapness, as in gap()
            continue
        q = scales[low]
        if not q.below or p.key - q.key < GAP_KEY:
            continue
        if every_scored is None:
            every_scored = all(d.score is not None for d in scales[:_ROLE_F1])
        if every_scored or all(scales[d].score is not None for d in dims):
            target = _target(scales, low)
            hits.append(Candidate("pattern", code, marked, target, target[:3], q))
    return tuple(hits)


def _target(scales: tuple[Scale | None, ...], index: int) -> str:
    """The scale's key, or for a whole dimension its lower scorable facet's key (ties → F1)."""
    if index < _ROLE_F1:
        f1, f2 = scales[index + _ROLE_F1], scales[index + _ROLE_F2]
        lower_f2 = f2.key is not None and (f1.key is None or f2.key < f1.key)
        index += _ROLE_F2 if lower_f2 else _ROLE_F1
    return _SCALE_NAMES[index]


def _dimension_results(
    scales: Sequence[Scale | None], asis: Sequence[Asi | None], patterns: tuple[Candidate, ...]
) -> tuple[DimensionResult, ...]:
    marks: dict[str, tuple[str, ...]] = {}
    for hit in patterns:
        marks[hit.dimension] = (*marks.get(hit.dimension, ()), hit.code)
    dims = scales[:_ROLE_F1]
    marked = [marks.get(code, ()) for code in DIMENSIONS]
    statuses = [MISCALIBRATED if m else d.band for d, m in zip(dims, marked, strict=True)]
    facets = zip(scales[_ROLE_F1:_ROLE_F2], scales[_ROLE_F2:_ROLE_C], strict=True)
    contexts = (
        zip(scales[_ROLE_C:_ROLE_W], scales[_ROLE_W:], strict=True)
        if scales[_ROLE_C] is not None
        else [None] * len(DIMENSIONS)
    )
    return tuple(map(DimensionResult, DIMENSIONS, dims, facets, contexts, asis, statuses, marked))


def _focus(scales: tuple[Scale | None, ...], patterns: tuple[Candidate, ...]) -> Focus:
    """§3.7: sort the candidates, or fall back to next step / maintain.

    Entries sort by (v, kind, foundation rank of the target's dimension, code, target); a
    plain entry's key is unique before its target, which is worked out only if it is chosen.
    Index 5 is the target's dimension (for the secondary rule), index 6 what to return."""
    scored, entries = 0, []
    for k, d in enumerate(scales[:_ROLE_F1]):
        if d.key is not None:
            scored += 1
            if d.below:
                code = DIMENSIONS[k]
                entries.append((d.key, 1, _DIM_RANKS[k], code, "", code, k))
    if scored < FOCUS_MIN_SCORED:
        return _NO_FOCUS
    for c in patterns:
        dimension = c.target_dimension
        entries.append((c.scale.key, 0, _RANKS[dimension], c.code, c.target, dimension, c))
    if entries:
        entries.sort()
        first, second = entries[0], None
        for entry in entries:
            if entry[5] != first[5]:
                second = _entry_candidate(scales, entry)
                break
        return Focus(_entry_candidate(scales, first), second, None)
    below = [
        (d.key, _DIM_RANKS[k], k)
        for k, d in enumerate(scales[:_ROLE_F1])
        if d.key is not None and d.band != WELL
    ]
    if below:
        return Focus(_dimension_candidate("next_step", scales, min(below)[2]), None, None)
    return _MAINTAIN_FOCUS


_NO_FOCUS = Focus(None, None, "too_few_scored")
_MAINTAIN_FOCUS = Focus(Candidate("maintain", MAINTAIN, None, MAINTAIN, None, None), None, None)


def _entry_candidate(scales: tuple[Scale | None, ...], entry: tuple) -> Candidate:
    return entry[6] if entry[1] == 0 else _dimension_candidate(UNDERDEVELOPED, scales, entry[6])


def _dimension_candidate(kind: str, scales: tuple[Scale | None, ...], k: int) -> Candidate:
    code = DIMENSIONS[k]
    return Candidate(kind, code, code, _target(scales, k), code, scales[k])


def _support(plan: _Plan, checks: bytes) -> str:
    answer = 0 if plan.wb_offset is None else checks[plan.wb_offset]  # 0 = skipped
    if answer >= SUPPORT_URGENT_MIN:
        return "urgent"
    return "gentle" if answer == SUPPORT_GENTLE else "none"


def quality_level(misc_flags: int, failed_qc: int, too_fast: bool) -> str:
    """§4: m = raised flags among LONGSTRING, LOW_VARIABILITY, CONTRADICTORY, HIGH_MISSING;
    q = failed QC items. low iff q ≥ 2 or TOO_FAST or m ≥ 2 or (m = 1 and q = 1)."""
    m, q = misc_flags, failed_qc
    if q >= ATTENTION_MIN_FAILED or too_fast or m >= LOW_QUALITY_MIN_MISC or (m == 1 and q == 1):
        return "low"
    return "caution" if m == 1 or q == 1 else "ok"


def longest_run(seq: bytes) -> int:
    """Longest run of one non-zero byte in `seq` (0 = skipped, which ends a run).

    `same[i]` is 1 where answer i + 1 repeats answer i (skips are made unequal to everything by
    mapping them to 0xFE / 0xFF, and equality is found by XOR-ing the two as big integers); the
    loop then visits only record-breaking runs of 1s, with C-level find and lstrip."""
    if len(seq) < 2:
        return 1 if seq.strip(b"\0") else 0
    before = int.from_bytes(seq[:-1].translate(_SKIP_TO_FE), "big")
    after = int.from_bytes(seq[1:].translate(_SKIP_TO_FF), "big")
    same = (before ^ after).to_bytes(len(seq) - 1, "big").translate(_ZERO_TO_ONE)
    best, start = 0, same.find(1)
    while start >= 0:
        tail = same[start:]
        length = len(tail) - len(tail.lstrip(b"\x01"))
        best = max(best, length)
        start = same.find(b"\x01" * (best + 1), start + length)
    return best + 1 if best or seq.strip(b"\0") else 0


def _quality(
    plan: _Plan, seq: bytes, checks: bytes, cell_total: int, page_ms: Mapping[int, int] | None
) -> Quality:
    missing, active = seq.count(0), len(seq)
    failed: tuple[str, ...] = ()
    for k, code, failing in plan.qc_rules:
        if checks[k] in failing:
            failed += (code,)
    answered = active - missing + len(checks) - checks.count(0)
    too_fast_total, fast_pages, total_ms = _timing(plan, seq, checks, page_ms, answered)
    too_fast = bool(too_fast_total) or len(fast_pages) >= TOO_FAST_MIN_PAGES
    evaluable = (cell_total >> EVALUABLE_SHIFT) & MASK
    contradictory = cell_total >> CONTRADICTORY_SHIFT
    variance, low_variability = _spread(seq, active - missing)
    run = longest_run(seq)
    flags = []  # in §4 table order
    if len(failed) >= ATTENTION_MIN_FAILED:
        flags.append("ATTENTION")
    if too_fast:
        flags.append("TOO_FAST")
    attention_and_speed = len(flags)
    if run >= LONGSTRING_MIN_RUN:
        flags.append("LONGSTRING")
    if low_variability:
        flags.append("LOW_VARIABILITY")
    if evaluable and contradictory * _CONTRA_DEN >= _CONTRA_NUM * evaluable:
        flags.append("CONTRADICTORY")
    if missing * _MISSING_DEN > _MISSING_NUM * active:
        flags.append("HIGH_MISSING")
    misc = len(flags) - attention_and_speed  # raised among QUALITY_MISC_FLAGS
    return Quality(
        quality_level(misc, len(failed), too_fast), tuple(flags), failed, too_fast_total,
        fast_pages, answered, total_ms, run, variance, contradictory, evaluable, missing, active,
    )  # fmt: skip


def _spread(seq: bytes, n: int) -> tuple[tuple[int, int] | None, bool]:
    """Exact population variance of the n answered raw values as (numerator, denominator),
    and whether the SD is below the LOW_VARIABILITY floor (compared as variances)."""
    if n == 0:
        return None, False
    total = sum(seq)
    spread = n * sum(seq.translate(_SQUARES)) - total * total  # variance = spread / n²
    return (spread, n * n), spread * _SD_FLOOR_DEN < _SD_FLOOR_NUM * n * n


def _timing(
    plan: _Plan,
    seq: bytes,
    checks: bytes,
    page_ms: Mapping[int, int] | None,
    answered: int,
) -> tuple[bool | None, tuple[int, ...], int | None]:
    """TOO_FAST inputs: the total rule (None if any active page lacks a time), fast pages."""
    if page_ms is None:
        return None, (), None
    times = page_ms.values()
    shortest = min(times, default=0)
    if not _INT_TYPE.issuperset(map(type, times)) or shortest < 0:
        raise ValueError("page times must be non-negative integers (milliseconds)")
    fast = ()
    if shortest < MS_PER_ANSWER * plan.fullest_page:  # else no page can be fast
        fast = _fast_pages(plan, seq, checks, page_ms)
    if not plan.all_pages <= page_ms.keys():
        return None, fast, None
    total_ms = sum(times)
    return total_ms < MS_PER_ANSWER * answered, fast, total_ms


def _fast_pages(
    plan: _Plan, seq: bytes, checks: bytes, page_ms: Mapping[int, int]
) -> tuple[int, ...]:
    fast = []
    for page, capacity, start, end, offsets in plan.pages:
        ms = page_ms.get(page)
        if ms is None or ms >= MS_PER_ANSWER * capacity:  # cannot be fast, whatever was answered
            continue
        count = end - start - seq.count(0, start, end)
        count += sum(checks[k] != 0 for k in offsets)
        if ms < MS_PER_ANSWER * count:
            fast.append(page)
    return tuple(fast)


# ----------------------------------------------------------------------------- change (§6)


class Delta(NamedTuple):
    """A descriptive difference later − earlier (facet, context or ASI)."""

    value: Fraction

    def as_dict(self) -> dict[str, Any]:
        return {"delta": fraction_text(self.value, PLACES), "display": fraction_display(self.value)}


class DimensionChange(NamedTuple):
    code: str
    label: (
        str  # reliable_increase | reliable_decrease | about_the_same | not_comparable | not_scored
    )
    reasons: tuple[str, ...]  # for not_comparable: low_quality, mode_differs, item_changed
    delta: Fraction | None
    rc: float | None  # display only; the label is decided exactly
    facets: dict[str, Delta | None]
    contexts: dict[str, Delta | None]
    asi: Delta | None

    def as_dict(self) -> dict[str, Any]:
        delta = self.delta
        return {
            "label": self.label,
            "reason": self.reasons[0] if self.reasons else None,
            "reasons": list(self.reasons),
            "delta": None if delta is None else fraction_text(delta, PLACES),
            "delta_display": None if delta is None else fraction_display(delta),
            "rc": None if self.rc is None else _float_text(self.rc),
            "facets": {k: v.as_dict() if v else None for k, v in self.facets.items()},
            "contexts": {k: v.as_dict() if v else None for k, v in self.contexts.items()},
            "asi": self.asi.as_dict() if self.asi else None,
        }


@dataclass(frozen=True)
class Comparison:
    rules: str
    params_id: str
    days_apart: int | None
    memory_note: bool
    dimensions: tuple[DimensionChange, ...]
    patterns_new: tuple[tuple[str, str], ...]  # (code, dimension)
    patterns_resolved: tuple[tuple[str, str], ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "rules": self.rules,
            "params_id": self.params_id,
            "days_apart": self.days_apart,
            "memory_note": self.memory_note,
            "dimensions": {d.code: d.as_dict() for d in self.dimensions},
            "patterns_new": [{"code": c, "dimension": d} for c, d in self.patterns_new],
            "patterns_resolved": [{"code": c, "dimension": d} for c, d in self.patterns_resolved],
        }


def _float_text(value: float) -> str:
    """A float rounded half away from zero to 2 places (its exact binary value is rounded)."""
    return str(Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def stored_score(scale: Mapping[str, Any]) -> Fraction | None:
    """The exact score of a stored scale dict, recomputed from its n and S."""
    if scale is None or scale.get("score") is None:
        return None
    n = scale["n"]
    return Fraction(SCORE_MAX * (scale["s"] - LOW * n), (HIGH - LOW) * n)


def reliable_label(delta: Fraction, sd: Fraction, r: Fraction) -> str:
    """|RC| ≥ 1.96 decided exactly: Δ² ≥ 1.96² · 2 · SD² · (1 − r), sign from Δ."""
    if delta != 0 and delta * delta >= RC_CRITICAL**2 * 2 * sd * sd * (1 - r):
        return "reliable_increase" if delta > 0 else "reliable_decrease"
    return "about_the_same"


def compare(
    earlier: Mapping[str, Any],
    later: Mapping[str, Any],
    *,
    params: ReliabilityParams = P0,
    substantive_dimensions: Collection[str] = (),
    days_apart: int | None = None,
) -> Comparison:
    """Compare two stored `Result.as_dict()` snapshots of one account (§6)."""
    reasons = []
    if "low" in (earlier["quality"]["level"], later["quality"]["level"]):
        reasons.append("low_quality")
    if earlier["mode"] != later["mode"]:
        reasons.append("mode_differs")
    dimensions = tuple(
        _dimension_change(code, earlier, later, params, reasons, code in substantive_dimensions)
        for code in DIMENSIONS
    )
    new, resolved = _pattern_changes(earlier, later)
    memory = days_apart is not None and days_apart < MEMORY_NOTE_DAYS
    return Comparison(VERSION, params.id, days_apart, memory, dimensions, new, resolved)


def _dimension_change(
    code: str,
    earlier: Mapping[str, Any],
    later: Mapping[str, Any],
    params: ReliabilityParams,
    shared_reasons: list[str],
    item_changed: bool,
) -> DimensionChange:
    before, after = earlier["dimensions"][code], later["dimensions"][code]
    old, new = stored_score(before), stored_score(after)
    if old is None or new is None:  # §6.1: no facet or context difference either
        facets, contexts = dict.fromkeys(("1", "2")), dict.fromkeys(CONTEXTS)
        return DimensionChange(code, NOT_SCORED, (), None, None, facets, contexts, None)
    facets = {f: _delta(before["facets"][f], after["facets"][f]) for f in ("1", "2")}
    contexts = {
        c: _delta((before["contexts"] or {}).get(c), (after["contexts"] or {}).get(c))
        for c in CONTEXTS
    }
    delta = new - old
    sd, r = params.per_dimension[code]
    s_diff = sqrt(2) * float(sd) * sqrt(float(1 - r))
    rc = float(delta) / s_diff if s_diff else None
    reasons = tuple(shared_reasons) + (("item_changed",) if item_changed else ())
    label = "not_comparable" if reasons else reliable_label(delta, sd, r)
    asi = _asi_delta(before, after)
    return DimensionChange(code, label, reasons, delta, rc, facets, contexts, asi)


def _delta(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> Delta | None:
    old, new = stored_score(before), stored_score(after)
    return None if old is None or new is None else Delta(new - old)


def _asi_delta(before: Mapping[str, Any], after: Mapping[str, Any]) -> Delta | None:
    if before["asi"] is None or after["asi"] is None:
        return None
    old = stored_score(before["contexts"]["W"]) - stored_score(before["contexts"]["C"])
    new = stored_score(after["contexts"]["W"]) - stored_score(after["contexts"]["C"])
    return Delta(new - old)


def _pattern_changes(
    earlier: Mapping[str, Any], later: Mapping[str, Any]
) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """Patterns new / no longer present, among dimensions scored in both snapshots; CTX
    patterns only when both snapshots were in `both` mode (elsewhere CTX cannot fire)."""

    def comparable(hit: Mapping[str, Any]) -> bool:
        scored = all(
            p["dimensions"][hit["dimension"]]["band"] != NOT_SCORED for p in (earlier, later)
        )
        both = earlier["mode"] == later["mode"] == "both"
        return scored and (both or not hit["code"].startswith("CTX-"))

    old = [(h["code"], h["dimension"]) for h in earlier["patterns"] if comparable(h)]
    new = [(h["code"], h["dimension"]) for h in later["patterns"] if comparable(h)]
    return tuple(p for p in new if p not in old), tuple(p for p in old if p not in new)
