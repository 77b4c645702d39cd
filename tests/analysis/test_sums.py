"""Exact sufficient statistics (issue 20 line 6): the sums give what the rows give, exactly."""

import random
from fractions import Fraction

from analysis import psychometrics, statistics
from analysis.sums import PairSums, ScaleSums, reliability

ROWS = [(5, 6, 3), (3, 4, 4), (6, 5, 6), (2, 4, 3), (4, 3, 5)]  # §5.2 fixture


def test_the_spec_fixture_from_sums():
    found = reliability(ScaleSums.of_rows(ROWS, 3))

    assert found.alpha == Fraction(57, 93)  # 1.5 × (1 − 5.5/9.3) = 0.6129
    assert [round(r, 4) for r in found.corrected_r] == [0.9383, 0.2202, 0.2866]


def test_totals_and_covariances_are_exact():
    sums = ScaleSums.of_rows(ROWS, 3)

    assert sums.sum_total == 14 + 11 + 17 + 9 + 12
    assert sums.sum_total_squared == 14**2 + 11**2 + 17**2 + 9**2 + 12**2
    assert sums.total_variance() == Fraction(93, 10)
    assert [sums.covariance()[i][i] for i in range(3)] == [
        Fraction(5, 2), Fraction(13, 10), Fraction(17, 10),
    ]  # fmt: skip
    columns = list(zip(*ROWS, strict=True))
    for i in range(3):
        for j in range(3):
            mi, mj = Fraction(sum(columns[i]), 5), Fraction(sum(columns[j]), 5)
            pairs = zip(columns[i], columns[j], strict=True)
            expected = sum((x - mi) * (y - mj) for x, y in pairs) / 4
            assert sums.covariance()[i][j] == expected


def _random_rows(rng: random.Random, n: int, k: int) -> list[tuple[int, ...]]:
    rows = []
    for _ in range(n):
        level = rng.randint(1, 7)
        rows.append(tuple(min(7, max(1, level + rng.randint(-2, 2))) for _ in range(k)))
    return rows


def test_sums_agree_exactly_with_the_row_computation_on_random_scales():
    rng = random.Random(620)
    for trial in range(40):
        k = rng.choice([3, 6, 12])
        rows = _random_rows(rng, rng.randint(0, 60), k)
        if trial % 7 == 0:
            rows = [rows[0]] * len(rows) if rows else rows  # no variance at all

        from_rows = statistics.reliability(rows, k)
        from_sums = reliability(ScaleSums.of_rows(rows, k))

        assert from_sums.n == from_rows.n
        assert from_sums.alpha == from_rows.alpha  # Fractions: exact
        assert from_sums.alpha_if_deleted == from_rows.alpha_if_deleted
        assert from_sums.corrected_r == from_rows.corrected_r  # same integers, same float
        if len(rows) > 1:
            assert from_sums.alpha == psychometrics.cronbach_alpha(rows)


def test_adding_then_taking_away_respondents_returns_the_same_sums():
    rng = random.Random(7)
    rows = _random_rows(rng, 30, 6)
    kept, dropped = rows[:20], rows[20:]
    sums = ScaleSums.of_rows(rows, 6)
    for row in dropped:
        sums = sums.plus(row, -1)

    assert sums == ScaleSums.of_rows(kept, 6)
    assert ScaleSums.of_rows(kept, 6) + ScaleSums.of_rows(dropped, 6) == ScaleSums.of_rows(rows, 6)


def test_pair_sums_give_pearson_r_like_the_rows():
    rng = random.Random(3)
    xs = [rng.randint(12, 84) for _ in range(50)]
    ys = [x // 2 + rng.randint(0, 30) for x in xs]
    pair = PairSums()
    for x, y in zip(xs, ys, strict=True):
        pair = pair.plus(x, y)

    assert pair.pearson_r() == psychometrics.pearson_r(xs, ys)
    assert PairSums().plus(3, 4).pearson_r() is None
