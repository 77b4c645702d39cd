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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import sqrt


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
