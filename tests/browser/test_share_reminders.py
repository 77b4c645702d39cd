"""Reminders to share in a real browser (issue 17 line 4): the practitioner sends one from the
client's page, the person follows the e-mail's switch-off link and confirms, the practitioner's
page then says why no reminder can be sent. axe finds no violation of any impact on the client
page (both states), the switch-off page (both steps) and the sharing page's new choice."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from playwright.sync_api import Page, expect

from practice.models import Connection
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


def test_send_a_reminder_then_switch_reminders_off_by_the_link(contexts: Contexts):
    robin = practitioner()
    robin.user.set_password(PASSWORD)
    robin.user.save()
    kim = User.objects.create_user("kim", "kim@example.org", PASSWORD)
    connection = connect(robin, kim)
    problems: list[str] = []
    them, me = contexts.new_page(), contexts.new_page()

    sign_in(
        them, robin.user.username, PASSWORD, next_url=f"/practice/clients/{connection.public_id}/"
    )
    expect(them.get_by_text("Reminders sent: 0 of 3.")).to_be_visible()
    check(them, "client (a reminder possible)", problems)
    them.get_by_role("button", name="Send a reminder to share").click()
    expect(them.get_by_text("The reminder is on its way.")).to_be_visible()
    expect(them.get_by_text("Reminders sent: 1 of 3.")).to_be_visible()
    expect(them.get_by_role("button", name="Send a reminder to share")).to_have_count(0)
    check(them, "client (reminder sent)", problems)

    [message] = mail.outbox
    [link] = re.findall(r"https?://\S+/sharing/reminders-off/\S+", message.body)
    me.goto(link)  # not signed in: the signed link is enough
    expect(me.get_by_role("heading", level=1)).to_have_text("Switch off reminders to share")
    check(me, "switch-off (ask)", problems)
    me.get_by_role("button", name="Switch reminders off").click()
    expect(me.get_by_role("heading", level=1)).to_have_text("Reminders switched off")
    check(me, "switch-off (done)", problems)
    assert Connection.objects.get(pk=connection.pk).allows_share_reminders is False

    sign_in(me, "kim", PASSWORD, next_url="/sharing/")
    choice = me.get_by_label("This practitioner may send me a reminder to share (at most three)")
    expect(choice).not_to_be_checked()
    check(me, "sharing (reminders off)", problems)
    them.reload()
    expect(them.get_by_text("This person has switched reminders off.")).to_be_visible()
    assert problems == [], "\n".join(problems)
