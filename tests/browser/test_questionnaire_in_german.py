"""A person chooses German on the start page and takes the questionnaire in Chromium (issue 16
line 4): every statement, label, instruction and the consent are German, the profile and its
snapshot record German, and the report is in German. Buttons are found by their place, not
their (interface, line 1) words, so the test holds once the interface speaks German too."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from assessments.queries import copy_texts, published_copy
from profiles.models import Profile, ResultSnapshot
from tests.browser.conftest import (
    BROWSER_DB,
    accessibility_problems,
    chosen_value,
    public_id_of,
    statements,
)
from tests.profiles.german import release_german

pytestmark = [pytest.mark.browser, BROWSER_DB]

DATA = Path(__file__).resolve().parents[2] / "assessments" / "data"
GERMAN = json.loads((DATA / "instrument_1_0.de.json").read_text(encoding="utf-8"))
ENGLISH_ITEMS = {i["text"] for i in json.loads((DATA / "instrument_1_0.json").read_text())["items"]}
ENGLISH_TEXTS = json.loads((DATA / "instrument_texts_en.json").read_text())["texts"]


def test_a_person_answers_in_german_and_reads_a_german_report(page: Page):
    release_german()
    german_statements = set(GERMAN["items"].values())

    page.goto("/start/")
    page.locator('a[hreflang="de"]').click()
    expect(page.locator("#notice-heading")).to_have_text(GERMAN["texts"]["consent.notice_heading"])
    page.get_by_label(GERMAN["texts"]["context.both"]).check()
    page.get_by_label(GERMAN["texts"]["consent.agree"]).check()
    page.get_by_label(GERMAN["texts"]["consent.adult"]).check()
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/a/[0-9a-f-]{36}/page/1/$"))
    problems = accessibility_problems(page, "German page 1")

    for number in range(1, 8):
        expect(page).to_have_url(re.compile(rf"/page/{number}/$"))
        expect(page.locator("p.instruction")).to_have_text(GERMAN["texts"]["instruction"])
        main = page.locator("main").inner_text()
        assert not [text for text in ENGLISH_ITEMS if text in main], number
        assert ENGLISH_TEXTS["scale.1"] not in main and ENGLISH_TEXTS["scale.skip"] not in main
        for fieldset, item in statements(page):
            assert fieldset.locator("legend").inner_text() in german_statements
            label = fieldset.locator("label").nth(chosen_value(item) - 1)
            expect(label).to_have_text(GERMAN["texts"][f"scale.{chosen_value(item)}"])
            label.click()
        page.locator("button.nav-next").click()

    expect(page).to_have_url(re.compile(r"/review/$"))
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/p/[0-9a-f-]{36}/$"))
    profile = Profile.objects.get(public_id=public_id_of(page))
    report = page.locator("article.report").inner_text()
    german, english = (
        copy_texts(published_copy().version, "de"),
        copy_texts(published_copy().version),
    )

    assert problems == []
    assert profile.locale == "de" and ResultSnapshot.objects.get(profile=profile).locale == "de"
    assert german["report"]["cards_heading"] in report
    assert english["report"]["cards_heading"] not in report
    assert english["intro"] not in report
