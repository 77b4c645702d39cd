"""score-1 against the worked examples of ASSESSMENT.md §3.9 and the engine's API contract."""

import json
import random
from fractions import Fraction

import pytest

from assessments import scoring
from assessments.scoring import score_1
from assessments.scoring.spec import InstrumentSpec, ItemSpec
from tests.assessments.scoring.worked_examples import (
    EXAMPLE_2,
    EXAMPLE_3,
    SPEC,
    WORKED_EXAMPLES,
    cells_keyed,
    keyed_sheet,
    sheet,
    uniform,
)


def snapshot(engine, answers: dict, mode: str = "both", **kwargs) -> dict:
    return engine.score(SPEC, answers, mode=mode, **kwargs).as_dict()


@pytest.mark.parametrize("example", WORKED_EXAMPLES, ids=lambda e: e.name)
def test_worked_example_dimensions_match_the_spec(engine, example):
    result = snapshot(engine, example.answers, example.mode)

    for code, expected in example.dimensions.items():
        assert result["dimensions"][code] == expected, code


@pytest.mark.parametrize("example", WORKED_EXAMPLES, ids=lambda e: e.name)
def test_worked_example_top_level_matches_the_spec(engine, example):
    result = snapshot(engine, example.answers, example.mode)

    for key, expected in example.top.items():
        assert result[key] == expected, key


def test_example_2_rep_not_scored_reports_answered_and_needed(engine):
    rep = snapshot(engine, EXAMPLE_2.answers)["dimensions"]["REP"]

    assert (rep["n"], rep["s"], rep["needed"], rep["items"]) == (8, 40, 9, 12)
    assert rep["score"] is None and rep["display"] is None and rep["band"] == "not_scored"


def test_example_3_unanswered_dimensions_are_absent_and_the_rest_not_scored(engine):
    result = snapshot(engine, EXAMPLE_2.answers)

    assert {d for d, v in result["dimensions"].items() if v["band"] != "not_scored"} == {"TRU"}
    assert result["focus"]["reason"] == "too_few_scored"


def test_example_3_not_fired_patterns_stay_silent(engine):
    result = snapshot(engine, EXAMPLE_3.answers)
    fired = {(p["code"], p["dimension"]) for p in result["patterns"]}

    assert ("CTX-CLOSE", "TRU") not in fired
    assert ("MEN-STRAIN", "MEN") not in fired
    assert ("BON-LONGING", "BON") not in fired
    assert len(fired) == 4


def test_example_3_quality_is_ok_without_timing(engine):
    quality = snapshot(engine, EXAMPLE_3.answers)["quality"]

    assert quality["level"] == "ok" and quality["flags"] == []
    assert quality["too_fast_total"] is None and quality["total_ms"] is None
    assert (quality["evaluable_cells"], quality["missing"], quality["active_scored"]) == (24, 0, 72)


def test_as_dict_is_json_serialisable_without_floats(engine):
    result = snapshot(engine, EXAMPLE_3.answers, page_ms={p: 30_000 for p in range(1, 8)})

    def walk(value):
        assert not isinstance(value, float)
        if isinstance(value, dict):
            assert all(isinstance(k, str) for k in value)
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        else:
            assert value is None or isinstance(value, str | int | bool)

    walk(result)
    assert json.loads(json.dumps(result)) == result


def test_as_dict_names_rules_mode_and_instrument(engine):
    result = snapshot(engine, EXAMPLE_3.answers)

    assert (result["rules"], result["mode"], result["instrument"]) == ("score-1", "both", "1.0")
    assert list(result)[:3] == ["rules", "instrument", "mode"]


def test_as_dict_returns_fresh_dicts_each_call(engine):
    result = engine.score(SPEC, EXAMPLE_3.answers, mode="both")
    first = result.as_dict()
    first["dimensions"]["MEN"]["facets"]["1"]["n"] = 99

    assert result.as_dict()["dimensions"]["MEN"]["facets"]["1"]["n"] == 6


