"""Issue 16's "Done when", in real Chromium: one person switches the interface to German with the
footer's switcher and takes the questionnaire in German, another takes it wholly in English, and
on no page either of them sees a word of the other language.

The check is a dictionary of each language built from relcap's own content: a German word is a
word of the German texts (the interface catalogue's msgstrs, German instrument 1.0, the German
of the published report copy, the support resources' German) that no English text uses (the
msgids, English 1.0, the English copy, the support resources), and the other way round. Words
of three letters or fewer are left out (die/the/and/und and many more mean something in both),
as are names. Every page the journey reaches is read as the person sees it
(`document.body.innerText`) and checked against the other language's dictionary, and checked by
axe-core (every impact) and for reflow at 320 px.

Each journey: landing, start (consent), the seven pages, "save and continue later" with the
private link e-mailed (a typo first), the link opened again, the review, the report, the PDF (its
text too), the delete confirmation, the support page, sign-up from the report, the activation
e-mail and page, the report kept in the account, My profiles, signing out and in, a retake with
its report's "what changed since last time" and the full comparison, the account page and its
change-password, withdraw-consent and delete-account pages.
"""

import json
import re
import time
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from assessments.models import SupportResource
from assessments.queries import copy_texts, published_copy
from profiles.models import Profile, ResultSnapshot
from scripts.check_messages import parse
from tests.browser.conftest import (
    ALL_IMPACTS,
    BROWSER_DB,
    Contexts,
    accessibility_problems,
    answer_quickly,
    public_id_of,
)
from tests.profiles.german import release_german

pytestmark = [pytest.mark.browser, BROWSER_DB]

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "assessments" / "data"
CATALOGUE = ROOT / "locale" / "de" / "LC_MESSAGES" / "django.po"
PAGES = 7
LINK_IN_MAIL = re.compile(r"https?://\S+")

WORD = re.compile(r"[^\W\d_]+")
MARKUP = re.compile(r"<[^>]+>|\{[^{}]*\}|%\([^)]*\)[sd]|%[sd]")
# Addresses and ids on the page (private links, profile ids) are not words of either language,
# but their letters could spell one by chance: they are taken out before the text is checked.
# So are version identifiers, the name of a record in every language (the account page names the
# consent notice a person agreed to: "consent-1").
NOT_PROSE = re.compile(
    r"\S+://\S+|\S+@\S+|[0-9a-f]{8}-[0-9a-f-]{27}|\b[A-Za-z0-9_-]{43}\b"
    r"|\b(?:consent|copy|score)-\d+\b"
)
# Names, the same in both languages, that one language's texts happen to use and the other's not.
NAMES = {"relcap", "bootstrap", "django", "playwright", "chromium", "json", "wcag"}

# The few texts a page rightly shows in the other language, each because it is a choice of that
# language and so must be written in it (WCAG 3.1.2; it is marked up with its own `lang`):
ALLOWED = {
    # On an English page: the footer switcher names German in German, with the German mark
    # that it is not yet validated (assessments.locales.NOT_VALIDATED_OWN); the start page's
    # choice of the questionnaire's language does the same.
    "en-gb": ["Übersetzung – noch nicht validiert", "Deutsch"],
    # On a German page: the switcher names English in English, and the support page names
    # two worldwide services by their own names (migration assessments 0017).
    "de": ["English", "Find A Helpline", "Befrienders Worldwide"],
}

USERS = {"de": ("qzwvxde", "qzwvxde@qzwvx.test"), "en-gb": ("qzwvxen", "qzwvxen@qzwvx.test")}
PASSWORD = "quiet river morning lantern"


def words(texts: Iterable[str]) -> set[str]:
    """The words (lower case, four letters or more) of these texts, markup and placeholders left
    out."""
    found: set[str] = set()
    for text in texts:
        found.update(w.lower() for w in WORD.findall(MARKUP.sub(" ", text)) if len(w) > 3)
    return found


def strings_of(tree) -> Iterable[str]:
    if isinstance(tree, str):
        yield tree
    elif isinstance(tree, dict):
        for value in tree.values():
            yield from strings_of(value)
    elif isinstance(tree, list | tuple):
        for value in tree:
            yield from strings_of(value)


def dictionaries() -> dict[str, set[str]]:
    """Each language's own words, by interface language code: those of its texts that the other
    language's texts never use."""
    catalogue = parse(CATALOGUE)
    english_1_0 = json.loads((DATA / "instrument_1_0.json").read_text(encoding="utf-8"))
    english_texts = json.loads((DATA / "instrument_texts_en.json").read_text(encoding="utf-8"))
    german_1_0 = json.loads((DATA / "instrument_1_0.de.json").read_text(encoding="utf-8"))
    copy = published_copy().version
    resources = list(SupportResource.objects.all())
    english = words(
        [
            *(text for (_ctx, msgid, plural) in catalogue for text in (msgid, plural)),
            *(item["text"] for item in english_1_0["items"]),
            *strings_of(english_texts["texts"]),
            *strings_of({k: v for k, v in copy_texts(copy).items() if k != "version"}),
            *strings_of([r.translated("en") for r in resources]),
        ]
    )
    german = words(
        [
            *(
                value
                for entry in catalogue.values()
                for field, value in entry.items()
                if field.startswith("msgstr")
            ),
            *strings_of(german_1_0["items"]),
            *strings_of(german_1_0["texts"]),
            *strings_of({k: v for k, v in copy_texts(copy, "de").items() if k != "version"}),
            *strings_of([r.translated("de") for r in resources]),
        ]
    )
    return {"de": german - english - NAMES, "en-gb": english - german - NAMES}


