"""Issue 14's "Done when": the whole journey of a new respondent in real Chromium, at 360 × 740
and at 1280 × 900, with axe-core finding no violation of any impact on any page.

One person, one walk: the start page, page 1 by keyboard, a statement answered and taken back with
Skip, "Save and continue later" with the private link (copied, and e-mailed to a typo'd address and
then a right one), the link opened in another browser, the rest of the pages, the review, the
report (private link, chart, legend, cards that open with what the capacity is, the tagged PDF,
data download, delete confirmation), the support page, sign-up from the report with the activation
opened in a third browser, which lands on the report now kept in the account, and a retake that
starts with the same context mode and ends on a report that says what changed since last time.
Prints the scroll height of every page and the chart's smallest text.
"""

import json
import re
import time
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from assessments.queries import copy_texts
from profiles.models import Profile
from profiles.queries import latest_snapshot
from tests.browser.conftest import (
    ALL_IMPACTS,
    BROWSER_DB,
    Contexts,
    accessibility_problems,
    answer_quickly,
    public_id_of,
    statements,
)
from tests.browser.test_keyboard_answers import ISSUE_COUNT, Keys, answer_with_number_keys
from tests.browser.test_phone_layout import (
    LAYOUT_PROBLEMS,
    MAIN_SCROLL_HEIGHT,
    MIN_LABEL_PX,
    scroll_height,
)
from tests.browser.test_report_chart import SMALLEST_CHART_TEXT_PX, chart_font_sizes

pytestmark = [pytest.mark.browser, BROWSER_DB]

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
PAGES = 7
ADDRESS = "journey.person@example.org"
LINK_IN_MAIL = re.compile(r"https?://\S+")


class Walk:
    """One person's walk: every page they see is checked the same way and measured."""

    def __init__(self, viewport: dict[str, int]) -> None:
        self.viewport = viewport
        self.problems: list[str] = []
        self.heights: dict[str, int] = {}

    def see(self, page: Page, where: str) -> None:
        """axe (every impact) and 320px reflow, no sideways scrolling at this width, height."""
        page.set_viewport_size(self.viewport)
        self.problems += accessibility_problems(page, where, ALL_IMPACTS)
        width, client = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if width > client:
            self.problems.append(f"{where}: scrolls sideways at {client}px ({width}px wide)")
        if self.viewport == PHONE and "/page/" in page.url:
            self.problems += [f"{where}: {p}" for p in page.evaluate(LAYOUT_PROBLEMS, MIN_LABEL_PX)]
        self.heights[where] = scroll_height(page)


def wait_for_mail(count: int) -> list:
    """The e-mail tasks run in the live server's thread after its response: wait for them."""
    deadline = time.monotonic() + 10
    while len(mail.outbox) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(mail.outbox) == count, [m.subject for m in mail.outbox]
    return mail.outbox


