"""Which statements a context mode shows (§2.6) has one home, `scoring.spec`; the questionnaire
pages and both score-1 engines agree with it."""

import pytest

from assessments.queries import instrument_spec, items_in_order, page_items
from assessments.scoring.spec import (
    MODES,
    ItemSpec,
    contexts_hidden,
    contexts_shown,
    is_shown,
)
from profiles.models import ContextMode
from tests.factories import published_instrument


def item(kind: str, context: str | None) -> ItemSpec:
    scored = kind == "scored"
    return ItemSpec(
        "X", kind, "MEN" if scored else None, 1 if scored else None, context, False, 1, 1
    )


def test_each_mode_shows_its_contexts_and_hides_the_rest():
    assert {mode: contexts_shown(mode) for mode in MODES} == {
        "both": ("C", "W"),
        "close_only": ("C",),
        "work_only": ("W",),
    }
    assert {mode: contexts_hidden(mode) for mode in MODES} == {
        "both": (),
        "close_only": ("W",),
        "work_only": ("C",),
    }


def test_check_and_wellbeing_items_are_shown_in_every_mode_scored_ones_by_context():
    for mode in MODES:
        assert is_shown(item("qc", None), mode)
        assert is_shown(item("wb", None), mode)
    assert [m for m in MODES if is_shown(item("scored", "C"), m)] == ["both", "close_only"]
    assert [m for m in MODES if is_shown(item("scored", "W"), m)] == ["both", "work_only"]


@pytest.mark.parametrize("call", [contexts_shown, contexts_hidden])
def test_an_unknown_mode_is_refused_by_name(call):
    with pytest.raises(ValueError, match="unknown context mode 'everything'"):
        call("everything")


@pytest.mark.django_db
@pytest.mark.parametrize("mode", MODES)
def test_questionnaire_pages_show_exactly_what_the_rule_shows(mode):
    instrument = published_instrument()
    every = list(items_in_order(instrument.pk))

    for page in sorted({i.page for i in every}):
        expected = [i.code for i in every if i.page == page and is_shown(i, mode)]
        assert [i.code for i in page_items(instrument.pk, page, mode)] == expected
    assert any(not is_shown(i, mode) for i in every) == (mode != "both")


@pytest.mark.django_db
@pytest.mark.parametrize("mode", MODES)
def test_engines_score_the_items_the_rule_shows(engine, mode):
    spec = instrument_spec(published_instrument().pk)
    ordered = sorted(spec.items, key=lambda i: i.position)

    assert engine.active_items(spec, mode) == tuple(i for i in ordered if is_shown(i, mode))


def test_the_modes_a_person_can_choose_are_the_modes_the_rule_knows():
    assert ContextMode.values == list(MODES)
