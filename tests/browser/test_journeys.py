"""A person takes the questionnaire in Chromium: by mouse, by keyboard, pausing and resuming."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from assessments import scoring
from assessments.models import Dimension, InstrumentVersion
from assessments.queries import instrument_spec
from profiles.models import Profile, ResultSnapshot
from tests.browser.conftest import (
    BROWSER_DB,
    Contexts,
    answer_by_clicking,
    answer_pages,
    answered_draft,
    assert_still_selected,
    begin,
    chosen_value,
    public_id_of,
    sign_in,
    statements,
)

score_1 = scoring.get("score-1")  # the rules these tests exercise

pytestmark = [pytest.mark.browser, BROWSER_DB]

PAGES = 7
PASSWORD = "a long browser test password"
# Snapshot parts that do not depend on how long each page took.
TIMING_FREE_KEYS = ("rules", "instrument", "mode", "dimensions", "patterns", "focus", "support")


def expected_result(answers: dict[str, int]) -> dict:
    instrument = InstrumentVersion.objects.get(version="1.0")
    return score_1.score(instrument_spec(instrument.pk), answers, mode="both").as_dict()


def assert_report_shows(page: Page, public_id: str, answers: dict[str, int]) -> None:
    """The snapshot holds what the engine computes, and the report shows each integer score."""
    expect(page).to_have_url(re.compile(rf"/p/{public_id}/$"))
    expected = expected_result(answers)
    snapshot = ResultSnapshot.objects.get(profile__public_id=public_id)
    for key in TIMING_FREE_KEYS:
        assert snapshot.data[key] == expected[key], key
    for code, dimension in expected["dimensions"].items():
        assert dimension["display"] is not None, f"{code} should be scored: every item was answered"
        # Each capacity's card is an article named by its heading, the capacity's name.
        name = re.compile(rf"^{Dimension(code).label}\b")
        card = page.locator("main").get_by_role("article", name=name)
        expect(card).to_contain_text(re.compile(rf"\b{dimension['display']}\b"))


def finish(page: Page) -> None:
    expect(page).to_have_url(re.compile(r"/review/$"))
    page.get_by_role("button", name="Finish and see my results").click()


def test_new_visitor_answers_every_page_and_sees_the_engines_scores(page: Page):
    answers: dict[str, int] = {}

    begin(page)
    answer_pages(page, range(1, PAGES + 1), answers)
    finish(page)

    assert len(answers) == 76  # 72 scored statements, three checks and the check-in
    assert_report_shows(page, public_id_of(page), answers)


def press_tab_until(page: Page, condition: str, limit: int = 40) -> None:
    """Press Tab until `condition` (JS, given the focused element `el`) holds."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => {condition})(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached an element where {condition}")


def answer_with_keyboard(page: Page, answers: dict[str, int]) -> None:
    """Tab into each radio group, Space picks the first answer, arrows move to the chosen one;
    Enter on the last group submits the form through its default button, Next."""
    chosen = statements(page)
    press_tab_until(page, "el.matches('fieldset.statement input[type=radio]')")
    for number, (fieldset, item) in enumerate(chosen, start=1):
        value = chosen_value(item)
        expect(fieldset.locator("input[value='1']")).to_be_focused()
        page.keyboard.press("Space")
        for _ in range(value - 1):
            page.keyboard.press("ArrowRight")
        expect(fieldset.locator(f"input[value='{value}']")).to_be_checked()
        answers[item.code] = value
        page.keyboard.press("Enter" if number == len(chosen) else "Tab")
    page.wait_for_load_state()


