"""McDonald's ω from a one-factor model fitted by maximum likelihood (ASSESSMENT.md §5.3, §6.1).

Input is the sample covariance matrix of a scale's keyed items over its listwise-complete
respondents (exact Fractions from `analysis.sums`, or floats). The method, chosen because
ML is scale-free (fitting the correlation matrix and the covariance matrix give the same
model, so ω does not depend on whether items are standardised first):

1. R = the correlation matrix.
2. Fit R ≈ λλᵀ + Ψ by maximum likelihood with the classic fixed point (Lawley; Jöreskog
   1967): for uniquenesses Ψ, the loadings are λ = Ψ^½·v·√(θ − 1) with θ, v the largest
   eigenvalue and unit eigenvector of Ψ^-½ R Ψ^-½; then Ψ = diag(R − λλᵀ). Uniquenesses are
   kept ≥ 0.005 (a Heywood case stops there, as in the usual implementations).
3. Back to the items' own metric: λᵢ·sᵢ and ψᵢ·sᵢ², with sᵢ the item's SD.
4. ω = (Σλ)² / ((Σλ)² + Σψ): the share of the variance of the unweighted sum of keyed items
   (the scale score) that the common factor explains, by the model-implied total variance.

Floats throughout (square roots and eigenvectors are irrational); the test
`tests/analysis/test_omega.py` checks loadings, uniquenesses and ω against the
factor_analyzer package on fixed synthetic data. None when ω is undefined: fewer than 3 items
(one factor is not identified), an item without variance, or no convergence.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import fsum, isfinite, sqrt
from operator import mul

Matrix = Sequence[Sequence[Fraction | float | int]]

MIN_ITEMS = 3
MIN_UNIQUENESS = 0.005
TOLERANCE = 1e-12  # largest change of a uniqueness between two steps at convergence
MAX_STEPS = 20_000
POWER_TOLERANCE = 1e-13
POWER_STEPS = 5_000


@dataclass(frozen=True)
class OneFactor:
    loadings: tuple[float, ...]  # standardised (correlation metric), Σ ≥ 0
    uniquenesses: tuple[float, ...]  # standardised
    omega: float
    steps: int


def _top_eigen(matrix: list[list[float]], start: list[float]) -> tuple[float, list[float]]:
    """Largest eigenvalue and unit eigenvector of a symmetric positive definite matrix."""
    vector = start
    value = 0.0
    for _ in range(POWER_STEPS):
        product = [sum(map(mul, row, vector)) for row in matrix]
        norm = sqrt(sum(map(mul, product, product)))
        if norm == 0:
            break
        following = [x / norm for x in product]
        change = max(abs(a - b) for a, b in zip(following, vector, strict=True))
        vector, value = following, norm
        if change < POWER_TOLERANCE:
            break
    return value, vector


def correlations(covariance: Matrix) -> tuple[list[list[float]], list[float]] | None:
    """(correlation matrix, SDs), or None when an item has no variance."""
    sds = [sqrt(covariance[i][i]) for i in range(len(covariance))]
    if not all(sd > 0 for sd in sds):
        return None
    rows = [
        [1.0 if i == j else float(Fraction(cov)) / (sds[i] * sds[j]) for j, cov in enumerate(line)]
        for i, line in enumerate(covariance)
    ]
    return rows, sds


def fit_one_factor(corr: list[list[float]]) -> OneFactor | None:
    """The ML one-factor solution of a correlation matrix, with ω in the standardised metric."""
    size = len(corr)
    if size < MIN_ITEMS:
        return None
    # Start from half of each item's largest correlation as its communality.
    psi = [1 - 0.5 * max(abs(corr[i][j]) for j in range(size) if j != i) for i in range(size)]
    vector = [1 / sqrt(size)] * size
    loadings = [0.0] * size
    steps = 0
    while steps < MAX_STEPS:
        steps += 1
        scale = [1 / sqrt(p) for p in psi]
        scaled = [[corr[i][j] * scale[i] * scale[j] for j in range(size)] for i in range(size)]
        value, vector = _top_eigen(scaled, vector)
        strength = sqrt(max(value - 1, 0.0))
        loadings = [sqrt(p) * v * strength for p, v in zip(psi, vector, strict=True)]
        following = [max(1 - x * x, MIN_UNIQUENESS) for x in loadings]
        change = max(abs(a - b) for a, b in zip(following, psi, strict=True))
        psi = following
        if change < TOLERANCE:
            break
    else:
        return None  # no convergence
    if fsum(loadings) < 0:
        loadings = [-x for x in loadings]
    common = fsum(loadings) ** 2
    omega = common / (common + fsum(psi))
    if not isfinite(omega):
        return None
    return OneFactor(tuple(loadings), tuple(psi), omega, steps)


def omega(covariance: Matrix) -> float | None:
    """McDonald's ω of the unweighted sum of the items whose covariance matrix is given."""
    found = correlations(covariance)
    if found is None:
        return None
    corr, sds = found
    fit = fit_one_factor(corr)
    if fit is None:
        return None
    loadings = [x * sd for x, sd in zip(fit.loadings, sds, strict=True)]
    uniquenesses = [p * sd * sd for p, sd in zip(fit.uniquenesses, sds, strict=True)]
    common = fsum(loadings) ** 2
    return common / (common + fsum(uniquenesses))
