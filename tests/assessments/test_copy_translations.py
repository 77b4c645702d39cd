"""Report copy per locale (issue 16 line 3): a translation per copy text with the fingerprint
of its English, `copy_texts(version, locale)` only for a released, complete locale and never
with an English text in it, `copy_locales`, saving, approving and releasing (refused with every
missing or out-of-date key), copy-on-write into a new copy draft, the immutability guard, and
the loader of shipped translations (tested with a generated translation, not the real files)."""

import importlib
import json

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.utils import timezone

from assessments import copy_edit, copy_locale_data, queries, services
from assessments.copy_release import copy_3_texts
from assessments.copy_text import placeholder_names
from assessments.locales import fingerprint
from assessments.models import (
    CopyLocaleRelease,
    CopyTranslation,
    ReadOnlyError,
    ReportCopyVersion,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

VERSION = "copy-t"  # a released copy of its own, so shipped German of copy-3 never interferes
migration = importlib.import_module("assessments.migrations.0015_load_report_copy_3_de")


def english() -> dict:
    return {**copy_3_texts(), "version": VERSION}


def generated_german(tree: dict) -> dict:
    """A complete translation for the tests: every text becomes "[de] <key without dots>"
    followed by the placeholders of its English text, so it passes every check and names its
    own key (one word: `moments.chips.role.partner` is no generic masculine "partner")."""
    groups = {key: value for key, value in tree.items() if key != "version"}
    changes = {}
    for text in copy_edit.texts_of(groups):
        names = " ".join(f"{{{name}}}" for name in sorted(placeholder_names(text.value)))
        changes[text.path] = f"[de] {text.dotted.replace('.', '')} {names}".strip()
    return copy_edit.with_changes(groups, changes)


@pytest.fixture
def translator():
    return UserFactory(is_staff=True)


@pytest.fixture
def copy_t() -> ReportCopyVersion:
    """A retired copy with copy-3's texts: released English, no translations yet."""
    return ReportCopyVersion.objects.create(
        version=VERSION, status="retired", texts=english(), published_at=timezone.now()
    )


@pytest.fixture
def german_loaded(copy_t):
    """Every text of copy-t approved in German (the loader, without releasing)."""
    services.load_copy_translations(
        report_copy=copy_t, locale="de", groups=generated_german(english()), note="test",
        release=False,
    )  # fmt: skip
    return copy_t


def text_count() -> int:
    return sum(1 for t in copy_edit.texts_of(english()) if t.path != ("version",))


# ----------------------------------------------------------------------------- reading
def test_english_is_unchanged_and_cached(copy_t, django_assert_num_queries):
    assert queries.copy_texts(VERSION) == english()
    assert queries.copy_texts(VERSION, "en") is queries.copy_texts(VERSION)
    with django_assert_num_queries(0):
        queries.copy_texts(VERSION, "en")
    assert queries.copy_locales(VERSION) == frozenset({"en"})


def test_an_unreleased_locale_is_unavailable_even_when_complete(german_loaded):
    with pytest.raises(queries.CopyLocaleUnavailable) as refused:
        queries.copy_texts(VERSION, "de")
    assert isinstance(refused.value, LookupError)
    assert refused.value.missing == [f"de is not released for report copy {VERSION}"]
    assert queries.copy_locales(VERSION) == frozenset({"en"})
    # the admin's preview reads it unreleased
    assert queries.copy_locale_texts(VERSION, "de", released_only=False)["intro"] == "[de] intro"


def test_an_unknown_locale_or_copy_is_unavailable(copy_t):
    with pytest.raises(queries.CopyLocaleUnavailable):
        queries.copy_texts(VERSION, "fr")
    with pytest.raises(queries.CopyLocaleUnavailable):
        queries.copy_texts("copy-none", "de")


def test_a_released_locale_gives_the_whole_tree_in_german_and_is_cached(
    german_loaded, translator, django_assert_num_queries
):
    services.release_copy_locale(report_copy=german_loaded, locale="de", user=translator)

    german = queries.copy_texts(VERSION, "de")

    assert german["version"] == VERSION
    assert german["patterns"]["EMP-COLD"]["meaning"] == "[de] patternsEMP-COLDmeaning"
    assert german["not_scored"] == "[de] not_scored {answered} {dimension} {needed} {total}"
    assert german["openers"]["MEN.C"]["1"] == "[de] openersMENC1"
    flat_en, flat_de = copy_edit.flat(english()), copy_edit.flat(german)
    assert flat_en.keys() == flat_de.keys()  # the same shape
    assert all(v.startswith("[de] ") for p, v in flat_de.items() if p != ("version",))
    assert queries.copy_locales(VERSION) == frozenset({"en", "de"})
    with django_assert_num_queries(0):
        assert queries.copy_texts(VERSION, "de") is german
    with django_assert_num_queries(1):  # the copy's releases
        assert queries.copy_locales(VERSION) == frozenset({"en", "de"})


def test_no_fallback_a_released_locale_with_a_text_gone_is_unavailable(german_loaded, translator):
    services.release_copy_locale(report_copy=german_loaded, locale="de", user=translator)
    queries.clear_caches()
    row = CopyTranslation.objects.get(copy_version=german_loaded, locale="de", key="intro")
    with connection.cursor() as cursor:  # beneath the guard, which refuses it
        cursor.execute("DELETE FROM assessments_copytranslation WHERE id = %s", [row.pk])

    with pytest.raises(queries.CopyLocaleUnavailable) as refused:
        queries.copy_texts(VERSION, "de")
    assert refused.value.missing == ["“intro”: missing"]
    assert queries.copy_locales(VERSION) == frozenset({"en"})


def test_the_status_costs_the_same_queries_at_any_number_of_texts(
    german_loaded, django_assert_num_queries
):
    bigger = english()
    bigger["extra"] = {f"t{n}": f"Text {n}." for n in range(700)}
    big = ReportCopyVersion.objects.create(
        version="copy-big", status="retired", texts=bigger, published_at=timezone.now()
    )
    queries.copy_texts(VERSION), queries.copy_texts("copy-big")
    with django_assert_num_queries(2):
        small = queries.copy_locale_status(german_loaded, "de")
    with django_assert_num_queries(2):
        large = queries.copy_locale_status(big, "de")
    assert len(large.rows) == len(small.rows) + 700
    assert small.counts() == {"current": text_count(), "out_of_date": 0, "missing": 0}


# ----------------------------------------------------------------------------- writing
def test_saving_checks_placeholders_against_the_english(copy_t, translator):
    with pytest.raises(services.TranslationError) as refused:
        services.save_copy_translation(
            report_copy=copy_t, key="not_scored", locale="de", text="Zu wenige Antworten.",
            user=translator,
        )  # fmt: skip
    assert "placeholders of its English text" in refused.value.problems[0]
    with pytest.raises(services.TranslationError) as refused:
        services.save_copy_translation(
            report_copy=copy_t, key="intro", locale="de", text="Hallo {name}.", user=translator
        )
    assert "takes no placeholders" in refused.value.problems[0]
    with pytest.raises(services.TranslationError):
        services.save_copy_translation(
            report_copy=copy_t, key="no.such.key", locale="de", text="Hallo.", user=translator
        )
    with pytest.raises(services.TranslationError) as refused:
        services.save_copy_translation(
            report_copy=copy_t, key="intro", locale="de", text="Keine Störung.", user=translator
        )
    assert "pathologising" in refused.value.problems[0]
    assert not CopyTranslation.objects.filter(copy_version=copy_t).exists()


def test_german_may_say_diagnosis_only_where_the_english_does(copy_t, translator):
    services.save_copy_translation(
        report_copy=copy_t, key="disclaimer", locale="de", user=translator,
        text="relcap ist ein Werkzeug zur Selbstreflexion, keine Diagnose.",
    )  # fmt: skip
    with pytest.raises(services.TranslationError):
        services.save_copy_translation(
            report_copy=copy_t, key="intro", locale="de", text="Eine Diagnose.", user=translator
        )


def test_german_refuses_a_generic_masculine_noun(copy_t, translator):
    with pytest.raises(services.TranslationError) as refused:
        services.save_copy_translation(
            report_copy=copy_t, key="intro", locale="de", text="Fragen Sie einen Kollegen.",
            user=translator,
        )  # fmt: skip
    assert "assumes a gender" in refused.value.problems[0]
    services.save_copy_translation(
        report_copy=copy_t, key="intro", locale="de", user=translator,
        text="Fragen Sie eine Kollegin oder einen Kollegen.",
    )  # fmt: skip


def test_save_approve_and_a_better_wording_supersedes(copy_t, translator):
    first = services.save_copy_translation(
        report_copy=copy_t, key="intro", locale="de", text="Erste Fassung.", user=translator
    )
    approved = services.approve_copy_translation(translation=first, user=translator)
    assert approved.status == "approved" and approved.approved_by_name == translator.username
    assert approved.source_fingerprint == fingerprint(english()["intro"])
    again = services.save_copy_translation(
        report_copy=copy_t, key="intro", locale="de", text="Erste Fassung.", user=translator
    )
    assert again.pk == approved.pk  # a resent form stores nothing
    better = services.save_copy_translation(
        report_copy=copy_t, key="intro", locale="de", text="Zweite Fassung.", user=translator
    )
    services.approve_copy_translation(translation=better, user=translator)
    rows = CopyTranslation.objects.filter(copy_version=copy_t, key="intro")
    statuses = dict(rows.values_list("text", "status"))
    assert statuses == {"Erste Fassung.": "superseded", "Zweite Fassung.": "approved"}


def test_release_is_refused_with_every_missing_or_out_of_date_key(copy_t, translator):
    services.load_copy_translations(
        report_copy=copy_t, locale="de", release=False, note="test",
        groups={k: v for k, v in generated_german(english()).items() if k != "openers"},
    )  # fmt: skip

    with pytest.raises(services.TranslationError) as refused:
        services.release_copy_locale(report_copy=copy_t, locale="de", user=translator)

    openers = [t.dotted for t in copy_edit.texts_of(english()) if t.group == "openers"]
    assert sorted(refused.value.problems) == sorted(f"“{key}”: missing" for key in openers)
    assert not CopyLocaleRelease.objects.filter(copy_version=copy_t).exists()


def test_a_draft_copy_cannot_be_released(german_loaded, translator):
    draft = services.create_copy_draft_from(source=german_loaded, version="copy-u")
    with pytest.raises(services.TranslationError) as refused:
        services.release_copy_locale(report_copy=draft, locale="de", user=translator)
    assert "draft" in refused.value.problems[0]


def test_release_once_then_frozen(german_loaded, translator):
    release = services.release_copy_locale(report_copy=german_loaded, locale="de", user=translator)
    again = services.release_copy_locale(report_copy=german_loaded, locale="de", user=translator)
    assert again.pk == release.pk and release.released_by_name == translator.username

    with pytest.raises(services.TranslationError):
        services.save_copy_translation(
            report_copy=german_loaded, key="intro", locale="de", text="Neu.", user=translator
        )
    row = CopyTranslation.objects.get(copy_version=german_loaded, key="intro")
    row.text = "Anders."
    with pytest.raises(ReadOnlyError):
        row.save()
    with pytest.raises(ReadOnlyError):
        row.delete()
    with pytest.raises(ReadOnlyError):
        CopyTranslation.objects.filter(copy_version=german_loaded).update(text="x")
    with pytest.raises(ReadOnlyError):
        CopyTranslation.objects.create(
            copy_version=german_loaded, locale="de", key="extra", text="x", source_fingerprint="0"
        )
    with pytest.raises(ReadOnlyError):
        release.delete()


def test_an_approved_text_of_a_released_copy_never_changes_before_release(german_loaded):
    row = CopyTranslation.objects.get(copy_version=german_loaded, key="intro")
    row.text = "Anders."
    with pytest.raises(ReadOnlyError):
        row.save()
    row.refresh_from_db()
    row.status = "superseded"
    row.save()  # the one change allowed, while unreleased


# ----------------------------------------------------------------------------- a new copy version
def test_a_new_copy_draft_carries_german_and_shows_a_reworded_text_out_of_date(
    german_loaded, translator
):
    draft = services.create_copy_draft_from(source=german_loaded, version="copy-u")
    status = queries.copy_locale_status(draft, "de")
    assert status.counts() == {"current": text_count(), "out_of_date": 0, "missing": 0}
    carried = CopyTranslation.objects.get(copy_version=draft, key="intro")
    assert carried.derived_from.copy_version == german_loaded

    services.save_copy_texts(report_copy=draft, changes={("intro",): "A new opening."})
    draft.refresh_from_db()
    status = queries.copy_locale_status(draft, "de")
    assert [r.key for r in status.by_state("out_of_date")] == ["intro"]
    assert status.incomplete == ["“intro”: out of date"]
    # the old copy's German is untouched and still current
    assert queries.copy_locale_status(german_loaded, "de").is_complete

    stale = services.save_copy_translation(
        report_copy=draft, key="intro", locale="de", text="Ein neuer Anfang.", user=translator
    )
    services.approve_copy_translation(translation=stale, user=translator)
    assert queries.copy_locale_status(draft, "de").is_complete


def test_approving_a_draft_written_for_older_english_is_refused(copy_t, translator):
    draft_copy = services.create_copy_draft_from(source=copy_t, version="copy-u")
    written = services.save_copy_translation(
        report_copy=draft_copy, key="intro", locale="de", text="Anfang.", user=translator
    )
    services.save_copy_texts(report_copy=draft_copy, changes={("intro",): "Changed."})
    with pytest.raises(services.TranslationError) as refused:
        services.approve_copy_translation(translation=written, user=translator)
    assert "English text changed" in refused.value.problems[0]


# ----------------------------------------------------------------------------- the loader
def test_the_loader_loads_a_complete_translation_as_approved_and_releases(copy_t):
    done = services.load_copy_translations(
        report_copy=copy_t, locale="de", groups=generated_german(english()), note="shipped"
    )
    assert done["approved"] == text_count() and done["released"] is True
    assert done["missing"] == [] and done["refused"] == {}
    assert queries.copy_locales(VERSION) == frozenset({"en", "de"})
    again = services.load_copy_translations(
        report_copy=copy_t, locale="de", groups=generated_german(english()), note="shipped"
    )
    assert again["approved"] == 0  # released: nothing more


def test_the_migration_loads_the_files_and_releases_only_when_they_cover_every_key(
    copy_t, tmp_path
):
    groups = generated_german(english())
    names = list(groups)
    half = len(names) // 2
    (tmp_path / "part_a.json").write_text(
        json.dumps({k: groups[k] for k in names[:half]}, ensure_ascii=False), encoding="utf-8"
    )

    done = migration.load_german(django_apps, None, directory=tmp_path, version=VERSION)

    loaded = CopyTranslation.objects.filter(copy_version=copy_t, locale="de", status="approved")
    expected = sum(1 for t in copy_edit.texts_of({k: groups[k] for k in names[:half]}))
    assert loaded.count() == expected == done["approved"]
    assert (
        not done["released"] and not CopyLocaleRelease.objects.filter(copy_version=copy_t).exists()
    )
    assert loaded.first().note == migration.NOTE and loaded.first().approved_by is None

    (tmp_path / "part_b.json").write_text(
        json.dumps({k: groups[k] for k in names[half:]}, ensure_ascii=False), encoding="utf-8"
    )
    done = migration.load_german(django_apps, None, directory=tmp_path, version=VERSION)
    # the first half was already stored, so the migration leaves releasing to the admin
    assert done["approved"] == text_count() - expected and not done["released"]


def test_the_migration_releases_a_complete_translation(copy_t, tmp_path):
    groups = generated_german(english())
    names = list(groups)
    for name, part in (("part_a", names[:10]), ("part_b", names[10:])):
        (tmp_path / f"{name}.json").write_text(
            json.dumps({k: groups[k] for k in part}, ensure_ascii=False), encoding="utf-8"
        )

    done = migration.load_german(django_apps, None, directory=tmp_path, version=VERSION)

    assert done["released"] is True
    assert queries.copy_texts(VERSION, "de")["intro"] == "[de] intro"


def test_the_migration_keeps_a_refused_text_as_a_draft_and_does_not_release(copy_t, tmp_path):
    groups = generated_german(english())
    groups["not_scored"] = "Zu wenige Antworten für {dimension}."  # lacks three placeholders
    (tmp_path / "all.json").write_text(json.dumps(groups), encoding="utf-8")

    done = migration.load_german(django_apps, None, directory=tmp_path, version=VERSION)

    assert done == {"approved": text_count() - 1, "drafts": 1, "released": False}
    kept = CopyTranslation.objects.get(copy_version=copy_t, key="not_scored")
    assert kept.status == "draft" and kept.text == groups["not_scored"]


def test_the_migration_does_nothing_without_the_folder(copy_t, tmp_path):
    assert migration.load_german(django_apps, None, directory=tmp_path / "absent") is None
    assert not CopyTranslation.objects.filter(copy_version=copy_t).exists()


def test_two_files_may_not_hold_the_same_group(tmp_path):
    (tmp_path / "a.json").write_text('{"intro": "Eins."}', encoding="utf-8")
    (tmp_path / "b.json").write_text('{"intro": "Zwei."}', encoding="utf-8")
    with pytest.raises(ValueError, match="repeats the group"):
        copy_locale_data.read_groups(tmp_path)


def test_the_command_loads_a_folder_into_a_migrated_database(copy_t, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    (tmp_path / "all.json").write_text(json.dumps(generated_german(english())), encoding="utf-8")
    out = StringIO()

    call_command("load_copy_translations", copy=VERSION, dir=tmp_path, stdout=out)

    assert out.getvalue().startswith(f"{text_count()} approved, 0 kept as drafts, 0 missing")
    assert "released: yes" in out.getvalue()
    assert queries.copy_locales(VERSION) == frozenset({"en", "de"})


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("Ihr Partner hört zu.", True),
        ("Ihre Partnerin oder Ihr Partner hört zu.", False),
        ("Partner/in, Kolleg:innen", False),
        ("Partner:in", False),
        ("Partner*in", False),
        ("Partner(in)", False),
        ("In einer Partnerschaft", False),
        ("Fragen Sie die Kunden.", True),
    ],
)
def test_the_german_gender_check_accepts_both_forms_written_short(text, refused):
    from assessments.checks import copy_translation_problems

    problems = copy_translation_problems("moments.consent.body", "Your partner.", text, "de")
    assert bool(problems) is refused, problems


