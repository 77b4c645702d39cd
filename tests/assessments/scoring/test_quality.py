"""Response quality (ASSESSMENT.md §4): every flag on its own, the level table, the examples."""

import pytest

from assessments.scoring.score_1 import fast, reference
from tests.assessments.scoring.worked_examples import EXAMPLE_3, SPEC, keyed_sheet

SCORED = [i for i in sorted(SPEC.items, key=lambda i: i.position) if i.kind == "scored"]
CHECKS_PASSED = {"QC1": 2, "QC2": 1, "QC3": 5, "WB1": 1}
# A varied presentation-order sheet that raises no flag (runs of 1, one contradictory cell).
VARIED = [k % 7 + 1 for k in range(72)]


def by_position(values: list[int | None]) -> dict[str, int | None]:
    return {item.code: value for item, value in zip(SCORED, values, strict=True)}


def quality(engine, answers: dict, mode: str = "both", page_ms: dict | None = None) -> dict:
    return engine.score(SPEC, answers, mode=mode, page_ms=page_ms).as_dict()["quality"]


def test_varied_sheet_raises_no_flag(engine):
    result = quality(engine, by_position(VARIED) | CHECKS_PASSED)

    assert (result["level"], result["flags"], result["longest_run"]) == ("ok", [], 1)


def test_76_answers_in_140_seconds_is_too_fast_and_low(engine):
    answers = dict(EXAMPLE_3.answers) | CHECKS_PASSED
    # thresholds per page: 24, 26, 24, 26, 24, 26, 2 s; only page 1 is below its own.
    pages = {1: 12_000, 2: 26_000, 3: 24_000, 4: 26_000, 5: 24_000, 6: 26_000, 7: 2_000}

    result = quality(engine, answers, page_ms=pages)

    assert (result["answered"], result["total_ms"]) == (76, 140_000)
    assert result["too_fast_total"] is True and result["fast_pages"] == [1]
    assert result["flags"] == ["TOO_FAST"] and result["level"] == "low"


def test_total_time_at_the_floor_is_not_too_fast(engine):
    answers = dict(EXAMPLE_3.answers) | CHECKS_PASSED
    pages = {1: 24_000, 2: 26_000, 3: 24_000, 4: 26_000, 5: 24_000, 6: 26_000, 7: 2_000}

    result = quality(engine, answers, page_ms=pages)

    assert (
        result["too_fast_total"] is False and result["fast_pages"] == [] and result["flags"] == []
    )


def test_two_fast_pages_are_too_fast_even_when_the_total_is_not(engine):
    pages = {p: 100_000 for p in range(1, 8)} | {1: 10_000, 3: 23_999}

    result = quality(engine, dict(EXAMPLE_3.answers) | CHECKS_PASSED, page_ms=pages)

    assert result["too_fast_total"] is False and result["fast_pages"] == [1, 3]
    assert result["flags"] == ["TOO_FAST"] and result["level"] == "low"


def test_one_fast_page_alone_is_not_too_fast(engine):
    pages = {p: 100_000 for p in range(1, 8)} | {1: 10_000}

    result = quality(engine, dict(EXAMPLE_3.answers) | CHECKS_PASSED, page_ms=pages)

    assert result["fast_pages"] == [1] and result["flags"] == []


def test_pages_with_nothing_answered_cannot_be_fast(engine):
    result = quality(engine, {}, page_ms={p: 0 for p in range(1, 8)})

    assert result["fast_pages"] == [] and result["too_fast_total"] is False
    assert "TOO_FAST" not in result["flags"]


def test_missing_page_times_never_raise_too_fast(engine):
    result = quality(engine, dict(EXAMPLE_3.answers), page_ms={1: 100})

    assert result["too_fast_total"] is None and result["fast_pages"] == [1]
    assert "TOO_FAST" not in result["flags"]


def test_page_times_must_be_non_negative_integers(engine):
    with pytest.raises(ValueError):
        quality(engine, {}, page_ms={1: -5})
    with pytest.raises(ValueError):
        quality(engine, {}, page_ms={1: 1.5})


@pytest.mark.parametrize(("run", "raised"), [(13, True), (12, True), (11, False)])
def test_longstring_is_raised_from_a_run_of_12(engine, run, raised):
    values = [4] * run + VARIED[run:]
    values[run] = 5 if values[run] == 4 else values[run]

    result = quality(engine, by_position(values) | CHECKS_PASSED)

    assert result["longest_run"] == run
    assert ("LONGSTRING" in result["flags"]) is raised


def test_run_of_13_with_nothing_else_is_caution(engine):
    values = [4] * 13 + VARIED[13:]

    result = quality(engine, by_position(values) | CHECKS_PASSED)

    assert (result["flags"], result["level"]) == (["LONGSTRING"], "caution")


def test_skipped_item_ends_a_run(engine):
    values = [4] * 8 + [None] + [4] * 8 + [1] + VARIED[18:]

    assert quality(engine, by_position(values))["longest_run"] == 8


def test_check_items_do_not_break_a_run(engine):
    # QC1 sits between scored items 18 and 19 (page 2); a run across it still counts.
    values = VARIED[:12] + [6] * 12 + VARIED[24:]
    values[11] = 1 if values[11] == 6 else values[11]

    result = quality(engine, by_position(values) | CHECKS_PASSED)

    assert result["longest_run"] == 12 and "LONGSTRING" in result["flags"]


def test_fast_longest_run_of_bytes_ignores_zero_runs():
    assert fast.longest_run(bytes([0, 0, 0, 2, 2, 0, 3])) == 2
    assert fast.longest_run(b"") == 0


