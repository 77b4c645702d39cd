"""Change over time (ASSESSMENT.md §6), compared from stored snapshots alone."""

import json
from fractions import Fraction

import pytest

from assessments.scoring.spec import ReliabilityParams
from tests.assessments.scoring.worked_examples import (
    EXAMPLE_1,
    EXAMPLE_3,
    SPEC,
    keyed_sheet,
    uniform,
)

DIMS = ("MEN", "EMP", "REG", "TRU", "REP", "BON")


def snapshot(engine, answers: dict, mode: str = "both", **kwargs) -> dict:
    return engine.score(SPEC, answers, mode=mode, **kwargs).as_dict()


def reg_at(engine, s_keyed: list, mode: str = "both") -> dict:
    return snapshot(engine, keyed_sheet(REG=s_keyed), mode)


RETAKE_75 = [5] * 6 + [6] * 6  # S = 66, n = 12 → 75.00


def test_spec_example_54_17_to_75_is_a_reliable_increase(engine):
    change = engine.compare(
        snapshot(engine, EXAMPLE_1.answers), reg_at(engine, RETAKE_75)
    ).as_dict()
    reg = change["dimensions"]["REG"]

    assert (reg["delta"], reg["delta_display"], reg["rc"]) == ("20.83", 21, "2.20")
    assert reg["label"] == "reliable_increase" and reg["reason"] is None


def test_spec_example_62_50_to_75_is_about_the_same(engine):
    earlier = reg_at(engine, [5] * 9 + [4] * 3)  # S = 57 → 62.50

    reg = engine.compare(earlier, reg_at(engine, RETAKE_75)).as_dict()["dimensions"]["REG"]

    assert (reg["delta"], reg["rc"], reg["label"]) == ("12.50", "1.32", "about_the_same")
    assert reg["delta_display"] == 13


def test_decrease_of_12_50_displays_minus_13(engine):
    reg = engine.compare(reg_at(engine, RETAKE_75), reg_at(engine, [5] * 9 + [4] * 3)).as_dict()[
        "dimensions"
    ]["REG"]

    assert (reg["delta"], reg["delta_display"], reg["rc"]) == ("-12.50", -13, "-1.32")


def test_large_drop_is_a_reliable_decrease(engine):
    reg = engine.compare(reg_at(engine, RETAKE_75), reg_at(engine, uniform(3))).as_dict()[
        "dimensions"
    ]["REG"]

    assert reg["label"] == "reliable_decrease"


# Δ = 50 (25.00 → 75.00); with r = 1/2, S_diff = SD, so SD = 50 / 1.96 makes RC exactly 1.96.
EXACT = ReliabilityParams("EXACT", {d: (Fraction(1250, 49), Fraction(1, 2)) for d in DIMS})
SD_OVER = Fraction(1250, 49) + Fraction(1, 10**9)
JUST_OVER = ReliabilityParams("OVER", {d: (SD_OVER, Fraction(1, 2)) for d in DIMS})


@pytest.mark.parametrize(
    ("params", "before", "after", "label"),
    [
        (EXACT, [3, 3, 3, 2, 2, 2] * 2, RETAKE_75, "reliable_increase"),
        (EXACT, RETAKE_75, [3, 3, 3, 2, 2, 2] * 2, "reliable_decrease"),
        (JUST_OVER, [3, 3, 3, 2, 2, 2] * 2, RETAKE_75, "about_the_same"),
        (JUST_OVER, RETAKE_75, [3, 3, 3, 2, 2, 2] * 2, "about_the_same"),
    ],
)
def test_rc_of_exactly_196_is_reliable(engine, params, before, after, label):
    change = engine.compare(reg_at(engine, before), reg_at(engine, after), params=params).as_dict()

    assert change["dimensions"]["REG"]["label"] == label
    assert change["params_id"] == params.id


def test_reliable_label_decides_the_boundary_exactly(engine):
    assert (
        engine.reliable_label(Fraction(50), Fraction(1250, 49), Fraction(1, 2))
        == "reliable_increase"
    )
    assert (
        engine.reliable_label(Fraction(-50), Fraction(1250, 49), Fraction(1, 2))
        == "reliable_decrease"
    )
    assert engine.reliable_label(Fraction(0), Fraction(15), Fraction(1)) == "about_the_same"


def test_p0_needs_about_18_6_points(engine):
    sd, r = engine.P0.per_dimension["REG"]

    assert engine.reliable_label(Fraction(186, 10), sd, r) == "reliable_increase"
    assert engine.reliable_label(Fraction(185, 10), sd, r) == "about_the_same"


