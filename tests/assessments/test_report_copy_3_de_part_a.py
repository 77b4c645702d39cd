"""The German (de) report copy-3, part A (assessments/data/report_copy_3_de/part_a.json):
the same groups, keys and placeholders as the English copy-3 (assessments/copy_release.py),
and the German wording rules (ASSESSMENT.md §7.2 and the German §2.3 checks of
assessments/checks.py, as far as they apply to report prose).

Part A holds the groups of copy-1 and copy-2 (the profile report and its comparison and
history); the groups copy-3 added for the practice loop are part B, written separately.

Of the German §2.3 statement checks, the forbidden-word check applies to copy as it does to a
statement: no theory words (which is why the six capacities have plain German names, e.g.
„Selbststeuerung“, not „Regulation“), no absolutes, no generic masculine. Length, reading
grade and context phrase are rules for a single questionnaire statement (at most 20 words,
naming its context) and do not apply to a paragraph of report copy.

Pure pytest: no database.
"""

import json
import re
import string
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest

from assessments import checks
from assessments.copy_release import copy_3_texts
from assessments.copy_text import fill, placeholder_problems

FILE = Path(checks.__file__).resolve().parent / "data" / "report_copy_3_de" / "part_a.json"
PART_A_GROUPS = (
    "disclaimer", "intro", "dimensions", "bands", "patterns", "regulation_containment_note",
    "asi_note", "gasi", "headline", "not_scored", "suggestions", "focus", "growth_reminder",
    "company_note", "quality", "support", "change", "report", "modes", "contexts", "card",
    "chart", "comparison", "changes", "history",
)  # fmt: skip
ENGLISH = copy_3_texts()
GERMAN = json.loads(FILE.read_text(encoding="utf-8"))


def _leaves(node, path=""):
    """(dotted path, leaf) for every text of a copy tree; list items are numbered."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _leaves(value, f"{path}.{index}")
    else:
        yield path, node


def _shape(node):
    if isinstance(node, dict):
        return {key: _shape(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_shape(value) for value in node]
    return "text"


ENGLISH_LEAVES = dict(_leaves({group: ENGLISH[group] for group in PART_A_GROUPS}))
LEAVES = list(_leaves(GERMAN))
LEAF_IDS = [path for path, _ in LEAVES]
# The disclaimer must say that relcap is not a diagnosis: the one text that may say „Diagnose“.
DIAGNOSIS_ALLOWED_PATHS = {"disclaimer"}
# §7.2's words to avoid in copy, in German (matched inside longer words too).
FORBIDDEN_SUBSTRINGS = (
    "normal", "patholog", "dysfunktion", "gestört", "kaputt", "toxisch", "abnorm",
    "bindungsstil", "vermeidend", "ängstlich", "defizit", "krankhaft",
)  # fmt: skip
# No comparison with other people until norms exist (§7.2).
COMPARISON_PATTERNS = (
    r"\bdie meisten menschen\b", r"\bals andere\b", r"\bdurchschnitt", r"\bperzentil",
    r"\bim vergleich (zu|mit) anderen\b",
)  # fmt: skip
# Common English words that are not also German words: none may be left in a German text.
ENGLISH_ONLY_WORDS = {
    "the", "and", "you", "your", "with", "when", "work", "people", "close", "my", "of", "to",
    "is", "it", "at", "or", "not", "this", "that", "i", "me", "feel", "someone", "agree",
    "score", "support", "trust", "repair", "bonding", "regulation",
    "empathy", "mentalizing", "growth", "edge", "check", "okay", "report", "retake", "level",
}  # fmt: skip
# What the report fills each placeholder with, as a German report would.
SAMPLE_VALUES = {
    "dimension": "Vertrauen", "answered": 8, "needed": 9, "total": 12, "date": "2. November 2026",
    "instrument": "1.0", "mode": "Enge Beziehungen und Arbeit", "url": "https://relcap.example/hilfe",
    "level": "In Entwicklung", "part": "Alarmschwelle", "name": "Vertrauen",
    "where": "bei der Arbeit", "score": 62, "title": "Schneller Alarm, gute Steuerung",
    "status": "Ungleichmäßig — lohnt ein Nachjustieren", "days": 14, "params": "P0",
}  # fmt: skip


def _names(text: str) -> set[str]:
    """The placeholder names of a text, parsed as assessments/copy_text.py parses them."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_part_a_has_exactly_the_part_a_groups_in_the_english_order():
    assert list(GERMAN) == list(PART_A_GROUPS)
    assert set(PART_A_GROUPS) <= set(ENGLISH)


