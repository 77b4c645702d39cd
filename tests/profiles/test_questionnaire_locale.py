"""The locale is part of the result (issue 16 line 4): chosen at the start, stored on the
profile, fixed once answering started; every questionnaire page in it, never a text of
another language inside a German questionnaire."""

import json
import re
import uuid
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from assessments import services as instrument_services
from assessments.locales import NOT_VALIDATED_OWN
from assessments.models import ReportCopyVersion
from assessments.queries import copy_texts, published_copy, questionnaire_texts
from profiles import services
from profiles.models import Answer, LocaleLocked, PageTime, Profile, ResultSnapshot
from tests.factories import published_instrument
from tests.profiles.german import release_german, release_german_copy
from tests.profiles.helpers import answer_all_pages, answer_page, page_fields, page_url

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "assessments" / "data"
ENGLISH_TEXTS = json.loads((DATA / "instrument_texts_en.json").read_text())["texts"]
ENGLISH_ITEMS = [i["text"] for i in json.loads((DATA / "instrument_1_0.json").read_text())["items"]]
GERMAN = json.loads((DATA / "instrument_1_0.de.json").read_text(encoding="utf-8"))
# Words of the English questionnaire that are no German words: none may show on a German page.
ENGLISH_WORDS = {
    "the", "and", "you", "your", "with", "when", "people", "close", "of", "to", "is", "it",
    "at", "or", "not", "this", "that", "me", "feel", "someone", "agree", "disagree", "skip",
    "strongly", "slightly", "answers", "statements", "think", "months",
}  # fmt: skip


@pytest.fixture
def german():
    """German 1.0 and the published copy's German released, as admins would release them."""
    return release_german()


def start_in(client, locale: str | None, mode: str = "both", **extra):
    data = {"context_mode": mode, "consent": "on", "adult": "on", "nonce": str(uuid.uuid4())}
    if locale is not None:
        data["locale"] = locale
    return client.post(reverse("profiles:start"), {**data, **extra})


def started(response) -> Profile:
    assert response.status_code == 302, response.content.decode()[:2000]
    return Profile.objects.get(public_id=response.url.split("/")[2])


def visible_text(html: str) -> str:
    """The page's text a person reads: tags, scripts and the hidden keyboard hint removed."""
    body = html.split("<main", 1)[1].split("</main>", 1)[0]
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r"<[^>]+>", " ", body)
    return unescape(body)


def english_words_in(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-zÄÖÜäöüß]+", text)} & ENGLISH_WORDS


def questionnaire_text_of(html: str) -> str:
    """Only the instrument's own texts (consent, question, instruction, statements, labels):
    the interface around them is gettext, German once issue 16 line 1 ships its catalogue."""
    parts = re.findall(
        r'<(?:legend|label|p class="instruction"|h2 id="notice-heading"|li)[^>]*>(.*?)</', html
    )
    return unescape(" ".join(parts))


# ----------------------------------------------------------------------------- start
def test_english_only_until_a_locale_is_released(client):
    html = client.get(reverse("profiles:start")).content.decode()

    # (The footer's interface switcher names Deutsch on every page; the locale choice is not there.)
    assert 'hreflang="de"' not in html and 'name="locale"' not in html
    assert started(start_in(client, None)).locale == "en"


def test_the_start_page_offers_a_released_locale_marked_not_yet_validated(client, german):
    html = client.get(reverse("profiles:start")).content.decode()

    assert 'href="?locale=de"' in html and "Deutsch" in html
    assert NOT_VALIDATED_OWN["de"] in html
    assert 'name="locale" value="en"' in html  # the interface is English: English by default


def test_the_start_page_in_german_shows_the_german_consent_and_question(client, german):
    html = client.get(reverse("profiles:start"), {"locale": "de"}).content.decode()

    for key in ("consent.notice_heading", "consent.intro", "consent.purpose", "consent.agree",
                "consent.research", "context.question", "context.close_only"):  # fmt: skip
        assert GERMAN["texts"][key] in unescape(html), key
        assert ENGLISH_TEXTS[key] not in unescape(html), key
    assert 'name="locale" value="de"' in html
    assert "Übersetzung – noch nicht validiert" in html
    assert english_words_in(questionnaire_text_of(html)) == set()


def test_the_default_is_the_interface_language_when_it_is_offered(client, german):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"  # the interface in German
    html = client.get(reverse("profiles:start")).content.decode()

    assert 'name="locale" value="de"' in html
    assert GERMAN["texts"]["consent.notice_heading"] in unescape(html)


