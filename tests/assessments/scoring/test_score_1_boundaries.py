"""Every threshold of score-1 at, just below and just above its boundary (§3.2-§3.8)."""

import random
from fractions import Fraction

import pytest

from assessments.scoring import _exact
from assessments.scoring.score_1 import fast, reference
from assessments.scoring.spec import CONTEXTS, DIMENSIONS, FACETS, InstrumentSpec, ItemSpec
from tests.assessments.scoring.worked_examples import SPEC, cells_keyed, keyed_sheet, uniform

DIMS = ("MEN", "EMP", "REG", "TRU", "REP", "BON")


def snapshot(engine, answers: dict, mode: str = "both") -> dict:
    return engine.score(SPEC, answers, mode=mode).as_dict()


def reg(engine, keyed: list, mode: str = "both") -> dict:
    return snapshot(engine, keyed_sheet(REG=keyed), mode)["dimensions"]["REG"]


@pytest.mark.parametrize(
    ("keyed", "score", "band"),
    [
        (uniform(4), "50.00", "developing"),  # exactly 50 is not "< 50"
        ([3] + [4] * 11, "48.61", "underdeveloped"),
        ([5] * 6 + [6] * 6, "75.00", "well_developed"),  # exactly 75 is inclusive
        ([5] * 7 + [6] * 5, "73.61", "developing"),
        (uniform(1), "0.00", "underdeveloped"),
        (uniform(7), "100.00", "well_developed"),
    ],
)
def test_band_boundaries_are_exact(engine, keyed, score, band):
    result = reg(engine, keyed)

    assert (result["score"], result["band"]) == (score, band)


@pytest.mark.parametrize(("answered", "scored"), [(12, True), (9, True), (8, False), (0, False)])
def test_dimension_needs_nine_of_twelve(engine, answered, scored):
    keyed = [4] * answered + [None] * (12 - answered)

    assert (reg(engine, keyed)["score"] is not None) is scored


@pytest.mark.parametrize(("answered", "scored"), [(6, True), (5, True), (4, False)])
def test_facet_needs_five_of_six(engine, answered, scored):
    f1 = [4] * answered + [None] * (6 - answered)

    facet = reg(engine, f1 + [4] * 6)["facets"]["1"]

    assert (facet["score"] is not None) is scored and facet["needed"] == 5


@pytest.mark.parametrize(("answered", "scored"), [(6, True), (5, True), (4, False)])
def test_context_needs_five_of_six(engine, answered, scored):
    skipped = 6 - answered
    close = [None] * skipped + [4] * (3 - skipped) if skipped <= 3 else [None] * 3
    rest = [4] * 3 if skipped <= 3 else [None] * (skipped - 3) + [4] * (6 - skipped)
    keyed = cells_keyed(close, [4, 4, 4], rest, [4, 4, 4])

    context = reg(engine, keyed)["contexts"]["C"]

    assert context["n"] == answered and (context["score"] is not None) is scored


@pytest.mark.parametrize(("answered", "scored"), [(6, True), (5, True), (4, False)])
def test_single_mode_dimension_needs_five_of_six(engine, answered, scored):
    close = [4] * answered + [None] * (6 - answered)
    keyed = cells_keyed(close[:3], [None] * 3, close[3:], [None] * 3)

    result = reg(engine, keyed, "close_only")

    assert (result["score"] is not None) is scored and result["needed"] == 5


@pytest.mark.parametrize(("answered", "scored"), [(3, True), (2, False)])
def test_single_mode_facet_needs_three_of_three(engine, answered, scored):
    f1 = [4] * answered + [None] * (3 - answered)
    keyed = cells_keyed([None] * 3, f1, [None] * 3, [4, 4, 4])

    facet = reg(engine, keyed, "work_only")["facets"]["1"]

    assert (facet["score"] is not None) is scored and facet["needed"] == 3


def test_gap_of_exactly_25_fires(engine):
    assert engine.gap(engine.make_scale(6, 6, 24), engine.make_scale(6, 6, 15))  # 50.00 vs 25.00


def test_gap_just_under_25_does_not_fire(engine):
    high, low = engine.make_scale(12, 11, 58), engine.make_scale(12, 9, 34)  # 71.21 vs 46.30: 24.92

    assert high.score >= 50 > low.score and not engine.gap(high, low)


def test_gap_needs_the_low_side_below_50(engine):
    high, low = engine.make_scale(6, 6, 42), engine.make_scale(6, 6, 24)  # 100 vs exactly 50

    assert not engine.gap(high, low)


def test_gap_accepts_exactly_50_on_the_high_side(engine):
    assert engine.gap(engine.make_scale(6, 6, 24), engine.make_scale(6, 6, 6))  # 50 vs 0