def test_registry_get_returns_the_package_whose_api_is_the_fast_engine():
    assert scoring.get("score-1") is score_1
    assert scoring.RULES[scoring.CURRENT] is score_1
    assert score_1.VERSION == score_1.reference.VERSION == "score-1"
    assert score_1.score is score_1.fast.score and score_1.compare is score_1.fast.compare


def test_registry_get_raises_key_error_for_an_unknown_version():
    with pytest.raises(KeyError, match="score-9"):
        scoring.get("score-9")


@pytest.mark.parametrize("bad", [0, 8, -1, 300, 5.0, "5", True, False, 4.5, [4]])
@pytest.mark.parametrize("with_skips", [False, True])
def test_score_rejects_an_invalid_answer_with_value_error(engine, bad, with_skips):
    answers = dict(EXAMPLE_3.answers) | {"MEN1-C1": bad}
    if with_skips:
        answers["BON2-W3"] = None

    with pytest.raises(ValueError):
        engine.score(SPEC, answers, mode="both")


@pytest.mark.parametrize("bad", [-1, 0, 8, 300, True])
def test_score_rejects_an_invalid_answer_on_a_complete_sheet(engine, bad):
    # every active item answered, so no None takes the slow path (a negative int once
    # escaped as UnboundLocalError here)
    answers = {item.code: 4 for item in SPEC.items} | {"MEN1-C1": bad}

    with pytest.raises(ValueError, match="answers must be integers 1..7 or None"):
        engine.score(SPEC, answers, mode="both")


def test_score_rejects_an_invalid_check_item_answer_with_value_error(engine):
    with pytest.raises(ValueError):
        engine.score(SPEC, {"QC1": 9}, mode="both")


def test_score_rejects_an_unknown_mode_with_value_error(engine):
    with pytest.raises(ValueError):
        engine.score(SPEC, {}, mode="everything")


def test_score_ignores_answers_to_inactive_items(engine):
    work_garbage = {code: 99 for code in EXAMPLE_3.answers if "-W" in code}
    answers = {c: v for c, v in EXAMPLE_3.answers.items() if "-C" in c} | work_garbage

    result = snapshot(engine, answers, "close_only")

    assert result["dimensions"]["MEN"]["n"] == 6


def test_score_ignores_unknown_codes(engine):
    assert snapshot(engine, dict(EXAMPLE_3.answers) | {"XYZ": "junk"}) == snapshot(
        engine, EXAMPLE_3.answers
    )


def test_active_items_hide_the_other_context_but_keep_checks(engine):
    close = engine.active_items(SPEC, "close_only")
    work = engine.active_items(SPEC, "work_only")
    both = engine.active_items(SPEC, "both")

    assert len(both) == 76 and len(close) == 40 and len(work) == 40
    assert all(i.context in (None, "C") for i in close)
    assert [i.code for i in close if i.kind != "scored"] == ["QC1", "QC2", "QC3", "WB1"]
    assert [i.position for i in both] == sorted(i.position for i in both)


def test_reverse_keying_comes_from_the_stored_attribute_not_the_code(engine):
    flipped = tuple(
        ItemSpec(**{**vars(i), "reverse": not i.reverse}) if i.kind == "scored" else i
        for i in SPEC.items
    )
    spec = InstrumentSpec("1.0-flipped", flipped)
    answers = keyed_sheet(REG=uniform(7))

    result = engine.score(spec, answers, mode="both").as_dict()

    assert result["dimensions"]["REG"]["s"] == 12  # every item now keys to 1


def test_single_context_mode_has_no_contexts_asi_or_gasi(engine):
    answers = {c: v for c, v in EXAMPLE_3.answers.items() if "-C" in c}

    result = snapshot(engine, answers, "close_only")
    men = result["dimensions"]["MEN"]

    assert men["contexts"] is None and men["asi"] is None and result["gasi"] is None
    assert (men["items"], men["needed"]) == (6, 5)
    assert (men["facets"]["1"]["items"], men["facets"]["1"]["needed"]) == (3, 3)
    assert not any(p["code"].startswith("CTX") for p in result["patterns"])


