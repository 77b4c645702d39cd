"""The pre-session brief in a real browser (issue 17 line 5): a practitioner opens it from the
connection page; axe finds no violation of any impact at 360 and 1280 px, and the page never
scrolls sideways."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import expect

from practice import services
from practice.models import PractitionerProfile, ShareAccess
from tests.browser.conftest import (
    ALL_IMPACTS,
    BROWSER_DB,
    Contexts,
    accessibility_problems,
    sign_in,
)
from tests.practice.helpers import connect
from tests.profiles.test_report import EXAMPLE_3, raw_answers, submitted

pytestmark = [pytest.mark.browser, BROWSER_DB]

PASSWORD = "a long browser test password"
WIDTHS = [{"width": 360, "height": 740}, {"width": 1280, "height": 900}]


def test_the_brief_screen_is_accessible_at_360_and_1280_px(contexts: Contexts):
    robin = User.objects.create_user("robin", "robin@example.org", PASSWORD)
    practitioner = PractitionerProfile.objects.create(
        user=robin,
        display_name="Robin Example",
        profession="Couples therapist",
        status=PractitionerProfile.Status.APPROVED,
    )
    kim = User.objects.create_user("kim", "kim@example.org", PASSWORD)
    connection = connect(practitioner, kim)
    connection.person_display_name = "Kim Sample"
    connection.share_checkin = True
    connection.save()
    earlier_rows = dict(EXAMPLE_3, REG="3 2 6 4 3 5 6 5 3 6 6 2")
    earlier = submitted(
        raw_answers(earlier_rows), user=kim, when=timezone.now() - timedelta(days=60)
    )
    latest = submitted(raw_answers(EXAMPLE_3, WB1=5), user=kim)
    for profile in (earlier, latest):
        services.set_share(connection=connection, profile=profile, level="summary")
    page = contexts.new_page()

    sign_in(page, "robin", PASSWORD, next_url=f"/practice/clients/{connection.public_id}/")
    page.get_by_role("link", name="Open the pre-session brief").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Pre-session brief: Kim Sample")
    expect(page.get_by_role("heading", name="Strengths first")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Change since the previous shared profile")
    ).to_be_visible()
    expect(page.locator("[data-focus-key]")).to_have_count(2)
    expect(page.locator(".brief-openers li")).to_have_count(6)
    expect(page.get_by_role("link", name="Download the brief as a one-page PDF")).to_be_visible()
    problems: list[str] = []
    for size in WIDTHS:
        page.set_viewport_size(size)
        problems += accessibility_problems(page, f"brief at {size['width']}px", ALL_IMPACTS)
    assert problems == []
    assert ShareAccess.objects.filter(what="brief").count() == 2  # both profiles it shows
