"""Instrument content per locale (issue 16 line 2): translations as reviewed content with the
fingerprint of their English, `offered_locales`, `questionnaire_texts`, approving, releasing,
copy-on-write, and the immutability of released and published content."""

import pytest
from django.db import IntegrityError, connection, transaction

from assessments import queries, services
from assessments.locales import INSTRUMENT_TEXT_KEYS, fingerprint
from assessments.models import (
    PAGE_INSTRUCTION,
    RESPONSE_SCALE,
    InstrumentText,
    InstrumentVersion,
    LocaleRelease,
    ReadOnlyError,
    Translation,
)
from tests.factories import UserFactory, published_instrument

pytestmark = pytest.mark.django_db

GOOD = "Bei der Arbeit merke ich, wenn jemand im Team still besorgt wirkt."
ALERT = "Bei der Arbeit kann mich eine knappe E-Mail sofort in Alarm versetzen."
CLOSE = "Wenn Menschen, die mir nahestehen, anders sind, frage ich mich, was in ihnen vorgeht."


@pytest.fixture
def translator():
    return UserFactory(is_staff=True)


@pytest.fixture
def released(translator):
    """German released for 1.0 (the shipped translation is complete)."""
    return services.release_locale(instrument=published_instrument(), locale="de", user=translator)


def approved_de(instrument, code=None, key=None) -> Translation:
    rows = Translation.objects.approved().filter(instrument_version=instrument, locale="de")
    return rows.get(item__code=code) if code else rows.get(instrument_text__key=key)