def test_every_group_has_the_english_keys_and_list_lengths():
    for group in PART_A_GROUPS:
        assert _shape(GERMAN[group]) == _shape(ENGLISH[group]), group
    assert len(LEAVES) == len(ENGLISH_LEAVES)


def test_the_german_texts_pass_the_shape_checks_of_publishing():
    merged = {**ENGLISH, **GERMAN}

    assert checks.copy_problems(merged) == []


@pytest.mark.parametrize(("path", "text"), LEAVES, ids=LEAF_IDS)
def test_each_text_is_non_empty_plain_nfc_german_text(path, text):
    assert isinstance(text, str) and text.strip(), path
    assert unicodedata.normalize("NFC", text) == text, f"{path}: not NFC"
    assert text == text.strip(), f"{path}: leading or trailing whitespace"
    assert "  " not in text, f"{path}: double space"
    assert not re.search(r"</?[a-zA-Z][^>]*>", text), f"{path}: looks like HTML"
    assert '"' not in text, f"{path}: quote with „…“, not straight quotes"
    assert text.count("„") == text.count("“"), f"{path}: unbalanced „…“"


@pytest.mark.parametrize(("path", "text"), LEAVES, ids=LEAF_IDS)
def test_each_text_takes_exactly_the_placeholders_of_its_english_text(path, text):
    assert _names(text) == _names(ENGLISH_LEAVES[path]), path
    assert placeholder_problems(text, path) == []
    filled = fill(text, SAMPLE_VALUES)
    assert "{" not in filled and "}" not in filled, path


@pytest.mark.parametrize(("path", "text"), LEAVES, ids=LEAF_IDS)
def test_no_text_is_left_in_english(path, text):
    prose = re.sub(r"\{\w+\}", "", text)  # a placeholder's name is not a word of the text
    words = {w.lower() for w in checks.german_word_list(prose)}
    assert not words & ENGLISH_ONLY_WORDS, f"{path}: {sorted(words & ENGLISH_ONLY_WORDS)}"
    if text == ENGLISH_LEAVES[path]:
        # Only a text without words (a number or symbol) or with proper names only may match.
        assert words <= {"relcap"}, f"{path}: identical to the English"


@pytest.mark.parametrize(("path", "text"), LEAVES, ids=LEAF_IDS)
def test_each_text_passes_the_german_forbidden_word_check(path, text, monkeypatch):
    if path in DIAGNOSIS_ALLOWED_PATHS:
        rules = checks.LOCALE_RULES["de"]
        theory = tuple(w for w in rules.theory_words if w != "diagnos")
        monkeypatch.setitem(checks.LOCALE_RULES, "de", replace(rules, theory_words=theory))
    # "scored" so that absolutes count as well (copy says "so far", not "never" or "always");
    # no context, so only the checks that apply to any prose run.
    found = {c.key: c for c in checks.statement_checks(text, "scored", "", "de")}

    assert found["forbidden"].passed, f"{path}: {found['forbidden'].detail}"
    assert "context" not in found


@pytest.mark.parametrize(("path", "text"), LEAVES, ids=LEAF_IDS)
def test_no_words_section_7_2_avoids_and_no_comparison_with_others(path, text):
    lowered = text.lower()
    for word in FORBIDDEN_SUBSTRINGS:
        assert word not in lowered, f"{path}: contains {word!r}"
    for pattern in COMPARISON_PATTERNS:
        assert not re.search(pattern, lowered), f"{path}: matches {pattern!r}"


