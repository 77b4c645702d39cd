"""Every interface text goes through gettext: pages rendered in a pseudo locale (every msgid
accented, about 30 % longer and bracketed, generated at test time from a fresh extraction)
show no English word that is not versioned content (statements, response labels, moments copy),
the person's own data, or a string of Django's own that Django translates itself.

The same pages in the right-to-left pseudo locale carry dir="rtl" and Bootstrap's RTL
stylesheet. tests/browser/test_pseudo_layout.py checks that none of them scrolls sideways at
320 px in either pseudo locale.
"""

import gettext
import re
import uuid
from contextlib import nullcontext
from html.parser import HTMLParser
from pathlib import Path

import django
import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from assessments.models import (
    PAGE_INSTRUCTION,
    RESPONSE_SCALE,
    Dimension,
    InstrumentText,
    ItemVersion,
)
from moments import copy as moments_copy
from profiles import locales
from profiles.forms import SKIP_LABEL
from tests.factories import UserFactory
from tests.i18n.pseudo import (
    OPEN,
    PSEUDO,
    PSEUDO_RTL,
    pseudo,
)
from tests.profiles.helpers import start

pytestmark = pytest.mark.django_db

PASSWORD = "a long test password"
# Words that are no interface text: the brand, acronyms and units, and English month and day
# names (the pseudo locales have no catalogue of Django's own, so its dates stay English).
ALLOWED_WORDS = {"relcap", "PDF", "CSV", "JSON", "QR", "px", "SD", "ID"}
MONTHS = "January February March April May June July August September October November December"
DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday"
SHORT = "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec"
ALLOWED_WORDS |= set(f"{MONTHS} {DAYS} {SHORT}".split())
PLACEHOLDER = re.compile(r"%\\\(\w+\\\)[sd]|%[sd]")
URL = re.compile(r"https?://\S+")
ENGLISH_WORD = re.compile(r"(?<![\w@.])[A-Za-z]{2,}(?![\w@])")
READ_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt"}