def assert_private_link(page: Page, walk: Walk, where: str) -> str:
    panel = page.locator("section.private-link")
    expect(panel).to_be_visible()
    expect(panel).to_contain_text("cannot be found again")
    link = panel.locator("#private-link-url").inner_text().strip()
    assert re.fullmatch(r"http://[^/]+/r/[A-Za-z0-9_-]{43}/", link), link
    copy = panel.get_by_role("button", name="Copy link")
    expect(copy).to_be_visible()
    copy.click()
    expect(panel.get_by_role("status")).to_have_text("Link copied.")
    assert page.evaluate("navigator.clipboard.readText()") == link, where
    return link


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360x740", "1280x900"])
def test_the_whole_journey_of_issue_14(contexts: Contexts, viewport: dict[str, int]):
    walk = Walk(viewport)
    first = contexts.new()
    first.grant_permissions(["clipboard-read", "clipboard-write"])
    page = first.new_page()
    page.set_viewport_size(viewport)

    # Landing and start page.
    page.goto("/")
    walk.see(page, "landing")
    page.get_by_role("link", name="Begin").click()
    walk.see(page, "start")
    expect(page.get_by_text("not directly comparable")).to_have_count(0)
    page.get_by_label("Yes: ask me about close relationships and about that setting").check()
    page.get_by_label("I agree that relcap stores my answers").check()
    page.get_by_label("I am 18 or older.").check()
    page.get_by_role("button", name="Agree and start").click()
    expect(page).to_have_url(re.compile(r"/a/[0-9a-f-]{36}/page/1/$"))
    public_id = public_id_of(page)

    # Page 1: on a phone half the scrolling it was; by keyboard in fewer presses than 52.
    walk.see(page, "page 1")
    if viewport == PHONE:
        assert walk.heights["page 1"] <= MAIN_SCROLL_HEIGHT / 2, walk.heights["page 1"]
    keys = Keys(page)
    answer_with_number_keys(keys)
    assert keys.count < ISSUE_COUNT
    expect(page).to_have_url(re.compile(r"/page/2/$"))

    # Page 2: an answer given, then taken back with Skip; then save and continue later.
    walk.see(page, "page 2")
    answers: dict[str, int] = {}
    answer_quickly(page, answers)
    (statement, item), *_ = statements(page)
    statement.get_by_label("Skip").check()
    expect(statement.locator("input[value='']")).to_be_checked()
    expect(statement.locator("input:checked")).to_have_count(1)
    page.get_by_role("button", name="Save and continue later").click()
    expect(page).to_have_url(re.compile(r"/saved/$"))
    walk.see(page, "saved")
    link = assert_private_link(page, walk, "saved")
    assert Profile.objects.get(public_id=public_id).answers.get(item_version=item).value is None

    # "E-mail me this link": a typo is a form error (400) and sends nothing; then it is sent.
    page.get_by_label("E-mail me this link (optional)").fill("journey.person@")
    with page.expect_response(re.compile(r"/email-link/$")) as refused:
        page.get_by_role("button", name="Send me the link").click()
    assert refused.value.status == 400
    expect(page.get_by_role("alert")).to_contain_text("does not look like an e-mail address")
    walk.see(page, "e-mail form with an error")
    page.get_by_label("E-mail me this link (optional)").fill(ADDRESS)
    page.get_by_role("button", name="Send me the link").click()
    expect(page).to_have_url(re.compile(r"/saved/$"))
    expect(page.get_by_role("status").first).to_contain_text("We did not keep the address")
    (sent,) = wait_for_mail(1)
    assert sent.to == [ADDRESS]
    assert LINK_IN_MAIL.search(sent.body).group(0) == link

    # The link, opened in another browser, goes on where the person left off.
    second = contexts.new()
    second.grant_permissions(["clipboard-read", "clipboard-write"])
    page = second.new_page()
    page.set_viewport_size(viewport)
    page.goto(link)
    expect(page).to_have_url(re.compile(r"/page/3/$"))
    for number in range(3, PAGES + 1):
        expect(page).to_have_url(re.compile(rf"/page/{number}/$"))
        walk.see(page, f"page {number}")
        answer_quickly(page, answers)
        page.get_by_role("button", name=re.compile(r"^Next")).click()
    expect(page).to_have_url(re.compile(r"/review/$"))
    walk.see(page, "review")
    page.get_by_role("button", name="Finish and see my results").click()
    expect(page).to_have_url(re.compile(rf"/p/{public_id}/$"))

    # The report: the private link, a readable chart with its legend.
    walk.see(page, "report")
    assert assert_private_link(page, walk, "report") == link
    expect(page.locator("section.private-link")).to_contain_text("24 months after")
    sizes = chart_font_sizes(page)
    smallest = min(sizes)
    assert smallest >= SMALLEST_CHART_TEXT_PX, sizes
    expect(page.locator(".chart-legend")).to_be_visible()
    expect(page.locator(".chart-legend")).to_contain_text("50 and 75")

    # Line 9: each card opens with what its capacity is, then the person's level.
    copy = copy_texts(latest_snapshot(Profile.objects.get(public_id=public_id)).copy_version)
    cards = page.locator("article.report-card")
    expect(cards).to_have_count(6)
    for index in range(6):
        code = cards.nth(index).get_attribute("aria-labelledby").removeprefix("card-")
        opening = cards.nth(index).locator(":scope > p")
        expect(opening.first).to_have_text(copy["dimensions"][code]["what_it_is"])
        expect(opening.nth(1)).to_contain_text("Where you are now:")

    # Line 11: the downloaded PDF is tagged (PDF/UA): marked, with a language and structure.
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    pdf = PdfReader(download.value.path())
    catalog = pdf.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert str(catalog["/Lang"]) == "en"
    assert "/StructTreeRoot" in catalog

    # Holding the link is enough to download the profile and to reach its deletion.
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this profile's data (JSON)").click()
    exported = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert [p["id"] for p in exported["profiles"]] == [public_id]
    assert exported["profiles"][0]["submitted_at"]
    page.get_by_role("link", name="Delete this profile").click()
    expect(page.get_by_role("heading", name="Delete this profile?")).to_be_visible()
    walk.see(page, "delete confirmation")
    page.get_by_role("link", name="Keep it").click()
    expect(page).to_have_url(re.compile(rf"/p/{public_id}/$"))

    # Support resources: the footer's support page lists somewhere to turn.
    page.locator("footer").get_by_role("link", name="Support and help lines").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Support and help lines")
    expect(page.locator("ul.resources li").first).to_be_visible()
    walk.see(page, "support")
    page.go_back()

    # Sign-up from the report; the activation mail is opened in a third browser.
    page.locator("section.report-attach").get_by_role("link", name="create an account").click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/\?keep="))
    walk.see(page, "sign-up")
    page.get_by_label("Username").fill("journeyfox")
    page.get_by_label("E-mail address").fill(ADDRESS)
    page.locator("#id_password1").fill("quiet river morning lantern")
    page.locator("#id_password2").fill("quiet river morning lantern")
    page.get_by_label("I am 18 or older").check()
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    activation = LINK_IN_MAIL.search(wait_for_mail(2)[1].body).group(0)
    assert Profile.objects.get(public_id=public_id).user_id is None  # not before activation

    page = contexts.new_page()
    page.set_viewport_size(viewport)
    page.goto(urlsplit(activation)._replace(scheme="", netloc="").geturl())
    walk.see(page, "activation")
    page.get_by_role("button", name="Confirm my account").click()
    expect(page).to_have_url(re.compile(rf"/p/{public_id}/$"))
    expect(page.get_by_role("status").first).to_contain_text("saved in your account")
    assert Profile.objects.get(public_id=public_id).user.username == "journeyfox"
    expect(page.locator("section.private-link")).to_have_count(0)
    walk.see(page, "report in the account")

    # A retake starts with the same context mode and says what changing it means.
    page.get_by_role("link", name="Retake the questionnaire").first.click()
    expect(page).to_have_url(re.compile(r"/start/$"))
    expect(
        page.get_by_label("Yes: ask me about close relationships and about that setting")
    ).to_be_checked()
    expect(page.locator("#retake-note")).to_contain_text("not directly comparable")
    walk.see(page, "retake start")

    # Line 10: the retake's report says near the top what changed since last time.
    page.get_by_label("I agree that relcap stores my answers").check()
    page.get_by_label("I am 18 or older.").check()
    page.get_by_role("button", name="Agree and start").click()
    for number in range(1, PAGES + 1):
        expect(page).to_have_url(re.compile(rf"/page/{number}/$"))
        answer_quickly(page, {})
        page.get_by_role("button", name=re.compile(r"^Next")).click()
    page.get_by_role("button", name="Finish and see my results").click()
    changes = page.get_by_role("region", name="What changed since last time")
    expect(changes).to_be_visible()
    first_card = page.locator("article.report-card").first
    assert changes.bounding_box()["y"] < first_card.bounding_box()["y"]
    expect(changes.get_by_role("link", name="See the full comparison")).to_be_visible()
    walk.see(page, "retake report")

    print(
        f"\nissue 14 journey at {viewport['width']}×{viewport['height']}: scroll height per page: "
        + ", ".join(f"{where} {height} px" for where, height in walk.heights.items())
        + f"; chart's smallest text {smallest:.1f} px"
    )
    assert not walk.problems, "\n".join(["problems on the journey:", *walk.problems])
