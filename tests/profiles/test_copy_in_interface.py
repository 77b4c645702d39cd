"""Issue 16: capacity names inside German sentences keep their capital; pages that read the
live copy for interface text read it in the person's language (`interface_copy`); "My
profiles" says when its lines join profiles of two locales."""

from datetime import timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import queries
from assessments.models import ReportCopyVersion
from assessments.queries import copy_texts, interface_copy, published_copy
from profiles.comparison import locale_differs_text
from profiles.locales import interface_locale, person_locale
from profiles.models import ResultSnapshot
from profiles.report import build_report, lowered
from relcap.accounts.models import LanguageChoice
from tests.profiles.german import release_german
from tests.profiles.test_report import EXAMPLE_3, raw_answers, submitted
from tests.profiles.test_result_locale import interface, publish_copy_t

pytestmark = pytest.mark.django_db

TRU_SKIPPED = dict(EXAMPLE_3, TRU=" ".join(["-"] * 12))  # Trust: not enough answers


@pytest.fixture
def german():
    return release_german()


# ----------------------------------------------------------------------------- task 1
def test_a_name_inside_a_sentence_is_lowered_in_english_and_kept_in_german():
    assert lowered("Embodied empathy", "en") == "embodied empathy"
    assert lowered("Vertrauen", "de") == "Vertrauen"
    assert lowered("Verkörperte Empathie", "de") == "Verkörperte Empathie"


def with_german_names(copy: dict) -> dict:
    """The copy with a real German noun as Trust's name and a sentence that names it."""
    dimensions = {**copy["dimensions"], "TRU": {**copy["dimensions"]["TRU"], "name": "Vertrauen"}}
    sentence = "Zu wenige Antworten im Bereich {dimension} ({answered} von {total})."
    return {**copy, "dimensions": dimensions, "not_scored": sentence}


def test_a_german_report_keeps_the_capital_of_the_name_it_fills_in(german, person):
    profile = submitted(raw_answers(TRU_SKIPPED), user=person, locale="de")
    snapshot = ResultSnapshot.objects.get(profile=profile)
    copy = with_german_names(copy_texts(snapshot.copy_version, snapshot.locale))

    report = build_report(snapshot.data, copy, locale=snapshot.locale)

    trust = next(card for card in report.cards if card.code == "TRU")
    assert trust.not_scored_text == "Zu wenige Antworten im Bereich Vertrauen (0 von 12)."
    english = build_report(snapshot.data, copy, locale="en")
    assert next(c for c in english.cards if c.code == "TRU").not_scored_text.startswith(
        "Zu wenige Antworten im Bereich vertrauen"
    )


def test_an_english_report_still_lowers_the_name(person):
    profile = submitted(raw_answers(TRU_SKIPPED), user=person)
    snapshot = ResultSnapshot.objects.get(profile=profile)

    report = build_report(snapshot.data, copy_texts(snapshot.copy_version), locale="en")

    trust = next(card for card in report.cards if card.code == "TRU")
    assert "trust" in trust.not_scored_text and "Trust" not in trust.not_scored_text


# ----------------------------------------------------------------------------- task 2
def test_interface_copy_is_the_published_copy_in_english_and_its_german_in_german(german):
    published = published_copy().version

    assert interface_copy("en") is copy_texts(published)
    assert interface_copy("de") is copy_texts(published, "de")
    assert interface_copy("xx") is copy_texts(published)  # no such copy locale: English


def test_interface_copy_in_german_is_the_newest_copy_released_in_german(german):
    """A newer published copy without German: German pages read the retired one that has
    it, never the new English."""
    german_version = published_copy().version
    publish_copy_t()
    assert ReportCopyVersion.objects.get(version=german_version).status == "retired"

    assert interface_copy("de")["version"] == german_version
    assert interface_copy("de") is copy_texts(german_version, "de")
    assert interface_copy("en")["version"] == "copy-t"