class VisibleText(HTMLParser):
    """Text a person reads or hears: text nodes outside script and style, the attributes
    screen readers announce, and the labels of submit inputs."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag in ("script", "style"):
            self.hidden += 1
        values = dict(attrs)
        for name in READ_ATTRIBUTES & set(values):
            self.texts.append(values[name] or "")
        if tag == "input" and values.get("type") == "submit":
            self.texts.append(values.get("value") or "")

    def handle_endtag(self, tag) -> None:
        if tag in ("script", "style"):
            self.hidden -= 1

    def handle_data(self, data) -> None:
        if not self.hidden and data.strip():
            self.texts.append(data)


def visible_texts(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return [" ".join(text.split()) for text in parser.texts]


def django_msgids() -> tuple[set[str], list[re.Pattern]]:
    """The msgids Django translates itself (its own and its contrib apps' catalogues), in lower
    case, and the ones with placeholders as patterns of the text they make."""
    root = Path(django.__file__).parent
    ids: set[str] = set()
    for folder in [root / "conf" / "locale", *root.glob("contrib/*/locale")]:
        try:
            catalogue = gettext.translation("django", localedir=folder, languages=["de"])
        except FileNotFoundError:
            continue
        # A plural's key is (msgid, n): its msgid_plural is not a key of its own.
        ids |= {key if isinstance(key, str) else key[0] for key in catalogue._catalog}
    plain = {" ".join(i.split()).lower() for i in ids if i}
    patterns = [
        re.compile(PLACEHOLDER.sub(".+?", re.escape(msgid)), re.I)
        for msgid in plain
        if PLACEHOLDER.search(re.escape(msgid))
    ]
    return plain, patterns


def from_django(text: str) -> bool:
    text = text.strip(" :*").lower()
    return text in DJANGO_IDS[0] or any(p.fullmatch(text) for p in DJANGO_IDS[1])


def switcher_names(html: str) -> list[str]:
    """The switcher names each language in that language: no interface text to translate."""
    select = re.search(r'<select name="language" id="language-choice".*?</select>', html, re.S)
    return re.findall(r"<option [^>]*>([^<]*)</option>", select[0]) if select else []


def content_texts() -> list[str]:
    """Versioned content, translated as content and never by gettext."""
    texts = [PAGE_INSTRUCTION, SKIP_LABEL, *(label for _value, label in RESPONSE_SCALE)]
    # The capacities' names (the review page) belong to the instrument, as its statements do.
    texts += [str(label) for label in Dimension.labels]
    texts += list(ItemVersion.objects.values_list("text", flat=True))
    # The questionnaire's own texts: the consent notice, the context question and the labels.
    texts += list(InstrumentText.objects.values_list("text", flat=True))

    def flatten(value):
        if isinstance(value, dict):
            for inner in value.values():
                yield from flatten(inner)
        elif isinstance(value, str):
            yield value

    texts += list(flatten(moments_copy.texts(moments_copy.published_version())))
    return sorted({" ".join(t.split()) for t in texts if t}, key=len, reverse=True)


def untranslated(html: str, *, allowed: list[str]) -> list[str]:
    """The texts of the page with an English word gettext should have translated."""
    found = []
    content = CONTENT_CACHE.setdefault("texts", content_texts())
    known_texts = [*content, *allowed, *switcher_names(html)]
    for text in visible_texts(html):
        rest = URL.sub(" ", text)
        for known in known_texts:
            rest = rest.replace(known, " ")
        words = [w for w in ENGLISH_WORD.findall(rest) if w not in ALLOWED_WORDS]
        if words and not from_django(text):
            found.append(text)
    return found


DJANGO_IDS = django_msgids()
CONTENT_CACHE: dict[str, list[str]] = {}


def client_in(language: str, user=None) -> Client:
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    if user is not None:
        client.force_login(user)
    return client


def anonymous_pages(client: Client) -> dict[str, str]:
    pages = {
        name: reverse(name)
        for name in [
            "home",
            "login",
            "signup",
            "signup_done",
            "password_reset",
            "password_reset_done",
            "password_reset_complete",
            "profiles:start",
        ]
    }
    pages["not found"] = "/no-such-page/"
    profile = start(client)
    pages["questionnaire page 1"] = reverse("profiles:answer_page", args=[profile.public_id, 1])
    pages["saved"] = reverse("profiles:saved", args=[profile.public_id])
    pages["review"] = reverse("profiles:review", args=[profile.public_id])
    return pages


def signed_in_pages() -> dict[str, str]:
    return {
        name: reverse(name)
        for name in [
            "profiles:account",
            "profiles:mine",
            "profiles:account_delete",
            "profiles:consent_withdraw",
            "password_change",
            "password_change_done",
            "practice:request_status",
            "practice:sharing",
        ]
    }


@pytest.fixture(autouse=True)
def questionnaire_pages_keep_the_interface_language(monkeypatch):
    """A questionnaire page is rendered wholly in the questionnaire's language
    (profiles.locales.in_locale): in a pseudo locale it would be English throughout. Here the
    interface around the instrument's texts stays in the pseudo locale, so that its strings are
    checked too; the instrument's English texts are known content (content_texts)."""
    monkeypatch.setattr(locales, "in_locale", lambda locale: nullcontext())


def test_the_pseudo_translation_is_bracketed_accented_and_longer():
    text = pseudo('Sign in to see %(count)d saved profiles, <a href="/x/">here</a>.')

    assert text.startswith(OPEN) and text.endswith("]")
    assert "%(count)d" in text and '<a href="/x/">' in text
    assert "Šîgñ îñ" in text
    assert len(text) >= 1.3 * len("Sign in to see %(count)d saved profiles, here.")


def test_the_pseudo_catalogue_covers_the_interface(pseudo_locales):
    msgids = {msgid for _context, msgid, _plural in pseudo_locales}

    assert "Sign in" in msgids and "Change language" in msgids
    assert len(msgids) > 500


@pytest.mark.parametrize("language", [PSEUDO, PSEUDO_RTL])
def test_main_pages_show_no_english_interface_text_in_the_pseudo_locales(pseudo_locales, language):
    client = client_in(language)
    problems = {}
    for name, url in anonymous_pages(client).items():
        response = client.get(url)
        assert response.status_code in (200, 404), (name, response.status_code)
        html = response.content.decode()
        assert f'<html lang="{language}"' in html, name
        if left := untranslated(html, allowed=[]):
            problems[name] = left
    person = UserFactory(password=PASSWORD, username="quietfox", email="quietfox@example.org")
    signed_in = client_in(language, person)
    for name, url in signed_in_pages().items():
        response = signed_in.get(url)
        assert response.status_code == 200, (name, response.status_code)
        html = response.content.decode()
        if left := untranslated(html, allowed=[person.username, person.email]):
            problems[name] = left

    assert problems == {}


def test_the_right_to_left_pseudo_locale_turns_the_page_around(pseudo_locales):
    body = client_in(PSEUDO_RTL).get(reverse("home")).content.decode()

    assert f'<html lang="{PSEUDO_RTL}" dir="rtl">' in body
    assert "bootstrap/css/bootstrap.rtl.min.css" in body


def test_a_form_error_speaks_the_pseudo_locale(pseudo_locales):
    client = client_in(PSEUDO)

    response = client.post(
        reverse("profiles:start"), {"context_mode": "both", "nonce": str(uuid.uuid4())}
    )

    left = untranslated(response.content.decode(), allowed=[])
    assert response.status_code in (200, 400) and left == []
    assert pseudo("Your agreement is needed before any answer is stored.") in (
        response.content.decode()
    )
