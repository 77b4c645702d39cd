"""The shipped questionnaire texts and the German (de) instrument 1.0 (issue 16 lines 2 and 5),
and the §2.3 item-writing checks per locale."""

import json
import statistics
from pathlib import Path

import pytest
import textstat
from django.urls import reverse
from django.utils.html import escape

from assessments import checks
from assessments.locales import INSTRUMENT_TEXT_KEYS, fingerprint
from assessments.models import PAGE_INSTRUCTION, RESPONSE_SCALE, Translation
from profiles.forms import SKIP_LABEL, StartForm
from tests.factories import published_instrument

DATA = Path(checks.__file__).resolve().parent / "data"
ENGLISH = json.loads((DATA / "instrument_texts_en.json").read_text(encoding="utf-8"))["texts"]
GERMAN = json.loads((DATA / "instrument_1_0.de.json").read_text(encoding="utf-8"))
ITEMS = {i["code"]: i for i in json.loads((DATA / "instrument_1_0.json").read_text())["items"]}
START = (Path(checks.__file__).resolve().parents[1] / "templates/profiles/start.html").read_text()


# ----------------------------------------------------------------------------- English source
def test_english_texts_are_what_the_questionnaire_shows_today():
    """Line 4 can switch the views to these rows without changing a byte of any page."""
    form = StartForm()
    assert list(ENGLISH) == list(INSTRUMENT_TEXT_KEYS)
    assert ENGLISH["instruction"] == PAGE_INSTRUCTION
    assert [ENGLISH[f"scale.{v}"] for v, _ in RESPONSE_SCALE] == [t for _, t in RESPONSE_SCALE]
    assert ENGLISH["scale.skip"] == SKIP_LABEL
    assert ENGLISH["context.question"] == form.fields["context_mode"].label
    assert [ENGLISH[f"context.{m}"] for m in ("both", "close_only", "work_only")] == [
        label for _, label in form.fields["context_mode"].choices
    ]
    assert ENGLISH["consent.agree"] == form.fields["consent"].label
    assert ENGLISH["consent.adult"] == form.fields["adult"].label
    assert ENGLISH["consent.research"] == form.fields["research_opt_in"].label


@pytest.mark.django_db
def test_the_start_page_reads_the_consent_notice_from_the_versions_texts(client):
    """Line 4 switched the start page to the texts: the wording it shows is the English rows,
    and none of it is written in the template any more."""
    html = client.get(reverse("profiles:start")).content.decode()

    for key, text in ENGLISH.items():
        if key.startswith(("consent.", "context.")):
            assert escape(text) in html, key
            assert text not in START, key


# ----------------------------------------------------------------------------- German 1.0
def test_german_covers_every_statement_and_text_of_1_0():
    assert GERMAN["locale"] == "de" and GERMAN["version"] == "1.0"
    assert list(GERMAN["items"]) == list(ITEMS)
    assert list(GERMAN["texts"]) == list(INSTRUMENT_TEXT_KEYS)
    assert GERMAN["status"] == "translation — not yet validated"
    every = [*GERMAN["items"].values(), *GERMAN["texts"].values()]
    assert all(t.strip() for t in every)
    english = {i["text"] for i in ITEMS.values()} | set(ENGLISH.values())
    assert not english & set(every)


@pytest.mark.parametrize("code", list(ITEMS))
def test_every_german_statement_passes_the_german_checks(code):
    item = ITEMS[code]
    found = checks.statement_checks(
        GERMAN["items"][code], item["kind"], item["context"] or "", "de"
    )

    assert [c.detail for c in found if not c.passed] == []
    assert len(found) == (4 if item["kind"] == "scored" else 3)


def test_german_bank_reads_as_easily_as_the_english_one():
    scored = [c for c, i in ITEMS.items() if i["kind"] == "scored"]
    german = statistics.mean(checks.german_reading_grade(GERMAN["items"][c]) for c in scored)
    words = statistics.mean(len(checks.german_word_list(GERMAN["items"][c])) for c in scored)

    assert german < 6  # Wiener Sachtextformel, school grade (the English bank: FK about 5)
    assert words <= 15  # §2.3 rule 4's target


def test_german_check_items_name_the_german_response_labels():
    texts = GERMAN["texts"]

    assert f"„{texts['scale.2']}“" in GERMAN["items"]["QC1"]
    assert f"„{texts['scale.5']}“" in GERMAN["items"]["QC3"]