def test_the_chosen_locale_is_stored_on_the_profile(client, german):
    profile = started(start_in(client, "de"))

    assert profile.locale == "de"
    assert started(start_in(client, "en")).locale == "en"


@pytest.mark.parametrize("locale", ["fr", "xx", "de-DE", "<b>", "en " * 10])
def test_a_locale_not_offered_is_refused_and_nothing_is_written(client, german, locale):
    before = (Profile.objects.count(), Answer.objects.count())

    response = start_in(client, locale)

    assert response.status_code == 400
    assert "That language is not offered" in response.content.decode()
    assert (Profile.objects.count(), Answer.objects.count()) == before


def test_german_is_refused_while_it_is_not_released(client):
    response = start_in(client, "de")

    assert response.status_code == 400 and Profile.objects.count() == 0
    assert client.get(reverse("profiles:start"), {"locale": "de"}).status_code == 400


def test_german_is_not_offered_while_the_report_copy_is_not_released_in_it(client):
    """The questionnaire's German alone is not enough: the report must speak German too. A
    newly published copy has no German until it is released for it."""
    release_german()
    texts = {**copy_texts(published_copy().version), "version": "copy-t"}
    draft = ReportCopyVersion.objects.create(version="copy-t", status="draft", texts=texts)
    instrument_services.publish_copy(report_copy=draft)

    html = client.get(reverse("profiles:start")).content.decode()

    assert 'href="?locale=de"' not in html
    assert start_in(client, "de").status_code == 400 and Profile.objects.count() == 0
    release_german_copy("copy-t")
    assert 'href="?locale=de"' in client.get(reverse("profiles:start")).content.decode()
    assert started(start_in(client, "de")).locale == "de"


# ----------------------------------------------------------------------------- pages
def test_every_german_page_shows_german_texts_and_no_english_statement(client, german):
    profile = started(start_in(client, "de"))
    texts = questionnaire_texts(published_instrument(), "de")
    english_statements = set(ENGLISH_ITEMS)

    for page in range(1, 8):
        html = client.get(page_url(profile, page)).content.decode()
        shown = unescape(html)
        assert GERMAN["texts"]["instruction"] in shown
        assert ENGLISH_TEXTS["instruction"] not in shown
        for value, label in texts.scale():
            assert f">{label}</label>" in shown, (page, value)
        assert f">{GERMAN['texts']['scale.skip']}</label>" in shown
        assert not [s for s in english_statements if s in shown], page
        assert "Übersetzung – noch nicht validiert" in shown
        assert english_words_in(questionnaire_text_of(html)) == set(), page
        statements = re.findall(r"<legend>(.*?)</legend>", html)
        assert statements and all(unescape(s) in GERMAN["items"].values() for s in statements)
        response = answer_page(client, profile, page, 5)
        assert response.status_code == 302
    review = client.get(reverse("profiles:review", args=[profile.public_id])).content.decode()
    assert "Übersetzung – noch nicht validiert" in review
    german_names = copy_texts(published_copy().version, "de")["dimensions"]
    english_names = copy_texts(published_copy().version)["dimensions"]
    for code in english_names:
        assert f">{german_names[code]['name']}</h2>" in unescape(review)
        assert f">{english_names[code]['name']}</h2>" not in unescape(review)


def test_the_keyboard_hint_names_the_labels_of_the_profiles_locale(client, german):
    profile = started(start_in(client, "de"))

    html = unescape(client.get(page_url(profile, 1)).content.decode())

    hint = html.split('id="keyboard-hint"', 1)[1].split("</p>", 1)[0]
    assert f"1 ({GERMAN['texts']['scale.1']})" in hint
    assert f"7 ({GERMAN['texts']['scale.7']})" in hint
    assert "Strongly disagree" not in html


def test_an_english_page_after_german_ones_is_english_again(client, german):
    """The statement fragments are cached per item, chosen option and locale."""
    german_profile = started(start_in(client, "de"))
    english_profile = started(start_in(client, "en"))
    client.get(page_url(german_profile, 1))

    html = unescape(client.get(page_url(english_profile, 1)).content.decode())

    assert ENGLISH_TEXTS["scale.1"] in html and GERMAN["texts"]["scale.1"] not in html
    assert not [s for s in GERMAN["items"].values() if s in html]