def test_gap_is_false_when_a_side_is_not_scorable(engine):
    assert not engine.gap(engine.make_scale(6, 4, 28), engine.make_scale(6, 6, 6))
    assert not engine.gap(engine.make_scale(6, 6, 42), None)


def test_reg_trigger_fires_at_a_gap_of_exactly_25_end_to_end(engine):
    keyed = cells_keyed([3, 3, 3], [2, 2, 2], [4, 4, 4], [4, 4, 4])  # REG1 25.00, REG2 50.00

    result = reg(engine, keyed)

    assert result["facets"]["1"]["score"] == "25.00" and result["facets"]["2"]["score"] == "50.00"
    assert result["patterns"] == ["REG-TRIGGER"]


@pytest.mark.parametrize(
    ("close", "work", "asi", "notable"),
    [
        ([3, 3, 3, 2, 2, 2], [4] * 6, "25.00", True),  # C 25.00, W 50.00
        ([4] * 6, [3, 3, 3, 2, 2, 2], "-25.00", True),
        ([3, 3, 3, 2, 2, 2], [4] * 5 + [3], "22.22", False),  # W 47.22
    ],
)
def test_asi_is_notable_from_exactly_25(engine, close, work, asi, notable):
    result = reg(engine, cells_keyed(close[:3], work[:3], close[3:], work[3:]))

    assert (result["asi"], result["asi_notable"]) == (asi, notable)


def _asi_15(flip: bool = False) -> list:
    """C: n = 5, S = 8 → 10.00; W: n = 6, S = 15 → 25.00; ASI = +15 exactly (or −15)."""
    close = ([None, 2, 2], [1, 1, 2])
    work = ([3, 3, 3], [2, 2, 2])
    if flip:  # W: n = 5, S = 8; C: n = 6, S = 15
        close, work = work, close
    return cells_keyed(close[0], work[0], close[1], work[1])


@pytest.mark.parametrize(
    ("flip", "gasi", "direction"), [(False, "15.00", "work"), (True, "-15.00", "close")]
)
def test_gasi_is_notable_from_exactly_15(engine, flip, gasi, direction):
    answers = keyed_sheet(**{d: _asi_15(flip) for d in DIMS[:4]})

    result = snapshot(engine, answers)

    assert result["dimensions"]["MEN"]["asi"] == ("-" if flip else "") + "15.00"
    assert (result["gasi"], result["gasi_notable"], result["gasi_direction"]) == (
        gasi,
        True,
        direction,
    )


def test_gasi_just_under_15_is_not_notable(engine):
    weaker = _asi_15()
    weaker[3] = 2  # one W answer lower: W 22.22, ASI 12.22
    answers = keyed_sheet(**{d: _asi_15() for d in DIMS[:3]}, TRU=weaker)

    result = snapshot(engine, answers)

    assert result["gasi"] == "14.31" and result["gasi_notable"] is False
    assert result["gasi_direction"] is None


def test_gasi_needs_at_least_four_asis(engine):
    answers = keyed_sheet(**{d: _asi_15() for d in DIMS[:3]})

    result = snapshot(engine, answers)

    assert result["gasi"] is None and result["gasi_notable"] is False


def test_display_rounds_the_exact_score_half_up(engine):
    assert reg(engine, [5] * 3 + [4] * 9)["score"] == "54.17"  # S = 51
    assert reg(engine, [5] * 3 + [4] * 9)["display"] == 54
    assert reg(engine, [5] * 9 + [4] * 3)["score"] == "62.50"  # S = 57
    assert reg(engine, [5] * 9 + [4] * 3)["display"] == 63


ROUNDING = [
    (Fraction(125, 2), 0, 63, 63),
    (Fraction(-25, 2), 0, -12, -13),
    (Fraction(1, 2), 0, 1, 1),
    (Fraction(-1, 2), 0, 0, -1),
    (Fraction(1005, 1000), 2, 101, 101),  # x.xx5 at 2 places
    (Fraction(-1005, 1000), 2, -100, -101),
    (Fraction(1004999, 1000000), 2, 100, 100),
    (Fraction(2, 3), 2, 67, 67),
]


@pytest.mark.parametrize(("value", "places", "half_up", "half_away"), ROUNDING)
def test_fast_rounding_sends_halves_up_or_away_from_zero(value, places, half_up, half_away):
    num, den = value.numerator, value.denominator

    assert _exact.half_up(num, den, places) == half_up
    assert _exact.half_away(num, den, places) == half_away


@pytest.mark.parametrize(("value", "places", "half_up", "half_away"), ROUNDING)
def test_reference_rounding_sends_halves_up_or_away_from_zero(value, places, half_up, half_away):
    unit = Fraction(1, 10**places)

    assert reference.half_up(value, places) == half_up * unit
    assert reference.half_away(value, places) == half_away * unit


