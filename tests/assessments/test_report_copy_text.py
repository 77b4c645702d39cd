"""Text checks for the report copy file assessments/data/report_copy_1.json (copy-1).

Pure pytest: no Django, no database. These tests guard the wording rules of the
assessment spec (ASSESSMENT.md §7.2): required keys, no empty texts, no forbidden or
clinical words, only the allowed str.format placeholders, and short suggestion practices.
"""

import json
import re
import string
from pathlib import Path

import pytest

COPY_PATH = Path(__file__).resolve().parents[2] / "assessments" / "data" / "report_copy_1.json"

DIMENSIONS = ("MEN", "EMP", "REG", "TRU", "REP", "BON")
LEVELS = ("well_developed", "developing", "underdeveloped")
PATTERNS = (
    "CTX-CLOSE",
    "CTX-WORK",
    "MEN-STRAIN",
    "EMP-COLD",
    "EMP-FLOOD",
    "REG-TRIGGER",
    "TRU-GUARDED",
    "TRU-UNCHECKED",
    "REP-RECEIVE",
    "REP-OFFER",
    "BON-CONTAINED",
    "BON-LONGING",
)
SUGGESTION_KEYS = (
    [f"{dim}{facet}" for dim in DIMENSIONS for facet in (1, 2)]
    + [f"{dim}.{ctx}" for dim in DIMENSIONS for ctx in ("C", "W")]
    + ["MAINTAIN"]
)
TOP_LEVEL_KEYS = {
    "version",
    "disclaimer",
    "intro",
    "dimensions",
    "bands",
    "patterns",
    "regulation_containment_note",
    "asi_note",
    "gasi",
    "headline",
    "not_scored",
    "suggestions",
    "focus",
    "growth_reminder",
    "company_note",
    "quality",
    "support",
    "change",
}
ALLOWED_PLACEHOLDERS = {"dimension", "answered", "needed", "total"}
PLACEHOLDER_VALUES = {"dimension": "repair", "answered": 8, "needed": 9, "total": 12}

# Substrings that must not appear anywhere (any case, also inside longer words).
FORBIDDEN_SUBSTRINGS = (
    "disorder",
    "dysfunction",
    "broken",
    "abnormal",
    "patholog",
    "toxic",
    "avoidant",
    "anxious",
    "trauma",
    "diagnos",
    "normal",
    "attachment style",
)
# The disclaimer must say "not a diagnosis"; it is the only place "diagnos..." may appear.
DIAGNOSIS_ALLOWED_PATHS = {"disclaimer"}
# Clinical wording kept out of prose (pattern codes such as REG-TRIGGER are keys, not text).
CLINICAL_PATTERNS = (
    r"trigger",
    r"dissociat",
    r"\bmentali[sz]e[sd]?\b",
)
ABSOLUTE_PATTERNS = (r"\balways\b", r"\bnever\b")
# No comparison with other people until norms exist (§7.2).
COMPARISON_PATTERNS = (
    r"\bmost people\b",
    r"\bother people your\b",
    r"\bthan others\b",
    r"\baverage person\b",
    r"\bpercentile",
    r"\bcompared (to|with) others\b",
)
MAX_PRACTICE_WORDS = 80


def _load():
    with COPY_PATH.open(encoding="utf-8") as handle:
        return json.load(handle)


