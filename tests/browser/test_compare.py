"""A signed-in person compares two of their profiles, starting from My profiles."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from assessments.models import Dimension
from profiles.queries import latest_snapshot
from tests.browser.conftest import BROWSER_DB, sign_in, submitted_profile

pytestmark = [pytest.mark.browser, BROWSER_DB]

PASSWORD = "a long browser test password"


def test_my_profiles_compares_two_chosen_profiles_with_their_scores(page: Page):
    user = User.objects.create_user("kim", "kim@example.org", PASSWORD)
    earlier = submitted_profile(user, value=3)
    later = submitted_profile(user, value=5)
    sign_in(page, "kim", PASSWORD, next_url="/mine/")

    page.get_by_label("First profile").select_option(str(earlier.public_id))
    page.get_by_label("Second profile").select_option(str(later.public_id))
    page.get_by_role("button", name="Compare").click()

    expect(page).to_have_url(re.compile(r"/compare/\?"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare two profiles")
    before = latest_snapshot(earlier).data["dimensions"]
    after = latest_snapshot(later).data["dimensions"]
    for code in before:
        row = page.locator("main table tr").filter(
            has=page.get_by_role("rowheader", name=Dimension(code).label, exact=True)
        )
        expect(row.get_by_role("cell").nth(0)).to_have_text(str(before[code]["display"]))
        expect(row.get_by_role("cell").nth(1)).to_have_text(str(after[code]["display"]))