@pytest.mark.parametrize(
    ("value", "text", "display"),
    [
        (Fraction(-25, 2), "-12.50", -13),
        (Fraction(-1, 1000), "0.00", 0),
        (Fraction(2025, 1000), "2.03", 2),
    ],
)
def test_signed_text_and_display_round_half_away_from_zero(value, text, display):
    assert _exact.fraction_text(value) == text
    assert _exact.fraction_display(value) == display
    assert reference.signed(value) == {"delta": text, "display": display}


@pytest.mark.parametrize(
    ("num", "den", "text"),
    [(1, 4, "0.50"), (0, 1, "0.00"), (2, 1, "1.41"), (9801, 40000, "0.50"), (9800, 40000, "0.49")],
)
def test_sqrt_text_rounds_exactly(num, den, text):
    assert _exact.sqrt_text(num, den) == text
    assert reference.sqrt_text(Fraction(num, den)) == text


def big_spec(per_cell: int) -> InstrumentSpec:
    """Every cell `per_cell` items (one in three reverse-keyed), one page per dimension."""
    items = []
    for page, dimension in enumerate(DIMENSIONS, start=1):
        for facet in FACETS:
            for context in CONTEXTS:
                for number in range(1, per_cell + 1):
                    code = f"{dimension}{facet}-{context}{number}"
                    reverse = number % 3 == 0
                    position = len(items) + 1
                    items.append(
                        ItemSpec(code, "scored", dimension, facet, context, reverse, page, position)
                    )
    return InstrumentSpec("big", tuple(items))


@pytest.mark.parametrize("per_cell", [6, 20])  # cells read as 8-byte ints, and as slices
def test_fast_scales_beyond_key_items_compare_exactly_like_the_spec_says(per_cell):
    """fast.py only: scales with more than KEY_ITEMS answers keep exact Fraction keys;
    patterns, targets, focus order and GASI must agree with plain Fraction arithmetic."""
    spec = big_spec(per_cell)  # dimensions of 4 × per_cell items
    rng = random.Random(5)
    fraction_keys = 0
    for _ in range(150):
        level = {d: rng.randint(1, 7) for d in DIMENSIONS}
        answers = {
            i.code: None
            if rng.random() < 0.1
            else max(1, min(7, level[i.dimension] + rng.randint(-2, 2)))
            for i in spec.items
        }
        result = fast.score(spec, answers, mode="both")
        scales = {name: scale for name, scale in zip(fast._SCALE_NAMES, result.scales, strict=True)}
        for name, scale in scales.items():  # n and S straight from the answers
            members = [i for i in spec.items if _in_scale(i, name) and answers[i.code]]
            keyed = [8 - answers[i.code] if i.reverse else answers[i.code] for i in members]
            assert (scale.n, scale.s) == (len(keyed), sum(keyed)), name
        fraction_keys += sum(type(s.key) is Fraction for s in result.scales if s and s.key)
        for name, scale in scales.items():
            if scale.score is not None:
                assert Fraction(scale.key) / fast.KEY_UNIT == scale.score, name
        expected = []
        for code, marked, high, low in fast.PATTERNS:
            involved = {marked, high[:3], low[:3]}
            if fast.gap(scales[high], scales[low]) and all(
                scales[d].score is not None for d in involved
            ):
                expected.append(code)
        assert [hit.code for hit in result.patterns] == expected
        asis = [d.asi.value for d in result.dimensions if d.asi is not None]
        if len(asis) >= 4:
            assert result.gasi == sum(asis) / len(asis)
        for hit in result.patterns:
            if hit.scale is scales[hit.target[:3]]:  # a whole dimension: its lower facet
                f1, f2 = scales[hit.target[:3] + "1"], scales[hit.target[:3] + "2"]
                lower_f2 = f2.score is not None and (f1.score is None or f2.score < f1.score)
                assert hit.target == hit.target[:3] + ("2" if lower_f2 else "1")
        below = [d.scale.score for d in result.dimensions if d.scale.below]
        values = [hit.scale.score for hit in result.patterns] + below
        scored = sum(d.scale.score is not None for d in result.dimensions)
        if values and scored >= 4:
            assert result.focus.primary.scale.score == min(values)
    assert fraction_keys > 0  # the exact fallback was exercised


def _in_scale(item: ItemSpec, name: str) -> bool:
    """Whether `item` belongs to the scale named like "MEN", "MEN1" or "MEN.C"."""
    if item.dimension != name[:3]:
        return False
    rest = name[3:]
    return not rest or rest == str(item.facet) or rest == f".{item.context}"