def _leaves(node, path=()):
    """Yield (dotted path, value) for every leaf of the copy tree."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, (*path, str(key)))
    else:
        yield ".".join(path), node


COPY = _load()
LEAVES = list(_leaves(COPY))
LEAF_IDS = [path for path, _ in LEAVES]


def _placeholders(text):
    return [field for _, field, _, _ in string.Formatter().parse(text) if field is not None]


def test_file_is_utf8_json_with_two_space_indent():
    raw = COPY_PATH.read_bytes().decode("utf-8")
    lines = raw.splitlines()
    assert lines[0] == "{"
    assert re.match(r'^  "', lines[1])


def test_version():
    assert COPY["version"] == "copy-1"


def test_top_level_keys_exact():
    assert set(COPY) == TOP_LEVEL_KEYS


def test_dimensions_complete():
    dims = COPY["dimensions"]
    assert set(dims) == set(DIMENSIONS)
    for code in DIMENSIONS:
        dim = dims[code]
        assert set(dim) == {"name", "short_name", "what_it_is", "facets", "level_text"}, code
        assert set(dim["facets"]) == {"1", "2"}, code
        for facet in dim["facets"].values():
            assert set(facet) == {"name", "what_it_is"}, code
        assert set(dim["level_text"]) == set(LEVELS), code


def test_dimension_names_keep_spec_names():
    expected = {
        "MEN": "Mentalizing",
        "EMP": "Embodied empathy",
        "REG": "Regulation",
        "TRU": "Trust",
        "REP": "Repair",
        "BON": "Bonding",
    }
    assert {code: dim["name"] for code, dim in COPY["dimensions"].items()} == expected
    short_names = [dim["short_name"] for dim in COPY["dimensions"].values()]
    assert len(set(short_names)) == len(short_names)


def test_band_labels_match_spec():
    assert COPY["bands"] == {
        "well_developed": "Well-developed",
        "developing": "Developing",
        "underdeveloped": "Less developed so far",
        "miscalibrated": "Uneven — worth recalibrating",
        "not_scored": "Not enough answers yet",
    }


def test_patterns_complete():
    assert set(COPY["patterns"]) == set(PATTERNS)
    for code, pattern in COPY["patterns"].items():
        assert set(pattern) == {"title", "meaning"}, code


@pytest.mark.parametrize("code", ["CTX-CLOSE", "CTX-WORK"])
def test_context_patterns_name_the_dimension(code):
    assert "dimension" in _placeholders(COPY["patterns"][code]["meaning"])


def test_suggestion_keys_exact():
    assert len(SUGGESTION_KEYS) == 25
    assert set(COPY["suggestions"]) == set(SUGGESTION_KEYS)
    assert len(COPY["suggestions"]) == 25


@pytest.mark.parametrize("key", SUGGESTION_KEYS)
def test_suggestion_shape_and_length(key):
    suggestion = COPY["suggestions"][key]
    assert set(suggestion) == {"title", "practice", "why"}
    words = suggestion["practice"].split()
    assert len(words) <= MAX_PRACTICE_WORDS, f"{key}: {len(words)} words"


def test_suggestions_do_not_prescribe_therapy():
    for key, suggestion in COPY["suggestions"].items():
        text = " ".join(suggestion.values()).lower()
        for word in ("therap", "counsel", "psycholog", "doctor"):
            assert word not in text, f"{key} mentions {word!r}"


def test_small_keyed_sections_complete():
    assert set(COPY["asi_note"]) == {"work_higher", "close_higher"}
    assert set(COPY["gasi"]) == {"work", "close"}
    assert set(COPY["headline"]) == {"strengths", "no_strengths"}
    assert set(COPY["focus"]) == {
        "primary_heading",
        "secondary_heading",
        "next_step_intro",
        "maintain_intro",
        "too_few_scored",
    }
    for key in ("work_higher", "close_higher"):
        assert "dimension" in _placeholders(COPY["asi_note"][key])


def test_quality_keys_complete():
    quality = COPY["quality"]
    assert set(quality) == {"caution", "low", "retake_button"}
    assert set(quality["caution"]) == {
        "LONGSTRING",
        "LOW_VARIABILITY",
        "CONTRADICTORY",
        "HIGH_MISSING",
        "QC",
    }
    assert set(quality["low"]) == {
        "heading",
        "body",
        "ATTENTION",
        "TOO_FAST",
        "UNIFORM",
        "CONTRADICTORY",
        "HIGH_MISSING",
    }


def test_support_keys_and_fixed_texts():
    support = COPY["support"]
    assert set(support) == {
        "page_heading",
        "page_body",
        "emergency_line",
        "see_options_button",
        "continue_button",
        "panel",
        "gentle_link",
        "not_a_crisis_service",
        "counsellor_offer",
    }
    assert support["emergency_line"] == (
        "If you are in danger or thinking of harming yourself, contact emergency services now."
    )
    assert support["see_options_button"] == "See support options"
    assert support["continue_button"] == "Continue to my results"
    assert "not a crisis service" in support["not_a_crisis_service"]
    assert "cannot judge" in support["page_body"]


def test_change_keys_and_fixed_texts():
    change = COPY["change"]
    assert set(change) == {
        "reliable_increase",
        "reliable_decrease",
        "about_the_same",
        "not_comparable",
        "memory_note",
        "threshold_note",
        "pattern_new",
        "pattern_resolved",
        "retake_suggestion",
    }
    assert set(change["not_comparable"]) == {"low_quality", "mode_differs", "item_changed"}
    assert change["about_the_same"] == "About the same (within the range of measurement noise)"
    assert change["pattern_new"] == "New"
    assert change["pattern_resolved"] == "No longer present"
    assert "28 days" in change["memory_note"]
    assert "6 to 12 weeks" in change["retake_suggestion"]


def test_disclaimer_says_not_a_diagnosis():
    disclaimer = COPY["disclaimer"].lower()
    assert "not a diagnosis" in disclaimer
    assert "self-report" in disclaimer or "report about yourself" in disclaimer
    assert "three months" in disclaimer


def test_not_scored_uses_all_counts():
    assert set(_placeholders(COPY["not_scored"])) == ALLOWED_PLACEHOLDERS
    rendered = COPY["not_scored"].format(**PLACEHOLDER_VALUES)
    assert "You answered 8 of 12 statements about repair; 9 are needed for a result." in rendered


@pytest.mark.parametrize(("path", "text"), LEAVES, ids=LEAF_IDS)
def test_leaf_is_non_empty_plain_text(path, text):
    assert isinstance(text, str), path
    assert text.strip(), path
    assert text == text.strip(), f"{path}: leading or trailing whitespace"
    assert not re.search(r"</?[a-zA-Z][^>]*>", text), f"{path}: looks like HTML"
    assert "  " not in text, f"{path}: double space"


@pytest.mark.parametrize(("path", "text"), LEAVES, ids=LEAF_IDS)
def test_no_forbidden_words(path, text):
    lowered = text.lower()
    for word in FORBIDDEN_SUBSTRINGS:
        if word == "diagnos" and path in DIAGNOSIS_ALLOWED_PATHS:
            continue
        assert word not in lowered, f"{path}: contains {word!r}"


@pytest.mark.parametrize(("path", "text"), LEAVES, ids=LEAF_IDS)
def test_no_clinical_words_absolutes_or_comparisons(path, text):
    lowered = text.lower()
    for pattern in CLINICAL_PATTERNS + ABSOLUTE_PATTERNS + COMPARISON_PATTERNS:
        assert not re.search(pattern, lowered), f"{path}: matches {pattern!r}"


@pytest.mark.parametrize(("path", "text"), LEAVES, ids=LEAF_IDS)
def test_only_allowed_placeholders(path, text):
    fields = _placeholders(text)
    for field in fields:
        assert field in ALLOWED_PLACEHOLDERS, f"{path}: placeholder {{{field}}}"
    # Formatting must succeed (catches stray braces and format specs on unknown names).
    text.format(**PLACEHOLDER_VALUES)
