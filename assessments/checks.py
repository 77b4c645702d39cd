"""Publish validation (ASSESSMENT.md §5.4): blueprint and page-layout errors, item-writing notes.

Plain functions over `ItemSpec`s and texts, so they are tested without a database.
"""

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import textstat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from textstat.textstat import textstatistics

from assessments.copy_release import copy_3_texts
from assessments.copy_text import placeholder_names, placeholder_problems
from assessments.scoring.spec import DIMENSIONS, ItemSpec

FACETS = (1, 2)
CONTEXTS = ("C", "W")
ITEMS_PER_CELL = 3
REQUIRED_CHECK_ITEMS = {"QC1": "qc", "QC2": "qc", "QC3": "qc", "WB1": "wb"}
QC_PAGES = {"QC1": 2, "QC2": 4, "QC3": 6}
SCORED_PAGES = 6
MAX_WORDS, TARGET_WORDS, MAX_GRADE = 20, 15, 8
# §2.3 rule 6 and 7: theory words and absolutes that do not belong in a statement.
THEORY_WORDS = (
    "trauma", "attachment", "dissociat", "trigger", "mentaliz", "mentalis", "empathy",
    "regulat", "disorder",
)  # fmt: skip
ABSOLUTES = ("always", "never")


def blueprint_problems(items: Sequence[ItemSpec]) -> list[str]:
    """Errors that block publishing: the 6 x 2 x 2 x 3 blueprint and the check items."""
    problems = _duplicate_problems(items)
    scored = [i for i in items if i.kind == "scored"]
    cells: dict[tuple[str, int, str], list[ItemSpec]] = defaultdict(list)
    for item in scored:
        cells[(item.dimension or "", item.facet or 0, item.context or "")].append(item)
    for dimension in DIMENSIONS:
        for facet in FACETS:
            for context in CONTEXTS:
                problems += _cell_problems(
                    f"{dimension}{facet}-{context}", cells.pop((dimension, facet, context), [])
                )
    for (dimension, facet, context), extra in sorted(cells.items()):
        codes = ", ".join(i.code for i in extra)
        problems.append(f"{codes}: {dimension}{facet}-{context} is not a cell of the blueprint.")
    by_code = {i.code: i for i in items}
    for code, kind in REQUIRED_CHECK_ITEMS.items():
        if code not in by_code:
            problems.append(f"{code} is missing: every version needs QC1, QC2, QC3 and WB1.")
        elif by_code[code].kind != kind:
            problems.append(f"{code} must be of kind '{kind}'.")
    return problems


def _duplicate_problems(items: Sequence[ItemSpec]) -> list[str]:
    problems = []
    for code, count in Counter(i.code for i in items).items():
        if count > 1:
            problems.append(f"Code {code} is used {count} times.")
    for position, count in Counter(i.position for i in items).items():
        if count > 1:
            problems.append(f"Position {position} is used {count} times.")
    return problems


def _cell_problems(cell: str, members: list[ItemSpec]) -> list[str]:
    problems = []
    if len(members) != ITEMS_PER_CELL:
        problems.append(f"{cell} has {len(members)} items; it needs exactly {ITEMS_PER_CELL}.")
    reversed_count = sum(1 for i in members if i.reverse)
    if members and reversed_count != 1:
        problems.append(f"{cell} has {reversed_count} reverse-keyed items; it needs exactly 1.")
    return problems


def layout_problems(items: Sequence[ItemSpec]) -> list[str]:
    """Errors in the §2.6 page layout: 6 pages of one item per facet, QC pages, WB1 last."""
    problems = []
    pages: dict[int, list[ItemSpec]] = defaultdict(list)
    for item in sorted(items, key=lambda i: i.position):
        pages[item.page].append(item)
    for page in range(1, SCORED_PAGES + 1):
        facets = Counter(f"{i.dimension}{i.facet}" for i in pages[page] if i.kind == "scored")
        if len(facets) != len(DIMENSIONS) * len(FACETS) or set(facets.values()) != {1}:
            problems.append(
                f"Page {page} must hold exactly one statement from each of the 12 facets."
            )
    for code, page in QC_PAGES.items():
        if any(i.code == code and i.page != page for i in items):
            problems.append(f"{code} belongs on page {page}.")
    last = pages.get(SCORED_PAGES + 1, [])
    if [i.code for i in last] != ["WB1"]:
        problems.append(f"Page {SCORED_PAGES + 1} must hold WB1 alone.")
    extra = sorted(p for p in pages if p > SCORED_PAGES + 1)
    if extra:
        problems.append(f"Pages {extra} are beyond the last page.")
    return problems


