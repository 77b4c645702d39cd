"""PEP 399 differential test: score_1.reference and score_1.fast agree on generated sheets.

Both engines score the same 10,000 seeded sheets (every mode, random layouts and keying,
skips, exact thresholds, QC, WB1 and page times; see score_1_sheets.py); every field of each
snapshot, its key order, and every field of `compare()` between snapshots must be equal.
`make bench-diff` runs the same comparison on 1,000,000 sheets.
"""

import pytest

from assessments.scoring.score_1 import reference
from assessments.scoring.spec import MODES
from tests.assessments.scoring import score_1_sheets

SEED = 20261201
SHEETS = 10_000
LANDMARKS = (
    "D exactly 50.00",
    "D exactly 75.00",
    "gap exactly 25",
    "ASI exactly 25.00",
    "ASI exactly -25.00",
    "GASI exactly 15.00",
    "GASI exactly -15.00",
    *(f"mode {mode}" for mode in MODES),
    *(f"band {band}" for band in ("underdeveloped", "developing", "well_developed")),
    "band not_scored",
    *(f"pattern {code}" for code in dict.fromkeys(code for code, *_ in reference.PATTERNS)),
    *(f"flag {flag}" for flag in ("ATTENTION", "TOO_FAST", *reference.QUALITY_MISC_FLAGS)),
    *(f"focus {kind}" for kind in ("pattern", "underdeveloped", "next_step", "maintain")),
    "focus too_few_scored",
    *(f"support {level}" for level in ("none", "gentle", "urgent")),
    *(f"change {label}" for label in ("reliable_increase", "reliable_decrease")),
    *(f"change {label}" for label in ("about_the_same", "not_comparable", "not_scored")),
)


@pytest.fixture(scope="module")
def tally() -> score_1_sheets.Tally:
    return score_1_sheets.run(SEED, SHEETS)


def test_engines_give_identical_snapshots_and_comparisons(tally):
    assert tally.mismatches == []
    assert tally.sheets == SHEETS and tally.comparisons >= SHEETS // 3


def test_engines_both_refuse_the_same_invalid_input(tally):
    assert tally.refused >= 50


def test_the_sheets_reach_every_threshold_pattern_flag_focus_and_label(tally):
    missing = [landmark for landmark in LANDMARKS if tally.seen[landmark] == 0]

    assert missing == []


def test_a_changed_number_in_one_engine_is_caught(monkeypatch):
    """The harness is not hollow: a reference with the gap rule at 26 disagrees quickly."""
    monkeypatch.setattr(reference, "GAP", 26)

    assert score_1_sheets.run(SEED, 300).mismatches != []