@pytest.mark.parametrize(("path", "text"), LEAVES, ids=LEAF_IDS)
def test_the_reader_is_addressed_as_sie(path, text):
    """Formal address; „du“ only inside a quoted example of what to say to someone close."""
    outside_quotes = re.sub(r"„[^“]*“", "", text)
    assert not re.search(r"\b(du|dich|dir|dein\w*)\b", outside_quotes, re.I), path


def test_the_disclaimer_says_not_a_diagnosis_and_names_the_three_months():
    disclaimer = GERMAN["disclaimer"]
    assert "keine Diagnose" in disclaimer
    assert "eigenen Angaben" in disclaimer
    assert "drei Monaten" in disclaimer


def test_the_capacity_names_are_distinct_plain_german_words():
    names = {code: texts["name"] for code, texts in GERMAN["dimensions"].items()}
    assert names == {
        "MEN": "Hineindenken",
        "EMP": "Mitfühlen",
        "REG": "Selbststeuerung",
        "TRU": "Vertrauen",
        "REP": "Versöhnung",
        "BON": "Verbundenheit",
    }
    short_names = [texts["short_name"] for texts in GERMAN["dimensions"].values()]
    assert len(set(short_names)) == len(short_names)
    facets = [f["name"] for t in GERMAN["dimensions"].values() for f in t["facets"].values()]
    assert len(set(facets)) == len(facets)


def test_the_fixed_support_texts_say_what_section_7_3_asks():
    support = GERMAN["support"]
    assert "Notruf" in support["emergency_line"]
    assert "kein Krisendienst" in support["not_a_crisis_service"]
    assert "kann nicht beurteilen" in support["page_body"]
    assert "28 Tage" in GERMAN["change"]["memory_note"]
    assert "6 bis 12 Wochen" in GERMAN["change"]["retake_suggestion"]


@pytest.mark.parametrize("key", list(GERMAN["suggestions"]))
def test_suggestions_are_short_practices_that_prescribe_no_therapy(key):
    suggestion = GERMAN["suggestions"][key]
    assert len(checks.german_word_list(suggestion["practice"])) <= 80, key
    text = " ".join(suggestion.values()).lower()
    for word in ("therap", "psycholog", "arzt", "ärzt", "klinik"):
        assert word not in text, f"{key} mentions {word!r}"


def test_the_german_texts_fill_into_whole_sentences():
    not_scored = fill(GERMAN["not_scored"], SAMPLE_VALUES)
    assert not_scored.startswith(
        "Sie haben 8 von 12 Aussagen zum Bereich Vertrauen beantwortet; für ein Ergebnis "
        "sind 9 nötig."
    )
    assert fill(GERMAN["comparison"]["days_apart_one"], {"days": 1}) == "1 Tag Abstand"
    assert (
        fill(GERMAN["card"]["intact_context"], SAMPLE_VALUES)
        == "Was hier schon gut gelingt: Vertrauen bei der Arbeit (62)."
    )


def test_the_report_uses_the_words_of_the_german_questionnaire():
    """Questionnaire and report agree: a statement is an „Aussage“ that may be skipped
    („Überspringen“), the questionnaire is the „Fragebogen“, and the two contexts are „enge
    Beziehungen“ and „Arbeit“ as in the context question (instrument_1_0.de.json)."""
    questionnaire = json.loads((FILE.parents[1] / "instrument_1_0.de.json").read_text("utf-8"))
    texts = questionnaire["texts"]
    assert "Aussage" in texts["consent.past_hurt"] and texts["scale.skip"] == "Überspringen"
    assert "Fragebogen" in texts["consent.retention"]
    assert "engen Beziehungen" in texts["context.close_only"]
    assert "Arbeit" in texts["context.work_only"]

    assert "Aussagen" in GERMAN["not_scored"] and "überspringen" in GERMAN["not_scored"]
    assert GERMAN["quality"]["retake_button"].startswith("Fragebogen")
    assert GERMAN["contexts"]["C"] == {
        "name": "Enge Beziehungen",
        "in_words": "in engen Beziehungen",
    }
    assert GERMAN["contexts"]["W"] == {"name": "Arbeit", "in_words": "bei der Arbeit"}
    assert GERMAN["modes"]["close_only"] == "Nur enge Beziehungen"
