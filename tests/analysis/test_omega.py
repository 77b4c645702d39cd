"""McDonald's ω (§5.3, §6.1) against a well-known implementation: factor_analyzer's ML fit."""

import random
from math import fsum

import numpy as np
import pytest
from factor_analyzer import FactorAnalyzer

from analysis import omega
from analysis.sums import ScaleSums, reliability

LOADINGS = (0.8, 0.7, 0.6, 0.75, 0.5, 0.65, 0.55, 0.7, 0.4, 0.6, 0.72, 0.3)


def _synthetic(seed: int, n: int, loadings=LOADINGS) -> list[tuple[int, ...]]:
    """Keyed 1..7 answers driven by one common factor, rounded and clipped like real ones."""
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        factor = rng.gauss(0, 1)
        rows.append(
            tuple(
                min(7, max(1, round(4 + 1.2 * (w * factor + (1 - w * w) ** 0.5 * rng.gauss(0, 1)))))
                for w in loadings
            )
        )
    return rows


@pytest.mark.parametrize(("seed", "n", "k"), [(20, 600, 12), (5, 500, 6), (11, 2000, 12)])
def test_one_factor_fit_matches_factor_analyzer(seed, n, k):
    rows = [row[:k] for row in _synthetic(seed, n)]
    sums = ScaleSums.of_rows(rows, k)
    corr, sds = omega.correlations(sums.covariance())
    fit = omega.fit_one_factor(corr)

    reference = FactorAnalyzer(n_factors=1, rotation=None, method="ml")
    reference.fit(np.array(rows, dtype=float))
    loadings = reference.loadings_[:, 0]
    loadings = -loadings if loadings.sum() < 0 else loadings
    uniquenesses = reference.get_uniquenesses()

    assert np.abs(np.array(fit.loadings) - loadings).max() < 1e-4
    assert np.abs(np.array(fit.uniquenesses) - uniquenesses).max() < 1e-4
    # ω of the unweighted sum of keyed items, from the reference's loadings in the item metric
    raw_loadings = loadings * np.array(sds)
    raw_uniquenesses = uniquenesses * np.array(sds) ** 2
    expected = raw_loadings.sum() ** 2 / (raw_loadings.sum() ** 2 + raw_uniquenesses.sum())
    assert omega.omega(sums.covariance()) == pytest.approx(float(expected), abs=1e-4)


def test_an_exact_one_factor_matrix_is_recovered():
    weights = [0.9, 0.8, 0.7, 0.6, 0.5]
    size = len(weights)
    corr = [[1.0 if i == j else weights[i] * weights[j] for j in range(size)] for i in range(size)]
    fit = omega.fit_one_factor(corr)

    assert fit.loadings == pytest.approx(weights, abs=1e-9)
    common = sum(weights) ** 2
    assert fit.omega == pytest.approx(common / (common + fsum(1 - w * w for w in weights)))


def test_omega_does_not_depend_on_the_items_scale():
    rows = _synthetic(1, 400)
    cov = ScaleSums.of_rows(rows, 12).covariance()
    doubled = [[4 * x for x in line] for line in cov]  # every item twice as spread out

    assert omega.omega(doubled) == pytest.approx(omega.omega(cov), abs=1e-12)


def test_omega_lies_between_zero_and_one_and_is_near_alpha_for_equal_loadings():
    rows = _synthetic(9, 3000, loadings=(0.6,) * 12)
    sums = ScaleSums.of_rows(rows, 12)
    found = omega.omega(sums.covariance())
    assert 0 < found < 1
    # With (nearly) equal loadings the two coefficients nearly coincide (McNeish, 2018).
    assert found == pytest.approx(float(reliability(sums).alpha), abs=0.01)


def test_undefined_cases_give_none():
    two_items = ScaleSums.of_rows([(1, 2), (3, 5), (4, 4)], 2).covariance()
    flat = ScaleSums.of_rows([(1, 2, 3), (1, 5, 4), (1, 4, 6)], 3).covariance()

    assert omega.omega(two_items) is None
    assert omega.omega(flat) is None  # the first item has no variance
