"""Sufficient statistics of a scale, as exact integers (ASSESSMENT.md §5.2; issue 20 line 6).

Over a scale's listwise-complete respondents, everything §5.2 shows for the scale is a function
of n, Σxᵢ per item and Σxᵢxⱼ per item pair (squares included). The sum of totals is
Σᵢ Σxᵢ and the sum of squared totals is Σᵢⱼ Σxᵢxⱼ, so they need no storage of their own.
Sums are added and subtracted respondent by respondent, exactly, so statistics can be kept
up to date without reading any answer again; everything derived stays a Fraction (or an
integer) until the one final square root, and equals the from-rows computation of
`analysis.statistics.reliability` exactly (tested).

"Spreads" are n·Σxy − Σx·Σy, i.e. n(n − 1) times a sample (co)variance.
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import compress
from math import sqrt
from operator import mul


@dataclass(frozen=True)
class ScaleSums:
    n: int
    sum_x: tuple[int, ...]  # per item
    sum_xy: tuple[tuple[int, ...], ...]  # full symmetric k × k, diagonal = Σx²

    @classmethod
    def empty(cls, k: int) -> "ScaleSums":
        return cls(0, (0,) * k, ((0,) * k,) * k)

    @classmethod
    def of_rows(cls, rows: Iterable[Sequence[int]], k: int) -> "ScaleSums":
        total = cls.empty(k)
        for row in rows:
            total = total.plus(row)
        return total

    @property
    def k(self) -> int:
        return len(self.sum_x)

    def plus(self, row: Sequence[int], sign: int = 1) -> "ScaleSums":
        """These sums with one complete respondent added (sign = −1: taken away)."""
        return ScaleSums(
            self.n + sign,
            tuple(s + sign * x for s, x in zip(self.sum_x, row, strict=True)),
            tuple(
                tuple(s + sign * x * y for s, y in zip(line, row, strict=True))
                for line, x in zip(self.sum_xy, row, strict=True)
            ),
        )

    def __add__(self, other: "ScaleSums") -> "ScaleSums":
        return ScaleSums(
            self.n + other.n,
            tuple(a + b for a, b in zip(self.sum_x, other.sum_x, strict=True)),
            tuple(
                tuple(a + b for a, b in zip(p, q, strict=True))
                for p, q in zip(self.sum_xy, other.sum_xy, strict=True)
            ),
        )

    # ------------------------------------------------------------------ derived, exact
    @property
    def sum_total(self) -> int:
        return sum(self.sum_x)

    @property
    def sum_total_squared(self) -> int:
        return sum(map(sum, self.sum_xy))

    def spread(self, i: int, j: int) -> int:
        return self.n * self.sum_xy[i][j] - self.sum_x[i] * self.sum_x[j]

    def total_spread(self) -> int:
        return self.n * self.sum_total_squared - self.sum_total**2

    def covariance(self) -> tuple[tuple[Fraction, ...], ...] | None:
        """The k × k sample covariance matrix (denominator n − 1); None for n < 2."""
        if self.n < 2:
            return None
        scale = self.n * (self.n - 1)
        return tuple(
            tuple(Fraction(self.spread(i, j), scale) for j in range(self.k)) for i in range(self.k)
        )

    def total_mean(self) -> Fraction | None:
        return Fraction(self.sum_total, self.n) if self.n else None

    def total_variance(self) -> Fraction | None:
        return Fraction(self.total_spread(), self.n * (self.n - 1)) if self.n > 1 else None


@dataclass(frozen=True)
class PairSums:
    """Two totals over the respondents complete on both scales: for a correlation."""

    n: int = 0
    sum_a: int = 0
    sum_b: int = 0
    sum_aa: int = 0
    sum_bb: int = 0
    sum_ab: int = 0

    def plus(self, a: int, b: int, sign: int = 1) -> "PairSums":
        return PairSums(
            self.n + sign,
            self.sum_a + sign * a,
            self.sum_b + sign * b,
            self.sum_aa + sign * a * a,
            self.sum_bb + sign * b * b,
            self.sum_ab + sign * a * b,
        )

    def pearson_r(self) -> float | None:
        if self.n < 2:
            return None
        spread_a = self.n * self.sum_aa - self.sum_a**2
        spread_b = self.n * self.sum_bb - self.sum_b**2
        if spread_a == 0 or spread_b == 0:
            return None
        return (self.n * self.sum_ab - self.sum_a * self.sum_b) / sqrt(spread_a * spread_b)


def _alpha(k: int, item_spread: int, total_spread: int) -> Fraction | None:
    if k < 2 or total_spread == 0:
        return None
    return Fraction(k, k - 1) * (1 - Fraction(item_spread, total_spread))


@dataclass(frozen=True)
class Reliability:
    n: int
    alpha: Fraction | None
    alpha_if_deleted: tuple[Fraction | None, ...]
    corrected_r: tuple[float | None, ...]


def reliability(sums: ScaleSums) -> Reliability:
    """α, α-if-deleted and corrected item–total r (§5.2), from the sums alone."""
    n, k = sums.n, sums.k
    if n < 2:
        return Reliability(n, None, (None,) * k, (None,) * k)
    spreads = [sums.spread(i, i) for i in range(k)]
    # cov(xᵢ, T) = Σⱼ cov(xᵢ, xⱼ)
    cospreads = [sum(sums.spread(i, j) for j in range(k)) for i in range(k)]
    spread_t = sums.total_spread()
    items_spread = sum(spreads)
    deleted, corrected = [], []
    for spread, cospread in zip(spreads, cospreads, strict=True):
        rest = spread_t + spread - 2 * cospread  # spread of T − xᵢ
        deleted.append(_alpha(k - 1, items_spread - spread, rest))
        product = spread * rest
        corrected.append((cospread - spread) / sqrt(product) if product > 0 else None)
    return Reliability(n, _alpha(k, items_spread, spread_t), tuple(deleted), tuple(corrected))


# ----------------------------------------------------------------------------- a sample group
@dataclass(frozen=True)
class Plan:
    """What one sample group keeps: scales (key, column indexes into the version's scored
    items), the columns whose descriptives it keeps, and, for the group of the whole
    instrument, the dimension scales whose totals are correlated pairwise and the patterns."""

    scales: tuple[tuple[str, tuple[int, ...]], ...]
    items: tuple[int, ...]
    dimensions: tuple[tuple[str, tuple[int, ...]], ...] = ()
    patterns: tuple[str, ...] = ()  # "CODE|DIM" keys


def pair_key(a: str, b: str) -> str:
    return f"{a}|{b}"


class GroupSums:
    """Exact integer sums over one sample group's respondents, in JSON-ready dicts.

    A respondent is (keyed values per column, 0 = no answer; context mode; pattern keys).
    `add(…, sign=-1)` takes exactly away what `add` put in; `of_rows` builds the same sums
    column-wise (C-level passes), for a rebuild from scratch.
    """

    VALUES = 8  # histogram slots: 0 = no answer, 1..7 keyed

    def __init__(self, plan: Plan, data: dict | None = None) -> None:
        self.plan = plan
        if data is None:
            data = {
                "n": 0,
                "modes": {},
                "scales": {
                    key: {"n": 0, "x": [0] * len(cols), "xy": [[0] * len(cols) for _ in cols]}
                    for key, cols in plan.scales
                },
                "items": {str(c): [0] * self.VALUES for c in plan.items},
                "pairs": {
                    pair_key(a, b): [0] * 6
                    for i, (a, _) in enumerate(plan.dimensions)
                    for b, _ in plan.dimensions[i + 1 :]
                },
                "patterns": dict.fromkeys(plan.patterns, 0),
            }
        self.data = data

    def add(self, keyed: Sequence[int], mode: str, patterns: Iterable[str], sign: int = 1) -> None:
        data = self.data
        data["n"] += sign
        modes = data["modes"]
        modes[mode] = modes.get(mode, 0) + sign
        if not modes[mode]:
            del modes[mode]  # the same dict as a rebuild would make
        for key, cols in self.plan.scales:
            row = [keyed[c] for c in cols]
            if not all(row):
                continue
            scale = data["scales"][key]
            scale["n"] += sign
            sums, cross = scale["x"], scale["xy"]
            for i, x in enumerate(row):
                sums[i] += sign * x
                line = cross[i]
                for j, y in enumerate(row):
                    line[j] += sign * x * y
        for c in self.plan.items:
            data["items"][str(c)][keyed[c]] += sign
        totals = {}
        for code, cols in self.plan.dimensions:
            row = [keyed[c] for c in cols]
            totals[code] = sum(row) if all(row) else None
        for key, pair in data["pairs"].items():
            a, b = totals[key.split("|")[0]], totals[key.split("|")[1]]
            if a is not None and b is not None:
                for slot, value in enumerate((1, a, b, a * a, b * b, a * b)):
                    pair[slot] += sign * value
        for hit in patterns:
            if hit in data["patterns"]:
                data["patterns"][hit] += sign

    @classmethod
    def of_rows(cls, plan: Plan, rows: Sequence[tuple[Sequence[int], str, Iterable[str]]]):
        """The sums of `rows` built column-wise; equal to adding them one by one (tested)."""
        group = cls(plan)
        data = group.data
        data["n"] = len(rows)
        for _, mode, patterns in rows:
            data["modes"][mode] = data["modes"].get(mode, 0) + 1
            for hit in patterns:
                if hit in data["patterns"]:
                    data["patterns"][hit] += 1
        matrix = [keyed for keyed, _, _ in rows]
        columns = list(zip(*matrix, strict=True)) if matrix else []
        for key, cols in plan.scales:
            complete = [all(keyed[c] for c in cols) for keyed in matrix]
            picked = [list(compress(columns[c], complete)) for c in cols] if columns else []
            scale = data["scales"][key]
            scale["n"] = sum(complete)
            scale["x"] = [sum(column) for column in picked] or scale["x"]
            if picked:
                scale["xy"] = [[sum(map(mul, a, b)) for b in picked] for a in picked]
        for c in plan.items:
            counts = data["items"][str(c)]
            for value, count in Counter(columns[c] if columns else ()).items():
                counts[value] += count
        totals = {}
        for code, cols in plan.dimensions:
            totals[code] = [
                sum(keyed[c] for c in cols) if all(keyed[c] for c in cols) else None
                for keyed in matrix
            ]
        for key, pair in data["pairs"].items():
            first, second = key.split("|")
            for a, b in zip(totals[first], totals[second], strict=True):
                if a is not None and b is not None:
                    for slot, value in enumerate((1, a, b, a * a, b * b, a * b)):
                        pair[slot] += value
        return group

    # ------------------------------------------------------------------ reading
    def scale(self, key: str) -> ScaleSums:
        found = self.data["scales"][key]
        return ScaleSums(found["n"], tuple(found["x"]), tuple(map(tuple, found["xy"])))

    def pair(self, a: str, b: str) -> PairSums:
        return PairSums(*self.data["pairs"][pair_key(a, b)])

    def histogram(self, column: int) -> list[int]:
        return self.data["items"][str(column)]
