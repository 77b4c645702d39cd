"""Editing a statement in the admin publishes a new version and leaves old reports untouched."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from assessments.models import InstrumentVersion, ItemVersion
from tests.analysis.stats_helpers import build_profiles
from tests.browser.conftest import (
    BROWSER_DB,
    Contexts,
    accessibility_problems,
    sign_in,
    submitted_profile,
)

pytestmark = [pytest.mark.browser, BROWSER_DB]

PASSWORD = "a long browser test password"
CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*"')


def report_html(page: Page, url: str) -> str:
    page.goto(url)
    # A CSRF token is masked afresh on every render; everything else must match byte for byte.
    return CSRF_VALUE.sub(r'\1"', page.locator("main").inner_html())


def run_action(page: Page, version: str, action: str) -> None:
    page.goto("/admin/assessments/instrumentversion/")
    row = page.locator("#result_list tbody tr").filter(
        has=page.get_by_role("link", name=version, exact=True)
    )
    row.locator("input.action-select").check()
    page.locator("select[name=action]").select_option(label=action)
    page.get_by_role("button", name="Go").click()


def test_publishing_an_edited_draft_leaves_an_earlier_report_unchanged(contexts: Contexts):
    owner = User.objects.create_user("sam", "sam@example.org", PASSWORD)
    profile = submitted_profile(owner, value=3)
    User.objects.create_superuser("editor", "editor@example.org", PASSWORD)
    reader = contexts.new_page()
    sign_in(reader, "sam", PASSWORD)
    before = report_html(reader, profile.get_absolute_url())
    admin = contexts.new_page()
    admin.goto("/admin/login/?next=/admin/")
    admin.get_by_label("Username").fill("editor")
    admin.get_by_label("Password").fill(PASSWORD)
    admin.get_by_role("button", name="Log in").click()

    run_action(admin, "1.0", "New draft from this version (copy-on-write)")
    draft = InstrumentVersion.objects.get(status="draft")
    item = ItemVersion.objects.get(instrument_version=draft, code="MEN1-C1")
    admin.goto(f"/admin/assessments/itemversion/{item.pk}/change/")
    admin.locator("#id_text").fill(item.text.rstrip(".") + ", most of the time.")
    admin.get_by_label("Change").select_option(label="Wording-equivalent edit")
    admin.get_by_role("button", name="Save", exact=True).click()
    expect(admin.locator(".messagelist")).to_contain_text("was changed successfully")
    run_action(admin, draft.version, "Publish (after checking the blueprint)")
    admin.get_by_role("button", name=f"Publish version {draft.version}").click()
    expect(admin.locator(".messagelist")).to_contain_text(f"{draft.version} is now published")

    item.refresh_from_db()
    assert item.text.endswith(", most of the time.")
    assert item.change == "wording"
    assert InstrumentVersion.objects.get(version="1.0").status == "retired"
    assert report_html(reader, profile.get_absolute_url()) == before


def test_statistics_page_shows_alpha_as_alpha_and_passes_axe(contexts: Contexts):
    """Django's admin capitalises table headers; α must not turn into Α, read as a Latin A."""
    User.objects.create_superuser("analyst", "analyst@example.org", PASSWORD)
    build_profiles(60)
    admin = contexts.new_page()
    admin.goto("/admin/login/?next=/admin/")
    admin.get_by_label("Username").fill("analyst")
    admin.get_by_label("Password").fill(PASSWORD)
    admin.get_by_role("button", name="Log in").click()
    version = InstrumentVersion.objects.get(version="1.0")

    admin.goto(f"/admin/assessments/instrumentversion/{version.pk}/statistics/")

    header = admin.locator("#dimension-MEN table.stats-table thead th").nth(3)
    assert header.inner_text() == "α"  # innerText applies text-transform
    assert header.evaluate("th => getComputedStyle(th).textTransform") == "none"
    assert accessibility_problems(admin, "statistics page") == []  # axe, and no sideways scroll
