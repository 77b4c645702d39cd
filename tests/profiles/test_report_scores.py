"""The report reads a stored score one way, the rules' `stored_score` (issue 15 line 3)."""

from fractions import Fraction

from assessments import scoring
from profiles.report import score_of


def test_the_report_reads_the_exact_score_from_n_and_s_not_the_rounded_text():
    scale = {"n": 3, "s": 14, "items": 3, "needed": 3, "score": "61.11", "display": 61}

    assert score_of(scale) == Fraction(550, 9) == scoring.get("score-1").stored_score(scale)
    assert score_of(scale) != Fraction("61.11")


def test_a_missing_or_unscored_scale_has_no_score():
    unscored = {"n": 1, "s": 4, "items": 3, "needed": 3, "score": None, "display": None}

    assert [score_of(None), score_of({}), score_of(unscored)] == [None, None, None]
