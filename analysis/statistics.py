"""Item statistics for the admin analysis page (ASSESSMENT.md §5, §6.1): pure Python.

Samples are per locale (issue 16 line 4): a translation is a new instrument until it is
validated (§5.5), so profiles taken in German and in English are never pooled; every figure
below is of one locale's profiles, and an account may be in the sample of each locale.

Sample (§5.1): among submitted profiles with a snapshot, each account contributes its earliest
profile (by submission time) whose latest snapshot has quality ≠ "low"; profiles without an
account count once each, and low-quality ones are left out too (they would add noise to every
statistic, and the rule's reason, quality, applies to them as much).

Pooling (§5.4), the simplest defensible reading: an item of an earlier version is equivalent to
an item of V when V's item reaches it through `derived_from` with every link on the way marked
unchanged or wording. A scale of V pools an earlier version U when *every* item of that scale
has an equivalent item in U; whole versions are the unit, so a profile on U counts for a scale
only if all of its items are equivalent, and an item's descriptives pool U when that item does.
Whole-instrument figures (sample n, dimension correlations, pattern prevalence) pool only
versions where all scored items are equivalent. The account rule is applied within each pool.

Scales are scored listwise on keyed values (reverse: 8 − x): a respondent counts for a scale
only with every item of it answered. Item descriptives use every answer to the item; % skipped
is over the sample profiles whose context mode showed it. §6.1: dimension n, mean and SD of D
are those of the dimension scale's listwise-complete respondents (D = 100·(T − k) / 6k from the
total T of its k items), and the correlation of two dimensions uses the respondents complete on
both; the minimum-sample rule gates each scale and each pair; a CTX pattern's prevalence is
among `both`-mode profiles; McDonald's ω (`analysis.omega`) is shown from listwise n ≥ 500.

Every figure comes from exact integer sums per sample group (`analysis.sums`): one group per
pool of versions, with the scales, items and whole-instrument figures that use that pool. The
same sums are kept up to date as profiles come and go (`analysis.maintenance`) or built from
rows at once (`build_groups`), and `report` reads nothing else.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from itertools import repeat
from math import sqrt
from operator import getitem, mul
from typing import Any, NamedTuple

from analysis import omega, sums
from assessments import scoring
from assessments.lineage import same_statement_chain
from assessments.scoring._exact import fraction_text
from assessments.scoring.spec import contexts_shown

score_1 = scoring.get("score-1")  # the rules whose snapshots these statistics read

FORWARD = bytes(range(score_1.HIGH + 1))  # keyed value by raw value (0 = no answer)
REVERSED = bytes([0, *range(score_1.HIGH, score_1.LOW - 1, -1)])
MIN_SHOWN, MIN_NORMAL = 50, 200  # §5.2 minimum sample
HIDDEN, PROVISIONAL, NORMAL = "hidden", "provisional", "normal"
ALPHA_AMBER, ALPHA_RED = Fraction(70, 100), Fraction(60, 100)
R_AMBER, R_RED = 0.30, 0.20
DELETED_MARGIN = Fraction(2, 100)
EXTREME_SHARE = Fraction(1, 2)
REDUNDANT_R = 0.85
PATTERN_RARE, PATTERN_COMMON = Fraction(2, 100), Fraction(40, 100)


@dataclass(frozen=True)
class Flag:
    level: str  # "amber" | "red" | "review": also the CSS class; the label always says it
    label: str
    explanation: str


ALPHA_LOW = Flag("red", "α below .60", "The items agree too little to be added into one score.")
ALPHA_FAIR = Flag("amber", "α below .70", "The items hang together less well than a scale should.")
CHECK_KEYING = Flag(
    "red", "check keying", "The item runs against the rest of its scale: is its keying right?"
)
R_LOW = Flag("red", "r below .20", "The item barely relates to the rest of its scale.")
R_FAIR = Flag("amber", "r below .30", "The item relates only weakly to the rest of its scale.")
BETTER_WITHOUT = Flag(
    "amber", "α rises without it", "Without this item, α would rise by more than .02."
)
EXTREME = Flag(
    "amber", "one extreme", "Over half the answers are at one end (1 or 7): it separates poorly."
)
REDUNDANT = Flag(
    "amber", "r above .85", "These two dimensions move so closely they may measure one thing."
)
PATTERN_REVIEW = Flag(
    "review",
    "review threshold",
    "Fires in under 2% or over 40% of profiles: review its threshold in a future scoring version.",
)


class ItemRow(NamedTuple):
    id: int
    version_id: int
    code: str
    dimension: str
    facet: int
    context: str
    reverse: bool
    position: int
    derived_from_id: int | None
    change: str


class ProfileRow(NamedTuple):
    id: int
    user_id: int | None
    version_id: int
    mode: str
    submitted_at: Any  # anything orderable; a datetime from the database
    locale: str = "en"  # the questionnaire's locale: samples never pool two (issue 16 line 4)


class SnapshotRow(NamedTuple):
    quality: str
    dimensions: tuple[tuple[int, int] | None, ...]  # (n, S) per score_1.DIMENSIONS if scored
    patterns: frozenset[tuple[str, str]]  # (code, dimension)


@dataclass(frozen=True)
class Lineage:
    columns: tuple[ItemRow, ...]  # scored items of V, in presentation order
    # version id → per column, the id of that version's equivalent item (None: it has none)
    layouts: Mapping[int, tuple[int | None, ...]]

    @property
    def item_ids(self) -> list[int]:
        return [i for layout in self.layouts.values() for i in layout if i is not None]

    def pool(self, columns: Iterable[int]) -> frozenset[int]:
        wanted = list(columns)
        return frozenset(
            v for v, layout in self.layouts.items() if all(layout[c] is not None for c in wanted)
        )


def lineage(version_id: int, items: Iterable[ItemRow]) -> Lineage:
    by_id = {item.id: item for item in items}
    own = sorted(
        (i for i in by_id.values() if i.version_id == version_id), key=lambda i: i.position
    )
    layouts: dict[int, list[int | None]] = defaultdict(lambda: [None] * len(own))
    for column, item in enumerate(own):
        for same in same_statement_chain(item, by_id):  # assessments.lineage: one definition
            layouts[same.version_id][column] = same.id
    return Lineage(tuple(own), {v: tuple(layout) for v, layout in layouts.items()})


def select_sample(profiles: Iterable[ProfileRow], quality: Mapping[int, str]) -> list[ProfileRow]:
    """§5.1: per account the earliest profile not of low quality; anonymous ones each once."""
    chosen: dict[int, ProfileRow] = {}
    anonymous = []
    for profile in sorted(profiles, key=lambda p: (p.submitted_at, p.id)):
        if quality.get(profile.id, "low") == "low":
            continue
        if profile.user_id is None:
            anonymous.append(profile)
        elif profile.user_id not in chosen:
            chosen[profile.user_id] = profile
    return sorted([*chosen.values(), *anonymous], key=lambda p: p.id)


def sample_state(n: int) -> str:
    return HIDDEN if n < MIN_SHOWN else PROVISIONAL if n < MIN_NORMAL else NORMAL


# ----------------------------------------------------------------------------- reliability
@dataclass(frozen=True)
class Reliability:
    n: int
    alpha: Fraction | None
    alpha_if_deleted: tuple[Fraction | None, ...]
    corrected_r: tuple[float | None, ...]


def _alpha(k: int, item_spread: int, total_spread: int) -> Fraction | None:
    if k < 2 or total_spread == 0:
        return None
    return Fraction(k, k - 1) * (1 - Fraction(item_spread, total_spread))


def reliability(rows: Sequence[Sequence[int]], k: int) -> Reliability:
    """α, α-if-deleted and corrected item–total r of complete keyed rows of k items.

    "Spreads" are n·Σxy − Σx·Σy, i.e. n(n − 1) times a sample (co)variance, kept as integers.
    """
    n = len(rows)
    if n < 2:
        return Reliability(n, None, (None,) * k, (None,) * k)
    columns = list(zip(*rows, strict=True))
    totals = list(map(sum, rows))
    sum_t = sum(totals)
    spread_t = n * sum(map(mul, totals, totals)) - sum_t * sum_t
    spreads, cospreads = [], []
    for column in columns:
        s = sum(column)
        spreads.append(n * sum(map(mul, column, column)) - s * s)
        cospreads.append(n * sum(map(mul, column, totals)) - s * sum_t)
    items_spread = sum(spreads)
    deleted, corrected = [], []
    for spread, cospread in zip(spreads, cospreads, strict=True):
        rest = spread_t + spread - 2 * cospread  # spread of T − xᵢ
        deleted.append(_alpha(k - 1, items_spread - spread, rest))
        product = spread * rest
        corrected.append((cospread - spread) / sqrt(product) if product > 0 else None)
    return Reliability(n, _alpha(k, items_spread, spread_t), tuple(deleted), tuple(corrected))


# ----------------------------------------------------------------------------- report rows
@dataclass(frozen=True)
class ScaleItem:
    code: str
    alpha_if_deleted: Fraction | None
    corrected_r: float | None
    flags: tuple[Flag, ...]
    alpha_if_deleted_text: str
    corrected_r_text: str


@dataclass(frozen=True)
class ScaleStats:
    key: str  # "MEN", "MEN1", "MEN.C"
    label: str
    n: int
    state: str
    alpha: Fraction | None
    alpha_text: str
    flags: tuple[Flag, ...]
    items: tuple[ScaleItem, ...]
    omega: float | None = None  # whole dimensions only, from listwise n ≥ 500
    omega_text: str = ""  # "" while n < 500


@dataclass(frozen=True)
class ItemStats:
    code: str
    shown: int
    answered: int
    mean: Fraction | None  # keyed
    sd: float | None  # keyed
    skipped: Fraction | None  # shares 0..1 of `shown` / of `answered`
    ones: Fraction | None  # raw answer 1
    sevens: Fraction | None  # raw answer 7
    flags: tuple[Flag, ...]
    texts: tuple[str, ...]  # mean, SD, % skipped, % 1, % 7


@dataclass(frozen=True)
class DimensionStats:
    code: str
    scale: ScaleStats
    subscales: tuple[ScaleStats, ...]  # facet 1, facet 2, close, work
    items: tuple[ItemStats, ...]
    n: int  # sample profiles with D scored
    mean: Fraction | None
    sd: float | None
    state: str
    mean_text: str
    sd_text: str

    @property
    def item_rows(self) -> list[tuple[ItemStats, ScaleItem]]:
        """Each item's descriptives beside its statistics within the whole dimension."""
        return list(zip(self.items, self.scale.items, strict=True))