def test_the_conflict_page_names_answers_in_the_profiles_locale(client, german):
    profile = started(start_in(client, "de"))
    names, old_tab = page_fields(client, profile, 1)
    _, new_tab = page_fields(client, profile, 1)
    client.post(page_url(profile, 1), {**new_tab, "nav": "next", names[0]: "6"})

    conflict = client.post(page_url(profile, 1), {**old_tab, "nav": "next", names[0]: "2"})

    html = unescape(conflict.content.decode())
    assert conflict.status_code == 409
    assert GERMAN["texts"]["scale.2"] in html and GERMAN["texts"]["scale.6"] in html
    assert "Strongly" not in html and not [s for s in ENGLISH_ITEMS if s in html]


# ----------------------------------------------------------------------------- fixed
def test_the_locale_cannot_change_once_answering_started(client, german):
    profile = started(start_in(client, "de"))
    assert answer_page(client, profile, 1, 4).status_code == 302
    stored = Profile.objects.get(pk=profile.pk)

    stored.locale = "en"
    with pytest.raises(LocaleLocked):
        stored.save()
    with pytest.raises(LocaleLocked):
        Profile.objects.filter(pk=profile.pk).update(locale="en")

    assert Profile.objects.get(pk=profile.pk).locale == "de"


def test_a_replayed_start_in_another_locale_keeps_the_first_locale(client, german):
    nonce = str(uuid.uuid4())
    first = started(start_in(client, "de", nonce=nonce))

    again = started(start_in(client, "en", nonce=nonce))

    assert again.pk == first.pk and Profile.objects.get(pk=first.pk).locale == "de"


def test_before_any_answer_the_locale_may_still_be_set(german):
    profile = services.start_profile(
        instrument=published_instrument(),
        context_mode="both",
        research_opt_in=False,
        start_nonce=uuid.uuid4(),
        locale="de",
    )
    profile.locale = "en"
    profile.save()

    assert Profile.objects.get(pk=profile.pk).locale == "en"


def test_the_snapshot_records_the_locale_and_a_rescore_keeps_it(client, german):
    profile = started(start_in(client, "de"))
    answer_all_pages(client, profile)

    client.post(reverse("profiles:review", args=[profile.public_id]))
    snapshot = ResultSnapshot.objects.get(profile=profile)
    rescored = services.rescore_profile(profile=profile, rules_version="score-1")

    assert snapshot.locale == "de" and rescored.locale == "de"
    assert PageTime.objects.filter(profile=profile).count() == 7


def test_the_data_export_gives_the_statements_as_the_person_read_them(signed_in, german):
    profile = started(start_in(signed_in, "de"))
    answer_all_pages(signed_in, profile)
    signed_in.post(reverse("profiles:review", args=[profile.public_id]))

    exported = signed_in.get(reverse("profiles:profile_export", args=[profile.public_id])).json()

    data = exported if "answers" in exported else exported["profiles"][0]
    texts = {a["item_code"]: a["item_text"] for a in data["answers"]}
    assert texts == {code: GERMAN["items"][code] for code in texts}
    assert data["locale"] == "de" and data["snapshots"][0]["locale"] == "de"


def test_a_retake_in_another_language_says_it_will_not_be_directly_comparable(signed_in, german):
    first = started(start_in(signed_in, "de"))
    answer_all_pages(signed_in, first)
    signed_in.post(reverse("profiles:review", args=[first.public_id]))

    english = signed_in.get(reverse("profiles:start"), {"locale": "en"}).content.decode()
    german_again = signed_in.get(reverse("profiles:start"), {"locale": "de"}).content.decode()

    note = "answers in two languages are <strong>not directly comparable</strong>"
    assert note in english and note not in german_again


def test_a_german_page_costs_what_an_english_one_costs(client, german):
    """Once a process has read the German texts (as for English, cached per process), a German
    page and its save stay within the questionnaire's budgets."""
    from tests.profiles.test_query_budget import FIRST_SAVE, PAGE_GET, counted, form_of, warm

    instrument = published_instrument()
    warm(instrument)
    questionnaire_texts(instrument, "de")
    profile = started(start_in(client, "de"))
    client.get(page_url(profile, 1))  # the statements' HTML, as an earlier respondent's page

    page, get_cost = counted(lambda: client.get(page_url(profile, 2)))
    names, hidden = form_of(page.content.decode())
    data = {**hidden, "nav": "next", **{name: "5" for name in names}}
    saved, save_cost = counted(lambda: client.post(page_url(profile, 2), data))

    assert page.status_code == 200 and get_cost <= PAGE_GET
    assert saved.status_code == 302 and save_cost <= FIRST_SAVE