def test_reference_longest_run_is_ended_by_a_skip():
    assert reference.longest_run([None, None, None, 2, 2, None, 3]) == 2
    assert reference.longest_run([5, 5, None, 5, 5, 5]) == 3
    assert reference.longest_run([]) == 0


@pytest.mark.parametrize(
    ("values", "sd", "raised"), [([4, 4, 4, 5] * 18, "0.43", True), ([4, 5] * 36, "0.50", False)]
)
def test_low_variability_is_raised_below_sd_050(engine, values, sd, raised):
    result = quality(engine, by_position(values) | CHECKS_PASSED)

    assert result["sd"] == sd
    assert ("LOW_VARIABILITY" in result["flags"]) is raised


def test_no_scored_answers_give_no_sd_and_no_low_variability(engine):
    result = quality(engine, {})

    assert result["sd"] is None and "LOW_VARIABILITY" not in result["flags"]
    assert result["flags"] == ["HIGH_MISSING"]


def _cells(contradictory: int) -> dict:
    """24 evaluable cells, the first `contradictory` of them agreeing with opposites."""
    keyed = []
    for cell in range(24):
        keyed += [6, 6, 2] if cell < contradictory else [6, 5, 6]
    dims = ("MEN", "EMP", "REG", "TRU", "REP", "BON")
    return keyed_sheet(**{d: keyed[12 * k : 12 * k + 12] for k, d in enumerate(dims)})


@pytest.mark.parametrize(("count", "raised"), [(8, True), (7, False)])
def test_contradictory_is_raised_from_a_third_of_evaluable_cells(engine, count, raised):
    result = quality(engine, _cells(count) | CHECKS_PASSED)

    assert (result["contradictory_cells"], result["evaluable_cells"]) == (count, 24)
    assert ("CONTRADICTORY" in result["flags"]) is raised


def test_contradictory_counts_disagreement_with_opposites_too(engine):
    answers = keyed_sheet(MEN=[2, 3, 6] + [4] * 9)  # forward mean 2.5 ≤ 3, reverse raw 2 ≤ 3

    result = quality(engine, answers)

    assert (result["contradictory_cells"], result["evaluable_cells"]) == (1, 4)


def test_cell_without_answered_reverse_item_is_not_evaluable(engine):
    answers = keyed_sheet(MEN=[6, 6, None] + [4] * 9)

    assert quality(engine, answers)["evaluable_cells"] == 3


@pytest.mark.parametrize(("missing", "raised"), [(19, True), (18, False)])
def test_high_missing_is_raised_above_a_quarter(engine, missing, raised):
    values = [None] * missing + VARIED[missing:]

    result = quality(engine, by_position(values) | CHECKS_PASSED)

    assert result["missing"] == missing and ("HIGH_MISSING" in result["flags"]) is raised


@pytest.mark.parametrize(("missing", "raised"), [(10, True), (9, False)])
def test_high_missing_uses_the_active_items_in_single_mode(engine, missing, raised):
    close = [i for i in SCORED if i.context == "C"]
    answers = {i.code: (None if k < missing else VARIED[k]) for k, i in enumerate(close)}

    result = quality(engine, answers, "close_only")

    assert result["active_scored"] == 36
    assert ("HIGH_MISSING" in result["flags"]) is raised


@pytest.mark.parametrize(
    ("checks", "failed", "level"),
    [
        ({"QC1": 3, "QC2": 5, "QC3": 5}, ["QC1", "QC2"], "low"),
        ({"QC1": 2, "QC2": 4, "QC3": 4}, ["QC3"], "caution"),
        ({"QC1": None, "QC2": None, "QC3": None}, [], "ok"),
        ({"QC1": 1, "QC2": 7, "QC3": 1}, ["QC1", "QC2", "QC3"], "low"),
    ],
)
def test_check_items_fail_by_their_own_rule(engine, checks, failed, level):
    result = quality(engine, by_position(VARIED) | checks)

    assert (result["failed_qc"], result["level"]) == (failed, level)
    assert ("ATTENTION" in result["flags"]) is (len(failed) >= 2)


@pytest.mark.parametrize(
    ("misc", "failed", "too_fast", "level"),
    [
        (0, 0, False, "ok"),
        (1, 0, False, "caution"),
        (0, 1, False, "caution"),
        (1, 1, False, "low"),
        (2, 0, False, "low"),
        (0, 2, False, "low"),
        (0, 0, True, "low"),
        (4, 3, True, "low"),
    ],
)
def test_quality_level_table(engine, misc, failed, too_fast, level):
    assert engine.quality_level(misc, failed, too_fast) == level


def test_single_flag_with_one_failed_check_is_low(engine):
    values = [4] * 13 + VARIED[13:]

    result = quality(engine, by_position(values) | CHECKS_PASSED | {"QC3": 4})

    assert result["flags"] == ["LONGSTRING"] and result["level"] == "low"


def test_check_items_count_towards_their_page_time_floor(engine):
    # pages 2 and 4 hold 12 scored items plus QC1 / QC2: 13 answers need 26 s, 12 only 24 s.
    pages = {p: 100_000 for p in range(1, 8)} | {2: 25_000, 4: 25_000}
    answers = dict(EXAMPLE_3.answers)

    without_checks = quality(engine, answers, page_ms=pages)
    with_checks = quality(engine, answers | CHECKS_PASSED, page_ms=pages)

    assert without_checks["fast_pages"] == [] and without_checks["answered"] == 72
    assert with_checks["fast_pages"] == [2, 4] and "TOO_FAST" in with_checks["flags"]
