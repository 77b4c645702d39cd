"""Scale statistics of ASSESSMENT.md §5.2, on the spec's 5 × 3 fixture."""

from fractions import Fraction

import pytest

from analysis.psychometrics import (
    alpha_if_deleted,
    corrected_item_total,
    cronbach_alpha,
    mean,
    pearson_r,
    sample_sd,
    sample_variance,
)

ROWS = [(5, 6, 3), (3, 4, 4), (6, 5, 6), (2, 4, 3), (4, 3, 5)]


def test_item_variances_match_the_fixture():
    assert [sample_variance(column) for column in zip(*ROWS, strict=True)] == [
        Fraction(5, 2), Fraction(13, 10), Fraction(17, 10),
    ]  # fmt: skip


def test_total_variance_matches_the_fixture():
    totals = [sum(row) for row in ROWS]

    assert totals == [14, 11, 17, 9, 12]
    assert sample_variance(totals) == Fraction(93, 10)


def test_alpha_matches_the_fixture_to_four_places():
    alpha = cronbach_alpha(ROWS)

    assert alpha == Fraction(3, 2) * (1 - Fraction(55, 93))
    assert f"{float(alpha):.4f}" == "0.6129"


def test_corrected_item_total_matches_the_fixture():
    assert [f"{r:.4f}" for r in corrected_item_total(ROWS)] == ["0.9383", "0.2202", "0.2866"]


def test_alpha_is_none_when_total_variance_is_zero():
    assert cronbach_alpha([(3, 4), (3, 4), (3, 4)]) is None


def test_alpha_if_deleted_uses_the_other_items():
    deleted = alpha_if_deleted(ROWS)

    assert deleted[0] == cronbach_alpha([(6, 3), (4, 4), (5, 6), (4, 3), (3, 5)])
    assert len(deleted) == 3


def test_correlation_is_none_without_variance():
    assert pearson_r([1, 1, 1], [1, 2, 3]) is None
    assert corrected_item_total([(1, 2, 3), (1, 3, 4), (1, 4, 5)])[0] is None


def test_mean_and_sample_sd():
    assert mean([5, 3, 6, 2, 4]) == 4
    assert sample_sd([5, 3, 6, 2, 4]) == pytest.approx(1.5811, abs=1e-4)
    assert mean([]) is None and sample_sd([1]) is None