def take_away(translation: Translation) -> None:
    """Delete one approved translation in SQL, beneath the guard (which refuses it for a
    published version): `offered_locales` judges the rows as they are, however they got so."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM assessments_translation WHERE id = %s", [translation.pk])


def reword(draft: InstrumentVersion, code: str, text: str) -> None:
    item = draft.items.get(code=code)
    item.text, item.change = text, "wording"
    services.save_statement(item=item)


# ----------------------------------------------------------------------------- the source texts
def test_every_version_has_its_questionnaire_texts_in_english():
    texts = dict(published_instrument().texts.values_list("key", "text"))

    assert list(texts) == list(INSTRUMENT_TEXT_KEYS)
    assert texts["instruction"] == PAGE_INSTRUCTION
    assert [texts[f"scale.{v}"] for v, _ in RESPONSE_SCALE] == [
        label for _, label in RESPONSE_SCALE
    ]


def test_a_text_of_a_published_version_cannot_change_or_be_added():
    text = published_instrument().texts.get(key="instruction")
    text.text = "Something else."

    with pytest.raises(ReadOnlyError):
        text.save()
    with pytest.raises(ReadOnlyError):
        InstrumentText.objects.create(instrument_version=published_instrument(), key="x", text="y")
    with pytest.raises(ReadOnlyError):
        InstrumentText.objects.filter(instrument_version=published_instrument()).update(text="z")


# ----------------------------------------------------------------------------- offered locales
def test_shipped_german_is_complete_but_not_offered_until_released(translator):
    instrument = published_instrument()

    assert queries.locale_status(instrument, "de").is_complete
    assert queries.offered_locales(instrument) == ["en"]

    services.release_locale(instrument=instrument, locale="de", user=translator)

    assert queries.offered_locales(instrument) == ["en", "de"]


def test_one_missing_statement_means_the_locale_is_not_offered(released):
    instrument = published_instrument()
    take_away(approved_de(instrument, code="REG1-W3"))

    assert queries.offered_locales(instrument) == ["en"]
    assert queries.locale_status(instrument, "de").incomplete == ["REG1-W3: missing"]


@pytest.mark.parametrize("key", ["instruction", "scale.4", "scale.skip", "consent.agree"])
def test_one_missing_questionnaire_text_means_the_locale_is_not_offered(released, key):
    instrument = published_instrument()
    take_away(approved_de(instrument, key=key))

    assert queries.offered_locales(instrument) == ["en"]
    assert queries.locale_status(instrument, "de").incomplete == [f"text “{key}”: missing"]


@pytest.mark.parametrize("code", ["QC2", "WB1"])
def test_a_missing_check_item_means_the_locale_is_not_offered(released, code):
    instrument = published_instrument()
    take_away(approved_de(instrument, code=code))

    assert "de" not in queries.offered_locales(instrument)


def test_a_draft_translation_alone_does_not_count(translator):
    draft = services.create_draft_from(source=published_instrument(), version="1.1")
    row = approved_de(draft, code="MEN1-C1")
    row.delete()  # a draft version's translations are editable
    item = draft.items.get(code="MEN1-C1")
    services.save_translation(source=item, locale="de", text=CLOSE, user=translator)

    status = queries.locale_status(draft, "de")

    assert status.incomplete == ["MEN1-C1: missing"]
    assert status.rows[0].draft is not None


def test_an_out_of_date_translation_means_the_locale_is_not_offered(translator):
    """The English of a statement changes in a draft after its German was approved."""
    draft = services.create_draft_from(source=published_instrument(), version="1.1")
    reword(draft, "REG1-W3", "At work, a short email can put me on high alert.")

    status = queries.locale_status(draft, "de")

    assert status.incomplete == ["REG1-W3: out of date"]
    assert [r.key for r in status.by_state(queries.TextState.OUT_OF_DATE)] == ["REG1-W3"]
    with pytest.raises(queries.LocaleUnavailable) as refused:
        queries.questionnaire_texts(draft, "de", released_only=False)
    assert refused.value.missing == ["REG1-W3: out of date"]


def test_an_out_of_date_published_translation_is_not_offered(released):
    """Defensive: a fingerprint that does not match the version's English (a damaged row) is
    out of date even in a released locale."""
    instrument = published_instrument()
    row = approved_de(instrument, key="instruction")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE assessments_translation SET source_fingerprint = %s WHERE id = %s",
            ["0" * 64, row.pk],
        )

    assert queries.offered_locales(instrument) == ["en"]


def test_a_published_version_with_a_reworded_statement_needs_its_german_again(translator):
    """The ordinary way a locale falls behind: 1.1 rewords one statement and adds a new one;
    once published, German is not offered for it and cannot be released until both have an
    approved German text."""
    draft = services.create_draft_from(source=published_instrument(), version="1.1")
    reword(draft, "REG1-W3", "At work, a short email can put me on high alert.")
    draft = services.publish(instrument=draft)

    with pytest.raises(services.TranslationError) as refused:
        services.release_locale(instrument=draft, locale="de", user=translator)
    assert refused.value.problems == ["REG1-W3: out of date"]

    item = draft.items.get(code="REG1-W3")
    new = services.save_translation(source=item, locale="de", text=ALERT, user=translator)
    services.approve_translation(translation=new, user=translator)
    services.release_locale(instrument=draft, locale="de", user=translator)

    assert queries.offered_locales(draft) == ["en", "de"]
    assert queries.questionnaire_texts(draft, "de").items[item.pk] == ALERT


def test_a_draft_version_offers_english_only():
    draft = services.create_draft_from(source=published_instrument(), version="1.1")

    assert queries.locale_status(draft, "de").is_complete  # carried over, all current
    assert queries.offered_locales(draft) == ["en"]


def test_offered_locales_reads_the_releases_once_a_locale_was_found_complete(
    released, django_assert_num_queries
):
    instrument = published_instrument()
    assert queries.offered_locales(instrument) == ["en", "de"]

    with django_assert_num_queries(1):
        assert queries.offered_locales(instrument) == ["en", "de"]


# ----------------------------------------------------------------------------- questionnaire texts
def test_questionnaire_texts_in_english_are_the_versions_own():
    instrument = published_instrument()

    texts = queries.questionnaire_texts(instrument, "en")

    assert texts.items == dict(instrument.items.values_list("pk", "text"))
    assert texts.scale() == RESPONSE_SCALE
    assert texts.texts["instruction"] == PAGE_INSTRUCTION
    assert texts.not_validated == ""


def test_questionnaire_texts_in_german_hold_every_text_and_no_english(released):
    instrument = published_instrument()
    english = set(instrument.items.values_list("text", flat=True)) | set(
        instrument.texts.values_list("text", flat=True)
    )

    texts = queries.questionnaire_texts(instrument, "de")

    assert set(texts.items) == set(instrument.items.values_list("pk", flat=True))
    assert set(texts.texts) == set(INSTRUMENT_TEXT_KEYS)
    assert not english & (set(texts.items.values()) | set(texts.texts.values()))
    assert texts.texts["instruction"].startswith("Denken Sie an die letzten drei Monate.")
    assert texts.not_validated == "translation — not yet validated"


def test_questionnaire_texts_refuse_an_unreleased_or_unknown_locale():
    instrument = published_instrument()

    with pytest.raises(queries.LocaleUnavailable) as unreleased:
        queries.questionnaire_texts(instrument, "de")
    with pytest.raises(queries.LocaleUnavailable):
        queries.questionnaire_texts(instrument, "fr")

    assert unreleased.value.missing == ["de is not released for version 1.0"]
    assert queries.questionnaire_texts(instrument, "de", released_only=False).locale == "de"


def test_questionnaire_texts_of_a_released_locale_are_read_once(
    released, django_assert_num_queries
):
    instrument = published_instrument()
    queries.questionnaire_texts(instrument, "de")

    with django_assert_num_queries(0):
        queries.questionnaire_texts(instrument, "de")


# ----------------------------------------------------------------------------- writing, approving
def test_saving_a_translation_stores_a_draft_with_the_source_fingerprint(translator):
    instrument = published_instrument()
    item = instrument.items.get(code="MEN1-W3")

    draft = services.save_translation(source=item, locale="de", text=GOOD, user=translator)
    again = services.save_translation(source=item, locale="de", text=GOOD + " ", user=translator)

    assert again.pk == draft.pk  # one draft per text and locale
    assert again.status == "draft" and again.created_by == translator
    assert again.source_fingerprint == fingerprint(item.text)
    assert item.text == instrument.items.get(code="MEN1-W3").text  # the English is untouched


def test_a_translation_failing_the_german_checks_is_refused(translator):
    item = published_instrument().items.get(code="MEN1-W3")

    with pytest.raises(services.TranslationError) as refused:
        services.save_translation(
            source=item,
            locale="de",
            text="Ich fühle immer Empathie mit jedem Kollegen.",
            user=translator,
        )

    assert "avoid theory words such as 'empath…' (§2.3 rule 6)." in refused.value.problems
    assert not Translation.objects.filter(item=item, status="draft").exists()


def test_approving_supersedes_the_old_text_and_records_who_and_when(translator):
    instrument = published_instrument()
    item = instrument.items.get(code="MEN1-W3")
    before = approved_de(instrument, code="MEN1-W3")
    english = list(instrument.items.values_list("pk", "text"))
    draft = services.save_translation(source=item, locale="de", text=GOOD, user=translator)

    approved = services.approve_translation(translation=draft, user=translator)

    before.refresh_from_db()
    assert before.status == "superseded" and before.text != GOOD  # kept, never changed
    assert approved.status == "approved" and approved.approved_by == translator
    assert approved.approved_at is not None
    assert approved_de(instrument, code="MEN1-W3").text == GOOD
    assert list(instrument.items.values_list("pk", "text")) == english


def test_deleting_an_approvers_account_keeps_who_approved_and_released(translator):
    item = published_instrument().items.get(code="MEN1-W3")
    draft = services.save_translation(source=item, locale="de", text=GOOD, user=translator)
    services.approve_translation(translation=draft, user=translator)
    release = services.release_locale(
        instrument=published_instrument(), locale="de", user=translator
    )
    name = translator.get_username()

    translator.delete()

    row = Translation.objects.approved().get(item=item, locale="de")
    release.refresh_from_db()
    assert (row.approved_by, row.approved_by_name, row.text) == (None, name, GOOD)
    assert (release.released_by, release.released_by_name) == (None, name)


def test_approving_twice_makes_one_approved_text(translator):
    item = published_instrument().items.get(code="MEN1-W3")
    draft = services.save_translation(source=item, locale="de", text=GOOD, user=translator)
    services.approve_translation(translation=draft, user=translator)

    with pytest.raises(services.TranslationError):
        services.approve_translation(translation=draft, user=translator)

    assert Translation.objects.approved().filter(item=item, locale="de").count() == 1


def test_a_draft_written_for_older_english_cannot_be_approved(translator):
    draft_version = services.create_draft_from(source=published_instrument(), version="1.1")
    item = draft_version.items.get(code="REG1-W3")
    row = services.save_translation(source=item, locale="de", text=ALERT, user=translator)
    reword(draft_version, "REG1-W3", "At work, a short email can put me on high alert.")

    with pytest.raises(services.TranslationError) as refused:
        services.approve_translation(translation=row, user=translator)

    assert "English text changed" in refused.value.problems[0]


def test_only_one_approved_translation_per_text_and_locale():
    row = approved_de(published_instrument(), code="MEN1-C1")

    with pytest.raises(IntegrityError), transaction.atomic():
        Translation._base_manager.bulk_create([
            Translation(
                instrument_version=row.instrument_version, locale="de", item=row.item,
                text="x", source_fingerprint=row.source_fingerprint, status="approved",
                approved_at=row.approved_at,
            )
        ])  # fmt: skip


def test_an_approved_translation_of_a_published_version_never_changes():
    row = approved_de(published_instrument(), code="MEN1-C1")
    row.text = "Anders."

    with pytest.raises(ReadOnlyError):
        row.save()
    with pytest.raises(ReadOnlyError):
        Translation.objects.filter(pk=row.pk).update(text="Anders.")
    with pytest.raises(ReadOnlyError):
        Translation.objects.filter(pk=row.pk).delete()


def test_no_bulk_path_changes_an_approved_translation_of_a_published_version():
    row = approved_de(published_instrument(), code="MEN1-C1")
    row.text = "Anders."

    with pytest.raises(ReadOnlyError):
        Translation.objects.bulk_update([row], ["text"])
    with pytest.raises(ReadOnlyError):
        Translation.objects.bulk_create(
            [row], update_conflicts=True, unique_fields=["id"], update_fields=["text"]
        )
    assert approved_de(published_instrument(), code="MEN1-C1").text != "Anders."


def test_the_texts_of_a_draft_stay_editable():
    draft = services.create_draft_from(source=published_instrument(), version="1.1")
    text = draft.texts.get(key="instruction")
    text.text = "Think about the last four weeks. There are no right or wrong answers."

    text.save()

    assert draft.texts.get(key="instruction").text.startswith("Think about the last four")
    status = queries.locale_status(draft, "de")
    assert status.incomplete == ["text “instruction”: out of date"]


# ----------------------------------------------------------------------------- releasing
def test_releasing_an_incomplete_locale_is_refused_with_what_is_missing(translator):
    instrument = published_instrument()
    take_away(approved_de(instrument, code="BON2-W3"))
    take_away(approved_de(instrument, key="consent.adult"))

    with pytest.raises(services.TranslationError) as refused:
        services.release_locale(instrument=instrument, locale="de", user=translator)

    assert refused.value.problems == ["BON2-W3: missing", "text “consent.adult”: missing"]
    assert not LocaleRelease.objects.exists()


def test_releasing_twice_makes_one_release(translator, released):
    again = services.release_locale(instrument=published_instrument(), locale="de", user=translator)

    assert again.pk == released.pk and released.released_by == translator
    assert LocaleRelease.objects.count() == 1


def test_a_draft_version_cannot_be_released(translator):
    draft = services.create_draft_from(source=published_instrument(), version="1.1")

    with pytest.raises(services.TranslationError):
        services.release_locale(instrument=draft, locale="de", user=translator)


def test_a_released_locale_is_frozen(translator, released):
    instrument = published_instrument()
    row = approved_de(instrument, code="MEN1-C1")

    with pytest.raises(services.TranslationError):
        services.save_translation(source=row.item, locale="de", text=GOOD, user=translator)
    row.status = "superseded"
    with pytest.raises(ReadOnlyError):
        row.save()
    with pytest.raises(ReadOnlyError):
        Translation.objects.create(
            instrument_version=instrument, locale="de", item=row.item, text="x",
            source_fingerprint="0" * 64,
        )  # fmt: skip
    with pytest.raises(ReadOnlyError):
        released.delete()


# ----------------------------------------------------------------------------- copy-on-write
def test_a_new_draft_carries_texts_and_approved_translations():
    source = published_instrument()
    draft = services.create_draft_from(source=source, version="1.1")

    assert dict(draft.texts.values_list("key", "text")) == dict(
        source.texts.values_list("key", "text")
    )
    carried = Translation.objects.approved().filter(instrument_version=draft, locale="de")
    assert carried.count() == 76 + len(INSTRUMENT_TEXT_KEYS)
    row = carried.get(item__code="MEN1-C1")
    assert row.derived_from == approved_de(source, code="MEN1-C1")
    assert row.approved_at == row.derived_from.approved_at


def test_publishing_needs_every_questionnaire_text():
    draft = services.create_draft_from(source=published_instrument(), version="1.1")
    draft.texts.get(key="scale.skip").delete()

    with pytest.raises(services.PublishError) as refused:
        services.publish(instrument=draft)

    assert refused.value.problems == ["The questionnaire text “scale.skip” is missing or empty."]
    assert InstrumentVersion.objects.get(pk=draft.pk).is_draft
