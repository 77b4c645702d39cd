"""The German (de) copy-3 texts of part B (assessments/data/report_copy_3_de/part_b.json): the
practitioner's pre-session brief and conversation openers, live moments with their views and
reminders, and organisations (issue 16 line 5).

Each German text stands beside the English copy-3 text at the same path (assessments/
copy_release.py builds it): same groups, same shape, the same placeholders, and the German
forbidden-word check of assessments/checks.py (theory and diagnosis words, generic masculine
nouns). No database.
"""

import json
import re
import statistics
import string
import unicodedata

import pytest

from assessments import checks
from assessments.copy_release import DATA, copy_3_texts
from assessments.copy_text import placeholder_problems

FILE = DATA / "report_copy_3_de" / "part_b.json"
GROUPS = ("brief", "openers", "moments", "moments_views", "moments_reminders", "organisations")
GERMAN = json.loads(FILE.read_text(encoding="utf-8"))
ENGLISH = {group: copy_3_texts()[group] for group in GROUPS}


def _leaves(node, path=""):
    """(dotted path, text) for every leaf; a list item's path ends in its index."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _leaves(value, f"{path}.{index}")
    else:
        yield path, node


def _shape(node):
    """The nested keys and list lengths of a copy tree, with every leaf as None."""
    if isinstance(node, dict):
        return {key: _shape(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_shape(value) for value in node]
    return None


def _placeholders(text):
    """The names of the fields in `text`, parsed as assessments/copy_text.py parses them."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


EN_LEAVES = dict(_leaves(ENGLISH))
LEAVES = list(_leaves(GERMAN))


def _texts(group):
    """(path, German text, English text) for every text of `group`."""
    return [(path, text, EN_LEAVES[path]) for path, text in _leaves(GERMAN[group], group)]


def test_the_file_holds_exactly_the_part_b_groups():
    assert FILE.read_text(encoding="utf-8").endswith("}\n")
    assert set(GERMAN) == set(GROUPS)


@pytest.mark.parametrize("group", GROUPS)
def test_each_group_has_the_shape_of_the_english(group):
    assert _shape(GERMAN[group]) == _shape(ENGLISH[group])


def test_every_german_leaf_has_an_english_text_and_the_other_way_round():
    assert [p for p, _ in LEAVES] == list(EN_LEAVES)
    assert len(LEAVES) > 400


@pytest.mark.parametrize("group", GROUPS)
def test_each_text_is_a_non_empty_nfc_string(group):
    problems = []
    for path, text, _ in _texts(group):
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{path}: empty or not a text")
        elif text != text.strip() or "  " in text:
            problems.append(f"{path}: stray whitespace")
        elif unicodedata.normalize("NFC", text) != text:
            problems.append(f"{path}: not NFC")
    assert problems == []


@pytest.mark.parametrize("group", GROUPS)
def test_the_same_placeholders_as_the_english_and_publishable(group):
    problems = []
    for path, text, english in _texts(group):
        if _placeholders(text) != _placeholders(english):
            problems.append(f"{path}: {_placeholders(text)} ≠ {_placeholders(english)}")
        if text.count("\n") != english.count("\n"):
            problems.append(f"{path}: line breaks differ from the English")
        problems += placeholder_problems(text, path)
    assert problems == []


@pytest.mark.parametrize("group", GROUPS)
def test_no_text_is_left_in_english(group):
    """A text may equal its English only when, without placeholders and the name relcap, it has
    no word of two letters or more (a dash, "n =", "{title} ({names})", "relcap")."""
    same = [
        path
        for path, text, english in _texts(group)
        if text == english and re.search(r"[^\W\d_]{2,}", re.sub(r"\{\w+\}|relcap", "", text))
    ]
    assert same == []


# Short English words that are not German words. The code book's data codes (self, prompted,
# close, work, repaired, not_yet, no_need, steering, reactive, focus, occurred_at) are the
# field values of the export and stay as they are.
ENGLISH_WORDS = re.compile(
    r"\b(the|and|you|your|with|this|that|of|is|are|for|to|it|we|our|what|when|how|not|"
    r"please|share|shared|practice|practitioner|live)\b",
    re.I,
)


@pytest.mark.parametrize("group", GROUPS)
def test_no_common_english_words(group):
    found = []
    for path, text, _ in _texts(group):
        prose = re.sub(r"\{\w+\}|[\w.]+\.md\b", "", text)  # placeholders, PRACTICE.md
        found += [f"{path}: {m.group(0)!r}" for m in ENGLISH_WORDS.finditer(prose)]
    assert found == []


