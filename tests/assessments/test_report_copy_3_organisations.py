"""Text checks for the copy-3 group "organisations" (assessments/data/report_copy_3/
organisations.json): the wording rules of copy-1 and copy-2, and the placeholders each text is
given (assessments/copy_text.py). Pure pytest: no Django, no database."""

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
    FORBIDDEN_SUBSTRINGS,
    _leaves,
)

FILE = (
    Path(__file__).resolve().parents[2]
    / "assessments"
    / "data"
    / "report_copy_3"
    / "organisations.json"
)
GROUPS = json.loads(FILE.read_text(encoding="utf-8"))
LEAVES = list(_leaves(GROUPS))
LEAF_IDS = [path for path, _ in LEAVES]


def test_the_file_adds_the_one_group_organisations():
    assert set(GROUPS) == {"organisations"}


@pytest.mark.parametrize(("path", "text"), LEAVES, ids=LEAF_IDS)
def test_each_text_is_plain_and_non_empty(path, text):
    assert isinstance(text, str) and text.strip(), path
    assert text == text.strip(), f"{path}: leading or trailing whitespace"
    assert not re.search(r"</?[a-zA-Z][^>]*>", text), f"{path}: looks like HTML"
    assert "  " not in text, f"{path}: double space"


@pytest.mark.parametrize(("path", "text"), LEAVES, ids=LEAF_IDS)
def test_no_clinical_absolute_or_comparing_words(path, text):
    lowered = text.lower()
    for word in FORBIDDEN_SUBSTRINGS:
        assert word not in lowered, f"{path}: contains {word!r}"
    for pattern in CLINICAL_PATTERNS + ABSOLUTE_PATTERNS + COMPARISON_PATTERNS:
        assert not re.search(pattern, lowered), f"{path}: matches {pattern!r}"


@pytest.mark.parametrize(("path", "text"), LEAVES, ids=LEAF_IDS)
def test_only_the_placeholders_each_text_is_given(path, text):
    fields = {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
    assert fields <= allowed_placeholders(path), path
    text.format(**dict.fromkeys(fields, "x"))


def test_the_small_count_wording_is_the_one_the_spec_names():
    assert GROUPS["organisations"]["fewer_than_5"] == "fewer than 5"