@pytest.mark.django_db
def test_the_migration_loaded_german_as_approved_and_current():
    instrument = published_instrument()
    rows = Translation.objects.approved().filter(instrument_version=instrument, locale="de")
    by_code = {r.item.code: r for r in rows.filter(item__isnull=False).select_related("item")}
    by_key = {
        r.instrument_text.key: r
        for r in rows.filter(instrument_text__isnull=False).select_related("instrument_text")
    }

    assert {c: r.text for c, r in by_code.items()} == GERMAN["items"]
    assert {k: r.text for k, r in by_key.items()} == GERMAN["texts"]
    assert all(r.source_fingerprint == fingerprint(r.item.text) for r in by_code.values())
    assert all(r.note.endswith("translation — not yet validated.") for r in rows)


# ----------------------------------------------------------------------------- checks per locale
def test_german_words_count_umlauts_and_compounds_as_one_word():
    assert checks.german_word_list("Bei der Arbeit fällt mir eine E-Mail auf.") == [
        "Bei", "der", "Arbeit", "fällt", "mir", "eine", "E-Mail", "auf",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Bei der Arbeit spüre ich viel Empathie für andere.", "'empath…'"),
        ("Bei der Arbeit fühle ich mich getriggert.", "'trigger…'"),
        ("Bei der Arbeit kann ich mich gut regulieren.", "'regulier…'"),
        ("Bei der Arbeit bleibe ich immer ruhig.", "'immer'"),
        ("Bei der Arbeit verstehe ich einen Kollegen gut.", "'kollegen' assumes a gender"),
        ("Ich höre meinem Partner gut zu, wenn er spricht.", "'partner' assumes a gender"),
    ],
)
def test_german_forbidden_words(text, problem):
    found = {c.key: c for c in checks.statement_checks(text, "scored", "W", "de")}

    assert not found["forbidden"].passed
    assert problem in found["forbidden"].detail


def test_both_forms_named_are_not_a_gender_assumption():
    text = "Bei der Arbeit höre ich Kolleginnen und Kollegen gut zu."

    assert checks.writing_problems(text, "scored", "W", "de") == []


def test_german_context_phrases():
    close = "Ich höre gut zu, wenn jemand, der mir nahesteht, von sich erzählt."
    work = "In Besprechungen höre ich gut zu."

    assert checks.writing_problems(close, "scored", "C", "de") == []
    assert checks.writing_problems(work, "scored", "W", "de") == []
    missing = checks.writing_problems("Ich höre gut zu.", "scored", "W", "de")
    assert missing == [
        "a German work statement opens with „Bei der Arbeit“ or names a work setting "
        "(Besprechung, Team) (§2.3 rule 3)."
    ]


def test_absolutes_are_allowed_in_german_check_items():
    assert checks.writing_problems(GERMAN["items"]["QC2"], "qc", "", "de") == []
    assert "nie" in GERMAN["items"]["QC2"].split()


def test_german_reading_grade_is_the_wiener_sachtextformel():
    hard = (
        "Bei der Arbeit berücksichtige ich grundsätzlich unterschiedlichste "
        "Perspektivenübernahmemöglichkeiten."
    )
    found = {c.key: c for c in checks.statement_checks(hard, "scored", "W", "de")}

    assert not found["grade"].passed
    assert found["grade"].detail.startswith("Wiener Sachtextformel (school grade) ")
    assert checks.german_reading_grade("Ich bin da.") < 4


def test_german_checks_leave_the_english_measure_untouched():
    text = "At work, I stay settled when someone questions my idea."
    before = checks.reading_grade(text)

    checks.german_reading_grade(GERMAN["items"]["REG1-W1"])

    assert checks.reading_grade(text) == before == textstat.flesch_kincaid_grade(text)
    assert checks.statement_checks(text)[1].detail.startswith("reading grade ")


ENGLISH_ONLY_WORDS = {
    "the", "and", "you", "your", "with", "when", "work", "people", "close", "my", "of", "to",
    "is", "it", "at", "or", "not", "this", "that", "i", "me", "feel", "someone", "agree",
}  # fmt: skip


def test_no_english_word_inside_the_german_texts():
    """A small dictionary check (issue 16's "no string of the other language"): no common
    English word that is not also German appears in any German text."""
    for where, text in [*GERMAN["items"].items(), *GERMAN["texts"].items()]:
        words = {w.lower() for w in checks.german_word_list(text)}
        assert not words & ENGLISH_ONLY_WORDS, where


def test_german_texts_are_in_unicode_nfc():
    import unicodedata

    for text in [*GERMAN["items"].values(), *GERMAN["texts"].values()]:
        assert unicodedata.normalize("NFC", text) == text
