"""The wording of the views and reminders (copy-3 groups moments_views, moments_reminders):
plain non-empty texts, no placeholders, warm and non-pathologising (ASSESSMENT.md §7.2)."""

import json
import re
from pathlib import Path

import pytest

from assessments.copy_release import COPY_3_DIR, copy_3_texts
from tests.assessments.test_report_copy_text import (
    ABSOLUTE_PATTERNS,
    CLINICAL_PATTERNS,
    COMPARISON_PATTERNS,
    FORBIDDEN_SUBSTRINGS,
)

FILE: Path = COPY_3_DIR / "moments_insight.json"
GROUPS = json.loads(FILE.read_text(encoding="utf-8"))
LEAVES = [
    (f"{group}.{key}", text) for group, texts in GROUPS.items() for key, text in texts.items()
]


def test_the_file_adds_exactly_its_two_groups_to_copy_3():
    assert set(GROUPS) == {"moments_views", "moments_reminders"}
    texts = copy_3_texts()
    assert all(texts[group] == GROUPS[group] for group in GROUPS)


@pytest.mark.parametrize(("path", "text"), LEAVES, ids=[p for p, _ in LEAVES])
def test_each_text_is_plain_warm_and_free_of_clinical_words(path, text):
    lowered = text.lower()
    assert isinstance(text, str) and text.strip() == text and text, path
    assert "{" not in text and "}" not in text, f"{path}: these texts take no placeholders"
    assert not re.search(r"</?[a-zA-Z][^>]*>", text), f"{path}: looks like HTML"
    for word in (*FORBIDDEN_SUBSTRINGS, "failure", "fail", "wrong", "bad"):
        assert not re.search(rf"\b{word}", lowered), f"{path}: contains {word!r}"
    for pattern in CLINICAL_PATTERNS + ABSOLUTE_PATTERNS + COMPARISON_PATTERNS:
        assert not re.search(pattern, lowered), f"{path}: matches {pattern!r}"


def test_the_reminder_email_says_nothing_personal():
    reminders = GROUPS["moments_reminders"]
    for key in ("email_subject_daily", "email_subject_weekly", "email_body", "email_footer"):
        assert not re.search(r"\b(your moments?|score|profile|focus)\b", reminders[key].lower())
    assert reminders["email_subject_daily"] == "Was there a moment today?"


def test_reacting_first_is_described_as_understandable():
    assert "understandable" in GROUPS["moments_views"]["how_steering"]
