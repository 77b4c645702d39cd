"""Item and scale statistics for the admin analysis page (ASSESSMENT.md §5.2); stdlib only.

Input is a list of respondent rows, each a list of keyed item values (ints), listwise complete.
Rational quantities (means, variances, alpha) are exact Fractions; quantities that need a square
root (SD, Pearson r) are floats. Undefined statistics are None, shown as "n/a".
"""

from collections.abc import Sequence
from fractions import Fraction
from math import sqrt

Rows = Sequence[Sequence[int]]


def mean(values: Sequence[int]) -> Fraction | None:
    return Fraction(sum(values), len(values)) if values else None


def sample_variance(values: Sequence[int]) -> Fraction | None:
    """Variance with denominator n − 1; None for fewer than two values."""
    n = len(values)
    if n < 2:
        return None
    total = sum(values)
    return Fraction(n * sum(v * v for v in values) - total * total, n * (n - 1))


def sample_sd(values: Sequence[int]) -> float | None:
    variance = sample_variance(values)
    return None if variance is None else sqrt(variance)


def _columns(rows: Rows) -> list[list[int]]:
    return [list(column) for column in zip(*rows, strict=True)]


def cronbach_alpha(rows: Rows) -> Fraction | None:
    """α = k/(k − 1) · (1 − Σ sᵢ² / s_T²); None when k < 2, n < 2 or s_T² = 0."""
    columns = _columns(rows)
    k = len(columns)
    if k < 2 or len(rows) < 2:
        return None
    total_variance = sample_variance([sum(row) for row in rows])
    if not total_variance:
        return None
    item_variances = sum(sample_variance(column) for column in columns)
    return Fraction(k, k - 1) * (1 - item_variances / total_variance)


def alpha_if_deleted(rows: Rows) -> list[Fraction | None]:
    """α of the remaining k − 1 items, for each item in turn."""
    k = len(rows[0]) if rows else 0
    return [cronbach_alpha([row[:i] + row[i + 1 :] for row in map(list, rows)]) for i in range(k)]


def pearson_r(xs: Sequence[int], ys: Sequence[int]) -> float | None:
    """Pearson correlation; None when either variable has no variance or n < 2."""
    n = len(xs)
    if n < 2:
        return None
    sx, sy = sum(xs), sum(ys)
    covariance = n * sum(x * y for x, y in zip(xs, ys, strict=True)) - sx * sy
    spread_x = n * sum(x * x for x in xs) - sx * sx
    spread_y = n * sum(y * y for y in ys) - sy * sy
    if spread_x == 0 or spread_y == 0:
        return None
    return covariance / sqrt(spread_x * spread_y)


def corrected_item_total(rows: Rows) -> list[float | None]:
    """For each item: r between it and the sum of the other k − 1 items."""
    columns = _columns(rows)
    totals = [sum(row) for row in rows]
    return [
        pearson_r(column, [t - x for t, x in zip(totals, column, strict=True)])
        for column in columns
    ]