def test_keyboard_alone_takes_a_person_from_the_landing_page_to_the_report(page: Page):
    answers: dict[str, int] = {}
    page.goto("/")

    press_tab_until(page, "el.textContent.trim() === 'Begin'")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/start/$"))
    press_tab_until(page, "el.name === 'context_mode'")
    page.keyboard.press("Space")  # the first choice: close relationships and a work setting
    press_tab_until(page, "el.name === 'consent'")
    page.keyboard.press("Space")
    press_tab_until(page, "el.name === 'adult'")
    page.keyboard.press("Space")
    press_tab_until(page, "el.textContent.trim() === 'Agree and start'")
    page.keyboard.press("Enter")
    for number in range(1, PAGES + 1):
        expect(page).to_have_url(re.compile(rf"/page/{number}/$"))
        answer_with_keyboard(page, answers)
    expect(page).to_have_url(re.compile(r"/review/$"))
    press_tab_until(page, "el.textContent.trim() === 'Finish and see my results'")
    page.keyboard.press("Enter")

    assert len(answers) == 76
    assert_report_shows(page, public_id_of(page), answers)


def test_private_link_resumes_in_a_new_browser_on_the_first_open_page(contexts: Contexts):
    answers: dict[str, int] = {}
    page = contexts.new_page()
    begin(page)
    answer_pages(page, range(1, 4), answers, by_clicking=False)
    expect(page).to_have_url(re.compile(r"/page/4/$"))
    page.get_by_text("Your private link to come back later").click()
    link = page.locator("code.resume-url").inner_text().strip()
    page.context.close()

    later = contexts.new_page()
    later.goto(link)

    expect(later).to_have_url(re.compile(r"/page/4/$"))
    later.get_by_role("button", name="Back").click()
    expect(later).to_have_url(re.compile(r"/page/3/$"))
    assert_still_selected(later, answers)
    later.get_by_role("button", name="Back").click()
    expect(later).to_have_url(re.compile(r"/page/2/$"))
    assert_still_selected(later, answers)


def double_click(page: Page) -> int:
    page.get_by_role("button", name="Finish and see my results").dblclick()
    return 1  # Chromium sends one POST: the second submission replaces the unsent first one


def two_quick_clicks(page: Page) -> int:
    """The second click lands while the first POST is already on its way to the server."""
    button = page.get_by_role("button", name="Finish and see my results")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    with page.expect_request(lambda request: request.method == "POST"):
        page.mouse.click(x, y)
    page.mouse.click(x, y)
    return 2


@pytest.mark.parametrize("clicks", [double_click, two_quick_clicks], ids=lambda c: c.__name__)
def test_clicking_finish_twice_makes_one_scored_profile(page: Page, clicks):
    token, answers = answered_draft()
    page.goto(f"/r/{token}/")
    expect(page).to_have_url(re.compile(r"/review/$"))
    public_id = public_id_of(page)
    posts: list[str] = []
    page.on("request", lambda request: request.method == "POST" and posts.append(request.url))

    sent = clicks(page)

    expect(page).to_have_url(re.compile(rf"/p/{public_id}/$"))
    page.wait_for_load_state("networkidle")
    assert len(posts) >= sent
    assert Profile.objects.count() == 1
    assert ResultSnapshot.objects.filter(profile__public_id=public_id).count() == 1
    assert_report_shows(page, public_id, answers)


def test_signed_in_person_resumes_from_my_profiles_in_a_fresh_browser(contexts: Contexts):
    User.objects.create_user("robin", "robin@example.org", PASSWORD)
    answers: dict[str, int] = {}
    page = contexts.new_page()
    sign_in(page, "robin", PASSWORD)
    expect(page).to_have_url(re.compile(r"/mine/$"))
    begin(page)
    public_id = public_id_of(page)
    answer_by_clicking(page, answers)
    page.get_by_role("button", name="Save and continue later").click()
    expect(page).to_have_url(re.compile(r"/saved/$"))
    assert Profile.objects.get(public_id=public_id).user.username == "robin"
    page.context.close()

    later = contexts.new_page()
    sign_in(later, "robin", PASSWORD, next_url="/mine/")
    expect(later).to_have_url(re.compile(r"/mine/$"))
    later.locator(f"main a[href*='{public_id}']").first.click()

    expect(later).to_have_url(re.compile(rf"/a/{public_id}/page/2/$"))
    later.get_by_role("button", name="Back").click()
    expect(later).to_have_url(re.compile(r"/page/1/$"))
    assert_still_selected(later, answers)