def test_low_quality_profile_is_not_comparable(engine):
    low = snapshot(engine, keyed_sheet(REG=uniform(3)) | {"QC1": 7, "QC3": 1})

    reg = engine.compare(low, reg_at(engine, RETAKE_75)).as_dict()["dimensions"]["REG"]

    assert (reg["label"], reg["reason"]) == ("not_comparable", "low_quality")
    assert reg["delta"] == "41.67"  # the difference itself is still shown


def test_different_modes_are_not_comparable(engine):
    close = {c: v for c, v in keyed_sheet(REG=RETAKE_75).items() if "-C" in c}

    change = engine.compare(
        snapshot(engine, EXAMPLE_1.answers), snapshot(engine, close, "close_only")
    ).as_dict()

    assert change["dimensions"]["REG"]["reasons"] == ["mode_differs"]
    assert change["dimensions"]["REG"]["contexts"] == {"C": None, "W": None}


def test_substantively_changed_dimension_is_not_comparable(engine):
    change = engine.compare(
        snapshot(engine, EXAMPLE_1.answers),
        reg_at(engine, RETAKE_75),
        substantive_dimensions={"REG"},
    ).as_dict()

    assert change["dimensions"]["REG"]["reasons"] == ["item_changed"]


def test_dimension_not_scored_in_either_profile_is_not_scored(engine):
    change = engine.compare(
        snapshot(engine, EXAMPLE_1.answers), reg_at(engine, RETAKE_75)
    ).as_dict()

    assert change["dimensions"]["MEN"]["label"] == "not_scored"
    assert change["dimensions"]["MEN"]["delta"] is None


def test_dimension_scored_in_one_profile_only_shows_no_facet_or_context_difference(engine):
    # 8 of 12 answered: REG itself is not scored, but REG1 (6 of 6) and C (5 of 6) would be.
    earlier = reg_at(engine, [4] * 6 + [4, 4, None] + [None] * 3)
    assert earlier["dimensions"]["REG"]["facets"]["1"]["score"] is not None

    reg = engine.compare(earlier, reg_at(engine, RETAKE_75)).as_dict()["dimensions"]["REG"]

    assert reg["label"] == "not_scored"
    assert reg["facets"] == {"1": None, "2": None}
    assert reg["contexts"] == {"C": None, "W": None}
    assert reg["asi"] is None


def test_facet_context_and_asi_changes_are_descriptive(engine):
    reg = engine.compare(snapshot(engine, EXAMPLE_1.answers), reg_at(engine, RETAKE_75)).as_dict()[
        "dimensions"
    ]["REG"]

    # Example 1 → RETAKE_75: REG1 30.56 → 66.67, REG2 77.78 → 83.33, C 47.22 → 75.00
    assert reg["facets"]["1"] == {"delta": "36.11", "display": 36}
    assert reg["facets"]["2"] == {"delta": "5.56", "display": 6}
    assert reg["contexts"]["C"] == {"delta": "27.78", "display": 28}
    assert reg["asi"] == {"delta": "-13.89", "display": -14}


def test_patterns_new_and_resolved_are_listed(engine):
    change = engine.compare(
        snapshot(engine, EXAMPLE_1.answers), reg_at(engine, RETAKE_75)
    ).as_dict()

    assert change["patterns_resolved"] == [{"code": "REG-TRIGGER", "dimension": "REG"}]
    assert change["patterns_new"] == []


def test_patterns_of_a_dimension_not_scored_later_are_not_resolved(engine):
    change = engine.compare(snapshot(engine, EXAMPLE_1.answers), snapshot(engine, {})).as_dict()

    assert change["patterns_resolved"] == []


@pytest.mark.parametrize(("days", "note"), [(None, False), (0, True), (27, True), (28, False)])
def test_memory_note_under_28_days(engine, days, note):
    change = engine.compare(
        snapshot(engine, EXAMPLE_3.answers), snapshot(engine, EXAMPLE_3.answers), days_apart=days
    )

    assert change.memory_note is note and change.as_dict()["days_apart"] == days


def test_comparison_of_identical_profiles_is_about_the_same_everywhere(engine):
    change = engine.compare(
        snapshot(engine, EXAMPLE_3.answers), snapshot(engine, EXAMPLE_3.answers)
    ).as_dict()

    assert {d["label"] for d in change["dimensions"].values()} == {"about_the_same"}
    assert change["dimensions"]["TRU"]["delta"] == "0.00"


def test_comparison_dict_is_json_serialisable(engine):
    change = engine.compare(
        snapshot(engine, EXAMPLE_1.answers), reg_at(engine, RETAKE_75)
    ).as_dict()

    assert json.loads(json.dumps(change)) == change
    assert "float" not in json.dumps(change)