@pytest.mark.parametrize("group", GROUPS)
def test_german_quotation_marks(group):
    problems = []
    for path, text, _ in _texts(group):
        marks = "".join(char for char in text if char in "„“")
        if any(mark in text for mark in ('"', "”", "«", "»")) or marks != "„“" * (len(marks) // 2):
            problems.append(path)
    assert problems == []


@pytest.mark.parametrize("group", GROUPS)
def test_german_forbidden_words_check_passes(group):
    """The "forbidden" check of the German §2.3 rules (assessments/checks.py), run on copy:
    theory words (Bindung, Regulation, Trigger, Empathie…), the diagnosis word, and generic
    masculine nouns unless the feminine form stands beside them. Absolutes (immer, nie) are a
    rule for scored statements only (kind "scored"), so copy is checked as kind "copy"; length
    and reading grade are statement rules too and do not apply to copy."""
    failing = []
    for path, text, _ in _texts(group):
        found = {c.key: c for c in checks.statement_checks(text, kind="copy", locale="de")}
        if not found["forbidden"].passed:
            failing.append(f"{path}: {found['forbidden'].detail}")
    assert failing == []


# §7.2's words to avoid in copy, in German (matched inside longer words too).
PATHOLOGISING = (
    "dysfunktion", "kaputt", "abnorm", "patholog", "toxisch", "normal", "krankhaft",
    "gestört", "vermeidend", "bindungstyp", "defekt",
)  # fmt: skip


@pytest.mark.parametrize("group", GROUPS)
def test_no_pathologising_words(group):
    found = [
        f"{path}: {word}"
        for path, text, _ in _texts(group)
        for word in PATHOLOGISING
        if word in text.lower()
    ]
    assert found == []


def test_the_forbidden_check_would_catch_what_the_copy_avoids():
    """The check is not hollow on copy: the words the German copy steers around fail it."""
    for text in (
        "Neue Verbindungen",  # "Bindung" inside a compound: the copy says "Kontakte"
        "Es ist keine Diagnose.",
        "Ein Kollege hat Sie eingeladen.",
        "Ihr Partner",
    ):
        found = {c.key: c for c in checks.statement_checks(text, kind="copy", locale="de")}
        assert not found["forbidden"].passed, text


def test_the_person_is_addressed_formally():
    informal = re.compile(r"\b(du|dich|dir|dein\w*)\b", re.I)
    assert [p for p, t in LEAVES if informal.search(t)] == []


def test_the_practitioner_is_a_fachperson_and_organisations_see_counts_only():
    texts = dict(LEAVES)
    assert "Fachperson" in texts["moments.page.practice_note_heading"]
    assert "Fachpersonen" in texts["organisations.practitioners_title"]
    assert "„weniger als 5“" in texts["organisations.counts_intro"]
    assert texts["organisations.fewer_than_5"] == "weniger als 5"


def test_reactive_responses_are_framed_as_understandable_not_as_failure():
    note = GERMAN["moments"]["form"]["reactive_note"]
    assert "verständliche, gelernte Reaktionen" in note
    assert "kein Versagen" in note


def test_reminder_e_mails_carry_no_personal_content():
    """Subjects and body ask only whether there was a moment (PRACTICE.md §7), as in English."""
    reminders = GERMAN["moments_reminders"]
    for key in ("email_subject_daily", "email_subject_weekly", "email_body"):
        assert _placeholders(reminders[key]) == set()
        assert "Moment" in reminders[key]


def test_the_openers_read_as_easily_as_the_english_ones():
    """Openers are spoken to the person: the Wiener Sachtextformel (school grade) of the German
    stays near the English Flesch-Kincaid grade (about 5), and no opener is hard to follow."""
    openers = [text for path, text in LEAVES if path.startswith("openers.")]
    grades = [checks.german_reading_grade(text) for text in openers]

    assert len(openers) == 75
    assert statistics.mean(grades) <= 6
    assert max(grades) <= 10
    assert all(text.endswith("?") for text in openers)


def test_the_part_b_groups_pass_the_copy_shape_check_once_merged():
    """Merged into the English copy-3, the German part B raises no shape or placeholder
    problem of assessments/checks.py for its groups."""
    merged = {**copy_3_texts(), **GERMAN}
    problems = checks.copy_problems(merged)

    assert problems == []