def test_single_context_mode_scores_close_items_as_in_both_mode(engine):
    answers = {c: v for c, v in EXAMPLE_3.answers.items() if "-C" in c}

    men = snapshot(engine, answers, "close_only")["dimensions"]["MEN"]

    assert (men["n"], men["s"], men["score"]) == (6, 28, "61.11")


@pytest.mark.parametrize(
    ("wb1", "support"),
    [(None, "none"), (1, "none"), (4, "none"), (5, "gentle"), (6, "urgent"), (7, "urgent")],
)
def test_support_follows_wb1(engine, wb1, support):
    assert snapshot(engine, {"WB1": wb1})["support"] == support


def test_focus_next_step_is_the_lowest_developing_dimension(engine):
    answers = keyed_sheet(
        MEN=uniform(6),
        EMP=uniform(5),
        REG=uniform(5),
        TRU=uniform(6),
        REP=uniform(7),
        BON=uniform(7),
    )

    focus = snapshot(engine, answers)["focus"]

    assert focus["primary"]["kind"] == "next_step"
    assert (focus["primary"]["dimension"], focus["primary"]["target"]) == ("REG", "REG1")
    assert focus["secondary"] is None


def test_focus_is_maintain_when_everything_is_well_developed(engine):
    answers = keyed_sheet(**{d: uniform(6) for d in ("MEN", "EMP", "REG", "TRU", "REP", "BON")})

    focus = snapshot(engine, answers)["focus"]

    assert focus["primary"] == {
        "kind": "maintain", "code": "MAINTAIN", "dimension": None, "target": "MAINTAIN",
        "target_dimension": None, "v": None,
    }  # fmt: skip
    assert focus["secondary"] is None and focus["reason"] is None


def test_focus_ties_in_v_break_by_foundation_order(engine):
    answers = keyed_sheet(**{d: uniform(6) for d in ("MEN", "EMP", "TRU", "REP")})
    answers |= keyed_sheet(BON=uniform(3), REG=uniform(3))

    focus = snapshot(engine, answers)["focus"]

    assert (focus["primary"]["dimension"], focus["secondary"]["dimension"]) == ("REG", "BON")
    assert focus["primary"]["kind"] == "underdeveloped" and focus["primary"]["code"] == "REG"


def test_focus_plain_underdevelopment_targets_the_lower_facet_with_ties_to_f1(engine):
    tie = cells_keyed([3, 3, 3], [3, 3, 3], [3, 3, 3], [3, 3, 3])
    lower_f2 = cells_keyed([3, 3, 3], [3, 3, 3], [2, 2, 2], [2, 2, 2])
    answers = keyed_sheet(MEN=uniform(6), EMP=uniform(6), REG=tie, TRU=lower_f2)

    result = snapshot(engine, answers)
    targets = {
        c["dimension"]: c["target"]
        for c in (result["focus"]["primary"], result["focus"]["secondary"])
    }

    assert targets == {"TRU": "TRU2", "REG": "REG1"}


def test_emp_flood_targets_the_lower_men_facet(engine):
    men = cells_keyed([3, 3, 3], [3, 3, 3], [2, 2, 2], [2, 2, 2])  # MEN 25.00, MEN2 lower
    answers = keyed_sheet(MEN=men, EMP=uniform(6), REG=uniform(6), TRU=uniform(6))

    result = snapshot(engine, answers)
    flood = next(p for p in result["patterns"] if p["code"] == "EMP-FLOOD")

    assert flood == {"code": "EMP-FLOOD", "dimension": "EMP", "v": "25.00", "target": "MEN2"}
    assert result["dimensions"]["EMP"]["status"] == "miscalibrated"
    assert result["dimensions"]["MEN"]["status"] == "underdeveloped"
    assert result["focus"]["primary"]["code"] == "EMP-FLOOD"
    assert result["focus"]["primary"]["target_dimension"] == "MEN"
    assert result["focus"]["secondary"] is None  # MEN plain shares the target dimension


def test_patterns_involving_a_not_scored_dimension_do_not_fire(engine):
    answers = keyed_sheet(REG=uniform(7), BON=[1] * 8 + [None] * 4)

    result = snapshot(engine, answers)

    assert result["patterns"] == []
    assert result["dimensions"]["BON"]["band"] == "not_scored"