@dataclass(frozen=True)
class PatternStats:
    code: str
    dimension: str
    count: int
    share: Fraction | None
    share_text: str
    flags: tuple[Flag, ...]


@dataclass(frozen=True)
class Report:
    n: int  # whole-instrument sample
    state: str
    pooled_versions: frozenset[int]
    dimensions: tuple[DimensionStats, ...]
    correlations: tuple  # rows of (code, cells of (text, flags))
    patterns: tuple[PatternStats, ...]
    both_mode: int = 0  # whole-instrument sample profiles in `both` mode (CTX prevalence)


def number_text(value: Fraction | float | None, places: int = 2) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, Fraction):
        return fraction_text(value, places)
    return str(Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def percent_text(share: Fraction | None) -> str:
    return "n/a" if share is None else f"{fraction_text(100 * share, 1)}%"


def alpha_flags(alpha: Fraction | None) -> tuple[Flag, ...]:
    if alpha is None:
        return ()
    return (ALPHA_LOW,) if alpha < ALPHA_RED else (ALPHA_FAIR,) if alpha < ALPHA_AMBER else ()


def item_flags(r: float | None, deleted: Fraction | None, alpha: Fraction | None) -> tuple:
    flags = []
    if r is not None and r < R_AMBER:
        flags.append(CHECK_KEYING if r < 0 else R_LOW if r < R_RED else R_FAIR)
    if deleted is not None and alpha is not None and deleted > alpha + DELETED_MARGIN:
        flags.append(BETTER_WITHOUT)
    return tuple(flags)


def pattern_flags(share: Fraction | None) -> tuple[Flag, ...]:
    out_of_range = share is not None and not PATTERN_RARE <= share <= PATTERN_COMMON
    return (PATTERN_REVIEW,) if out_of_range else ()


def _share(part: int, whole: int) -> Fraction | None:
    return Fraction(part, whole) if whole else None


# ----------------------------------------------------------------------------- the report
SUBSCALES = (("1", "facet 1"), ("2", "facet 2"), (".C", "close"), (".W", "work"))
FLAG_PLACES = 3  # a value a flag depends on is shown with 3 decimals (§6.1)
OMEGA_MIN_N = 500  # McDonald's ω is shown from this listwise n on (§5.3, §6.1)
CTX_PATTERNS = frozenset({"CTX-CLOSE", "CTX-WORK"})
BOTH = "both"
PATTERN_KEYS = tuple(dict.fromkeys(sums.pair_key(c, d) for c, d, *_ in score_1.PATTERNS))


def scale_columns(columns: Sequence[ItemRow], dimension: str) -> list[tuple[str, str, list]]:
    """(key, label, column indexes) of a dimension and its facet and context subscales."""
    mine = [(k, c) for k, c in enumerate(columns) if c.dimension == dimension]
    pick: dict[str, Callable[[ItemRow], bool]] = {
        "1": lambda c: c.facet == 1,
        "2": lambda c: c.facet == 2,
        ".C": lambda c: c.context == "C",
        ".W": lambda c: c.context == "W",
    }
    scales = [(dimension, "whole dimension", [k for k, _ in mine])]
    for suffix, label in SUBSCALES:
        scales.append((dimension + suffix, label, [k for k, c in mine if pick[suffix](c)]))
    return scales


@dataclass(frozen=True)
class Groups:
    """The sample groups a version's page reads: each pool of versions (§5.4) with what its
    sample keeps. `scale_pools`, `item_pools` and `whole` say which pool each figure uses."""

    plans: Mapping[frozenset[int], sums.Plan]
    scale_pools: Mapping[str, frozenset[int]]
    item_pools: tuple[frozenset[int], ...]
    whole: frozenset[int]


def groups(lineage: Lineage) -> Groups:
    columns = lineage.columns
    whole = lineage.pool(range(len(columns)))
    plan = {d: scale_columns(columns, d) for d in score_1.DIMENSIONS}
    scale_cols = {key: tuple(cols) for scales in plan.values() for key, _, cols in scales}
    scale_pools = {key: lineage.pool(cols) for key, cols in scale_cols.items()}
    item_pools = tuple(lineage.pool([k]) for k in range(len(columns)))
    plans = {}
    for pool in {whole, *scale_pools.values(), *item_pools}:
        is_whole = pool == whole
        plans[pool] = sums.Plan(
            scales=tuple((k, cols) for k, cols in scale_cols.items() if scale_pools[k] == pool),
            items=tuple(k for k, p in enumerate(item_pools) if p == pool),
            dimensions=tuple((d, scale_cols[d]) for d in score_1.DIMENSIONS) if is_whole else (),
            patterns=PATTERN_KEYS if is_whole else (),
        )
    return Groups(plans, scale_pools, item_pools, whole)


def keyed_row(lineage: Lineage, version_id: int, answers: Mapping[int, int]) -> bytes:
    """Keyed values (0 = no answer) of one profile, per column of the lineage's version."""
    tables = [REVERSED if c.reverse else FORWARD for c in lineage.columns]
    raw = map(answers.get, lineage.layouts[version_id], repeat(0))
    return bytes(map(getitem, tables, (0 if x is None else x for x in raw)))


def pattern_keys(snapshot: SnapshotRow) -> list[str]:
    return [sums.pair_key(code, dimension) for code, dimension in snapshot.patterns]


def item_statistics(
    lineage: Lineage,
    profiles: Sequence[ProfileRow],
    snapshots: Mapping[int, SnapshotRow],
    answers: Iterable[tuple[int, Mapping[int, int]]],
) -> Report:
    """The whole analysis page from plain rows, by building every group's sums from scratch.
    `answers` are (profile id, {item version id: raw value 1..7}), answered items only."""
    return report(lineage, build_groups(lineage, profiles, snapshots, answers))


def build_groups(
    lineage: Lineage,
    profiles: Sequence[ProfileRow],
    snapshots: Mapping[int, SnapshotRow],
    answers: Iterable[tuple[int, Mapping[int, int]]],
) -> dict[frozenset[int], sums.GroupSums]:
    """Every group's sums over its §5.1 sample, column-wise (a rebuild from scratch)."""
    found = groups(lineage)
    quality = {pid: s.quality for pid, s in snapshots.items()}
    samples = {
        pool: select_sample([p for p in profiles if p.version_id in pool], quality)
        for pool in found.plans
    }
    wanted = {p.id: p.version_id for sample in samples.values() for p in sample}
    rows = dict.fromkeys(wanted, bytes(len(lineage.columns)))
    for profile_id, given in answers:
        if profile_id in wanted:
            rows[profile_id] = keyed_row(lineage, wanted[profile_id], given)
    return {
        pool: sums.GroupSums.of_rows(
            plan,
            [(rows[p.id], p.mode, pattern_keys(snapshots[p.id])) for p in samples[pool]],
        )
        for pool, plan in found.plans.items()
    }


def report(lineage: Lineage, built: Mapping[frozenset[int], sums.GroupSums]) -> Report:
    """The page's figures from the groups' sums alone: O(items²) numbers, no answers."""
    found = groups(lineage)
    whole = built[found.whole]
    plan = {d: scale_columns(lineage.columns, d) for d in score_1.DIMENSIONS}
    dimensions = tuple(_dimension(d, plan[d], found, built, lineage) for d in score_1.DIMENSIONS)
    n = whole.data["n"]
    return Report(
        n=n,
        state=sample_state(n),
        pooled_versions=found.whole,
        dimensions=dimensions,
        correlations=_correlations(whole),
        patterns=_patterns(whole),
        both_mode=whole.data["modes"].get(BOTH, 0),
    )


def _dimension(
    code: str,
    scales: list[tuple[str, str, list]],
    found: Groups,
    built: Mapping[frozenset[int], sums.GroupSums],
    lineage: Lineage,
) -> DimensionStats:
    stats = [
        _scale_stats(key, label, cols, lineage, built[found.scale_pools[key]].scale(key))
        for key, label, cols in scales
    ]
    items = []
    for k in scales[0][2]:
        group = built[found.item_pools[k]]
        items.append(_item_stats(lineage.columns[k], group.histogram(k), group.data["modes"]))
    # Dimension score D of a listwise-complete respondent: 100·(T − k) / 6k (§3.2, §6.1).
    scale = built[found.scale_pools[code]].scale(code)
    k, n = scale.k, scale.n
    width = (score_1.HIGH - score_1.LOW) * k
    total_mean, total_variance = scale.total_mean(), scale.total_variance()
    mean = None if total_mean is None else 100 * (total_mean - score_1.LOW * k) / width
    sd = None if total_variance is None else 100 * sqrt(total_variance) / width
    return DimensionStats(
        code, stats[0], tuple(stats[1:]), tuple(items), n, mean, sd,
        sample_state(n), number_text(mean), number_text(sd),
    )  # fmt: skip


def _scale_stats(
    key: str, label: str, cols: list[int], lineage: Lineage, scale: sums.ScaleSums
) -> ScaleStats:
    found = sums.reliability(scale)
    items = tuple(
        ScaleItem(
            lineage.columns[k].code,
            deleted,
            r,
            item_flags(r, deleted, found.alpha),
            number_text(deleted, FLAG_PLACES),
            number_text(r, FLAG_PLACES),
        )  # fmt: skip
        for k, deleted, r in zip(cols, found.alpha_if_deleted, found.corrected_r, strict=True)
    )
    value = None
    if key in score_1.DIMENSIONS and scale.n >= OMEGA_MIN_N:
        value = omega.omega(scale.covariance())
    return ScaleStats(
        key, label, found.n, sample_state(found.n), found.alpha,
        number_text(found.alpha, FLAG_PLACES), alpha_flags(found.alpha), items,
        value, "" if value is None and scale.n < OMEGA_MIN_N else number_text(value, FLAG_PLACES),
    )  # fmt: skip


def _item_stats(item: ItemRow, counts: Sequence[int], modes: Mapping[str, int]) -> ItemStats:
    """Descriptives of one item over all its answers; `counts` by keyed value (0: skipped),
    `modes` counts the group's sample profiles by context mode."""
    answered = sum(counts) - counts[0]
    shown = sum(n for mode, n in modes.items() if item.context in contexts_shown(mode))
    total = sum(v * c for v, c in enumerate(counts))
    squares = sum(v * v * c for v, c in enumerate(counts))
    mean = Fraction(total, answered) if answered else None
    spread = answered * squares - total * total
    sd = sqrt(Fraction(spread, answered * (answered - 1))) if answered > 1 else None
    low, high = (counts[7], counts[1]) if item.reverse else (counts[1], counts[7])
    ones, sevens = _share(low, answered), _share(high, answered)
    extreme = answered and max(low, high) > EXTREME_SHARE * answered
    skipped = _share(max(shown - answered, 0), shown)
    texts = (number_text(mean), number_text(sd), *map(percent_text, (skipped, ones, sevens)))
    flags = (EXTREME,) if extreme else ()
    return ItemStats(item.code, shown, answered, mean, sd, skipped, ones, sevens, flags, texts)


def _correlations(whole: sums.GroupSums) -> tuple:
    """Pearson r of dimension scores over respondents complete on both dimensions, each pair
    gated by its own n (§6.1): rows of (code, cells of (text, flags, state, n))."""
    table = []
    for a, first in enumerate(score_1.DIMENSIONS):
        cells = []
        for b, second in enumerate(score_1.DIMENSIONS):
            if a == b:
                cells.append(("1", (), NORMAL, None))
                continue
            pair = whole.pair(*((first, second) if a < b else (second, first)))
            state = sample_state(pair.n)
            r = pair.pearson_r()
            if state == HIDDEN:
                cells.append((f"n = {pair.n}", (), state, pair.n))
                continue
            redundant = r is not None and r > REDUNDANT_R
            cells.append(
                (number_text(r, FLAG_PLACES), (REDUNDANT,) if redundant else (), state, pair.n)
            )
        table.append((first, tuple(cells)))
    return tuple(table)


def _patterns(whole: sums.GroupSums) -> tuple[PatternStats, ...]:
    """Share of sample profiles with each pattern; a CTX pattern among `both`-mode ones only."""
    counts, n = whole.data["patterns"], whole.data["n"]
    both = whole.data["modes"].get(BOTH, 0)
    rows = []
    for key in PATTERN_KEYS:
        code, dimension = key.split("|")
        count = counts.get(key, 0)
        share = _share(count, both if code in CTX_PATTERNS else n)
        rows.append(
            PatternStats(code, dimension, count, share, percent_text(share), pattern_flags(share))
        )
    return tuple(rows)


def release_problems(report: Report) -> list[str]:
    """Why the report cannot yet support a §6 parameter set; empty when it can."""
    return [
        f"{d.code} has n = {min(d.scale.n, d.n)} (needs {MIN_NORMAL})"
        if min(d.scale.n, d.n) < MIN_NORMAL
        else f"{d.code} has no α or SD"
        for d in report.dimensions
        if min(d.scale.n, d.n) < MIN_NORMAL or d.scale.alpha is None or d.sd is None
    ]


def release_values(report: Report) -> tuple[dict[str, dict[str, str]], int]:
    """A new §6 parameter set: SD of D (2 places) and r = α (4 places) per dimension, and the
    smallest n behind them. Raises ValueError listing every dimension that is not ready."""
    problems = release_problems(report)
    if problems:
        raise ValueError("; ".join(problems))
    values = {
        d.code: {"sd": number_text(d.sd, 2), "r": number_text(d.scale.alpha, 4)}
        for d in report.dimensions
    }
    return values, min(min(d.scale.n, d.n) for d in report.dimensions)
