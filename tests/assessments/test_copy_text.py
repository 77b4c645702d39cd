"""Placeholders in report copy (assessments/copy_text.py): publishing accepts only plain names
a text is given, and filling never raises, never formats and never grows a text."""

import json
import logging
from pathlib import Path

import pytest

from assessments import checks
from assessments.copy_release import copy_3_texts
from assessments.copy_text import (
    allowed_placeholders,
    fill,
    placeholder_problems,
    with_released_wording,
)

DATA = Path(checks.__file__).parent / "data"
COPY_1 = json.loads((DATA / "report_copy_1.json").read_text(encoding="utf-8"))
COPY_2 = json.loads((DATA / "report_copy_2.json").read_text(encoding="utf-8"))
COPY_3 = copy_3_texts()
# The groups copy-3 adds (data/report_copy_3/*.json): an older copy lacks them, and only them.
NEW_IN_COPY_3 = [f"“{group}” is missing." for group in COPY_3 if group not in COPY_2]
VALUES = {"dimension": "repair", "answered": 8, "needed": 9, "total": 12}
# Everything str.format would do beyond a plain name, plus unknown and positional fields.
HOSTILE = [
    "You answered {answered:d} of {total}.",
    "You answered {answered:>2000000} of {total}.",
    "You answered {answered:{needed}} of {total}.",
    "About {dimension!r}.",
    "About {dimension!s}.",
    "About {dimension.upper}.",
    "About {dimension.__class__.__mro__}.",
    "About {dimension[0]}.",
    "About {}.",
    "About {0}.",
    "About {count}.",
    "About {dimension",
    "About dimension}.",
]


def test_copy_2_passes_the_placeholder_checks():
    assert checks.copy_problems(COPY_2) == NEW_IN_COPY_3
    assert checks.copy_problems(COPY_3) == []


def test_copy_1_read_with_its_released_wording_lacks_only_the_texts_new_in_copy_2():
    # A copy-1 card keeps its released order and a copy-1 report has no "what changed" part.
    assert checks.copy_problems(with_released_wording(COPY_1)) == [
        "“card.level_intro” is missing.",
        "“changes” is missing.",
        *NEW_IN_COPY_3,
    ]


def test_copy_1_alone_lacks_the_texts_that_lived_in_code():
    problems = checks.copy_problems(COPY_1)

    assert "“report” is missing." in problems and "“comparison” is missing." in problems


def test_released_wording_never_replaces_a_text_the_copy_holds():
    assert with_released_wording(COPY_2) == COPY_2
    assert with_released_wording(COPY_1) == COPY_1 | {
        key: COPY_2[key]
        for key in ("report", "modes", "contexts", "chart", "comparison", "history")
    } | {"card": {k: v for k, v in COPY_2["card"].items() if k != "level_intro"}}


def test_copy_2_is_copy_1_plus_the_moved_texts_with_only_the_ctx_meanings_reworded():
    changed = {
        (group, key)
        for group in COPY_1
        for key in (COPY_1[group] if isinstance(COPY_1[group], dict) else [None])
        if (COPY_1[group] if key is None else COPY_1[group][key])
        != (COPY_2[group] if key is None else COPY_2[group][key])
    }
    assert changed == {("version", None), ("patterns", "CTX-CLOSE"), ("patterns", "CTX-WORK")}


@pytest.mark.parametrize("text", HOSTILE)
def test_publishing_refuses_anything_but_plain_given_names(text):
    texts = dict(COPY_3, not_scored=text)

    problems = checks.copy_problems(texts)

    assert len(problems) == 1 and problems[0].startswith("“not_scored”")


def test_a_format_spec_is_explained_in_plain_words():
    assert placeholder_problems("{dimension:d}", "asi_note.work_higher") == [
        "“asi_note.work_higher” uses {dimension:d}: a placeholder is a plain name in braces, "
        "such as {dimension}, with no format, conversion, dot or index."
    ]


def test_a_name_given_to_another_text_is_refused_here():
    texts = json.loads(json.dumps(COPY_3))
    texts["patterns"]["REG-TRIGGER"]["meaning"] = "You answered {answered} of them."

    assert checks.copy_problems(texts) == [
        "“patterns.REG-TRIGGER.meaning” uses an unknown placeholder {answered}."
    ]


def test_a_placeholder_in_a_text_that_takes_none_is_refused():
    texts = json.loads(json.dumps(COPY_3))
    texts["suggestions"]["MEN1"]["title"] = "Practise {dimension}"

    assert checks.copy_problems(texts) == [
        "“suggestions.MEN1.title” takes no placeholders, so {dimension} would be shown as typed."
    ]


@pytest.mark.parametrize(
    ("path", "names"),
    [
        ("not_scored", {"dimension", "answered", "needed", "total"}),
        ("asi_note.close_higher", {"dimension"}),
        ("patterns.CTX-WORK.meaning", {"dimension"}),
        ("patterns.CTX-WORK.title", set()),
        ("disclaimer", set()),
    ],
)
def test_allowed_placeholders_per_text(path, names):
    assert allowed_placeholders(path) == names


def test_fill_substitutes_plain_names_and_keeps_escaped_braces():
    text = "You answered {answered} of {total} about {dimension}; {needed} needed {{sic}}."

    assert fill(text, VALUES) == "You answered 8 of 12 about repair; 9 needed {sic}."


def test_fill_inserts_values_as_they_are_without_formatting_them_again():
    assert fill("About {dimension}.", {"dimension": "{answered:>9}"}) == "About {answered:>9}."


@pytest.mark.parametrize("text", HOSTILE)
def test_fill_shows_a_hostile_text_as_written_and_logs_it(text, caplog):
    with caplog.at_level(logging.WARNING, logger="assessments.copy_text"):
        filled = fill(text, VALUES)

    assert filled == text
    assert "without filling its placeholders" in caplog.text