def test_english_copy_gets_no_german_word_checks():
    from assessments.checks import copy_translation_problems

    assert copy_translation_problems("intro", "Hi.", "Ihr Partner, eine Störung.", "en") == []


def test_deleting_an_approvers_account_keeps_who_approved_and_released(copy_t, translator):
    services.load_copy_translations(
        report_copy=copy_t, locale="de", groups=generated_german(english()), note="t",
        release=False,
    )  # fmt: skip
    draft = services.save_copy_translation(
        report_copy=copy_t, key="intro", locale="de", text="Willkommen.", user=translator
    )
    services.approve_copy_translation(translation=draft, user=translator)
    release = services.release_copy_locale(report_copy=copy_t, locale="de", user=translator)
    name = translator.get_username()

    translator.delete()

    row = CopyTranslation.objects.approved().get(copy_version=copy_t, key="intro")
    release.refresh_from_db()
    assert (row.approved_by, row.approved_by_name, row.text) == (None, name, "Willkommen.")
    assert (release.released_by, release.released_by_name) == (None, name)
    assert queries.copy_texts(VERSION, "de")["intro"] == "Willkommen."


def test_the_migration_reads_the_shipped_folder_and_note():
    assert migration.COPY_3_DE_DIR == copy_locale_data.COPY_3_DE_DIR
    assert copy_locale_data.SHIPPED_NOTE.format(origin="migration 0015") == migration.NOTE
