"""Item statistics of ASSESSMENT.md §5.1–§5.2 as pure computation: reliability, sample rules,
pooling of wording-equivalent versions, minimum-sample states and flags."""

import random
from fractions import Fraction

import pytest

from analysis import psychometrics, statistics
from analysis.statistics import ItemRow, ProfileRow

FIXTURE = [(5, 6, 3), (3, 4, 4), (6, 5, 6), (2, 4, 3), (4, 3, 5)]


def test_reliability_of_the_alpha_fixture_matches_the_spec():
    found = statistics.reliability(FIXTURE, 3)

    assert found.alpha == Fraction(3, 2) * (1 - Fraction(55, 93))
    assert statistics.number_text(found.alpha, 4) == "0.6129"
    assert [statistics.number_text(r, 4) for r in found.corrected_r] == [
        "0.9383", "0.2202", "0.2866",
    ]  # fmt: skip


def test_reliability_of_random_rows_equals_the_psychometrics_reference():
    rng = random.Random(3)
    rows = [tuple(rng.randint(1, 7) for _ in range(6)) for _ in range(40)]

    found = statistics.reliability(rows, 6)

    assert found.alpha == psychometrics.cronbach_alpha(rows)
    assert list(found.alpha_if_deleted) == psychometrics.alpha_if_deleted(rows)
    assert list(found.corrected_r) == pytest.approx(psychometrics.corrected_item_total(rows))


def test_reliability_without_total_variance_is_not_available():
    found = statistics.reliability([(3, 4), (3, 4), (3, 4)], 2)

    assert found.alpha is None
    assert statistics.number_text(found.alpha) == "n/a"


def test_reliability_of_one_respondent_is_not_available():
    found = statistics.reliability([(3, 4, 5)], 3)

    assert (found.n, found.alpha, found.corrected_r) == (1, None, (None, None, None))


def profile_row(pk: int, user: int | None, minute: int, version: int = 1) -> ProfileRow:
    return ProfileRow(pk, user, version, "both", minute)


def test_sample_takes_each_accounts_earliest_profile_that_is_not_low_quality():
    profiles = [profile_row(1, 10, 1), profile_row(2, 10, 2), profile_row(3, 10, 3)]
    quality = {1: "low", 2: "caution", 3: "ok"}

    sample = statistics.select_sample(profiles, quality)

    assert [p.id for p in sample] == [2]


def test_sample_counts_each_anonymous_profile_once_and_leaves_out_low_ones():
    profiles = [profile_row(1, None, 1), profile_row(2, None, 2), profile_row(3, None, 3)]
    quality = {1: "ok", 2: "ok", 3: "low"}

    sample = statistics.select_sample(profiles, quality)

    assert [p.id for p in sample] == [1, 2]


def test_sample_leaves_out_profiles_without_a_snapshot():
    sample = statistics.select_sample([profile_row(1, None, 1)], {})

    assert sample == []


@pytest.mark.parametrize(
    ("n", "state"),
    [(0, "hidden"), (49, "hidden"), (50, "provisional"), (199, "provisional"), (200, "normal")],
)
def test_sample_state_follows_the_minimum_sample_rule(n, state):
    assert statistics.sample_state(n) == state


def item(pk: int, version: int, code: str, parent: int | None = None, change: str = "new"):
    return ItemRow(pk, version, code, "MEN", 1, "C", False, pk % 10, parent, change)


def test_lineage_pools_earlier_versions_reached_through_unchanged_and_wording_links():
    items = [
        item(1, 1, "A"), item(2, 1, "B"),
        item(11, 2, "A", 1, "unchanged"), item(12, 2, "B", 2, "wording"),
        item(21, 3, "A", 11, "wording"), item(22, 3, "B", 12, "unchanged"),
    ]  # fmt: skip

    found = statistics.lineage(3, items)

    assert found.pool([0, 1]) == {1, 2, 3}
    assert found.layouts[1] == (1, 2)


def test_lineage_stops_pooling_at_a_substantive_change_for_that_scale_only():
    items = [
        item(1, 1, "A"), item(2, 1, "B"),
        item(11, 2, "A", 1, "unchanged"), item(12, 2, "B", 2, "substantive"),
    ]  # fmt: skip

    found = statistics.lineage(2, items)

    assert found.pool([0, 1]) == {2}
    assert found.pool([0]) == {1, 2}
    assert found.layouts[1] == (1, None)


def test_lineage_never_pools_later_versions():
    items = [item(1, 1, "A"), item(11, 2, "A", 1, "unchanged")]

    assert statistics.lineage(1, items).pool([0]) == {1}


@pytest.mark.parametrize(
    ("alpha", "labels"),
    [
        (Fraction(75, 100), []),
        (Fraction(69, 100), ["α below .70"]),
        (Fraction(59, 100), ["α below .60"]),
        (None, []),
    ],
)
def test_alpha_flags_follow_the_thresholds(alpha, labels):
    assert [f.label for f in statistics.alpha_flags(alpha)] == labels


@pytest.mark.parametrize(
    ("r", "labels"),
    [(0.45, []), (0.29, ["r below .30"]), (0.19, ["r below .20"]), (-0.1, ["check keying"])],
)
def test_item_flags_follow_the_corrected_r_thresholds(r, labels):
    assert [f.label for f in statistics.item_flags(r, None, None)] == labels


def test_item_flag_marks_an_item_whose_removal_raises_alpha_by_over_two_points():
    alpha = Fraction(70, 100)

    raised = statistics.item_flags(0.5, Fraction(73, 100), alpha)
    kept = statistics.item_flags(0.5, Fraction(72, 100), alpha)

    assert [f.label for f in raised] == ["α rises without it"]
    assert kept == ()


@pytest.mark.parametrize(
    ("share", "flagged"),
    [(Fraction(1, 100), True), (Fraction(2, 100), False), (Fraction(40, 100), False),
     (Fraction(41, 100), True)],
)  # fmt: skip
def test_pattern_flag_asks_for_review_outside_two_to_forty_percent(share, flagged):
    assert bool(statistics.pattern_flags(share)) is flagged


def test_every_flag_has_a_text_label_and_a_plain_explanation():
    flags = [value for value in vars(statistics).values() if isinstance(value, statistics.Flag)]

    assert len(flags) == 9
    assert all(f.label and f.explanation and f.level in ("amber", "red", "review") for f in flags)
