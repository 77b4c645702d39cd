"""Properties of score-1 over random answer sheets (hypothesis, ≥ 1,000 examples each)."""

from fractions import Fraction
from math import ceil

from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.scoring import score_1
from tests.assessments.worked_examples import SPEC

SCORED = [i for i in SPEC.items if i.kind == "scored"]
CODES = [i.code for i in SCORED]
EXAMPLES = settings(max_examples=1000, deadline=None)

answer = st.sampled_from([None, 1, 2, 3, 4, 5, 6, 7])
complete_answer = st.integers(1, 7)
sheets = st.lists(answer, min_size=72, max_size=72).map(lambda v: dict(zip(CODES, v, strict=True)))
dense_sheets = st.lists(
    st.one_of(complete_answer, complete_answer, complete_answer, answer), min_size=72, max_size=72
).map(  # noqa: E501
    lambda v: dict(zip(CODES, v, strict=True))
)
modes = st.sampled_from(score_1.MODES)


def all_scales(result: score_1.Result) -> list[score_1.Scale]:
    scales = []
    for d in result.dimensions:
        scales += [d.scale, *d.facets, *(d.contexts or ())]
    return scales


def reference_score(
    answers: dict, mode: str, dimension: str, facet: int | None
) -> tuple[int, int, Fraction | None]:
    """A naive Fraction implementation of §3.1-§3.2 for a dimension or one of its facets."""
    shown = score_1.MODE_CONTEXTS[mode]
    items = [
        i
        for i in SCORED
        if i.context in shown and i.dimension == dimension and facet in (None, i.facet)
    ]
    keyed = [8 - a if i.reverse else a for i in items if (a := answers.get(i.code)) is not None]
    n, s = len(keyed), sum(keyed)
    if n < ceil(Fraction(3, 4) * len(items)):
        return n, s, None
    return n, s, Fraction(100 * (s - n), 6 * n)


@EXAMPLES
@given(dense_sheets, modes)
def test_scales_match_a_naive_reference(answers, mode):
    result = score_1.score(SPEC, answers, mode=mode)

    for d in result.dimensions:
        assert (d.scale.n, d.scale.s, d.scale.score) == reference_score(answers, mode, d.code, None)
        for facet, scale in zip((1, 2), d.facets, strict=True):
            assert (scale.n, scale.s, scale.score) == reference_score(answers, mode, d.code, facet)


@EXAMPLES
@given(sheets, modes)
def test_scores_stay_within_0_and_100(answers, mode):
    result = score_1.score(SPEC, answers, mode=mode)

    for scale in all_scales(result):
        assert scale.score is None or 0 <= scale.score <= 100


@EXAMPLES
@given(dense_sheets, st.sampled_from(CODES))
def test_raising_an_answer_moves_its_dimension_with_the_keying(answers, code):
    item = next(i for i in SCORED if i.code == code)
    current = answers[code] if answers[code] is not None else 1
    if current == 7:
        current = 6
    lower, higher = dict(answers) | {code: current}, dict(answers) | {code: current + 1}
    index = score_1.DIMENSIONS.index(item.dimension)

    before = score_1.score(SPEC, lower, mode="both").dimensions[index].scale.score
    after = score_1.score(SPEC, higher, mode="both").dimensions[index].scale.score

    if before is not None and after is not None:
        assert (after <= before) if item.reverse else (after >= before)


@EXAMPLES
@given(st.lists(st.sampled_from([4, 4, 4, 4, 4, None]), min_size=72, max_size=72), modes)
def test_midpoint_answers_score_50_everywhere_and_fire_nothing(values, mode):
    answers = dict(zip(CODES, values, strict=True))

    result = score_1.score(SPEC, answers, mode=mode)

    assert all(s.score in (None, 50) for s in all_scales(result))
    assert result.patterns == ()
    assert all(d.asi is None or d.asi.value == 0 for d in result.dimensions)


