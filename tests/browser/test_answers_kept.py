"""In Chromium: Skip takes an answer back by keyboard alone, without JavaScript, and a second
tab's save is met with the conflict page, not overwritten (issues 13.1 and 14.5)."""

import re

import pytest
from playwright.sync_api import Page, expect

from profiles.models import Answer
from tests.browser.conftest import (
    BROWSER_DB,
    Contexts,
    accessibility_problems,
    begin,
    public_id_of,
    statement_markup_problems,
    statements,
)

pytestmark = [pytest.mark.browser, BROWSER_DB]


def stored(public_id: str) -> dict[str, int | None]:
    rows = Answer.objects.filter(profile__public_id=public_id)
    return dict(rows.values_list("item_version__code", "value"))


def test_skip_takes_an_answer_back_with_the_keyboard_and_no_javascript(contexts: Contexts):
    context = contexts.browser.new_context(base_url=contexts.base_url, java_script_enabled=False)
    context.set_default_timeout(10_000)
    contexts.opened.append(context)
    page = context.new_page()
    begin(page)
    (first, item), *_ = statements(page)
    first.get_by_label("Agree", exact=True).check()
    page.get_by_role("button", name="Save and continue later").click()
    expect(page).to_have_url(re.compile(r"/saved/$"))
    public_id = public_id_of(page)
    assert stored(public_id) == {item.code: 6}
    page.goto(f"/a/{public_id}/page/1/")

    page.locator("fieldset.statement input[type=radio]:checked").first.focus()
    page.keyboard.press("ArrowRight")  # Agree → Strongly agree
    page.keyboard.press("ArrowRight")  # → Skip
    expect(page.locator(f"#id_q{item.pk}_skip")).to_be_checked()
    expect(page.locator(f"#id_q{item.pk}_skip")).to_be_focused()
    page.get_by_role("button", name="Save and continue later").click()

    expect(page).to_have_url(re.compile(r"/saved/$"))
    assert stored(public_id) == {item.code: None}


def test_a_page_with_skip_chosen_has_no_serious_problems(page: Page):
    begin(page)
    (first, _), (second, _), *_ = statements(page)
    first.get_by_label("Slightly agree").check()
    second.get_by_label("Skip").check()

    problems = accessibility_problems(page, "page 1 with Skip chosen")
    problems += statement_markup_problems(page, "page 1 with Skip chosen")

    assert not problems, "\n".join(problems)


def test_a_second_tabs_answers_meet_the_conflict_page_and_this_tabs_can_be_kept(
    contexts: Contexts,
):
    tab_a = contexts.new_page()
    begin(tab_a)
    tab_b = tab_a.context.new_page()
    tab_b.goto(tab_a.url)
    public_id = public_id_of(tab_a)
    (b_first, item), *_ = statements(tab_b)
    b_first.get_by_label("Disagree", exact=True).check()
    tab_b.get_by_role("button", name="Next").click()
    expect(tab_b).to_have_url(re.compile(r"/page/2/$"))
    (a_first, _), *_ = statements(tab_a)
    a_first.get_by_label("Strongly agree").check()

    with tab_a.expect_response(re.compile(r"/page/1/$")) as response:
        tab_a.get_by_role("button", name="Next").click()

    assert response.value.status == 409
    expect(tab_a.get_by_role("heading", level=1)).to_contain_text("changed somewhere else")
    expect(tab_a.locator(".conflict")).to_contain_text("Strongly agree")
    expect(tab_a.locator(".conflict")).to_contain_text("Disagree")
    assert stored(public_id)[item.code] == 2
    problems = accessibility_problems(tab_a, "conflict page")
    tab_a.get_by_role("button", name="Keep this tab's answers").click()
    expect(tab_a).to_have_url(re.compile(r"/page/2/$"))
    assert stored(public_id)[item.code] == 7
    assert not problems, "\n".join(problems)
