"""Editing one statement at a time and publishing through the diff, in real Chromium (issue 19):
a failing check shown live and refused on save, the fix, the classification, the confirmation
page, and an earlier report that stays byte for byte the same. Every admin page on the way
passes axe with no violation of any impact and needs no sideways scrolling at 1280px."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from assessments.models import InstrumentVersion, ItemVersion
from tests.browser.conftest import BROWSER_DB, WCAG_TAGS, Contexts, sign_in, submitted_profile
from tests.browser.test_admin_versions import report_html, run_action

pytestmark = [pytest.mark.browser, BROWSER_DB]

PASSWORD = "a long browser test password"
DESKTOP = {"width": 1280, "height": 800}
FAILING = "I always feel a trigger when a short email arrives."
FIXED = "At work, I notice when a colleague seems quietly worried."
_axe = Axe()


def page_problems(page: Page, where: str) -> list[str]:
    """Every axe-core violation (WCAG 2.2 AA tags, any impact) and sideways scrolling at 1280px."""
    page.set_viewport_size(DESKTOP)
    page.wait_for_load_state("load")  # stylesheets applied: a click's new page may still load them
    results = _axe.run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    problems = [
        f"{where}: {v['id']} ({v['impact']}) {v['help']} "
        + "; ".join(str(n["target"]) for n in v["nodes"])
        for v in results.response["violations"]
    ]
    scroll, client = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    if scroll > client:
        problems.append(f"{where}: scrolls sideways at 1280px ({scroll} > {client})")
    return problems


def admin_login(page: Page) -> None:
    User.objects.create_superuser("editor", "editor@example.org", PASSWORD)
    page.set_viewport_size(DESKTOP)
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def check_item(page: Page, key: str):
    return page.locator(f"#statement-checks li[data-key={key}]")


def test_edit_with_a_failing_check_fix_classify_and_publish_through_the_diff(contexts: Contexts):
    owner = User.objects.create_user("sam", "sam@example.org", PASSWORD)
    profile = submitted_profile(owner, value=3)
    reader = contexts.new_page()
    sign_in(reader, "sam", PASSWORD)
    before = report_html(reader, profile.get_absolute_url())
    admin = contexts.new_page()
    admin_login(admin)
    problems: list[str] = []

    run_action(admin, "1.0", "New draft from this version (copy-on-write)")
    draft = InstrumentVersion.objects.get(status="draft")
    item = ItemVersion.objects.get(instrument_version=draft, code="REG1-W3")
    original = item.text
    problems += page_problems(admin, "version list after the new draft")
    admin.get_by_role("link", name="Edit it").click()
    problems += page_problems(admin, "draft change page")
    admin.get_by_role("link", name="Edit the statements one at a time").click()
    expect(admin.locator("h1")).to_have_text(f"Statements of version {draft.version}")
    problems += page_problems(admin, "statement list")

    admin.get_by_label("Capacity").select_option(label="Regulation")
    admin.get_by_label("Context").select_option(label="Work")
    admin.get_by_label("Keying").select_option(label="Reverse-keyed")
    admin.get_by_role("button", name="Show").click()
    expect(admin.locator(".statement-count")).to_have_text("2 statements of 76")
    admin.get_by_role("link", name="REG1-W3", exact=True).click()
    expect(check_item(admin, "forbidden")).to_have_class("check-pass")
    problems += page_problems(admin, "statement editor")

    # Typing a failing text turns the checks red at once (the JSON check), before any save.
    admin.get_by_role("textbox", name="Text").fill(FAILING)
    expect(check_item(admin, "forbidden")).to_have_class("check-fail")
    expect(check_item(admin, "forbidden")).to_contain_text("trigger")
    expect(check_item(admin, "context")).to_have_class("check-fail")
    admin.get_by_label("Wording-equivalent edit").check()
    admin.get_by_role("button", name="Save", exact=True).click()
    expect(admin.locator(".field-text .errorlist")).to_contain_text(
        "avoid theory words such as 'trigger…'"
    )
    problems += page_problems(admin, "statement editor with a refused save")
    item.refresh_from_db()
    assert item.text == original

    admin.get_by_role("textbox", name="Text").fill(FIXED)
    expect(check_item(admin, "forbidden")).to_have_class("check-pass")
    expect(check_item(admin, "context")).to_have_class("check-pass")
    admin.get_by_label("Wording-equivalent edit").check()
    admin.get_by_role("button", name="Save", exact=True).click()
    expect(admin.locator(".messagelist")).to_contain_text("Statement REG1-W3 was saved.")
    item.refresh_from_db()
    assert (item.text, item.change) == (FIXED, "wording")

    run_action(admin, draft.version, "Publish (after checking the blueprint)")
    expect(admin.locator("h1")).to_have_text(f"Publish version {draft.version}?")
    row = admin.locator("#change-REG1-W3")
    expect(row.locator("del")).to_have_text(original)
    expect(row.locator("ins")).to_have_text(FIXED)
    expect(row).to_contain_text("Wording-equivalent edit")
    expect(admin.locator("main, #content").first).to_contain_text(
        "Version 1.0, live now, is retired"
    )
    problems += page_problems(admin, "publish confirmation")
    assert InstrumentVersion.objects.get(version="1.0").status == "published"

    admin.get_by_role("button", name=f"Publish version {draft.version}").click()
    expect(admin.locator(".messagelist")).to_contain_text(f"{draft.version} is now published")
    assert InstrumentVersion.objects.get(version="1.0").status == "retired"
    assert report_html(reader, profile.get_absolute_url()) == before
    assert not problems, "\n".join(problems)


def test_a_failing_line_is_shown_in_place_on_the_confirmation_page(contexts: Contexts):
    admin = contexts.new_page()
    admin_login(admin)
    run_action(admin, "1.0", "New draft from this version (copy-on-write)")
    draft = InstrumentVersion.objects.get(status="draft")
    ItemVersion.objects.filter(instrument_version=draft, code="QC1").delete()

    run_action(admin, draft.version, "Publish (after checking the blueprint)")

    expect(admin.locator("#publish-blocked")).to_contain_text("QC1 is missing")
    expect(admin.get_by_role("button", name=re.compile("^Publish version"))).to_have_count(0)
    problems = page_problems(admin, "refused publish confirmation")
    assert not problems, "\n".join(problems)
    draft.refresh_from_db()
    assert draft.is_draft


def test_the_other_statement_pages_pass_axe_at_1280px(contexts: Contexts):
    admin = contexts.new_page()
    admin_login(admin)
    run_action(admin, "1.0", "New draft from this version (copy-on-write)")
    draft = InstrumentVersion.objects.get(status="draft")
    published = InstrumentVersion.objects.get(version="1.0")
    item = ItemVersion.objects.get(instrument_version=published, code="MEN1-C1")
    problems: list[str] = []

    admin.goto(f"/admin/assessments/instrumentversion/{draft.pk}/statements/")
    admin.get_by_role("link", name="Add a statement").click()
    expect(admin.locator("h1")).to_have_text(f"New statement for version {draft.version}")
    problems += page_problems(admin, "add a statement")
    admin.goto(f"/admin/assessments/instrumentversion/{published.pk}/statements/")
    problems += page_problems(admin, "statements of the published version")
    admin.get_by_role("link", name="MEN1-C1", exact=True).click()
    expect(admin.locator("#content")).to_contain_text("read-only")
    expect(admin.locator("#id_text")).to_have_count(0)
    # Its history runs forward too: the draft copied from it, linked, with the step classified.
    history = admin.locator(".statement-history tbody tr")
    expect(history).to_have_count(2)
    expect(history.nth(0)).to_contain_text("this statement")
    expect(history.nth(1)).to_contain_text("Unchanged")
    expect(history.nth(1).get_by_role("link", name=draft.version)).to_be_visible()
    problems += page_problems(admin, "a published statement with its history")

    assert item.text in admin.locator("#content").inner_text()
    assert not problems, "\n".join(problems)


def test_reorder_by_keyboard_and_publish_with_the_moves_listed(contexts: Contexts):
    admin = contexts.new_page()
    admin_login(admin)
    run_action(admin, "1.0", "New draft from this version (copy-on-write)")
    draft = InstrumentVersion.objects.get(status="draft")
    first, second = ItemVersion.objects.filter(instrument_version=draft).order_by("position")[:2]
    problems: list[str] = []

    admin.goto(f"/admin/assessments/instrumentversion/{draft.pk}/statements/")
    admin.get_by_role("link", name="Change the order of statements").click()
    expect(admin.locator("h1")).to_have_text(f"Order of statements in draft {draft.version}")
    problems += page_problems(admin, "order of statements")
    up = admin.get_by_role("button", name=f"Move {second.code} up")
    up.focus()
    admin.keyboard.press("Enter")
    expect(admin).to_have_url(re.compile(f"#item-{second.pk}$"))
    expect(admin.locator("#content tbody tr td").nth(2)).to_have_text(second.code)
    problems += page_problems(admin, "order of statements after a move")

    admin.goto(f"/admin/assessments/instrumentversion/{draft.pk}/statements/")
    admin.get_by_role("link", name="Review the changes and publish").click()
    expect(admin.locator("h1")).to_have_text(f"Publish version {draft.version}?")
    place = "page {}, place {}"
    expect(admin.locator(f"#change-{second.code}")).to_contain_text(
        f"Moved: {place.format(second.page, second.position)} → "
        f"{place.format(first.page, first.position)}"
    )
    expect(admin.locator(f"#change-{first.code}")).to_contain_text(
        f"Moved: {place.format(first.page, first.position)} → "
        f"{place.format(second.page, second.position)}"
    )
    expect(admin.locator(f"#change-{second.code}")).to_contain_text("(text unchanged)")
    problems += page_problems(admin, "publish confirmation listing moves")
    admin.get_by_role("button", name=f"Publish version {draft.version}").click()
    expect(admin.locator(".messagelist")).to_contain_text(f"{draft.version} is now published")
    moved = ItemVersion.objects.get(instrument_version=draft, code=second.code)
    assert (moved.page, moved.position) == (first.page, first.position)
    assert not problems, "\n".join(problems)
