"""Text checks for report copy copy-2 (assessments/data/report_copy_2.json): the same wording
rules as copy-1 (tests/assessments/test_report_copy_text.py) for every text, including the
ones that moved from code and templates, and the placeholders each text is given.

Pure pytest: no Django, no database.
"""

import json
import re
import string
from pathlib import Path

import pytest

from assessments.copy_text import allowed_placeholders
from tests.assessments.test_report_copy_text import (
    ABSOLUTE_PATTERNS,
    CLINICAL_PATTERNS,
    COMPARISON_PATTERNS,
    DIAGNOSIS_ALLOWED_PATHS,
    FORBIDDEN_SUBSTRINGS,
    TOP_LEVEL_KEYS,
    _leaves,
)

DATA = Path(__file__).resolve().parents[2] / "assessments" / "data"
COPY_2 = json.loads((DATA / "report_copy_2.json").read_text(encoding="utf-8"))
IN_CODE = json.loads((DATA / "report_copy_1_in_code.json").read_text(encoding="utf-8"))
LEAVES = list(_leaves(COPY_2))
LEAF_IDS = [path for path, _ in LEAVES]
NEW_GROUPS = {"report", "modes", "contexts", "card", "chart", "comparison", "changes", "history"}


def test_copy_2_is_named_and_has_copy_1s_groups_and_the_new_ones():
    assert COPY_2["version"] == "copy-2"
    assert set(COPY_2) == TOP_LEVEL_KEYS | NEW_GROUPS


def test_copy_2_holds_every_text_that_lived_in_code_as_it_was_released():
    for group, texts in IN_CODE.items():
        assert {key: COPY_2[group][key] for key in texts} == texts, group


def test_copy_2_change_labels_cover_every_label_of_the_comparison():
    assert set(COPY_2["changes"]["labels"]) == {
        "reliable_increase", "reliable_decrease", "about_the_same", "not_comparable", "not_scored",
    }  # fmt: skip


@pytest.mark.parametrize(("path", "text"), LEAVES, ids=LEAF_IDS)
def test_copy_2_leaf_is_non_empty_plain_text(path, text):
    assert isinstance(text, str) and text.strip(), path
    assert text == text.strip(), f"{path}: leading or trailing whitespace"
    assert not re.search(r"</?[a-zA-Z][^>]*>", text), f"{path}: looks like HTML"
    assert "  " not in text, f"{path}: double space"


@pytest.mark.parametrize(("path", "text"), LEAVES, ids=LEAF_IDS)
def test_copy_2_has_no_forbidden_clinical_absolute_or_comparing_words(path, text):
    lowered = text.lower()
    for word in FORBIDDEN_SUBSTRINGS:
        if word == "diagnos" and path in DIAGNOSIS_ALLOWED_PATHS:
            continue
        assert word not in lowered, f"{path}: contains {word!r}"
    for pattern in CLINICAL_PATTERNS + ABSOLUTE_PATTERNS + COMPARISON_PATTERNS:
        assert not re.search(pattern, lowered), f"{path}: matches {pattern!r}"


@pytest.mark.parametrize(("path", "text"), LEAVES, ids=LEAF_IDS)
def test_copy_2_uses_only_the_placeholders_its_text_is_given(path, text):
    fields = {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
    assert fields <= allowed_placeholders(path), path
    text.format(**dict.fromkeys(fields, "x"))
