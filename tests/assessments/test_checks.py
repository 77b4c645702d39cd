"""Publish validation over ItemSpecs: bank 1.0 passes, broken drafts are refused with reasons."""

from dataclasses import replace

import pytest

from assessments import checks
from assessments.queries import instrument_spec
from tests.factories import published_instrument

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank():
    return list(instrument_spec(published_instrument().pk).items)


def test_bank_1_0_passes_blueprint_and_layout(bank):
    assert checks.blueprint_problems(bank) == []
    assert checks.layout_problems(bank) == []
    assert checks.adjacency_notes(bank) == []


def test_missing_cell_item_is_refused(bank):
    broken = [i for i in bank if i.code != "REP2-W1"]

    problems = checks.blueprint_problems(broken)

    assert "REP2-W has 2 items; it needs exactly 3." in problems


def test_two_reverse_items_in_a_cell_are_refused(bank):
    broken = [replace(i, reverse=True) if i.code == "BON1-C1" else i for i in bank]

    problems = checks.blueprint_problems(broken)

    assert "BON1-C has 2 reverse-keyed items; it needs exactly 1." in problems


def test_missing_quality_check_item_is_refused(bank):
    broken = [i for i in bank if i.code != "QC2"]

    problems = checks.blueprint_problems(broken)

    assert any(p.startswith("QC2 is missing") for p in problems)


def test_item_moved_to_a_cell_outside_the_blueprint_is_refused(bank):
    broken = [replace(i, facet=2) if i.code == "MEN1-C1" else i for i in bank]

    problems = checks.blueprint_problems(broken)

    assert "MEN1-C has 2 items; it needs exactly 3." in problems
    assert "MEN2-C has 4 items; it needs exactly 3." in problems


def test_wellbeing_item_not_alone_on_the_last_page_is_a_layout_problem(bank):
    broken = [replace(i, page=7) if i.code == "QC3" else i for i in bank]

    problems = checks.layout_problems(broken)

    assert "QC3 belongs on page 6." in problems
    assert "Page 7 must hold WB1 alone." in problems


def test_writing_notes_report_long_items_theory_words_and_absolutes():
    notes = checks.writing_notes(
        [
            ("X1", "scored", "I always notice what happens " + "and more " * 10),
            ("X2", "scored", "My attachment to people is strong."),
            ("QC2", "qc", "I have never had a conversation with anyone."),
        ]
    )

    assert any(n.startswith("X1: 25 words") for n in notes)
    assert "X1: avoid absolutes such as 'always' (§2.3 rule 7)." in notes
    assert any(n.startswith("X2: avoid theory words") for n in notes)
    assert not any(n.startswith("QC2: avoid") for n in notes)  # check items may say "never"


def test_bank_1_0_meets_the_length_rule_and_averages_about_grade_5():
    texts = [(i.code, i.kind, i.text) for i in published_instrument().items.all()]
    grades = [checks.reading_grade(text) for _code, _kind, text in texts]

    assert [n for n in checks.writing_notes(texts) if "words" in n] == []
    assert 4.5 <= sum(grades) / len(grades) <= 5.5  # ASSESSMENT.md §2.3 rule 4: "about grade 5"


def test_textstat_grade_notes_three_1_0_statements_just_above_grade_8():
    """textstat's dictionary syllable counts put three published statements a little over the
    limit (the hand-written estimate before issue 15 had them at 6.7-7.7). They are notes for
    an editor, not publish errors, and 1.0 is frozen; a later bank can reword them."""
    texts = [(i.code, i.kind, i.text) for i in published_instrument().items.all()]

    noted = {n.split(":")[0]: n for n in checks.writing_notes(texts) if "grade" in n}

    assert sorted(noted) == ["EMP1-C3", "MEN1-W2", "QC2"]
    assert all(8 < float(n.split("grade ")[1].split(" ")[0]) < 8.5 for n in noted.values())


def test_reading_grade_rises_with_longer_words_and_sentences():
    plain = checks.reading_grade("I like to talk with my friends.")
    dense = checks.reading_grade(
        "Understanding unfamiliar perspectives occasionally requires considerable imagination."
    )

    assert plain < 4 < 8 < dense
    assert checks.reading_grade("…") == 0.0
    assert any(
        n.startswith("X: reading grade")
        for n in checks.writing_notes(
            [
                (
                    "X",
                    "scored",
                    "Understanding unfamiliar perspectives occasionally requires imagination.",
                )
            ]
        )
    )