def test_underdeveloped_count_and_company_note_follow_the_bands(engine):
    answers = keyed_sheet(**{d: uniform(2) for d in ("MEN", "EMP", "REG", "TRU")})

    result = snapshot(engine, answers)

    assert result["underdeveloped_count"] == 4 and result["company_note"] is True


def test_repr_spec_round_trip_of_example_sheet_helper(engine):
    assert sheet(REG="1 - 7 1 1 1 1 1 1 1 1 1")["REG1-C2"] is None


def _replace(item: ItemSpec, **changes) -> ItemSpec:
    return ItemSpec(**{**vars(item), **changes})


@pytest.mark.parametrize(
    "change",
    [
        {"position": 1},  # duplicate position
        {"code": "QC9", "kind": "qc", "dimension": None, "facet": None, "context": None},
        {"context": None},  # scored item outside any cell
        {"page": 1},  # page out of presentation order
    ],
)
def test_malformed_spec_is_rejected_with_value_error(engine, change):
    items = list(SPEC.items)
    items[-2] = _replace(items[-2], **change)  # the last scored item (page 6)
    spec = InstrumentSpec("bad", tuple(items))

    with pytest.raises(ValueError):
        engine.score(spec, {}, mode="both")


def test_result_dimensions_follow_display_order(engine):
    result = engine.score(SPEC, EXAMPLE_3.answers, mode="both")

    assert [d.code for d in result.dimensions] == list(engine.DIMENSIONS)
    assert result.dimensions[0].scale.score == Fraction(100 * 51, 72)  # MEN 70.83…


@pytest.mark.parametrize("mode", score_1.MODES)
def test_fast_snapshot_dimensions_match_the_per_dimension_view(mode):
    """fast.py's Result.as_dict() builds dimensions straight from the scales;
    DimensionResult.as_dict() is the readable per-dimension form. They must never drift apart."""
    rng = random.Random(mode)
    for _ in range(200):
        answers = {
            item.code: None if rng.random() < 0.1 else rng.randint(1, 7) for item in SPEC.items
        }
        result = score_1.fast.score(SPEC, answers, mode=mode)
        snapshot = result.as_dict()
        assert snapshot["dimensions"] == {d.code: d.as_dict() for d in result.dimensions}
        assert snapshot["underdeveloped_count"] == result.underdeveloped_count


SCORED_CODES = [i.code for i in SPEC.items if i.kind == "scored"]


def test_raising_an_answer_moves_its_dimension_with_the_keying(engine):
    """Seeded: one answer one step higher never lowers (forward) or raises (reverse) its
    dimension score."""
    rng, by_code = random.Random(11), {i.code: i for i in SPEC.items}
    for _ in range(300):
        answers = {c: rng.choice([None, *range(1, 8)]) for c in SCORED_CODES}
        code = rng.choice(SCORED_CODES)
        low = rng.randint(1, 6)
        item = by_code[code]
        k = engine.DIMENSIONS.index(item.dimension)

        before = engine.score(SPEC, answers | {code: low}, mode="both").dimensions[k].scale.score
        after = engine.score(SPEC, answers | {code: low + 1}, mode="both").dimensions[k]

        if before is not None:
            assert (after.scale.score <= before) if item.reverse else (after.scale.score >= before)


@pytest.mark.parametrize("mode", score_1.MODES)
def test_midpoint_answers_score_50_everywhere_and_fire_nothing(engine, mode):
    rng = random.Random(mode)
    for _ in range(100):
        answers = {c: rng.choice([4, 4, 4, 4, 4, None]) for c in SCORED_CODES}

        result = engine.score(SPEC, answers, mode=mode).as_dict()

        for d in result["dimensions"].values():
            scales = [d, *d["facets"].values(), *(d["contexts"] or {}).values()]
            assert {s["score"] for s in scales} <= {None, "50.00"}
            assert d["asi"] in (None, "0.00")
        assert result["patterns"] == []
