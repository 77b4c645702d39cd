"""A retake's report in real Chromium, at 360 and 1280 px (issue 14 lines 9 and 10): each
capacity card opens with what the capacity is, then the level; near the top the report says
what changed since last time and links to the full comparison; axe finds nothing."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from assessments.queries import copy_texts
from profiles.queries import latest_snapshot
from tests.browser.conftest import (
    ALL_IMPACTS,
    BROWSER_DB,
    accessibility_problems,
    sign_in,
    submitted_profile,
)

pytestmark = [pytest.mark.browser, BROWSER_DB]

PASSWORD = "a long browser test password"
PHONE, DESKTOP = {"width": 360, "height": 740}, {"width": 1280, "height": 900}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360px", "1280px"])
def test_a_retakes_report_opens_cards_with_the_capacity_and_says_what_changed(page: Page, viewport):
    user = User.objects.create_user("ren", "ren@example.org", PASSWORD)
    earlier = submitted_profile(user, value=3)
    later = submitted_profile(user, value=5)
    copy = copy_texts(latest_snapshot(later).copy_version)
    page.set_viewport_size(viewport)
    sign_in(page, "ren", PASSWORD, next_url=later.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    changes = page.get_by_role("region", name="What changed since last time")
    expect(changes).to_be_visible()
    top = changes.bounding_box()["y"]
    assert top < page.get_by_role("heading", name="Your strengths").bounding_box()["y"]
    expect(changes.get_by_role("listitem")).to_have_count(6)
    for code in latest_snapshot(later).data["dimensions"]:
        name = copy["dimensions"][code]["name"]
        expect(changes.get_by_role("listitem").filter(has_text=name)).to_have_count(1)

    cards = page.locator("article.report-card")
    expect(cards).to_have_count(6)
    for index in range(6):
        card = cards.nth(index)
        heading = card.get_by_role("heading", level=3)
        code = card.get_attribute("aria-labelledby").removeprefix("card-")
        first = card.locator(":scope > p").first
        expect(first).to_have_text(copy["dimensions"][code]["what_it_is"])
        expect(card.locator(":scope > p").nth(1)).to_contain_text("Where you are now:")
        assert heading.bounding_box()["y"] < first.bounding_box()["y"]
        status_y = card.locator(".card-status").bounding_box()["y"]
        assert (
            first.bounding_box()["y"] < status_y < card.locator(".card-score").bounding_box()["y"]
        )

    problems = accessibility_problems(page, f"retake report {viewport['width']}px", ALL_IMPACTS)

    changes.get_by_role("link", name="See the full comparison").click()
    expect(page).to_have_url(re.compile(rf"a={earlier.public_id}&b={later.public_id}"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare two profiles")
    problems += accessibility_problems(page, f"comparison {viewport['width']}px", ALL_IMPACTS)
    assert problems == []