class Journey:
    """One person's walk in one language: every page is checked for the other language's words,
    by axe and for reflow."""

    def __init__(self, language: str, own: set[str], foreign: set[str]) -> None:
        self.language = language
        self.own = own
        self.foreign = foreign
        self.problems: list[str] = []
        self.seen: list[str] = []

    def leftovers(self, text: str) -> list[str]:
        """The other language's words in `text`; a text with fewer than five words of its own
        language counts as a problem too (the check would prove nothing on it)."""
        for allowed in ALLOWED[self.language]:
            text = text.replace(allowed, " ")
        found = WORD.findall(NOT_PROSE.sub(" ", text))
        if len({w.lower() for w in found} & self.own) < 5:
            return [f"hardly any {self.language} words: {text[:200]!r}"]
        return sorted({w for w in found if w.lower() in self.foreign})

    def see(self, page: Page, where: str) -> None:
        page.wait_for_load_state("load")
        expect(page.locator("html")).to_have_attribute("lang", self.language)
        text = page.evaluate("document.body.innerText")
        if found := self.leftovers(text):
            self.problems.append(f"{where} ({page.url}): {found}")
        self.problems += accessibility_problems(page, where, ALL_IMPACTS)
        self.seen.append(where)

    def read_mail(self, message, where: str) -> None:
        if found := self.leftovers(f"{message.subject}\n{message.body}"):
            self.problems.append(f"{where}: {found}")
        self.seen.append(where)

    def read_pdf(self, path: str, where: str) -> None:
        text = "\n".join(p.extract_text() or "" for p in PdfReader(path).pages)
        # Text extraction may split a word across lines with a hyphen; join those again.
        text = re.sub(r"(\w)-\n(\w)", r"\1\2", text)
        if found := self.leftovers(text):
            self.problems.append(f"{where}: {found}")
        self.seen.append(where)


