"""The translation pages in real Chromium (issue 16 lines 2 and 5): from a version to its
German status, fixing an out-of-date statement with the German checks, and releasing. Every
page passes axe with no violation of any impact and needs no sideways scrolling at 1280px."""

import pytest
from playwright.sync_api import expect

from assessments import services
from assessments.models import LocaleRelease, Translation
from tests.browser.conftest import BROWSER_DB, Contexts
from tests.browser.test_admin_statements import admin_login, page_problems
from tests.factories import published_instrument

pytestmark = [pytest.mark.browser, BROWSER_DB]

REWORDED = "At work, a short email can put me on high alert."
GERMAN = "Bei der Arbeit kann mich eine knappe E-Mail sofort in Alarm versetzen."


def test_fix_an_out_of_date_statement_then_release_german(contexts: Contexts):
    draft = services.create_draft_from(source=published_instrument(), version="1.1")
    item = draft.items.get(code="REG1-W3")
    item.text, item.change = REWORDED, "wording"
    services.save_statement(item=item)
    version = services.publish(instrument=draft)
    admin = contexts.new_page()
    admin_login(admin)
    problems: list[str] = []

    admin.goto(f"/admin/assessments/instrumentversion/{version.pk}/change/")
    admin.get_by_role("link", name="Translations").click()
    expect(admin.locator("h1")).to_have_text("Translations of version 1.1")
    problems += page_problems(admin, "locale list")
    admin.get_by_role("link", name="Deutsch (de)").click()
    expect(admin.locator("#validation-note")).to_contain_text("translation — not yet validated")
    problems += page_problems(admin, "German status")

    admin.get_by_role("button", name="Release Deutsch").click()
    expect(admin.get_by_role("alert")).to_contain_text("REG1-W3: out of date")
    problems += page_problems(admin, "release refused")
    assert not LocaleRelease.objects.exists()

    admin.locator("#to-fix").get_by_role("link", name="REG1-W3").click()
    expect(admin.locator(".check-fail")).to_contain_text("Out of date")
    problems += page_problems(admin, "one statement in German")
    admin.get_by_label("Translation (Deutsch)").fill("Ich bin immer getriggert.")
    admin.get_by_role("button", name="Save and approve").click()
    expect(admin.get_by_role("alert")).to_contain_text("avoid theory words")
    problems += page_problems(admin, "translation refused")
    admin.get_by_label("Translation (Deutsch)").fill(GERMAN)
    admin.get_by_role("button", name="Save and approve").click()
    expect(admin.locator("#to-fix")).to_have_count(0)

    admin.get_by_role("button", name="Release Deutsch").click()
    expect(admin.locator(".messagelist")).to_contain_text("Deutsch is now offered")
    problems += page_problems(admin, "German released")
    assert LocaleRelease.objects.get().instrument_version_id == version.pk
    approved = Translation.objects.approved().get(item=item, locale="de")
    assert approved.text == GERMAN
    assert problems == []


def test_report_copy_in_german_fix_a_missing_text_then_release(contexts: Contexts):
    """Issue 16 line 3: the same pages for a report copy version (a retired copy with
    copy-3's texts and a generated German lacking one text)."""
    from django.utils import timezone

    from assessments.models import CopyLocaleRelease, CopyTranslation, ReportCopyVersion
    from tests.assessments.test_copy_translations import VERSION, english, generated_german

    report_copy = ReportCopyVersion.objects.create(
        version=VERSION, status="retired", texts=english(), published_at=timezone.now()
    )
    german = generated_german(english())
    german.pop("intro")
    services.load_copy_translations(
        report_copy=report_copy, locale="de", groups=german, note="test", release=False
    )
    admin = contexts.new_page()
    admin_login(admin)
    problems: list[str] = []

    admin.goto(f"/admin/assessments/reportcopyversion/{report_copy.pk}/change/")
    admin.get_by_role("link", name="Translations").click()
    expect(admin.locator("h1")).to_have_text(f"Translations of report copy {VERSION}")
    problems += page_problems(admin, "copy locale list")
    admin.get_by_role("link", name="Deutsch (de)").click()
    expect(admin.locator("#validation-note")).to_contain_text("translation — not yet validated")
    problems += page_problems(admin, "copy German status")

    admin.get_by_role("button", name="Release Deutsch").click()
    expect(admin.get_by_role("alert")).to_contain_text("“intro”: missing")
    problems += page_problems(admin, "copy release refused")
    assert not CopyLocaleRelease.objects.filter(copy_version=report_copy).exists()

    admin.locator("#to-fix").get_by_role("link", name="intro").click()
    problems += page_problems(admin, "one copy text in German")
    admin.get_by_label("Translation (Deutsch)").fill("Willkommen, {name}.")
    admin.get_by_role("button", name="Save and approve").click()
    expect(admin.get_by_role("alert")).to_contain_text("takes no placeholders")
    problems += page_problems(admin, "copy text refused")
    admin.get_by_label("Translation (Deutsch)").fill("Willkommen bei Ihrem Profil.")
    admin.get_by_role("button", name="Save and approve").click()
    expect(admin.locator("#to-fix")).to_have_count(0)

    admin.get_by_role("button", name="Release Deutsch").click()
    expect(admin.locator(".messagelist")).to_contain_text("can now be read in Deutsch")
    problems += page_problems(admin, "copy German released")
    assert CopyLocaleRelease.objects.get(copy_version=report_copy).locale == "de"
    intro = CopyTranslation.objects.approved().get(copy_version=report_copy, key="intro")
    assert intro.text == "Willkommen bei Ihrem Profil."
    assert problems == []
