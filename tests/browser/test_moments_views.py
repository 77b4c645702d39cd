"""The moments views and reminder pages in a real browser (issue 18 lines 6-8): the person reads
their 4- and 12-week views, chooses weekly reminders with the keyboard and the mouse, stops them
from the e-mail's link, and the practitioner reads the shared entries. axe finds no violation of
any impact on each page at 360 and 1280 px, and nothing scrolls sideways at 320 px."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Page, expect

from moments import reminders
from moments.models import Moment, MomentsSettings, Reminder
from tests.browser.conftest import (
    ALL_IMPACTS,
    BROWSER_DB,
    Contexts,
    accessibility_problems,
    sign_in,
)
from tests.practice.helpers import connect, practitioner

pytestmark = [pytest.mark.browser, BROWSER_DB]

PASSWORD = "a long browser test password"
WIDTHS = [{"width": 360, "height": 740}, {"width": 1280, "height": 900}]


def check(page: Page, where: str, problems: list[str]) -> None:
    for size in WIDTHS:
        page.set_viewport_size(size)
        problems += accessibility_problems(page, f"{where} at {size['width']}px", ALL_IMPACTS)


def test_views_reminders_unsubscribe_and_the_shared_entries(contexts: Contexts):
    kim = User.objects.create_user("kim", "kim@example.org", PASSWORD)
    now = timezone.now()
    for hours, context, intensity, responses in (
        (3, "close", 6, ["paused", "snapped"]),
        (30, "work", 4, ["withdrew"]),
        (24 * 9, "close", 8, ["reached_out"]),
        (24 * 50, "work", 2, []),
    ):
        Moment.objects.create(
            person=kim, occurred_at=now - timedelta(hours=hours), context=context,
            intensity=intensity, responses=responses, trigger_text="about the weekend",
            copy_version="copy-3",
        )  # fmt: skip
    problems: list[str] = []
    me = contexts.new_page()

    sign_in(me, "kim", PASSWORD, next_url="/moments/views/")
    expect(me.get_by_role("heading", level=1)).to_have_text("Your moments over the weeks")
    expect(me.locator("#moments-chart-heading")).to_contain_text("(n = 3)")
    expect(
        me.get_by_role("img", name="Moments per week, close relationships and work side by side")
    ).to_be_visible()
    check(me, "views, 4 weeks", problems)
    me.get_by_label("12 weeks").check()
    me.get_by_role("button", name="Show").press("Enter")
    expect(me.locator("#moments-chart-heading")).to_contain_text("(n = 4)")
    me.get_by_text("The numbers per week").click()
    expect(me.get_by_role("table", name="Moments per week")).to_be_visible()
    check(me, "views, 12 weeks", problems)

    me.goto("/moments/reminders/")
    me.get_by_label("Once a week").check()
    me.get_by_label("At this time (your local time)").fill("19:30")
    me.get_by_label("On this day (for weekly reminders)").select_option(label="Sunday")
    me.get_by_label("Your time zone").fill("Europe/Berlin")
    check(me, "reminders", problems)
    me.get_by_role("button", name="Save my reminder choice").click()
    expect(me.get_by_role("status")).to_have_text("Your reminder choice is saved.")
    expect(me.locator("main")).to_contain_text("The next reminder is planned for")
    saved = MomentsSettings.objects.get(person=kim)
    assert (saved.reminder_frequency, saved.reminder_weekday) == ("weekly", 6)

    reminder = Reminder.objects.create(person=kim, due_at=now, frequency="weekly")
    mail_link = contexts.new_page()  # the e-mail opened on another device: no session
    mail_link.goto(f"/moments/reminders/unsubscribe/{reminders.unsubscribe_token(reminder)}/")
    check(mail_link, "unsubscribe", problems)
    mail_link.get_by_role("button", name="Stop the reminders").click()
    expect(mail_link.get_by_role("heading", level=1)).to_have_text("Reminders are off")
    check(mail_link, "unsubscribed", problems)
    assert MomentsSettings.objects.get(person=kim).reminder_frequency == "off"

    robin = practitioner()
    robin.user.set_password(PASSWORD)
    robin.user.save()
    connection = connect(robin, kim)
    connection.share_moments, connection.moments_level = True, "entries"
    connection.save()
    them = contexts.new_page()
    sign_in(
        them, robin.user.username, PASSWORD, next_url=f"/practice/clients/{connection.public_id}/"
    )
    expect(them.get_by_role("heading", name="Live moments shared with you")).to_be_visible()
    expect(them.locator("main")).to_contain_text("about the weekend")
    check(them, "client page with shared entries", problems)

    assert problems == [], "\n".join(problems)