@EXAMPLES
@given(sheets, modes, st.randoms(use_true_random=False))
def test_result_is_deterministic_and_ignores_dict_order(answers, mode, rng):
    shuffled = list(answers.items())
    rng.shuffle(shuffled)

    first = score_1.score(SPEC, answers, mode=mode).as_dict()
    second = score_1.score(SPEC, dict(shuffled), mode=mode).as_dict()

    assert first == second
    assert list(first) == list(second)


@EXAMPLES
@given(sheets, modes)
def test_fewer_than_four_scored_dimensions_give_no_focus(answers, mode):
    result = score_1.score(SPEC, answers, mode=mode)
    scored = sum(d.scale.score is not None for d in result.dimensions)

    if scored < 4:
        assert result.focus == score_1.Focus(None, None, "too_few_scored")
    else:
        assert result.focus.primary is not None


@EXAMPLES
@given(dense_sheets)
def test_status_is_miscalibrated_exactly_when_a_pattern_marks_the_dimension(answers):
    result = score_1.score(SPEC, answers, mode="both")
    marked = {p.dimension for p in result.patterns}

    for d in result.dimensions:
        assert (d.status == "miscalibrated") is (d.code in marked)
        assert d.scale.band != "not_scored" or d.code not in marked


FOUNDATION = {d: k for k, d in enumerate(score_1.FOUNDATION_ORDER)}


def naive_scores(result: score_1.Result) -> dict[str, Fraction | None]:
    scores = {}
    for d in result.dimensions:
        scores[d.code] = d.scale.score
        scores[f"{d.code}1"], scores[f"{d.code}2"] = (f.score for f in d.facets)
        contexts = d.contexts or (None, None)
        scores[f"{d.code}.C"], scores[f"{d.code}.W"] = (c and c.score for c in contexts)
    return scores


def naive_lower_facet(scores: dict, dimension: str) -> str:
    f1, f2 = scores[f"{dimension}1"], scores[f"{dimension}2"]
    return f"{dimension}2" if f2 is not None and (f1 is None or f2 < f1) else f"{dimension}1"


def naive_patterns(scores: dict) -> list[tuple[str, str, Fraction, str]]:
    """§3.5-§3.6 written out directly with Fractions."""
    hits = []
    for code, marked, high, low in score_1.PATTERNS:
        p, q = scores[high], scores[low]
        involved = {marked, high[:3], low[:3]}
        if p is None or q is None or any(scores[d] is None for d in involved):
            continue
        if p >= 50 and q < 50 and p - q >= 25:
            target = low if len(low) > 3 else naive_lower_facet(scores, low)
            hits.append((code, marked, q, target))
    return hits


@EXAMPLES
@given(dense_sheets, modes)
def test_patterns_and_focus_match_a_naive_reference(answers, mode):
    result = score_1.score(SPEC, answers, mode=mode)
    scores = naive_scores(result)

    hits = naive_patterns(scores)
    assert [(p.code, p.dimension, p.value, p.target) for p in result.patterns] == hits

    scored = [d for d in score_1.DIMENSIONS if scores[d] is not None]
    if len(scored) < 4:
        return
    candidates = [(v, 0, FOUNDATION[t[:3]], c, t) for c, _, v, t in hits]
    candidates += [
        (scores[d], 1, FOUNDATION[d], d, naive_lower_facet(scores, d))
        for d in scored
        if scores[d] < 50
    ]
    candidates.sort()
    focus = result.focus
    if candidates:
        first = candidates[0]
        assert (focus.primary.value, focus.primary.target) == (first[0], first[4])
        others = [c for c in candidates if c[4][:3] != first[4][:3]]
        assert (focus.secondary and focus.secondary.target) == (others[0][4] if others else None)
    elif any(scores[d] < 75 for d in scored):
        lowest = min(scored, key=lambda d: (scores[d], FOUNDATION[d]))
        assert (focus.primary.kind, focus.primary.dimension) == ("next_step", lowest)
        assert focus.primary.target == naive_lower_facet(scores, lowest)
    else:
        assert focus.primary.kind == "maintain"