def adjacency_notes(items: Sequence[ItemSpec]) -> list[str]:
    """Two statements of one capacity next to each other on a page (a note, not an error)."""
    notes = []
    ordered = [i for i in sorted(items, key=lambda i: i.position) if i.kind == "scored"]
    for before, after in zip(ordered, ordered[1:], strict=False):
        if before.page == after.page and before.dimension == after.dimension:
            notes.append(
                f"{before.code} and {after.code} are next to each other on page "
                f"{before.page}; §2.6 asks for no two items of one capacity in a row."
            )
    return notes


@dataclass(frozen=True)
class WritingCheck:
    """One §2.3 item-writing check of one text: its name, whether it passes, and in plain words
    what was found (shown live beside a statement as it is typed, enforced on save)."""

    key: str
    name: str
    passed: bool
    detail: str


# §2.3 rule 3: the context is stated in the statement itself.
CONTEXT_PHRASES = {
    "C": re.compile(
        r"\b(close to me|closest to me|i love|love me|matter to me|partner|friend)", re.I
    ),
    "W": re.compile(r"\b(at work|work|colleague|meeting|team|manager|client)", re.I),
}


def statement_checks(
    text: str, kind: str = "scored", context: str = "", locale: str = "en"
) -> list[WritingCheck]:
    """The four item-writing checks of §2.3 for one statement in one locale: length, reading
    grade, forbidden words (theory words, absolutes and, in German, generic masculine nouns),
    and the context phrase (scored items only). Each locale has its own rules
    (`LOCALE_RULES`); English is the source language of the instrument."""
    rules = LOCALE_RULES[locale]
    words = rules.words(text)
    found = []
    count = len(words)
    found.append(
        WritingCheck(
            "words",
            _("Length"),
            count <= MAX_WORDS,
            _("%(count)d words (at most %(max)d, aim for %(target)d).")
            % {"count": count, "max": MAX_WORDS, "target": TARGET_WORDS},
        )
    )
    grade = rules.grade(text) if words else 0.0
    found.append(
        WritingCheck(
            "grade",
            _("Reading grade"),
            grade <= MAX_GRADE,
            _("%(measure)s %(grade).1f (at most %(max)d).")
            % {"measure": rules.grade_name, "grade": grade, "max": MAX_GRADE},
        )
    )
    lowered = text.lower()
    theory = [w for w in rules.theory_words if w in lowered]
    lowered_words = {w.lower() for w in words}
    absolutes = [w for w in rules.absolutes if kind == "scored" and w in lowered_words]
    gendered = [m for m, f in rules.gendered.items() if m in lowered_words and f not in lowered]
    if theory:
        detail = _("avoid theory words such as '%(word)s…' (§2.3 rule 6).") % {"word": theory[0]}
    elif absolutes:
        detail = _("avoid absolutes such as '%(word)s' (§2.3 rule 7).") % {"word": absolutes[0]}
    elif gendered:
        detail = _(
            "'%(word)s' assumes a gender: use a neutral word such as 'jemand' or 'andere', "
            "or name both forms (§2.3 rule 6)."
        ) % {"word": gendered[0]}
    else:
        detail = _("no theory words or absolutes.")
    passed = not theory and not absolutes and not gendered
    found.append(WritingCheck("forbidden", _("Forbidden words"), passed, detail))
    if kind == "scored" and context in rules.context_phrases:
        named = rules.context_phrases[context].search(text)
        if named:
            detail = _("names its context: “%(phrase)s”.") % {"phrase": named.group(0)}
        else:
            detail = str(rules.context_hints[context])
        found.append(WritingCheck("context", _("Context phrase"), named is not None, detail))
    return found


def writing_problems(
    text: str, kind: str = "scored", context: str = "", locale: str = "en"
) -> list[str]:
    """The failing checks of `statement_checks`, in plain words."""
    return [c.detail for c in statement_checks(text, kind, context, locale) if not c.passed]


def writing_notes(texts: Iterable[tuple[str, ...]]) -> list[str]:
    """Item-writing checks of §2.3 for (code, kind, text[, context]), reported to the editor."""
    notes = []
    for code, kind, text, *context in texts:
        for problem in writing_problems(text, kind, context[0] if context else ""):
            notes.append(f"{code}: {problem}")
    return notes


def word_list(text: str) -> list[str]:
    return re.findall(r"[A-Za-z]+(?:['’][A-Za-z]+)*", text)