def test_interface_copy_without_a_complete_german_copy_is_english(german, monkeypatch):
    """No copy readable in German (released but incomplete, say): the published English."""

    def unavailable(version, locale, **_):
        raise queries.CopyLocaleUnavailable(version, locale, ["not released"])

    monkeypatch.setattr(queries, "copy_locale_texts", unavailable)

    assert interface_copy("de") is copy_texts(published_copy().version)


def test_interface_copy_costs_one_query_in_either_language(german, django_assert_num_queries):
    interface_copy("de")  # the German texts are cached once known
    with django_assert_num_queries(1):
        interface_copy("en")
    with django_assert_num_queries(1):
        interface_copy("de")


def test_interface_locale_maps_the_active_language_to_a_copy_locale():
    for language, expected in (("en-gb", "en"), ("en", "en"), ("de", "de"), ("de-at", "de")):
        with interface_language(language):
            assert interface_locale() == expected
    with interface_language("fr"):
        assert interface_locale() == "en"


def interface_language(language: str):
    from django.utils import translation

    return translation.override(language)


def test_the_support_page_is_in_the_interface_language(german, client):
    german_support = copy_texts(published_copy().version, "de")["support"]
    english_support = copy_texts(published_copy().version)["support"]

    with interface(client, "de"):
        in_german = unescape(client.get(reverse("support")).content.decode())
    in_english = unescape(client.get(reverse("support")).content.decode())

    assert german_support["counsellor_offer"] in in_german
    assert english_support["counsellor_offer"] not in in_german
    assert english_support["counsellor_offer"] in in_english
    assert german_support["counsellor_offer"] not in in_english


def test_a_person_is_written_to_in_the_locale_of_their_newest_profile(german, person):
    assert person_locale(person.pk) == "en"  # no profile yet
    submitted(raw_answers(EXAMPLE_3), user=person, locale="de")
    assert person_locale(person.pk) == "de"
    submitted(raw_answers(EXAMPLE_3), user=person)
    assert person_locale(person.pk) == "en"


def test_the_language_a_person_chose_comes_before_their_newest_profile(german, person):
    submitted(raw_answers(EXAMPLE_3), user=person)
    LanguageChoice.objects.create(user=person, language="de")
    assert person_locale(person.pk) == "de"
    LanguageChoice.objects.filter(user=person).update(language="en-gb")
    submitted(raw_answers(EXAMPLE_3), user=person, locale="de")
    assert person_locale(person.pk) == "en"
    with CaptureQueriesContext(connection) as queries:
        person_locale(person.pk)
    assert len(queries) == 1


# ----------------------------------------------------------------------------- task 3
def three_profiles(person, *locales: str) -> None:
    """Three profiles, the oldest first: a history needs three (HISTORY_MIN_PROFILES)."""
    for days, locale in zip((90, 60, 0), locales, strict=True):
        when = timezone.now() - timedelta(days) if days else None
        submitted(raw_answers(EXAMPLE_3), user=person, locale=locale, when=when)


def mine(client) -> str:
    return unescape(client.get(reverse("profiles:mine")).content.decode())


def test_my_profiles_says_a_line_of_two_locales_is_not_directly_comparable(
    german, signed_in, person
):
    three_profiles(person, "de", "en", "en")
    note = locale_differs_text(copy_texts(published_copy().version))
    assert note.startswith("Not directly comparable")

    page = mine(signed_in)

    assert page.count(note) == 6  # under each capacity's line
    assert 'class="small history-locale-note"' in page


def test_my_profiles_of_one_locale_have_no_such_note(german, signed_in, person):
    three_profiles(person, "en", "en", "en")

    page = mine(signed_in)

    assert "history-locale-note" not in page
    assert locale_differs_text(copy_texts(published_copy().version)) not in page


def test_the_note_is_worded_by_the_copy_of_the_newest_profile(german, signed_in, person):
    """The lines are worded by the newest profile's copy in its locale, the note too."""
    three_profiles(person, "en", "en", "de")

    page = mine(signed_in)

    german_note = locale_differs_text(copy_texts(published_copy().version, "de"))
    assert german_note and page.count(german_note) == 6
    assert locale_differs_text(copy_texts(published_copy().version)) not in page