def mail_to(address: str, count: int) -> list:
    """The e-mails sent to `address`, once there are `count` (the tasks that send them run in
    the live server's thread after its response)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        sent = [m for m in mail.outbox if address in m.to]
        if len(sent) >= count:
            return sent
        time.sleep(0.05)
    raise AssertionError([m.subject for m in mail.outbox])


def take_the_questionnaire(contexts: Contexts, journey: Journey, texts: dict[str, str]) -> str:
    """The whole journey in `journey.language`; returns the profile's public id. `texts` are
    the instrument's consent and context texts in that language, to tick the boxes by label."""
    language = journey.language
    page = contexts.new(locale="en-GB").new_page()

    page.goto("/")
    # The footer's switcher, as a person would use it (English is chosen explicitly too).
    switcher = page.locator("form.language-switcher")
    switcher.locator("select").select_option(language)
    switcher.locator("button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    journey.see(page, "landing")

    page.locator("main a[href='/start/']").click()
    expect(page).to_have_url(re.compile(r"/start/$"))
    expect(page.locator("#notice-heading")).to_have_text(texts["consent.notice_heading"])
    journey.see(page, "start")
    page.get_by_label(texts["context.both"]).check()
    page.get_by_label(texts["consent.agree"]).check()
    page.get_by_label(texts["consent.adult"]).check()
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/a/[0-9a-f-]{36}/page/1/$"))
    public_id = public_id_of(page)

    answers: dict[str, int] = {}
    journey.see(page, "page 1")
    answer_quickly(page, answers)
    page.locator("button.nav-next").click()
    expect(page).to_have_url(re.compile(r"/page/2/$"))
    journey.see(page, "page 2")
    answer_quickly(page, answers)
    page.locator("button.nav-save").click()
    expect(page).to_have_url(re.compile(r"/saved/$"))
    journey.see(page, "saved")
    link = page.locator("#private-link-url").inner_text().strip()
    username, address = USERS[language]
    mailing = page.locator("form.link-mail")
    mailing.locator("input[type=email]").fill(address.split("@")[0] + "@")
    mailing.locator("button[type=submit]").click()
    expect(page.locator("form.link-mail input[aria-invalid=true]")).to_be_visible()
    journey.see(page, "e-mail form with an error")
    page.locator("form.link-mail input[type=email]").fill(address)
    page.locator("form.link-mail button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/saved/$"))
    journey.read_mail(mail_to(address, 1)[0], "private link e-mail")

    page.goto(urlsplit(link)._replace(scheme="", netloc="").geturl())
    for number in range(3, PAGES + 1):
        expect(page).to_have_url(re.compile(rf"/page/{number}/$"))
        journey.see(page, f"page {number}")
        answer_quickly(page, answers)
        page.locator("button.nav-next").click()
    expect(page).to_have_url(re.compile(r"/review/$"))
    journey.see(page, "review")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/p/{public_id}/$"))
    journey.see(page, "report")

    pdf = page.locator("p.report-actions a").first
    with page.expect_download() as download:
        pdf.click()
    journey.read_pdf(download.value.path(), "PDF")

    page.locator("p.profile-data-actions a").nth(1).click()
    expect(page).not_to_have_url(re.compile(rf"/p/{public_id}/$"))
    journey.see(page, "delete confirmation")
    page.go_back()

    page.locator("footer a[href$='/support/']").first.click()
    journey.see(page, "support")
    page.go_back()

    page.locator("section.report-attach a[href*='/accounts/signup/']").click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/\?keep="))
    journey.see(page, "sign-up")
    page.locator("#id_username").fill(username)
    page.locator("#id_email").fill(address)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("#id_is_adult").check()
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/done/$"))
    journey.see(page, "sign-up done")
    activation_mail = mail_to(address, 2)[1]
    journey.read_mail(activation_mail, "activation e-mail")
    activation = LINK_IN_MAIL.search(activation_mail.body).group(0)

    page.goto(urlsplit(activation)._replace(scheme="", netloc="").geturl())
    journey.see(page, "activation")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/p/{public_id}/$"))
    assert Profile.objects.get(public_id=public_id).user.username == username
    journey.see(page, "report in the account")

    page.locator("main a[href$='/mine/']").first.click()
    expect(page).to_have_url(re.compile(r"/mine/$"))
    journey.see(page, "my profiles")

    # Signed out and in again: the language stays the person's choice.
    page.locator("header form.nav-form button[type=submit]").click()
    journey.see(page, "signed out")
    page.locator("header a[href^='/accounts/login/']").click()
    journey.see(page, "sign-in")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    journey.see(page, "signed in")

    # A retake, its report with what changed since last time, and the full comparison.
    page.goto("/start/")
    expect(page.locator("#retake-note")).to_be_visible()
    journey.see(page, "retake start")
    page.get_by_label(texts["consent.agree"]).check()
    page.get_by_label(texts["consent.adult"]).check()
    page.locator("main form button[type=submit]").click()
    for number in range(1, PAGES + 1):
        expect(page).to_have_url(re.compile(rf"/page/{number}/$"))
        answer_quickly(page, {})
        page.locator("button.nav-next").click()
    expect(page).to_have_url(re.compile(r"/review/$"))
    page.locator("main form button[type=submit]").click()
    expect(page.locator("section.report-changes")).to_be_visible()
    journey.see(page, "retake report")
    page.locator("main a[href*='/compare/']").first.click()
    expect(page).to_have_url(re.compile(r"/compare/"))
    journey.see(page, "comparison")

    # The account and its pages (only looked at: nothing is changed or deleted).
    page.locator(f"header a[href='{reverse('profiles:account')}']").click()
    journey.see(page, "account")
    for name, where in [
        ("password_change", "change password"),
        ("profiles:consent_withdraw", "withdraw consent"),
        ("profiles:account_delete", "delete account"),
    ]:
        page.locator(f"main a[href='{reverse(name)}']").click()
        expect(page).to_have_url(re.compile(re.escape(reverse(name)) + "$"))
        journey.see(page, where)
        page.go_back()
    return public_id


def test_the_questionnaire_in_german_and_in_english_shows_no_word_of_the_other(
    contexts: Contexts,
):
    release_german()
    own = dictionaries()
    # The dictionaries are large enough to catch a leftover sentence anywhere.
    assert len(own["de"]) > 1000 and len(own["en-gb"]) > 1000, {k: len(v) for k, v in own.items()}
    german_texts = json.loads((DATA / "instrument_1_0.de.json").read_text(encoding="utf-8"))
    english_texts = json.loads((DATA / "instrument_texts_en.json").read_text(encoding="utf-8"))

    german = Journey("de", own["de"], own["en-gb"])
    german_id = take_the_questionnaire(contexts, german, german_texts["texts"])
    english = Journey("en-gb", own["en-gb"], own["de"])
    english_id = take_the_questionnaire(contexts, english, english_texts["texts"])

    for public_id, locale in [(german_id, "de"), (english_id, "en")]:
        profile = Profile.objects.get(public_id=public_id)
        assert profile.locale == locale
        assert ResultSnapshot.objects.get(profile=profile).locale == locale
    assert german.seen == english.seen and len(german.seen) == 33, german.seen
    assert settings.LANGUAGE_CODE == "en-gb"
    assert not german.problems + english.problems, "\n".join(
        ["German journey:", *german.problems, "English journey:", *english.problems]
    )