def reading_grade(text: str) -> float:
    """Flesch-Kincaid grade level (reported, not scored), computed by textstat.

    textstat counts syllables with the CMU pronouncing dictionary (pyphen's hyphenation for
    words it lacks). Before issue 15 this was a hand-written vowel-group estimate; the bank's
    mean barely moved (4.89 → 4.92), but three 1.0 statements now measure just above grade 8
    (tests/assessments/test_checks.py names them).
    """
    if not word_list(text):
        return 0.0
    return textstat.flesch_kincaid_grade(text)


# ----------------------------------------------------------------------------- per locale
# Flesch-Kincaid is an English formula. For German, the first Wiener Sachtextformel (Bamberger
# & Vanecek, 1984) is the standard measure and, like Flesch-Kincaid, gives a school grade
# (4 = very easy, 15 = very hard), so §2.3's "grade ≤ 8" reads the same in both languages.
# textstat computes it from the share of words of three or more syllables (pyphen's German
# hyphenation), of words longer than six letters, of one-syllable words, and the sentence length.
# A separate textstat instance, so the English instance's language is never switched.
_german = textstatistics()
_german.set_lang("de")


def german_word_list(text: str) -> list[str]:
    """Words in any script's letters (ä, ö, ü, ß), a hyphenated compound (E-Mail) as one."""
    return re.findall(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", text)


def german_reading_grade(text: str) -> float:
    """The first Wiener Sachtextformel (school grade), computed by textstat for German."""
    if not german_word_list(text):
        return 0.0
    return _german.wiener_sachtextformel(text, 1)


@dataclass(frozen=True)
class LocaleRules:
    """The §2.3 checks that depend on the language: how words are counted, the reading-grade
    measure, theory words (matched as word beginnings), absolutes (whole words), generic
    masculine nouns (a whole word, accepted when its feminine form is also in the text) and
    the phrases that name a context, with the hint shown when none is found."""

    words: Callable[[str], list[str]]
    grade: Callable[[str], float]
    grade_name: str
    theory_words: tuple[str, ...]
    absolutes: tuple[str, ...]
    context_phrases: dict[str, re.Pattern]
    context_hints: dict[str, str]
    gendered: dict[str, str]


LOCALE_RULES = {
    "en": LocaleRules(
        words=word_list,
        grade=reading_grade,
        grade_name="reading grade",
        theory_words=THEORY_WORDS,
        absolutes=ABSOLUTES,
        context_phrases=CONTEXT_PHRASES,
        context_hints={
            "W": gettext_lazy(
                "a work statement opens with “At work,” or names a work setting (§2.3 rule 3)."
            ),
            "C": gettext_lazy(
                "a close statement names “someone close to me”, “people close to me” or "
                "“someone I love” (§2.3 rule 3)."
            ),
        },
        gendered={},
    ),
    "de": LocaleRules(
        words=german_word_list,
        grade=german_reading_grade,
        grade_name="Wiener Sachtextformel (school grade)",
        # trauma, attachment, dissociate, trigger, mentalize, empathy, regulate, disorder,
        # and the diagnosis word the report copy avoids too (§7.2).
        theory_words=(
            "trauma",
            "bindung",
            "dissoziat",
            "dissoziier",
            "trigger",
            "getriggert",
            "mentalisier",
            "empath",
            "regulier",
            "regulation",
            "störung",
            "diagnos",
        ),  # fmt: skip
        absolutes=("immer", "nie", "niemals", "stets", "jederzeit"),
        context_phrases={
            "C": re.compile(
                r"(mir nahesteh|mir am nächsten|mir nahe|nahestehend|die ich liebe|den ich "
                r"liebe|mich lieben|mir wichtig|freundschaft|liebe\b)",
                re.I,
            ),
            "W": re.compile(
                r"(bei der arbeit|arbeit|besprechung|team|kolleg|beruf|vorgesetzt|kundschaft)",
                re.I,
            ),
        },
        context_hints={
            "W": gettext_lazy(
                "a German work statement opens with „Bei der Arbeit“ or names a work setting "
                "(Besprechung, Team) (§2.3 rule 3)."
            ),
            "C": gettext_lazy(
                "a German close statement names „jemand, der mir nahesteht“, „Menschen, die "
                "mir nahestehen“ or „ein Mensch, den ich liebe“ (§2.3 rule 3)."
            ),
        },
        # §2.3 rule 6 (no gendered assumptions) in a language with grammatical gender: a
        # generic masculine noun reads as "a man"; say "jemand", "andere", "die Person", or
        # name both forms ("Kolleginnen und Kollegen").
        gendered={
            "kollege": "kollegin",
            "kollegen": "kollegin",
            "partner": "partnerin",
            "freund": "freundin",
            "freunde": "freundin",
            "chef": "chefin",
            "mitarbeiter": "mitarbeiterin",
            "kunde": "kundin",
            "kunden": "kundin",
            "vorgesetzter": "vorgesetzte",
        },  # fmt: skip
    ),
}


# ----------------------------------------------------------------------------- report copy
def copy_problems(texts: object) -> list[str]:
    """Every way `texts` departs from the shape of the newest released copy (copy-3; every key
    it has, a later copy must have too), in plain words: missing keys,
    values that are not texts, empty texts, and placeholders the report cannot fill safely
    (assessments/copy_text.py). Extra keys are allowed (a later report may use them)."""
    return _shape_problems(copy_3_texts(), texts, "")


def _shape_problems(reference: object, value: object, where: str) -> list[str]:
    if isinstance(reference, dict):
        if not isinstance(value, dict):
            return [f"“{where or 'texts'}” must be a group of texts ({{…}})."]
        problems = []
        for key, inner in reference.items():
            path = f"{where}.{key}" if where else key
            if key in value:
                problems += _shape_problems(inner, value[key], path)
            else:
                problems.append(f"“{path}” is missing.")
        return problems
    if not isinstance(value, str) or not value.strip():
        return [f"“{where}” must be a non-empty text."]
    return placeholder_problems(value, where)


# ----------------------------------------------------------------------------- copy per locale
# Issue 16 line 3. A translated report text is checked like the English at publishing (not
# empty, placeholders the report can fill) and must use exactly the placeholders of its English
# text, so a report fills the same values in every locale. The §2.3 rules that concern wording
# rather than statements apply per locale (`COPY_LOCALE_WORDS`): the words report copy avoids
# (ASSESSMENT.md §7.2: nothing pathologising or diagnostic) and, in German, generic masculine
# nouns (§2.3 rule 6, `LOCALE_RULES["de"].gendered`; a noun with its feminine form, also
# written short as Partner/in, Partner:in, Partner*in or Partner(in), names both). Reading
# grade, length and the theory words are statement rules: the English report copy names
# "Regulation" and "Bonding" as capacities.
COPY_LOCALE_WORDS = {
    "de": (
        "gestört",
        "störung",
        "krankhaft",
        "pathologisch",
        "toxisch",
        "dysfunktional",
        "abnorm",
        "unnormal",
        "kaputt",
        "trauma",
        "traumatis",
        "vermeidend",
        "ängstlich",
        "diagnos",
    ),  # fmt: skip
}
# A word the English text itself uses may stay (the disclaimer says relcap is not a diagnosis).
COPY_WORDS_ALLOWED_BY_ENGLISH = {"diagnos": re.compile(r"\bdiagnos", re.I)}


def copy_translation_problems(key: str, english: str, text: str, locale: str) -> list[str]:
    """Why `text` cannot stand for the English report text `english` at dotted `key` in
    `locale`, in plain words (empty when it can)."""
    if not text.strip():
        return [f"“{key}” must be a non-empty text."]
    problems = placeholder_problems(text, key)
    wanted, used = placeholder_names(english), placeholder_names(text)
    if not problems and wanted is not None and used != wanted:
        named = ", ".join(f"{{{n}}}" for n in sorted(wanted)) or "none"
        problems.append(
            f"“{key}” must use the placeholders of its English text ({named}); "
            f"it uses {', '.join(f'{{{n}}}' for n in sorted(used or ())) or 'none'}."
        )
    lowered = text.lower()
    words = set(german_word_list(lowered)) if locale == "de" else set()
    for word in COPY_LOCALE_WORDS.get(locale, ()):
        allowed = COPY_WORDS_ALLOWED_BY_ENGLISH.get(word)
        if allowed is not None and allowed.search(english):
            continue
        if re.search(rf"(?<![^\W\d_]){word}", lowered):
            problems.append(
                f"“{key}” uses “{word}…”: report copy avoids pathologising and diagnostic "
                "words (ASSESSMENT.md §7.2)."
            )
    if locale in LOCALE_RULES:
        for masculine, feminine in LOCALE_RULES[locale].gendered.items():
            both = feminine in lowered or re.search(rf"\b{masculine}[/:*_(]-?in", lowered)
            if masculine in words and not both:
                problems.append(
                    f"“{key}”: „{masculine}“ assumes a gender; use a neutral word or name both "
                    "forms (§2.3 rule 6)."
                )
    return problems
