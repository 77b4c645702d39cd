"""The practice loop in two real browser contexts (issue 17, lines 1-3, 5, 7): a practitioner
invites, the person accepts, takes the questionnaire and shares it at summary, the
practitioner opens it and the brief, the person raises it to the full report, the practitioner
sees the report, the person revokes, the practitioner gets 404 for both. axe finds no
violation of any impact on each new page at 360 and 1280 px."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from practice.models import PractitionerProfile, ShareAccess
from profiles.models import Profile
from tests.browser.conftest import (
    ALL_IMPACTS,
    BROWSER_DB,
    Contexts,
    accessibility_problems,
    answer_pages,
    begin,
    sign_in,
)

pytestmark = [pytest.mark.browser, BROWSER_DB]

PASSWORD = "a long browser test password"
WIDTHS = [{"width": 360, "height": 740}, {"width": 1280, "height": 900}]


def check(page: Page, where: str, problems: list[str]) -> None:
    for size in WIDTHS:
        page.set_viewport_size(size)
        problems += accessibility_problems(page, f"{where} at {size['width']}px", ALL_IMPACTS)


def test_invite_accept_share_raise_revoke(contexts: Contexts):
    robin = User.objects.create_user("robin", "robin@example.org", PASSWORD)
    PractitionerProfile.objects.create(
        user=robin,
        display_name="Robin Example",
        profession="Couples therapist",
        organisation="Harbour Practice",
        status=PractitionerProfile.Status.APPROVED,
    )
    kim = User.objects.create_user("kim", "kim@example.org", PASSWORD)
    problems: list[str] = []
    them, me = contexts.new_page(), contexts.new_page()

    # The practitioner invites.
    sign_in(them, "robin", PASSWORD, next_url="/practice/invite/")
    expect(them.get_by_role("heading", level=1)).to_have_text("Invite someone")
    check(them, "invite", problems)
    them.get_by_label("Personal note (optional)").fill("Looking forward to our first session.")
    them.get_by_role("button", name="Create the invitation").click()
    expect(them.locator("#invitation-status")).to_have_text("invited")
    expect(them.locator("svg.qr")).to_be_visible()
    check(them, "invitation detail", problems)
    link = them.get_by_label("Invitation link").input_value()

    # The person opens it, signs in, and accepts: nothing is shared yet.
    me.goto(link)
    expect(me.get_by_role("heading", level=1)).to_have_text("Robin Example invites you to connect")
    expect(me.get_by_text("Looking forward to our first session.")).to_be_visible()
    check(me, "invitation (signed out)", problems)
    me.get_by_role("link", name="Sign in").last.click()
    me.get_by_label("Username").fill("kim")
    me.get_by_label(re.compile(r"\bPassword\b")).fill(PASSWORD)
    me.locator("main").get_by_role("button", name=re.compile("sign in|log in", re.I)).click()
    expect(me.get_by_role("button", name="Accept and connect")).to_be_visible()
    check(me, "invitation (signed in)", problems)
    me.get_by_role("button", name="Accept and connect").click()
    expect(me.get_by_role("heading", level=1)).to_have_text("What you share")
    check(me, "sharing (connected, nothing to share yet)", problems)

    # The person takes the questionnaire in the browser, then comes back to share it.
    begin(me)
    answer_pages(me, range(1, 8), {}, by_clicking=False)
    expect(me).to_have_url(re.compile(r"/review/$"))
    me.get_by_role("button", name="Finish and see my results").click()
    expect(me.locator(".report-cards")).to_be_visible()
    profile = Profile.objects.get(user=kim, submitted_at__isnull=False)
    me.goto("/sharing/")
    expect(me.get_by_label("Not shared")).to_be_checked()
    check(me, "sharing", problems)

    # Shared at summary; the practitioner opens it.
    me.get_by_label("Summary", exact=True).check()
    me.get_by_role("button", name="Save this choice").click()
    expect(me.get_by_label("Summary", exact=True)).to_be_checked()
    them.goto("/practice/")
    expect(them.locator(".client-status")).to_have_text("shared")
    check(them, "clients", problems)
    them.locator(".client-row").get_by_role("link", name="Name not given").click()
    check(them, "client", problems)
    # A private note and the agreed practice (PRACTICE.md §5): the person sees only the latter.
    them.get_by_label("New note").fill("Kim seems to hold back when talking about work.")
    them.get_by_role("button", name="Add the note").click()
    expect(them.locator(".note-body")).to_have_text(
        "Kim seems to hold back when talking about work."
    )
    them.get_by_label("Agreed practice (optional)").fill("Name the feeling before answering.")
    them.get_by_role("button", name="Save the agreed practice").click()
    expect(them.get_by_text("The person sees it now.")).to_be_visible()
    check(them, "client with a note", problems)
    them.locator(".note-body").locator("xpath=ancestor::li[1]").get_by_role("link").first.click()
    expect(them.get_by_role("button", name="Save the note")).to_be_visible()
    check(them, "edit a note", problems)
    them.go_back()
    me.reload()
    expect(me.get_by_text("Name the feeling before answering.")).to_be_visible()
    expect(me.get_by_text("hold back")).to_have_count(0)
    them.get_by_role("link", name=re.compile("^Profile from ")).click()
    shared_url = them.url
    expect(them.get_by_role("heading", level=1)).to_have_text("Summary of a shared profile")
    check(them, "shared summary", problems)
    # The pre-session brief of what is shared (issue 17 line 5).
    them.go_back()
    them.get_by_role("link", name="Open the pre-session brief").click()
    brief_url = them.url
    expect(them.get_by_role("heading", level=1)).to_contain_text("Pre-session brief")
    check(them, "brief", problems)
    them.goto(shared_url)

    # Raised to the full report.
    me.get_by_label("Full report", exact=True).check()
    me.get_by_role("button", name="Save this choice").click()
    expect(me.get_by_label("Full report", exact=True)).to_be_checked()
    them.reload()
    expect(them.get_by_text("Shared with you at this level: Full report.")).to_be_visible()
    expect(them.get_by_role("heading", name="Summary of a shared profile")).to_have_count(0)
    expect(them.locator(".report-cards")).to_be_visible()
    check(them, "shared report", problems)

    # Revoked: the practitioner's next request answers 404.
    me.get_by_label("Not shared").check()
    me.get_by_role("button", name="Save this choice").click()
    expect(me.get_by_label("Not shared")).to_be_checked()
    response = them.goto(shared_url)
    assert response is not None and response.status == 404
    response = them.goto(brief_url)
    assert response is not None and response.status == 404

    # The person sees every look in the log: the summary, the brief, the summary again, the report.
    me.reload()
    log = me.locator("table").filter(has_text="Who")
    expect(log.locator("tbody tr")).to_have_count(4)
    expect(log.get_by_text("the pre-session brief")).to_have_count(1)
    check(me, "sharing with the log", problems)
    assert ShareAccess.objects.filter(profile_public_id=profile.public_id).count() == 4
    assert problems == [], "\n".join(problems)
