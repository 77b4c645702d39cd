"""The report copy editor, in real Chromium (issue 19 lines 3-4): a text typed with a live
preview on a sample report, a placeholder refused in place, the fix, a brief text and a
live-moments text previewed on their own pages, publishing through the
diff, and an earlier report that stays byte for byte the same; the questionnaire previewed at
phone width, and a sample profile's report as a person sees it. Every admin page on the way
passes axe with no violation of any impact and needs no sideways scrolling at 1280px; the
framed pages pass axe and need no sideways scrolling at 360px."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import FrameLocator, Page, expect

from assessments import copy_edit, queries, services
from assessments.models import ReportCopyVersion
from tests.browser.conftest import (
    BROWSER_DB,
    Contexts,
    accessibility_problems,
    sign_in,
    submitted_profile,
)
from tests.browser.test_admin_statements import PASSWORD, admin_login, page_problems
from tests.browser.test_admin_versions import report_html

pytestmark = [pytest.mark.browser, BROWSER_DB]

REFUSED = "So far, {dimension} may come {later} than understanding."
FIXED = "So far, {dimension} may come more slowly than understanding. That can change."
PHONE = 360


def run_copy_action(page: Page, version: str, action: str) -> None:
    page.goto("/admin/assessments/reportcopyversion/")
    row = page.locator("#result_list tbody tr").filter(
        has=page.get_by_role("link", name=version, exact=True)
    )
    row.locator("input.action-select").check()
    page.locator("select[name=action]").select_option(label=action)
    page.get_by_role("button", name="Go").click()


def frame_width_problems(frame: FrameLocator, where: str) -> list[str]:
    """The framed page must fit its 360px frame: nothing may need sideways scrolling."""
    scroll, client = frame.locator("html").evaluate("html => [html.scrollWidth, html.clientWidth]")
    return (
        [f"{where}: scrolls sideways in its frame ({scroll} > {client})"] if scroll > client else []
    )


def test_copy_edit_with_live_preview_a_refused_placeholder_the_fix_and_publish_through_the_diff(
    contexts: Contexts,
):
    owner = User.objects.create_user("sam", "sam@example.org", PASSWORD)
    profile = submitted_profile(owner, value=3)
    reader = contexts.new_page()
    sign_in(reader, "sam", PASSWORD)
    before = report_html(reader, profile.get_absolute_url())
    admin = contexts.new_page()
    admin_login(admin)
    problems: list[str] = []

    run_copy_action(admin, "copy-3", "New draft from this version (copy-on-write)")
    draft = ReportCopyVersion.objects.get(status="draft")
    original = draft.texts["patterns"]["EMP-COLD"]["meaning"]
    problems += page_problems(admin, "copy version list after the new draft")
    admin.get_by_role("link", name="Edit it").click()
    expect(admin.locator("textarea[name=texts]")).to_have_count(0)  # no raw JSON box
    problems += page_problems(admin, "draft copy change page")
    admin.get_by_role("link", name="Edit the texts one at a time").click()
    expect(admin.locator("h1")).to_have_text(f"Texts of report copy {draft.version}")
    admin.get_by_label("Group").select_option("patterns")
    admin.get_by_role("button", name="Show").click()
    expect(admin.locator(".copy-field")).to_have_count(24)
    problems += page_problems(admin, "copy texts of one group")

    text = admin.get_by_label("patterns.EMP-COLD.meaning", exact=True)
    row = admin.locator(".copy-field").filter(has=text)
    expect(row).to_contain_text("Placeholders: {dimension}")
    expect(row).to_contain_text("Report card: the title and meaning of an uneven pattern")
    # Typing shows the text on a sample's report card at once, and the placeholder problem;
    # like a report, the preview shows a text with a placeholder it cannot fill as written.
    text.fill(REFUSED)
    preview = row.locator(".copy-preview")
    expect(preview.locator("article.report-card mark")).to_have_text(REFUSED)
    expect(preview).to_contain_text("Preview on: EMP less developed")
    expect(row.locator(".errorlist")).to_contain_text("uses an unknown placeholder {later}.")
    problems += page_problems(admin, "copy texts with a live preview")

    admin.get_by_role("button", name="Save changed texts").click()
    expect(admin.locator(".errornote")).to_contain_text("Nothing was saved")
    text = admin.get_by_label("patterns.EMP-COLD.meaning", exact=True)
    expect(text).to_have_value(REFUSED)  # what was typed is kept
    expect(text).to_have_attribute("aria-invalid", "true")
    expect(admin.locator(".copy-field").filter(has=text).locator(".errorlist")).to_contain_text(
        "“patterns.EMP-COLD.meaning” uses an unknown placeholder {later}."
    )
    problems += page_problems(admin, "copy texts with a refused save")
    draft.refresh_from_db()
    assert draft.texts["patterns"]["EMP-COLD"]["meaning"] == original

    text.fill(FIXED)
    row = admin.locator(".copy-field").filter(has=text)
    expect(row.locator(".copy-preview mark")).to_have_text(
        "So far, embodied empathy may come more slowly than understanding. That can change."
    )
    expect(row.locator(".errorlist li")).to_have_count(0)
    admin.get_by_role("button", name="Save changed texts").click()
    expect(admin.locator(".messagelist")).to_contain_text("Saved 1 changed text.")
    draft.refresh_from_db()
    assert draft.texts["patterns"]["EMP-COLD"]["meaning"] == FIXED
    assert (
        draft.texts["patterns"]["EMP-COLD"]["title"]
        == (queries.published_copy().texts["patterns"]["EMP-COLD"]["title"])
    )

    # A text of the practitioner's brief and one of the live-moments page preview in place,
    # on the page a practitioner or a person sees, with the wording typed (nothing saved).
    for group, key, typed, page_name, part in [
        ("brief", "brief.split.heading", "Work and close, side by side", "Pre-session brief",
         "section.brief-section"),
        ("moments", "moments.page.week_heading", "Your week so far", "Live moments pages",
         "section"),
    ]:  # fmt: skip
        admin.get_by_label("Group").select_option(group)
        admin.get_by_label("Search key or wording").fill(key)
        admin.get_by_role("button", name="Show").click()
        text = admin.get_by_label(key, exact=True)
        row = admin.locator(".copy-field").filter(has=text)
        text.fill(typed)
        preview = row.locator(".copy-preview")
        expect(preview.locator(f"{part} mark")).to_have_text(typed)
        expect(preview).to_contain_text(f"Preview on: {page_name} (sample: ")
        problems += page_problems(admin, f"copy texts with a {group} text previewed in place")
    expect(admin.locator(".copy-preview article.moment")).to_have_count(3)
    draft.refresh_from_db()
    assert draft.texts["brief"]["split"]["heading"] != "Work and close, side by side"
    assert draft.texts["moments"]["page"]["week_heading"] != "Your week so far"

    admin.get_by_role("link", name="Review the changes and publish").click()
    expect(admin.locator("h1")).to_have_text(f"Publish report copy {draft.version}?")
    changed = admin.locator("#copy-changed tbody tr")
    expect(changed).to_have_count(1)
    expect(changed.locator("th")).to_have_text("patterns.EMP-COLD.meaning")
    expect(changed.locator("del")).to_have_text(original)
    expect(changed.locator("ins")).to_have_text(FIXED)
    expect(admin.locator("#content")).to_contain_text(
        "Report copy copy-3, published now, is retired"
    )
    problems += page_problems(admin, "copy publish confirmation")
    assert queries.published_copy().version == "copy-3"

    admin.get_by_role("button", name=f"Publish report copy {draft.version}").click()
    expect(admin.locator(".messagelist")).to_contain_text(f"{draft.version} is now published")
    draft.refresh_from_db()
    assert draft.status == "published"
    assert ReportCopyVersion.objects.get(version="copy-3").status == "retired"
    assert report_html(reader, profile.get_absolute_url()) == before
    assert not problems, "\n".join(problems)


def test_preview_as_respondent_at_phone_width(contexts: Contexts):
    admin = contexts.new_page()
    admin_login(admin)
    instrument = queries.published_instrument()
    problems: list[str] = []

    admin.goto(f"/admin/assessments/instrumentversion/{instrument.pk}/change/")
    admin.get_by_role("link", name="Preview as a respondent").click()
    expect(admin.locator("h1")).to_have_text("Preview of version 1.0 as a respondent")
    problems += page_problems(admin, "respondent preview")
    # By keyboard: the width toggle is a link, reached with Tab and followed with Enter.
    toggle = admin.get_by_role("link", name="Phone width (360 px)")
    toggle.focus()
    expect(toggle).to_be_focused()
    admin.keyboard.press("Enter")
    frame_element = admin.locator("iframe.report-frame-phone")
    expect(frame_element).to_have_attribute("width", str(PHONE))
    frame = admin.frame_locator("iframe.report-frame-phone")
    assert frame.locator("html").evaluate("() => window.innerWidth") == PHONE  # a phone's viewport
    expect(frame.locator("fieldset.statement")).to_have_count(76)
    expect(frame.locator("link[href*='relcap.css']")).to_have_count(1)  # the respondent's layout
    problems += page_problems(admin, "respondent preview at phone width")
    problems += frame_width_problems(frame, "respondent preview frame")

    framed = contexts.new_page()
    framed.context.add_cookies(admin.context.cookies())
    framed.set_viewport_size({"width": PHONE, "height": 740})
    framed.goto(frame_element.get_attribute("src"))
    problems += accessibility_problems(framed, "respondent preview frame page")
    assert not problems, "\n".join(problems)


def test_report_preview_for_a_chosen_sample_profile(contexts: Contexts):
    admin = contexts.new_page()
    admin_login(admin)
    run_copy_action(admin, "copy-3", "New draft from this version (copy-on-write)")
    draft = ReportCopyVersion.objects.get(status="draft")
    title = draft.texts["patterns"]["REG-TRIGGER"]["title"]
    problems: list[str] = []

    admin.get_by_role("link", name="Edit it").click()
    admin.get_by_role("link", name="Preview a sample report with this copy").click()
    expect(admin.locator("h1")).to_have_text(f"Sample report with report copy {draft.version}")
    admin.get_by_label("Sample profile").select_option(label="Pattern REG-TRIGGER")
    admin.get_by_label("Report copy").select_option("copy-3")
    admin.get_by_role("button", name="Show this report").click()
    expect(admin.locator("#sample-summary")).to_contain_text("patterns: REG-TRIGGER")
    frame = admin.frame_locator("iframe.report-frame")
    expect(frame.locator("h1")).to_have_text(draft.texts["report"]["title"])
    expect(frame.locator("#card-REG")).to_be_visible()
    expect(frame.locator(".card-pattern h4")).to_have_text(title)
    problems += page_problems(admin, "sample report at full width")

    admin.get_by_role("link", name="Phone width (360 px)").click()
    expect(admin.locator("iframe.report-frame-phone")).to_have_attribute("width", str(PHONE))
    frame = admin.frame_locator("iframe.report-frame-phone")
    expect(frame.locator(".card-pattern h4")).to_have_text(title)
    problems += page_problems(admin, "sample report at phone width")
    problems += frame_width_problems(frame, "sample report frame")

    framed = contexts.new_page()
    framed.context.add_cookies(admin.context.cookies())
    framed.set_viewport_size({"width": PHONE, "height": 740})
    framed.goto(admin.locator("iframe.report-frame-phone").get_attribute("src"))
    expect(framed.locator(".card-pattern h4")).to_have_text(title)
    problems += accessibility_problems(framed, "sample report frame page")
    assert not problems, "\n".join(problems)
    assert re.search(r"copy=copy-3", framed.url)


def test_without_javascript_preview_and_save_post_the_form(contexts: Contexts):
    # (No axe run here: axe is a script, and this page runs none. The JavaScript test above
    # checks the same markup.)
    context = contexts.browser.new_context(base_url=contexts.base_url, java_script_enabled=False)
    context.set_default_timeout(10_000)
    contexts.opened.append(context)
    admin = context.new_page()
    admin_login(admin)
    draft = services.create_copy_draft_from(source=queries.published_copy(), version="copy-4")

    admin.goto(f"/admin/assessments/reportcopyversion/{draft.pk}/texts/?group=patterns")
    text = admin.get_by_label("patterns.REG-TRIGGER.meaning", exact=True)
    text.fill("Your {dimension} alarm may ring early.")
    row = admin.locator(".copy-field").filter(has=text)
    row.get_by_role("button", name="Preview").click()
    row = admin.locator(".copy-field").filter(
        has=admin.get_by_label("patterns.REG-TRIGGER.meaning", exact=True)
    )
    expect(row.locator(".copy-preview mark")).to_have_text("Your regulation alarm may ring early.")
    draft.refresh_from_db()
    assert "alarm may ring early" not in draft.texts["patterns"]["REG-TRIGGER"]["meaning"]

    admin.get_by_role("button", name="Save changed texts").click()
    expect(admin.locator(".messagelist")).to_contain_text("Saved 1 changed text.")
    draft.refresh_from_db()
    assert draft.texts["patterns"]["REG-TRIGGER"]["meaning"] == (
        "Your {dimension} alarm may ring early."
    )


def test_the_other_copy_pages_pass_axe_at_1280px(contexts: Contexts):
    admin = contexts.new_page()
    admin_login(admin)
    published = queries.published_copy()
    draft = services.create_copy_draft_from(source=published, version="copy-4")
    texts = dict(draft.texts)
    del texts["growth_reminder"]
    ReportCopyVersion.objects.filter(pk=draft.pk).update(texts=texts)
    problems: list[str] = []

    admin.goto(f"/admin/assessments/reportcopyversion/{published.pk}/change/")
    problems += page_problems(admin, "published copy change page")
    admin.get_by_role("link", name="See the texts one at a time").click()
    expect(admin.locator("#content")).to_contain_text("its texts are read-only")
    expect(admin.locator("textarea")).to_have_count(0)
    problems += page_problems(admin, "published copy texts, every group")
    admin.goto(f"/admin/assessments/reportcopyversion/{draft.pk}/texts/")
    every_text_but_its_name = len(copy_edit.flat(texts)) - 1
    expect(admin.locator("textarea")).to_have_count(every_text_but_its_name)
    problems += page_problems(admin, "draft copy texts, every group")
    admin.goto(f"/admin/assessments/reportcopyversion/{draft.pk}/publish/")
    expect(admin.locator("#publish-blocked")).to_contain_text("“growth_reminder” is missing.")
    expect(admin.locator("#copy-removed")).to_contain_text("growth_reminder")
    expect(admin.get_by_role("button", name=re.compile("^Publish report copy"))).to_have_count(0)
    problems += page_problems(admin, "refused copy publish confirmation")
    assert not problems, "\n".join(problems)
